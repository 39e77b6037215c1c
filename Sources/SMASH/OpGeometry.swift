/// Where one op sits: its block, its channel counts and the part of the encoding (and of the
/// generated 1x1 weight matrix) that belongs to it.
public struct OpGeometry: Sendable, Hashable {
    /// The block the op belongs to.
    public var block: Int
    /// The op's index within its block.
    public var index: Int
    /// Banks read times bank channels: the 1x1 convolution's input channels.
    public var inputChannels: Int
    /// G·N: the op's output channels.
    public var outputChannels: Int
    /// The 1x1 convolution's output channels.
    public var bottleneck: Int
    /// Encoding columns (slices of D·N 1x1 input channels) the op occupies.
    public var columns: Range<Int>
    /// Encoding rows the op fills: those whose generated output units its 1x1 uses.
    public var rows: Int
    /// The op's 1x1 input channels within the generated weight matrix's columns.
    public var weightColumns: Range<Int>
}

extension Architecture {
    /// Every op's geometry, in network order (block by block). Ops are laid out end to end along
    /// the encoding's width; an op reading `r` banks of `b` units takes `r·b/D` columns.
    public var geometry: [OpGeometry] {
        var result: [OpGeometry] = []
        var column = 0
        let columnChannels = skeleton.columnChannels
        for (blockIndex, block) in blocks.enumerated() {
            let bankChannels = block.bankSize * skeleton.unit
            for (index, op) in block.ops.enumerated() {
                let inputs = op.reads.count * bankChannels
                let outputs = op.width * skeleton.unit
                let bottleneck = skeleton.bottleneckWidth(inputs: inputs, outputs: outputs)
                let width = (inputs + columnChannels - 1) / columnChannels
                let perRow = max(skeleton.outputsPerRow, 1)
                result.append(OpGeometry(
                    block: blockIndex, index: index, inputChannels: inputs, outputChannels: outputs, bottleneck: bottleneck,
                    columns: column ..< column + width, rows: (bottleneck + perRow - 1) / perRow,
                    weightColumns: column * columnChannels ..< column * columnChannels + inputs))
                column += width
            }
        }
        return result
    }

    /// The encoding's width S: columns over all ops.
    public var encodingWidth: Int { geometry.last?.columns.upperBound ?? 0 }
}
