import Autodiff
import Kernels
import DatasetIO
import Randomness

/// The SMASH score of an architecture: its error and mean loss with generated weights.
public struct SmashScore: Codable, Sendable, Hashable {
    /// Fraction of misclassified images.
    public var error: Double
    /// Mean cross-entropy.
    public var loss: Double
    /// Images scored.
    public var count: Int

    public init(error: Double, loss: Double, count: Int) {
        self.error = error
        self.loss = loss
        self.count = count
    }
}

/// The batch-norm statistics a SMASH network is evaluated with.
public enum EvaluationStatistics: String, Codable, Sendable, CaseIterable {
    /// The running statistics accumulated during SMASH training over many architectures (the
    /// authors' code: `net.eval()`).
    case running
    /// Each evaluation batch's own statistics, so that every architecture is normalised by
    /// the statistics of its own features; the running ones are left untouched.
    case batch
}

/// Scores architectures with a trained SMASH network (paper Algorithm 1, second loop): the
/// HyperNet generates the architecture's weights once, from one seeded noise draw, and the main
/// network classifies the whole split with them. The passes share what the spatial
/// convolutions compute from their weights alone (`ConvolutionMemos`: the kernels' Fourier
/// spectra, 80-100 MB for an architecture of the reference configuration), which saved 4-7% of
/// the CPU time of scoring, and the weights they derive (`KeptWeights`), which saved 2-4% more.
///
/// Batch norm runs in evaluation mode with the running statistics accumulated during SMASH
/// training, as the authors' code does (`net.eval()` on the trained network): they average over
/// the many architectures seen in training, so no statistics are recomputed per architecture. The
/// score is deterministic given the architecture, the seed, the network and the data.
/// `statistics: .batch` normalises each batch by its own statistics instead (the score then also
/// depends on the batch size).
public struct SmashScorer {
    public let network: SmashNetwork
    /// Images per evaluation batch (100 in the authors' evaluation); with running statistics a
    /// batch runs in forward passes of at most `runningPassLimit` images (`passSize`).
    public let batchSize: Int
    /// The batch-norm statistics of the evaluation.
    public let statistics: EvaluationStatistics

    public init(network: SmashNetwork, batchSize: Int = 100, statistics: EvaluationStatistics = .running) throws(SMASHError) {
        guard batchSize >= 1 else { throw .invalidOption(name: "batchSize", found: "\(batchSize)", expected: "at least 1") }
        self.network = network
        self.batchSize = batchSize
        self.statistics = statistics
    }

    /// Images per forward pass: the batch, or with running statistics (where no image's output
    /// depends on another's) at most `runningPassLimit`.
    var passSize: Int { statistics == .running ? min(batchSize, Self.runningPassLimit) : batchSize }

    /// The most images a forward pass with running statistics takes: the activations of 100
    /// images at 32x32 outgrow the 32 MiB blocks the allocator serves from its heap, and fresh
    /// mappings fault in every page (6% of the CPU time of scoring the reference configuration).
    /// With each thread on a pass of its own, passes of 25 score as fast as passes of 50 (two
    /// threads, 12.3-12.6 s an architecture) at a lower peak (0.35 against 0.51 GB); passes of
    /// 10 took 13.9 s.
    static let runningPassLimit = 25

    /// The noise z used for `architecture` under `seed`: one draw per (seed, architecture), also
    /// when it is scored with a corrupted encoding, so that comparisons are paired.
    public func noise(for architecture: Architecture, columns: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed).derived("score noise \(architecture.hash)")
        return network.noise(columns: columns, using: &generator)
    }

    /// The score of `architecture` with its own encoding on (the first `limit` images of) `dataset`.
    public func score(_ architecture: Architecture, on dataset: Dataset, seed: UInt64, limit: Int? = nil) throws -> SmashScore {
        try score(architecture, encoding: network.encoder.encode(architecture), on: dataset, seed: seed, limit: limit)
    }

    /// The score of `architecture` run with weights generated from `encoding`, which may be
    /// corrupted but must have the architecture's encoding shape.
    public func score(_ architecture: Architecture, encoding: Tensor, on dataset: Dataset, seed: UInt64,
                      limit: Int? = nil) throws -> SmashScore {
        let expected = [1, network.encoder.layout.channels, network.encoder.layout.rows, architecture.encodingWidth]
        guard encoding.shape == expected else {
            throw SMASHError.invalidEncoding(message: "shape \(encoding.shape) does not fit the architecture's \(expected)")
        }
        let matrix = try network.generate(encoding: encoding, noise: noise(for: architecture, columns: expected[3], seed: seed))
        let total = min(limit ?? dataset.count, dataset.count)
        let passes = stride(from: 0, to: total, by: passSize).map { $0 ..< min($0 + passSize, total) }
        let kept = KeptWeights(network: network, architecture: architecture, matrix: matrix)
        // Passes are independent (evaluation only reads the network), so the threads take
        // whole passes; their sums add up in pass order whatever the thread count. (With batch
        // statistics a pass is a whole batch, so the peak grows with the threads.)
        let results = try Parallelism.mapIndependently(passes.count) { index in
            let (images, labels) = try dataset.batch(passes[index])
            let result = try network.evaluate(images, labels: labels, architecture: architecture, matrix: matrix,
                                              statistics: statistics, kept: kept)
            return (result.errors, result.lossSum, labels.count)
        }
        let (errors, lossSum, count) = results.reduce((0, 0.0, 0)) { ($0.0 + $1.0, $0.1 + $1.1, $0.2 + $1.2) }
        guard count > 0 else { throw SMASHError.invalidOption(name: "dataset", found: "empty", expected: "at least one image") }
        return SmashScore(error: Double(errors) / Double(count), loss: lossSum / Double(count), count: count)
    }
}

extension SmashNetwork {
    /// Misclassified images and summed loss of one batch in evaluation mode (no graph is recorded).
    func evaluate(_ images: Tensor, labels: [Int32], architecture: Architecture, matrix: Tensor,
                  statistics: EvaluationStatistics = .running, kept: KeptWeights? = nil) throws -> (errors: Int, lossSum: Double) {
        let logits = try forward(images, architecture: architecture, matrix: matrix, training: false, evaluation: statistics, kept: kept)
        let loss = try logits.softmaxCrossEntropy(labels: labels)
        return (try logits.mistakes(labels: labels), Double(loss.scalar) * Double(labels.count))
    }
}

extension Dataset {
    /// The images `range` as a tensor [n, c, h, w] and their labels.
    func batch(_ range: Range<Int>) throws -> (Tensor, [Int32]) {
        let pixels = shape.pixelCount
        let images = try Tensor(shape: [range.count, shape.channels, shape.height, shape.width],
                                values: Array(self.images[range.lowerBound * pixels ..< range.upperBound * pixels]))
        return (images, Array(labels[range]))
    }
}
