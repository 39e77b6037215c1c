import CBLAS
import Dispatch
import CMalloc
import Synchronization

/// How many threads numeric kernels may use. Set once at start-up (`smash --threads`).
///
/// Batched kernels split their samples over this many threads, each running OpenBLAS on one
/// thread: on small convolutions that beats OpenBLAS's own threading. Kernels with nothing to
/// split (a batch of one) hand all threads to OpenBLAS instead.
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

    /// Multiply-adds below which a single range keeps OpenBLAS on one thread: splitting smaller
    /// products costs more than it saves (a HyperNet's batch-of-one convolutions ran 40% slower
    /// on two threads than on one).
    public static let threadedBLASMinimumWork = 1 << 25

    /// Runs `body(index, range)` for each range, one per thread, and returns when all are done.
    /// A single range runs on the calling thread, with OpenBLAS allowed every thread when the
    /// range's `work` (multiply-adds) reaches `threadedBLASMinimumWork`.
    public static func run(_ ranges: [Range<Int>], work: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        _ = processConfigured
        if ranges.count == 1 {
            withThreadedBLAS(work: work) { body(0, ranges[0]) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: ranges.count) { part in body(part, ranges[part]) }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, in contiguous ranges split over the threads
    /// when there are at least `minimumPerThread` indices per thread. Calls for different indices
    /// may run at the same time, so each must touch only its own memory.
    public static func forEachIndex(_ count: Int, minimumPerThread: Int = 1, _ body: (Int) -> Void) {
        _ = processConfigured
        let ranges = split(count: count, minimumPerThread: minimumPerThread)
        guard ranges.count > 1 else {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: ranges.count) { part in
                for i in ranges[part] { body(i) }
            }
        }
    }

    /// Runs `body` with OpenBLAS allowed `threads` threads when its `work` (multiply-adds) reaches
    /// `threadedBLASMinimumWork`, for single products that are not split by the caller. Must not
    /// be called from inside `run`.
    public static func withThreadedBLAS<R>(work: Int, _ body: () throws -> R) rethrows -> R {
        _ = processConfigured
        let count = work >= threadedBLASMinimumWork ? threads : 1
        if count > 1 { openblas_set_num_threads(Int32(count)) }
        defer { if count > 1 { openblas_set_num_threads(1) } }
        return try body()
    }
}

/// A raw pointer that may cross into `Parallelism.forEachRange` workers. Each worker must touch
/// only its own part of the memory.
public struct SharedPointer<T>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<T>
    public init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
    public init(_ pointer: UnsafePointer<T>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
