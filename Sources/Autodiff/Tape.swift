/// Records differentiable operations in the order they ran, so that `backward` can replay their
/// adjoints in reverse.
///
/// A training step creates one tape, runs the forward pass inside `record`, calls
/// `backward(from:)` on the loss, and lets the tape go: dropping the tape frees every intermediate
/// tensor it kept alive. Outside `record` nothing is recorded, so evaluation builds no graph.
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

    private var entries: [(output: Tensor, backward: () -> Void)] = []

    public init() {}

    /// Runs `body` with this tape recording every operation that has an input requiring a gradient.
    public func record<R>(_ body: () throws -> R) rethrows -> R {
        try Tape.$current.withValue(self, operation: body)
    }

    /// The number of recorded operations.
    public var count: Int { entries.count }

    /// Records `backward`, which reads `output.grad` and accumulates into its inputs' gradients.
    public func record(_ output: Tensor, _ backward: @escaping () -> Void) {
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

    /// Back-propagates from `output` with the given output gradient (row-major, same count).
    public func backward(from output: Tensor, gradient: [Float]) throws {
        guard output.tape === self else {
            throw TensorError.invalidArgument(operation: "backward", message: "the output \(output.shape) was not recorded on this tape")
        }
        guard gradient.count == output.count else {
            throw TensorError.shapeMismatch(operation: "backward", expected: output.shape, found: [gradient.count])
        }
        let target = output.grad
        for i in 0..<output.count { target[i] += gradient[i] }
        for entry in entries.reversed() where entry.output.hasGrad {
            entry.backward()
        }
    }
}
