import Dispatch

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

/// The median wall time of `repetitions` calls of `body` after `warmup` untimed calls, in ms.
public func medianMilliseconds(repetitions: Int, warmup: Int = 2, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var samples: [Double] = []
    for _ in 0..<max(repetitions, 1) {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    samples.sort()
    let middle = samples.count / 2
    return samples.count % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2
}
