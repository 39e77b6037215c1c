extension Architecture {
    /// Throws the first rule the architecture breaks, with the path of the offending element:
    /// a bank size the skeleton does not allow, a read of a bank nothing has written yet, a read
    /// count that does not fill whole encoding columns, a width beyond Nmax, a write that leaves a
    /// gap, too few writes for the op's output, a kernel, dilation or group count out of range, or
    /// groups that do not divide a convolution's channels.
    public func validate() throws(SMASHError) {
        try skeleton.validate()
        guard blocks.count == skeleton.blockCount else {
            throw .invalidArchitecture(path: "blocks", message: "has \(blocks.count) blocks, but the skeleton has \(skeleton.blockCount)")
        }
        for (index, block) in blocks.enumerated() {
            try validate(block: block, index: index)
        }
    }

    private func validate(block: ArchitectureBlock, index: Int) throws(SMASHError) {
        let path = "blocks[\(index)]"
        let size = block.bankSize
        guard skeleton.bankSizes.contains(size) else {
            throw .invalidArchitecture(path: "\(path).bankSize", message: "\(size) is not one of the allowed sizes \(skeleton.bankSizes)")
        }
        let step = skeleton.readStep(bankSize: size)
        var written = skeleton.inputBanks(block: index, bankSize: size)
        guard written >= step else {
            throw .invalidArchitecture(path: "\(path).bankSize",
                message: "banks of \(size) units leave \(written) input banks, fewer than the \(step) an op must read")
        }
        let cap = skeleton.bankCap(block: index, bankSize: size)
        for (opIndex, op) in block.ops.enumerated() {
            let opPath = "\(path).ops[\(opIndex)]"
            try validateReads(op.reads, path: "\(opPath).reads", written: written, step: step, cap: cap)
            guard op.width >= size, op.width % size == 0, op.width <= skeleton.maxUnits else {
                throw .invalidArchitecture(path: "\(opPath).width",
                    message: "\(op.width) units must be a multiple of the bank size \(size) and at most Nmax/N = \(skeleton.maxUnits)")
            }
            written += try validateWrites(op.writes, path: "\(opPath).writes", written: written, cap: cap,
                                          chunks: op.width / size)
            let inputs = op.reads.count * size * skeleton.unit, outputs = op.width * skeleton.unit
            try validateConvs(op.convs, path: opPath, bottleneck: skeleton.bottleneckWidth(inputs: inputs, outputs: outputs),
                              outputs: outputs)
        }
    }

    private func validateReads(_ reads: [Int], path: String, written: Int, step: Int, cap: Int) throws(SMASHError) {
        guard !reads.isEmpty, zip(reads, reads.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalidArchitecture(path: path, message: "\(reads) must be a non-empty ascending list of distinct banks")
        }
        if let bad = reads.first(where: { $0 < 0 || $0 >= written }) {
            throw .invalidArchitecture(path: path, message: "reads bank \(bad), but only banks 0..<\(written) hold data before this op")
        }
        guard reads.count % step == 0, reads.count <= cap else {
            throw .invalidArchitecture(path: path,
                message: "reads \(reads.count) banks; the count must be a multiple of \(step) (to fill whole encoding columns) and at most \(cap)")
        }
    }

    /// Checks the writes and returns how many new banks they fill.
    private func validateWrites(_ writes: [Int], path: String, written: Int, cap: Int, chunks: Int) throws(SMASHError) -> Int {
        guard writes.count >= chunks, Set(writes).count == writes.count else {
            throw .invalidArchitecture(path: path,
                message: "\(writes) must name at least \(chunks) distinct banks, one per bank-sized chunk of the output")
        }
        if let bad = writes.first(where: { $0 < 0 || $0 >= cap }) {
            throw .invalidArchitecture(path: path, message: "writes bank \(bad), outside the block's 0..<\(cap) banks (its channel cap)")
        }
        let fresh = writes.filter { $0 >= written }
        guard Set(fresh) == Set(written ..< written + fresh.count) else {
            throw .invalidArchitecture(path: path,
                message: "writes new banks \(fresh.sorted()) but must fill the lowest empty banks from \(written) on, without gaps")
        }
        return fresh.count
    }

    private func validateConvs(_ convs: [ConvSpec?], path: String, bottleneck: Int, outputs: Int) throws(SMASHError) {
        let active = convs.map { $0 != nil }
        switch skeleton.structure {
        case .single:
            guard convs.count == 1, active[0] else {
                throw .invalidArchitecture(path: "\(path).convs", message: "a v1 op has exactly one active convolution, found \(convs.count) entries")
            }
        case .array:
            guard OpShape.isValid(active) else {
                throw .invalidArchitecture(path: "\(path).convs",
                    message: "pattern \(active.map { $0 ? 1 : 0 }) needs 4 entries with c0 active and c3 only together with c1")
            }
        }
        for (index, conv) in convs.enumerated() {
            guard let conv else { continue }
            let convPath = "\(path).convs[\(index)]"
            for (axis, kernel, dilation) in [("y", conv.kernel.y, conv.dilation.y), ("x", conv.kernel.x, conv.dilation.x)] {
                guard skeleton.kernelSizes.contains(kernel) else {
                    throw .invalidArchitecture(path: "\(convPath).kernel.\(axis)", message: "\(kernel) is not one of \(skeleton.kernelSizes)")
                }
                guard skeleton.dilations(kernel: kernel).contains(dilation) else {
                    throw .invalidArchitecture(path: "\(convPath).dilation.\(axis)",
                        message: "\(dilation) with kernel \(kernel) is outside 1...\(skeleton.maxDilation) or exceeds the extent \(skeleton.maxKernelExtent)")
                }
            }
            let inputs = index % 2 == 0 ? bottleneck : outputs
            guard skeleton.groupChoices.contains(conv.groups), inputs % conv.groups == 0, outputs % conv.groups == 0 else {
                throw .invalidArchitecture(path: "\(convPath).groups",
                    message: "\(conv.groups) must be one of \(skeleton.groupChoices) and divide \(inputs) input and \(outputs) output channels")
            }
        }
    }
}
