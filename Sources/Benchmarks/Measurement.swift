import Dispatch
import Foundation

/// One timed workload, in the shape the PyTorch reference script writes, so that both JSON files
/// can be compared as ratios.
public struct BenchmarkRecord: Codable, Sendable, Equatable {
    public var name: String
    /// Median wall time of one repetition, in milliseconds.
    public var ms: Double
    public var gflops: Double?
    public var imagesPerSecond: Double?

    enum CodingKeys: String, CodingKey {
        case name, ms, gflops
        case imagesPerSecond = "images_per_s"
    }

    public init(name: String, ms: Double, gflops: Double? = nil, imagesPerSecond: Double? = nil) {
        self.name = name
        self.ms = ms
        self.gflops = gflops
        self.imagesPerSecond = imagesPerSecond
    }
}

/// A benchmark report: `{"engine": ..., "runs": {"threads=N": [records]}}`.
public struct BenchmarkReport: Codable, Sendable {
    public var engine: String
    public var runs: [String: [BenchmarkRecord]]

    public init(engine: String, runs: [String: [BenchmarkRecord]] = [:]) {
        self.engine = engine
        self.runs = runs
    }
}

/// What a benchmark measures.
public enum BenchmarkClock: String, Sendable, CaseIterable {
    /// Elapsed time: what users wait for, and what the reference script reports.
    case wall
    /// CPU time of the whole process: steadier than wall time on a busy machine, but with
    /// several threads it is their sum, so it is not comparable with the reference; it also
    /// counts the time the kernels' idle workers spin waiting for the next split
    /// (`WorkerPool`), so it compares builds only where both have the same number of threads.
    case cpu

    /// Nanoseconds on this clock since an arbitrary origin.
    public func now() -> UInt64 {
        switch self {
        case .wall:
            return DispatchTime.now().uptimeNanoseconds
        case .cpu:
            var time = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
        }
    }
}

/// The median time of `repetitions` calls of `body` after `warmup` untimed calls, in ms.
public func medianMilliseconds(repetitions: Int, warmup: Int = 2, clock: BenchmarkClock = .wall,
                               _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var samples: [Double] = []
    for _ in 0..<max(repetitions, 1) {
        let start = clock.now()
        try body()
        samples.append(Double(clock.now() - start) / 1e6)
    }
    samples.sort()
    let middle = samples.count / 2
    return samples.count % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2
}
