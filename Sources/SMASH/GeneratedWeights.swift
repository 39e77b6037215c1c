import Autodiff

/// How the HyperNet's output maps onto the 1x1 weights of every op.
///
/// The HyperNet outputs [1, P·D·N, R, S] for an encoding of R = Nmax/N rows and S columns, where
/// P = `outputsPerRow`. Its channel `ch` at (row h, column s) is the weight from 1x1 input channel
/// `s·D·N + ch mod D·N` to output unit `h·P + ch / (D·N)`: each output location produces a
/// P × D·N block of the full weight matrix [R·P outputs, S·D·N inputs]. An op's 1x1 weights are
/// the first `bottleneck` output rows and its `weightColumns`.
public struct WeightLayout: Sendable, Hashable {
    /// The skeleton whose weights are generated.
    public let skeleton: Skeleton
    /// S, the encoding's width.
    public let columns: Int

    /// The layout for an encoding of `columns` columns.
    public init(skeleton: Skeleton, columns: Int) {
        self.skeleton = skeleton
        self.columns = columns
    }

    /// The HyperNet's output channels: P·D·N.
    public static func generatedChannels(_ skeleton: Skeleton) -> Int {
        skeleton.outputsPerRow * skeleton.columnChannels
    }

    /// [outputs, inputs] of the full weight matrix.
    public var matrixShape: [Int] {
        [skeleton.maxUnits * skeleton.outputsPerRow, columns * skeleton.columnChannels]
    }

    /// The flat index, in the HyperNet's output, of the weight from input `input` to output `output`.
    public func sourceIndex(output: Int, input: Int) -> Int {
        let perColumn = skeleton.columnChannels, perRow = skeleton.outputsPerRow, rows = skeleton.maxUnits
        let channel = (output % perRow) * perColumn + input % perColumn
        return (channel * rows + output / perRow) * columns + input / perColumn
    }

    /// The full weight matrix [outputs, inputs] rearranged from the HyperNet output: its
    /// [P, D·N, R, S] read as [R, P, S, D·N] (`sourceIndex` element by element).
    public func matrix(_ generated: Tensor) throws -> Tensor {
        let expected = [1, WeightLayout.generatedChannels(skeleton), skeleton.maxUnits, columns]
        guard generated.shape == expected else {
            throw SMASHError.invalidEncoding(message: "the HyperNet output \(generated.shape) does not have the expected shape \(expected)")
        }
        let dimensions = [skeleton.outputsPerRow, skeleton.columnChannels, skeleton.maxUnits, columns]
        return try generated.permuted([2, 0, 3, 1], dimensions: dimensions, shape: matrixShape)
    }

    /// An op's 1x1 weight [bottleneck, inputs, 1, 1], cut from the full matrix.
    public static func opWeight(_ matrix: Tensor, geometry: OpGeometry) throws -> Tensor {
        try matrix.slice([0 ..< geometry.bottleneck, geometry.weightColumns], shape: [geometry.bottleneck, geometry.inputChannels, 1, 1])
    }
}
