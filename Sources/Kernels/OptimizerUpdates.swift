/// The optimizers' elementwise updates of a parameter and its state, over the threads for long
/// parameters (`Parallelism.forEachSpan`): a SMASH step updates millions of weights, a pass over
/// memory like any other elementwise kernel.

/// The constants of one Adam step of one parameter.
public struct AdamStep: Sendable {
    /// lr / (1 − β1ᵗ).
    public var stepSize: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// 1 / √(1 − β2ᵗ).
    public var inverseRootCorrection: Float
    /// L2 weight decay λ, added to the gradient.
    public var weightDecay: Float

    public init(stepSize: Float, beta1: Float, beta2: Float, epsilon: Float, inverseRootCorrection: Float, weightDecay: Float) {
        self.stepSize = stepSize
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.inverseRootCorrection = inverseRootCorrection
        self.weightDecay = weightDecay
    }
}

/// One Adam step: g′ = g + λp; m = β1·m + (1 − β1)·g′; v = β2·v + (1 − β2)·g′²;
/// p −= stepSize · m / (√v · inverseRootCorrection + ε).
public func adamUpdate(_ p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, firstMoment m: UnsafeMutablePointer<Float>,
                       secondMoment v: UnsafeMutablePointer<Float>, count: Int, _ step: AdamStep) {
    let (b1, b2, decay) = (step.beta1, step.beta2, step.weightDecay)
    Parallelism.forEachSpan(count) { span in
        for i in span {
            let gi = g[i] + decay * p[i]
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * gi * gi
            p[i] -= step.stepSize * m[i] / (v[i].squareRoot() * step.inverseRootCorrection + step.epsilon)
        }
    }
}

/// One SGD step with momentum μ (PyTorch's rule): g′ = g + λp; b = g′ on the `first` step, else
/// μ·b + g′; p −= lr · (g′ + μ·b with `nesterov`, else b).
public func sgdUpdate(_ p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, velocity b: UnsafeMutablePointer<Float>,
                      count: Int, learningRate lr: Float, momentum mu: Float, weightDecay: Float, nesterov: Bool, first: Bool) {
    Parallelism.forEachSpan(count) { span in
        for i in span {
            let gi = g[i] + weightDecay * p[i]
            b[i] = first ? gi : mu * b[i] + gi
            p[i] -= lr * (nesterov ? gi + mu * b[i] : b[i])
        }
    }
}
