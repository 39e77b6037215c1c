import Autodiff
import Synchronization

/// What the forward passes of one architecture share while nothing trains between them
/// (scoring): the weights each pass would otherwise derive again — the ops' generated 1x1
/// weights divided by their norms, the cropped shared and transition convolutions — and the
/// spatial convolutions' kernel spectra (`ConvolutionMemos`). Deriving the weights in every pass
/// took 2-4% of the time of scoring the reference configuration in passes of 25 images (2% of
/// the profile; 4% faster once kept, measured alternately in a slow spell).
///
/// Made for one network, architecture and generated weight matrix, for passes that do not
/// train: a training pass, or a pass of another network, architecture or matrix, derives its
/// own weights and keeps nothing.
final class KeptWeights: @unchecked Sendable {
    /// A weight derived for a pass.
    enum Key: Hashable {
        /// The 1x1 weight of the op with this global index, divided by its norm.
        case bottleneck(op: Int)
        /// Shared convolution `index` cropped for the op with this global index.
        case conv(op: Int, index: Int)
        /// The transition after this block, cropped to the block's channels.
        case transition(block: Int)
    }

    let network: SmashNetwork
    let architecture: Architecture
    let matrix: Tensor
    let memos = ConvolutionMemos<SmashConvolution>()
    private let weights = Mutex<[Key: SharedTensor]>([:])

    /// A tensor that passes on several threads read and none writes.
    private struct SharedTensor: @unchecked Sendable {
        let tensor: Tensor
    }

    init(network: SmashNetwork, architecture: Architecture, matrix: Tensor) {
        self.network = network
        self.architecture = architecture
        self.matrix = matrix
    }

    /// Whether these are the weights of `network` (the same object) running `architecture` with
    /// `matrix` (the same tensor).
    func fits(_ network: SmashNetwork, _ architecture: Architecture, matrix: Tensor) -> Bool {
        network === self.network && matrix === self.matrix && architecture == self.architecture
    }

    /// The weight kept for `key`, else `derive()`'s, kept now. Two threads may derive the same
    /// weight at once; both get equal values, and the first kept stays.
    func weight(_ key: Key, _ derive: () throws -> Tensor) rethrows -> Tensor {
        if let kept = weights.withLock({ $0[key] }) { return kept.tensor }
        let derived = SharedTensor(tensor: try derive())
        return weights.withLock { table in
            if let kept = table[key] { return kept }
            table[key] = derived
            return derived
        }.tensor
    }
}

extension Optional where Wrapped == KeptWeights {
    /// The weight kept for `key`, or `derive()`'s where nothing is kept.
    func weight(_ key: KeptWeights.Key, _ derive: () throws -> Tensor) rethrows -> Tensor {
        guard let kept = self else { return try derive() }
        return try kept.weight(key, derive)
    }
}
