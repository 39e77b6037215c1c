/// The input a network is built for: image channels, height, width, and classes.
public struct NetworkInput: Codable, Sendable, Hashable {
    public var channels: Int
    public var height: Int
    public var width: Int
    public var classes: Int

    public init(channels: Int, height: Int, width: Int, classes: Int) {
        self.channels = channels
        self.height = height
        self.width = width
        self.classes = classes
    }
}

/// Trainable parameters and forward multiply-adds per image of a resulting network.
public struct NetworkCost: Codable, Sendable, Hashable {
    /// Trainable scalars.
    public var parameters: Int
    /// Forward multiply-adds per image.
    public var multiplyAdds: Int
    /// Forward floating-point operations per image: two per multiply-add.
    public var flops: Int { 2 * multiplyAdds }
}

extension Architecture {
    /// The size of the resulting network built from this architecture (`ResultingNetwork`): stem,
    /// per op BN-ReLU-1x1-BN and its KxK convolutions, BN-ReLU-1x1 transitions and the BN-linear
    /// head. Batch-norm running statistics are buffers, not parameters; multiply-adds count
    /// convolutions and the classifier as the network runs them (a transition's 1x1 after its
    /// pooling, at a quarter of the plane).
    /// - Throws: the first rule an invalid architecture breaks.
    public func cost(for input: NetworkInput) throws(SMASHError) -> NetworkCost {
        try validate()
        let stemChannels = skeleton.blockInputChannels[0]
        var parameters = input.channels * stemChannels * skeleton.stemKernel * skeleton.stemKernel
        var (height, width) = (input.height, input.width)
        var multiplyAdds = parameters * height * width
        let contexts = MemoryBankForward.contexts(self)
        for block in 0..<skeleton.blockCount {
            let plane = height * width
            for context in contexts where context.geometry.block == block {
                let place = context.geometry
                var weights = place.inputChannels * place.bottleneck
                parameters += 2 * place.inputChannels + 2 * place.bottleneck
                for (index, conv) in context.op.convs.enumerated() {
                    guard let conv else { continue }
                    let inputs = index % 2 == 0 ? place.bottleneck : place.outputChannels
                    weights += place.outputChannels * inputs / conv.groups * conv.kernel.y * conv.kernel.x
                }
                parameters += weights
                multiplyAdds += weights * plane
            }
            let channels = outputChannels(block: block)
            if block < skeleton.blockCount - 1 {
                let weights = channels * skeleton.blockInputChannels[block + 1]
                parameters += 2 * channels + weights
                (height, width) = (height / 2, width / 2)
                multiplyAdds += weights * height * width
            } else {
                parameters += 2 * channels + channels * input.classes + input.classes
                multiplyAdds += channels * input.classes
            }
        }
        return NetworkCost(parameters: parameters, multiplyAdds: multiplyAdds)
    }
}
