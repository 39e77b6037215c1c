import Autodiff
import Kernels

/// Stochastic gradient descent with momentum (optionally Nesterov) and per-group L2 weight decay,
/// with PyTorch's update rule: g ← g + λp; b ← μb + g; p ← p − lr·(g + μb if Nesterov, else b).
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let groups: [ParameterGroup]
    private let velocities: [NamedTensor]
    /// 1 once a parameter's velocity holds a value (the first step sets it to the gradient).
    private let started: Tensor

    public init(_ groups: [ParameterGroup], learningRate: Float, momentum: Float = 0.9, nesterov: Bool = true) {
        self.groups = groups
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        velocities = SGD.makeSlots(groups, prefix: "momentum_buffer")
        started = Tensor(shape: [velocities.count])
    }

    public var state: [NamedTensor] { velocities + [NamedTensor("started", started)] }

    public func step() {
        forEachParameterWithGradient { parameter, weightDecay, index in
            let first = started.data[index] == 0
            started.data[index] = 1
            sgdUpdate(parameter.data, gradient: parameter.grad, velocity: velocities[index].tensor.data, count: parameter.count,
                      learningRate: learningRate, momentum: momentum, weightDecay: weightDecay, nesterov: nesterov, first: first)
        }
    }
}
