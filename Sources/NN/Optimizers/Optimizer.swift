import Autodiff

/// Parameters that share optimiser settings (for example, no weight decay on batch-norm scales).
public struct ParameterGroup {
    public var parameters: [NamedTensor]
    /// L2 penalty coefficient added to the gradient.
    public var weightDecay: Float

    public init(_ parameters: [NamedTensor], weightDecay: Float = 0) {
        self.parameters = parameters
        self.weightDecay = weightDecay
    }
}

/// An optimiser updates parameters from their gradients, one step at a time.
public protocol Optimizer: AnyObject {
    /// The learning rate of the next step; schedules set it before each step.
    var learningRate: Float { get set }
    /// The parameter groups, in order.
    var groups: [ParameterGroup] { get }
    /// Updates every parameter that has a gradient. Parameters without one are left untouched.
    func step()
    /// Internal state (moments, step count) as named tensors, for checkpoints.
    var state: [NamedTensor] { get }
}

extension Optimizer {
    /// Drops every parameter's gradient (see `Tensor.clearGrad`).
    public func clearGradients() {
        for group in groups {
            for parameter in group.parameters { parameter.tensor.clearGrad() }
        }
    }

    /// Calls `body` with each parameter that has a gradient, its group's weight decay and its
    /// index among all parameters.
    func forEachParameterWithGradient(_ body: (Tensor, Float, Int) -> Void) {
        var index = 0
        for group in groups {
            for parameter in group.parameters {
                if parameter.tensor.hasGrad { body(parameter.tensor, group.weightDecay, index) }
                index += 1
            }
        }
    }

    /// One zeroed buffer per parameter, named `prefix.<parameter name>`.
    static func makeSlots(_ groups: [ParameterGroup], prefix: String) -> [NamedTensor] {
        groups.flatMap(\.parameters).map { NamedTensor("\(prefix).\($0.name)", Tensor(shape: $0.tensor.shape)) }
    }
}
