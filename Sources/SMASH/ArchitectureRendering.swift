import Autodiff

extension Architecture {
    /// The architecture as text in the style of the paper's Figures 6–13: per block a header, per op
    /// `N: <output channels>, op: [c0, c1, c2, c3], groups: [...]`, `ks: [...]` and `d: [...]` lines
    /// (X for inactive convolutions; v1 ops as `N: .., d: ..`), followed by the banks it reads and
    /// writes; `stem`, `trans<i>` and `output` mark the fixed layers.
    /// - Throws: the first rule an invalid architecture breaks.
    public func renderText() throws(SMASHError) -> String {
        try validate()
        var lines = ["stem (\(skeleton.stemKernel)x\(skeleton.stemKernel) conv to \(skeleton.blockInputChannels[0]) channels)"]
        for (index, block) in blocks.enumerated() {
            let bankChannels = block.bankSize * skeleton.unit
            lines.append("block \(index): banks of \(bankChannels) channels, input fills \(skeleton.inputBanks(block: index, bankSize: block.bankSize)), "
                + "\(bankCount(block: index)) in all")
            for op in block.ops {
                lines += describe(op)
                lines.append("  read: \(op.reads), write: \(op.writes)")
            }
            if index < blocks.count - 1 {
                lines.append("trans\(index) (\(outputChannels(block: index)) -> \(skeleton.blockInputChannels[index + 1]) channels)")
            }
        }
        lines.append("output (\(outputChannels(block: blocks.count - 1)) channels)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The op's figure lines.
    private func describe(_ op: Op) -> [String] {
        let width = op.width * skeleton.unit
        func pair(_ p: Pair) -> String { "[\(p.y), \(p.x)]" }
        if skeleton.structure == .single, let conv = op.convs.first ?? nil {
            var line = "N: \(width), d: \(conv.dilation.y == conv.dilation.x ? "\(conv.dilation.y)" : pair(conv.dilation))"
            if skeleton.kernelSizes.count > 1 { line += ", ks: \(pair(conv.kernel))" }
            if skeleton.groupChoices.count > 1 { line += ", groups: \(conv.groups)" }
            return [line]
        }
        let active = op.active.map { $0 ? "1" : "0" }.joined(separator: ", ")
        let groups = op.convs.map { $0.map { "\($0.groups)" } ?? "X" }.joined(separator: ", ")
        let kernels = op.convs.map { $0.map { pair($0.kernel) } ?? "X" }.joined(separator: ", ")
        let dilations = op.convs.map { $0.map { pair($0.dilation) } ?? "X" }.joined(separator: ", ")
        return ["N: \(width), op: [\(active)], groups: [\(groups)]", "ks: [\(kernels)]", "d: [\(dilations)]"]
    }

    /// The bank read/write graph in Graphviz DOT: one cluster per block with its banks (ellipses)
    /// and ops (boxes, labelled as in `renderText`); edges from read banks to ops and from ops to
    /// written banks, labelled "=" for a write to an empty bank and "+" for an addition; the stem
    /// feeds the first block's input banks, each transition joins all banks of its block to the
    /// next block's input banks, and the last block's banks feed the output.
    /// - Throws: the first rule an invalid architecture breaks.
    public func renderDOT() throws(SMASHError) -> String {
        try validate()
        var lines = ["digraph architecture {", "  rankdir=TB;", "  node [fontname=\"Helvetica\", fontsize=10];",
                     "  stem [shape=box, style=filled, fillcolor=lightgrey];",
                     "  output [shape=box, style=filled, fillcolor=lightgrey];"]
        var previous = "stem"
        for (index, block) in blocks.enumerated() {
            let inputBanks = skeleton.inputBanks(block: index, bankSize: block.bankSize)
            lines.append("  subgraph cluster_block\(index) {")
            lines.append("    label=\"block \(index) (\(block.bankSize * skeleton.unit)-channel banks)\";")
            for bank in 0..<bankCount(block: index) { lines.append("    b\(index)_m\(bank) [shape=ellipse, label=\"bank \(bank)\"];") }
            for (opIndex, op) in block.ops.enumerated() {
                let label = describe(op).joined(separator: "\\n")
                lines.append("    b\(index)_op\(opIndex) [shape=box, label=\"\(label)\"];")
            }
            lines.append("  }")
            for bank in 0..<inputBanks { lines.append("  \(previous) -> b\(index)_m\(bank);") }
            var written = Set(0..<inputBanks)
            for (opIndex, op) in block.ops.enumerated() {
                for bank in op.reads { lines.append("  b\(index)_m\(bank) -> b\(index)_op\(opIndex);") }
                for bank in op.writes {
                    lines.append("  b\(index)_op\(opIndex) -> b\(index)_m\(bank) [label=\"\(written.contains(bank) ? "+" : "=")\"];")
                }
                written.formUnion(op.writes)
            }
            let next = index < blocks.count - 1 ? "trans\(index)" : "output"
            if index < blocks.count - 1 { lines.append("  \(next) [shape=box, style=filled, fillcolor=lightgrey];") }
            for bank in 0..<bankCount(block: index) { lines.append("  b\(index)_m\(bank) -> \(next);") }
            previous = next
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
