import CBLAS
import Dispatch
import CMalloc
import Synchronization

/// How many threads numeric kernels may use. Set once at start-up (`smash --threads`).
///
/// Batched kernels split their samples over this many threads, each running OpenBLAS on one
/// thread: on small convolutions that beats OpenBLAS's own threading. A large product outside
/// such a split (a batch of one, a single matrix product) splits its own columns or rows over
/// the threads (`gemm`). OpenBLAS never runs threads of its own: its idle workers spin through
/// `sched_yield` for a while after each call, and on two cores that spinning took time from
/// the kernels' own threads (6% of a SMASH step's CPU time went to the kernel's scheduler).
/// The splits run on `WorkerPool`'s threads, whose workers spin between splits instead, and
/// only while the threads fit on the processors (SMASH steps of the reference configuration on
/// two threads: 7-14% faster than by Dispatch, whose sleeping threads woke for each split).
public enum Parallelism {
    private static let threadCount = Atomic<Int>(1)

    /// One-time process set-up before the first kernel runs. OpenBLAS starts with one thread per
    /// core, but kernels manage threads themselves. glibc serves large blocks with fresh `mmap`s
    /// (whose pages the kernel zeroes on first touch) and returns freed heap to the system;
    /// training allocates the same large buffers every step, so serve blocks up to 32 MiB (the
    /// most glibc accepts) from the heap and never trim it: after the first step, steps reuse
    /// the heap without page faults. glibc also gives each thread its own heap (arena), and a
    /// block freed in one arena serves only that arena: with one arena the kernels' worker
    /// threads reuse the blocks the main thread frees (the peak of a SMASH step with the 2x2 op
    /// array fell from 1.10 to 1.01 GB), and kernels allocate too rarely for the shared lock to
    /// matter.
    private static let processConfigured: Bool = {
        openblas_set_num_threads(1)
        #if os(Linux)
        mallopt(M_MMAP_THRESHOLD, 32 << 20)
        mallopt(M_TRIM_THRESHOLD, -1)
        mallopt(M_ARENA_MAX, 1)
        #endif
        return true
    }()

    /// A thread count that overrides the process-wide one inside `withThreads`.
    @TaskLocal private static var scopedThreads: Int?

    /// Set while a thread runs one of several ranges of `run` or `forEachIndex`: its products
    /// stay on that thread.
    @TaskLocal private static var insideSplit = false

    /// The number of threads kernels use (at least 1): the innermost `withThreads` value, else the
    /// process-wide setting.
    public static var threads: Int { scopedThreads ?? threadCount.load(ordering: .relaxed) }

