/// Records differentiable operations in the order they ran, so that `backward` can replay their
/// adjoints in reverse.
///
/// A training step creates one tape, runs the forward pass inside `record` and calls
/// `backward(from:)` on the loss. The tape keeps operations' gradients, not their outputs, and an
/// adjoint keeps only the values it reads (a convolution's input, a ReLU's output), so the
/// forward pass frees every intermediate its backward pass will not read. Backward consumes the
/// tape: once an operation's adjoint has run, its gradient buffer and the values it kept are
/// freed. Peak memory is then about the values the backward pass reads plus the gradients in
/// flight. Leaves (parameters and inputs created with `requiresGrad`) keep their gradients.
/// Outside `record` nothing is recorded, so evaluation builds no graph.
///
/// ```swift
/// let tape = Tape()
/// let loss = try tape.record { try model(x).softmaxCrossEntropy(labels: y) }
/// try tape.backward(from: loss)
/// ```
///
/// A tape belongs to the thread that records on it; that is why it may be the task-local current
/// tape although it is a mutable class.
public final class Tape: @unchecked Sendable {
    /// The tape operations record on, set by `record`.
    @TaskLocal public static var current: Tape?

    private var entries: [(output: Gradient, backward: (UnsafeMutablePointer<Float>) -> Void)] = []

    public init() {}

    /// Runs `body` with this tape recording every operation that has an input requiring a gradient.
    public func record<R>(_ body: () throws -> R) rethrows -> R {
        try Tape.$current.withValue(self, operation: body)
    }

    /// The number of recorded operations.
    public var count: Int { entries.count }

    /// Records `backward`, which reads the output's gradient (its argument) and accumulates into
    /// its inputs' gradients.
    public func record(_ output: Gradient, _ backward: @escaping (_ outputGradient: UnsafeMutablePointer<Float>) -> Void) {
        entries.append((output, backward))
    }

    /// Back-propagates from a one-element `loss`, seeding its gradient with `seed`.
    /// - Throws: `TensorError.invalidArgument` if `loss` has more than one element or is not on
    ///   this tape.
    public func backward(from loss: Tensor, seed: Float = 1) throws {
        guard loss.count == 1 else {
            throw TensorError.invalidArgument(operation: "backward", message: "the loss must have one element, found shape \(loss.shape)")
        }
        try backward(from: loss, gradient: [seed])
    }

    /// Back-propagates from `output` with the given output gradient (row-major, same count), then
    /// empties the tape; recorded tensors that outlive it hold no gradient.
    public func backward(from output: Tensor, gradient: [Float]) throws {
        guard output.tape === self else {
            throw TensorError.invalidArgument(operation: "backward", message: "the output \(output.shape) was not recorded on this tape")
        }
        guard gradient.count == output.count else {
            throw TensorError.shapeMismatch(operation: "backward", expected: output.shape, found: [gradient.count])
        }
        let target = output.grad
        for i in 0..<output.count { target[i] += gradient[i] }
        while let entry = entries.popLast() {
            if entry.output.isAllocated { entry.backward(entry.output.pointer) }
            entry.output.release()
        }
    }
}
