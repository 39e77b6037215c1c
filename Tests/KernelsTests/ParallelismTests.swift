import Kernels
import Testing

@Suite struct ParallelismTests {
    @Test(arguments: [1, 2, 3])
    func splitCoversEveryIndexOnce(threads: Int) {
        Parallelism.withThreads(threads) {
            for count in [0, 1, 5, 100] {
                let ranges = Parallelism.split(count: count)
                #expect(ranges.flatMap { Array($0) } == Array(0..<count))
                #expect(ranges.count <= max(1, threads))
            }
        }
    }

    @Test func forEachIndexVisitsEveryIndexOnceAcrossThreads() {
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1000)
        defer { visits.deallocate() }
        visits.initialize(repeating: 0)
        Parallelism.withThreads(2) {
            Parallelism.forEachIndex(visits.count) { visits[$0] += 1 }  // each index owns its slot
        }
        #expect(visits.allSatisfy { $0 == 1 })
    }

    @Test func scopedThreadsOverrideAndRestore() {
        let outside = Parallelism.threads
        Parallelism.withThreads(3) { #expect(Parallelism.threads == 3) }
        #expect(Parallelism.threads == outside)
    }
}
