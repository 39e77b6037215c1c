import Autodiff
import DatasetIO

/// The architecture gradient of paper Sec. 4.2: the gradient of the validation loss with respect
/// to the encoding c, by back-propagation through the main network and the HyperNet, and its use
/// to rank candidate architectures by the first-order change it predicts.
///
/// The classification error has no gradient, so the mean cross-entropy stands in for E.
public struct ArchitectureGradient {
    /// Supplies the network, batch size and scoring noise.
    public let scorer: SmashScorer

    /// Gradients through `scorer`'s network, with its noise draws.
    public init(scorer: SmashScorer) {
        self.scorer = scorer
    }

    /// dL/dc for `architecture` on (the first `limit` images of) `dataset`, with the scoring noise
    /// of `seed`; shape and layout of the architecture's encoding. Leaves no gradient on the network.
    public func gradient(of architecture: Architecture, on dataset: Dataset, seed: UInt64, limit: Int? = nil) throws -> Tensor {
        let network = scorer.network
        let encoding = try network.encoder.encode(architecture, requiresGrad: true)
        let noise = scorer.noise(for: architecture, columns: encoding.shape[3], seed: seed)
        let total = min(limit ?? dataset.count, dataset.count)
        defer { for parameter in network.parameters { parameter.tensor.clearGrad() } }
        for start in stride(from: 0, to: total, by: scorer.batchSize) {
            let (images, labels) = try dataset.batch(start ..< min(start + scorer.batchSize, total))
            let tape = Tape()
            let loss = try tape.record {
                let matrix = try network.generate(encoding: encoding, noise: noise)
                return try network(images, architecture: architecture, matrix: matrix, training: false, evaluation: scorer.statistics)
                    .softmaxCrossEntropy(labels: labels)
            }
            try tape.backward(from: loss, seed: Float(labels.count) / Float(max(total, 1)))
        }
        return try Tensor(shape: encoding.shape, values: encoding.gradValues)
    }

    /// The first-order change of the loss, g·(c' − c), when `base`'s encoding is replaced by
    /// `candidate`'s; `nil` unless both lay out their ops over the same columns (otherwise the
    /// columns of c would describe different ops).
    public func predictedChange(_ gradient: Tensor, from base: Architecture, to candidate: Architecture) throws -> Double? {
        let (a, b) = (base.geometry, candidate.geometry)
        guard a.count == b.count, zip(a, b).allSatisfy({ $0.columns == $1.columns && $0.block == $1.block }) else { return nil }
        let encoder = scorer.network.encoder
        let (before, after) = (try encoder.encode(base), try encoder.encode(candidate))
        guard before.shape == gradient.shape, after.shape == gradient.shape else { return nil }
        var change = 0.0
        for i in 0..<gradient.count { change += Double(gradient.data[i]) * Double(after.data[i] - before.data[i]) }
        return change
    }

    /// The candidate with the most negative predicted change; the first candidate when none can
    /// be predicted, and `base` when there are no candidates.
    public func choose(from candidates: [Architecture], base: Architecture, gradient: Tensor) throws -> Architecture {
        var best: (Architecture, Double)?
        for candidate in candidates {
            guard let change = try predictedChange(gradient, from: base, to: candidate) else { continue }
            if best.map({ change < $0.1 }) ?? true { best = (candidate, change) }
        }
        return best?.0 ?? candidates.first ?? base
    }

    /// A `propose` function for `ArchitectureSearch.run` (guidance `.gradient`): it ranks the
    /// candidates by the change dE/dc at the base predicts, computing the gradient once per base.
    public func proposer(on dataset: Dataset, seed: UInt64, limit: Int? = nil)
        -> (_ base: Architecture, _ candidates: [Architecture]) throws -> Architecture {
        var cached: (hash: String, gradient: Tensor)?
        return { base, candidates in
            let hash = base.hash
            let gradient: Tensor
            if let cached, cached.hash == hash {
                gradient = cached.gradient
            } else {
                gradient = try self.gradient(of: base, on: dataset, seed: seed, limit: limit)
                cached = (hash, gradient)
            }
            return try self.choose(from: candidates, base: base, gradient: gradient)
        }
    }
}
