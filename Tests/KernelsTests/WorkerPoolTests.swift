import Foundation
@testable import Kernels
import Synchronization
import Testing

/// The worker pool behind `Parallelism.run`.
@Suite struct WorkerPoolTests {
    /// Many splits in a row with changing part counts, some with more parts than threads (a
    /// worker late for one split must take no part of the next twice): every part of every split
    /// runs exactly once.
    @Test func everyPartOfEverySplitRunsOnce() {
        let pool = WorkerPool.shared
        let counts = (0..<2000).map { 1 + $0 * 7 % 5 }
        var split = 0
        while split < counts.count {
            let runs = Mutex([Int](repeating: 0, count: counts[split]))
            guard pool.run(parts: counts[split], threads: 2, { part in runs.withLock { $0[part] += 1 } }) else { continue }
            #expect(runs.withLock { $0 } == [Int](repeating: 1, count: counts[split]), "split \(split) of \(counts[split]) parts")
            split += 1
        }
    }

    /// Workers started for more threads sit out a split for fewer: however many parts it has,
    /// no more threads than asked run them.
    @Test func aSplitRunsOnNoMoreThreadsThanAsked() {
        while !WorkerPool.shared.run(parts: 3, threads: 3, { _ in }) {}
        var split = 0
        while split < 20 {
            let threads = Mutex(Set<UInt>())
            guard WorkerPool.shared.run(parts: 32, threads: 2, { _ in
                threads.withLock { _ = $0.insert(UInt(pthread_self())) }
                let start = DispatchTime.now().uptimeNanoseconds
                while DispatchTime.now().uptimeNanoseconds - start < 50_000 {}
            }) else { continue }
            #expect(threads.withLock { $0.count } <= 2, "split \(split)")
            split += 1
        }
    }

    /// A split started inside a split finds the pool busy and runs nothing.
    @Test func aSplitInsideASplitIsRefused() {
        let nested = Atomic<Int>(0)
        let inner = Atomic<Int>(0)
        while !WorkerPool.shared.run(parts: 2, threads: 2, { part in
            guard part == 0 else { return }
            nested.store(WorkerPool.shared.run(parts: 2, threads: 2) { _ in inner.add(1, ordering: .relaxed) } ? 1 : -1, ordering: .relaxed)
        }) {}
        #expect(nested.load(ordering: .relaxed) == -1 && inner.load(ordering: .relaxed) == 0)
    }
}
