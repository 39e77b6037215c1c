import Foundation
import Autodiff
import Kernels

/// Adam (Kingma & Ba) with bias correction and per-group L2 weight decay added to the gradient.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let groups: [ParameterGroup]
    private let firstMoments: [NamedTensor]
    private let secondMoments: [NamedTensor]
    /// Steps taken per parameter (parameters without a gradient in a step do not advance).
    private let steps: Tensor

    public init(_ groups: [ParameterGroup], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8) {
        self.groups = groups
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoments = Adam.makeSlots(groups, prefix: "exp_avg")
        secondMoments = Adam.makeSlots(groups, prefix: "exp_avg_sq")
        steps = Tensor(shape: [firstMoments.count])
    }

    public var state: [NamedTensor] { firstMoments + secondMoments + [NamedTensor("step", steps)] }

    public func step() {
        forEachParameterWithGradient { parameter, weightDecay, index in
            steps.data[index] += 1
            let t = steps.data[index]
            let correction1 = 1 - Float.pow(beta1, t), correction2 = 1 - Float.pow(beta2, t)
            let step = AdamStep(stepSize: learningRate / correction1, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                inverseRootCorrection: 1 / correction2.squareRoot(), weightDecay: weightDecay)
            adamUpdate(parameter.data, gradient: parameter.grad, firstMoment: firstMoments[index].tensor.data,
                       secondMoment: secondMoments[index].tensor.data, count: parameter.count, step)
        }
    }
}

extension Float {
    static func pow(_ base: Float, _ exponent: Float) -> Float {
        Float(Foundation.pow(Double(base), Double(exponent)))
    }
}
