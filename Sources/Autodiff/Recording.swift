extension Tensor {
    /// A new, uninitialised output for an operation over `inputs`: recorded on the current tape and
    /// requiring a gradient when a tape is recording and any input requires one.
    public static func result(shape: [Int], of inputs: Tensor...) -> Tensor {
        result(shape: shape, ofAll: inputs)
    }

    /// A new output for an operation over a list of inputs (see `result(shape:of:)`).
    public static func result(shape: [Int], ofAll inputs: [Tensor]) -> Tensor {
        guard let tape = Tape.current, inputs.contains(where: \.requiresGrad) else {
            return Tensor(uninitializedShape: shape)
        }
        let output = Tensor(uninitializedShape: shape, requiresGrad: true)
        output.tape = tape
        return output
    }

    /// Records `backward(dy)` on this output's tape when it requires a gradient; `dy` is this
    /// output's gradient. `backward` must not capture the output unless it reads its values.
    public func recordBackward(_ backward: @escaping (_ dy: UnsafeMutablePointer<Float>) -> Void) {
        guard requiresGrad, let tape else { return }
        tape.record(gradient, backward)
    }

    /// Records `backward(dy, dx)` for an operation of the single input `input` (which requires a
    /// gradient whenever this output does); `dx` is the input's gradient.
    public func recordBackward(from input: Tensor,
                               _ backward: @escaping (_ dy: UnsafeMutablePointer<Float>, _ dx: UnsafeMutablePointer<Float>) -> Void) {
        guard requiresGrad, let tape else { return }
        let inputGradient = input.gradient
        tape.record(gradient) { dy in backward(dy, inputGradient.pointer) }
    }

    /// This tensor's gradient when it requires one, for adjoints of several inputs.
    public var gradientIfRequired: Gradient? { requiresGrad ? gradient : nil }

    /// Throws unless this tensor has exactly `shape`.
    func expectShape(_ shape: [Int], _ operation: String) throws {
        guard self.shape == shape else {
            throw TensorError.shapeMismatch(operation: operation, expected: shape, found: self.shape)
        }
    }

    /// Throws unless this tensor has `rank` axes.
    func expectRank(_ rank: Int, _ operation: String) throws {
        guard shape.count == rank else {
            throw TensorError.invalidArgument(operation: operation, message: "expected a rank-\(rank) tensor, found shape \(shape)")
        }
    }
}
