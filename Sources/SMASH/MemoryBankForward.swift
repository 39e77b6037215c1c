import Autodiff

/// Everything an op implementation may need to know about the op it runs.
struct OpContext {
    /// The op's place, channels and columns.
    let geometry: OpGeometry
    /// The op itself.
    let op: Op
    /// Channels per bank, in units of N.
    let bankSize: Int
    /// The op's index over the whole network.
    let global: Int
}

/// The weights of one kind of network (the SMASH network with generated 1x1 weights, or a
/// resulting network with freely learned ones), as used by the memory-bank forward pass.
protocol OpWeights {
    /// The op's 1x1 stage applied to the channel concatenation of the banks it reads, followed
    /// by the ReLU that pre-activates the op's convolutions.
    func bottleneck(_ reads: [Tensor], _ context: OpContext) throws -> Tensor
    /// KxK convolution `index` (0…3) of the op applied to its (already activated) input.
    func conv(_ input: Tensor, index: Int, spec: ConvSpec, _ context: OpContext) throws -> Tensor
}

/// The memory-bank view of a block (paper Sec. 3.1), shared by the SMASH and resulting networks:
/// the block input is cut into banks, each op reads (concatenates) banks, runs, and writes its
/// output in bank-sized chunks (assigning to an empty bank, adding to a written one); the block
/// outputs all its banks concatenated.
enum MemoryBankForward {
    /// Runs block `index` of `architecture` on `input`, whose ops have the given contexts.
    static func block(_ input: Tensor, architecture: Architecture, index: Int, contexts: ArraySlice<OpContext>,
                      weights: some OpWeights) throws -> Tensor {
        let block = architecture.blocks[index]
        let bankChannels = block.bankSize * architecture.skeleton.unit
        var banks = [Tensor?](repeating: nil, count: architecture.bankCount(block: index))
        for bank in 0..<architecture.skeleton.inputBanks(block: index, bankSize: block.bankSize) {
            banks[bank] = try input.sliceChannels(bank * bankChannels ..< (bank + 1) * bankChannels)
        }
        for context in contexts {
            let parts = try context.op.reads.map { bank -> Tensor in
                guard let tensor = banks[bank] else {
                    throw SMASHError.invalidArchitecture(path: "blocks[\(index)].ops[\(context.geometry.index)].reads",
                                                         message: "bank \(bank) is read before anything is written to it")
                }
                return tensor
            }
            let output = try body(weights.bottleneck(parts, context), context: context, weights: weights)
            let chunks = context.op.width / block.bankSize
            for (position, bank) in context.op.writes.enumerated() {
                let chunk = position % chunks
                let channels = chunk * bankChannels ..< (chunk + 1) * bankChannels
                banks[bank] = try banks[bank].map { try $0.adding(channels: channels, of: output) } ?? output.sliceChannels(channels)
            }
        }
        let filled = banks.compactMap { $0 }
        guard filled.count == banks.count else {
            throw SMASHError.invalidArchitecture(path: "blocks[\(index)]", message: "leaves a bank empty")
        }
        return try Tensor.concatChannels(filled)
    }

    /// The convolutions after the 1x1 stage b, given `activated` = ReLU(b): c0 on ReLU(b); with
    /// c2 a second path c2(ReLU(b)); then c1(ReLU(path 0)) + c3(ReLU(path 1, or path 0 when
    /// single)) if c3 is active, else c1(ReLU(path 0)) plus path 1 if c1 is active, else the sum
    /// of the paths. Every convolution is pre-activated by ReLU; the op's output is linear.
    static func body(_ activated: Tensor, context: OpContext, weights: some OpWeights) throws -> Tensor {
        let convs = context.op.convs
        func isActive(_ index: Int) -> Bool { index < convs.count && convs[index] != nil }
        func run(_ index: Int, _ x: Tensor) throws -> Tensor {
            guard index < convs.count, let spec = convs[index] else {
                throw SMASHError.invalidArchitecture(path: "blocks[\(context.geometry.block)].ops[\(context.geometry.index)].convs",
                                                     message: "convolution c\(index) is needed but inactive")
            }
            return try weights.conv(x, index: index, spec: spec, context)
        }
        let first = try run(0, activated)
        let second = isActive(2) ? try run(2, activated) : nil
        if isActive(3) {
            let firstActivated = first.relu()
            return try run(1, firstActivated) + run(3, second?.relu() ?? firstActivated)
        }
        if isActive(1) {
            let third = try run(1, first.relu())
            return try second.map { try third + $0 } ?? third
        }
        return try second.map { try first + $0 } ?? first
    }

    /// The contexts of every op of `architecture`, in network order.
    static func contexts(_ architecture: Architecture) -> [OpContext] {
        let geometry = architecture.geometry
        return geometry.enumerated().map { global, place in
            let block = architecture.blocks[place.block]
            return OpContext(geometry: place, op: block.ops[place.index], bankSize: block.bankSize, global: global)
        }
    }
}