    /// Runs `body` with kernels started from this task using `count` threads (at least 1),
    /// whatever other tasks set meanwhile: a run that must be reproducible bit for bit pins its
    /// thread count this way, since sums split over threads round differently.
    public static func withThreads<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
        try $scopedThreads.withValue(max(1, count), operation: body)
    }

    /// Sets the number of threads kernels use; values below 1 count as 1.
    public static func setThreads(_ count: Int) {
        threadCount.store(max(1, count), ordering: .relaxed)
        openblas_set_num_threads(1)
    }

    /// Splits `0..<count` into at most `threads` contiguous, nearly equal ranges of at least
    /// `minimumPerThread` items each (one range when `count` is small).
    public static func split(count: Int, minimumPerThread: Int = 1) -> [Range<Int>] {
        let parts = max(1, min(threads, count / max(1, minimumPerThread)))
        return (0..<parts).map { part in count * part / parts ..< count * (part + 1) / parts }
    }

    /// Multiply-adds from which a product outside a split runs over all the threads, about a
    /// tenth of a millisecond on one core: waking a second thread costs some 30 µs. (A HyperNet's
    /// forward and backward pass at batch one ran 15% faster than with 2²⁵.)
    public static let splitProductMinimumWork = 1 << 22

    /// How many parts a product of `work` multiply-adds should be cut into: the thread count for
    /// a large product outside a split, else one. Every product asks, so this is also where a
    /// process that multiplies before running any kernel puts OpenBLAS on one thread.
    static func productParts(work: Int) -> Int {
        _ = processConfigured
        return insideSplit || work < splitProductMinimumWork ? 1 : threads
    }

    /// Calls `body(i)` for every `i` in `0..<count`: independent products of `work` multiply-adds
    /// in all, split over the threads when together they make a large product outside a split
    /// (`productParts`), else one after another on this thread.
    static func forEachProduct(_ count: Int, work: Int, _ body: @Sendable (Int) -> Void) {
        run(productParts(work: work) > 1 ? split(count: count) : [0..<count]) { _, range in
            for i in range { body(i) }
        }
    }

    /// Elements per thread from which an elementwise kernel splits its work: a pass over 2¹⁶
    /// floats takes some 20 µs on one core, about what waking a second thread costs.
    public static let elementwiseMinimumPerThread = 1 << 16

    /// Calls `body(range)` for consecutive ranges covering `0..<count`: one per thread when there
    /// are at least `elementwiseMinimumPerThread` elements per thread and the caller is not
    /// already one of a split's threads, else one range on this thread. Range bounds are
    /// multiples of 16 (a 64-byte cache line of floats), so no two threads write the same line.
    static func forEachSpan(_ count: Int, _ body: (Range<Int>) -> Void) {
        let parts = count < 2 * elementwiseMinimumPerThread || insideSplit ? 1 : min(threads, count / elementwiseMinimumPerThread)
        guard parts > 1 else {
            body(0..<count)
            return
        }
        let lines = (count + 15) / 16
        let bounds = (0...parts).map { min(count, lines * $0 / parts * 16) }
        runUnchecked((0..<parts).map { bounds[$0] ..< bounds[$0 + 1] }, body)
    }

    /// Runs `body(index, range)` for each range on up to `threads` threads (`WorkerPool`), each
    /// taking the next range until none is left, and returns when all are done. A single range
    /// runs on the calling thread.
    public static func run(_ ranges: [Range<Int>], _ body: @Sendable (Int, Range<Int>) -> Void) {
        _ = processConfigured
        if ranges.count == 1 {
            body(0, ranges[0])
            return
        }
        runParts(ranges.count) { part in body(part, ranges[part]) }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, in contiguous ranges split over the threads
    /// when there are at least `minimumPerThread` indices per thread and the caller is not
    /// already one of a split's threads. Calls for different indices may run at the same time,
    /// so each must touch only its own memory.
    public static func forEachIndex(_ count: Int, minimumPerThread: Int = 1, _ body: (Int) -> Void) {
        forEachRange(count, minimumPerThread: minimumPerThread) { range in
            for i in range { body(i) }
        }
    }

    /// Calls `body(range)` for contiguous ranges covering `0..<count`, split as `forEachIndex`
    /// splits its indices (one range inside a split), for work that sets up once per range.
    static func forEachRange(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        runUnchecked(insideSplit ? [0..<count] : split(count: count, minimumPerThread: minimumPerThread), body)
    }

    /// Calls `body(i)` for each of `count` items (samples, planes) that each move `length` values,
    /// split over the threads like the elementwise kernels (`elementwiseMinimumPerThread` values
    /// per thread).
    static func forEachItem(_ count: Int, length: Int, _ body: (Int) -> Void) {
        forEachIndex(count, minimumPerThread: max(1, elementwiseMinimumPerThread / max(1, length)), body)
    }

    /// The results of `transform(i)` for every `i` in `0..<count`, in order, for independent
    /// pieces of work (the forward passes of scoring): each thread takes the next item until none
    /// is left and runs its kernels on itself alone. Whole passes per thread scale better than
    /// every kernel splitting its own work (scoring one architecture of the reference
    /// configuration on two threads: 12.3 s, against 13.3-14.1 s with split kernels), and items
    /// taken one at a time keep the threads busy to the end when one runs slower than the other
    /// (a core shared with other work). `transform` must touch only memory of its own. Once one
    /// throws, the threads take no new items, and the first error thrown is rethrown.
    public static func mapIndependently<T>(_ count: Int, _ transform: (Int) throws -> T) throws -> [T] {
        let ranges = insideSplit || threads == 1 ? [0..<count] : (0..<count).map { $0 ..< $0 + 1 }
        let results = UnsafeMutablePointer<T?>.allocate(capacity: max(count, 1))
        results.initialize(repeating: nil, count: count)
        defer {
            results.deinitialize(count: count)
            results.deallocate()
        }
        let failure = Mutex<(any Error)?>(nil)
        let slots = SharedPointer(results)
        runUnchecked(ranges) { range in
            withThreads(1) {
                for i in range {
                    guard failure.withLock({ $0 == nil }) else { return }
                    do {
                        slots.pointer[i] = try transform(i)
                    } catch {
                        failure.withLock { first in first = first ?? error }
                        return
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return (0..<count).compactMap { results[$0] }
    }

    /// `run` for a body that is not `Sendable`: its calls for different ranges must touch
    /// disjoint memory.
    private static func runUnchecked(_ ranges: [Range<Int>], _ body: (Range<Int>) -> Void) {
        _ = processConfigured
        guard ranges.count > 1 else {
            ranges.forEach(body)
            return
        }
        runParts(ranges.count) { part in body(ranges[part]) }
    }

    /// Calls `body(part)` for every part, each inside the split (`insideSplit`), on up to
    /// `threads` threads: on the worker pool, or by Dispatch while another thread's split holds
    /// the pool.
    private static func runParts(_ parts: Int, _ body: (Int) -> Void) {
        let threads = min(parts, threads)
        let ran = WorkerPool.shared.run(parts: parts, threads: threads) { part in
            $insideSplit.withValue(true) { body(part) }
        }
        guard !ran else { return }
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while case let part = next.add(1, ordering: .relaxed).oldValue, part < parts {
                    $insideSplit.withValue(true) { body(part) }
                }
            }
        }
    }
}

/// A raw pointer that may cross into the `@Sendable` bodies of `Parallelism.run`. Each range's
/// body must touch only its own part of the memory.
public struct SharedPointer<T>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<T>
    public init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
    public init(_ pointer: UnsafePointer<T>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
