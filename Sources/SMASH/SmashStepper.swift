import Autodiff
import Dispatch
import NN
import Randomness

/// Wall time spent in each part of SMASH training steps, in seconds, summed over steps.
public struct StepTimings: Sendable, Hashable {
    /// Sampling the architecture, encoding it and drawing the noise.
    public var sampling: Double = 0
    /// The HyperNet's forward pass and the rearrangement into the weight matrix.
    public var generation: Double = 0
    /// The main network's forward pass and the loss.
    public var mainForward: Double = 0
    /// Back-propagation through the main network and the HyperNet.
    public var backward: Double = 0
    /// The Adam update and clearing gradients.
    public var update: Double = 0

    public init() {}

    /// The sum of all parts.
    public var total: Double { sampling + generation + mainForward + backward + update }
}

/// The outcome of one training step.
public struct StepResult: Sendable, Hashable {
    /// Mean cross-entropy over the batch.
    public var loss: Float
    /// Misclassified images.
    public var errors: Int
    /// Images in the batch.
    public var count: Int
}

/// Trains a SMASH network one step at a time (paper Algorithm 1): each step samples a random
/// architecture, encodes it, generates its 1x1 weights with fresh noise, runs the main network on
/// the batch, back-propagates through both networks and takes an Adam step, with the learning rate
/// on a per-iteration cosine schedule.
///
/// Everything random in step `s` (the architecture and the noise) derives from the options' seed
/// and `s`, so a run resumed at step `s` continues exactly.
public final class SmashStepper {
    public let network: SmashNetwork
    public let sampler: ArchitectureSampler
    public let options: SmashTrainingOptions
    public let optimizer: Adam
    public let schedule: CosineSchedule
    /// Steps the whole run takes (the cosine schedule's and the annealing's length).
    public let totalSteps: Int
    /// The next step's index.
    public var step = 0

    /// A stepper for `network` sampling from `space` (whose skeleton must be the network's).
    public init(network: SmashNetwork, space: SearchSpace, options: SmashTrainingOptions, totalSteps: Int) throws(SMASHError) {
        try options.validate()
        guard space.skeleton == network.skeleton else {
            throw .skeletonMismatch(expected: space.name, found: space.skeleton.firstDifference(from: network.skeleton) ?? "another skeleton")
        }
        guard totalSteps >= 1 else { throw .invalidOption(name: "totalSteps", found: "\(totalSteps)", expected: "at least 1") }
        self.network = network
        sampler = try ArchitectureSampler(space: space)
        self.options = options
        self.totalSteps = totalSteps
        let settings = options.optimizer
        optimizer = Adam([ParameterGroup(network.mainParameters, weightDecay: settings.weightDecay),
                          ParameterGroup(network.hyperNetParameters, weightDecay: settings.hyperNetWeightDecay)],
                         learningRate: settings.learningRate, beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon)
        schedule = CosineSchedule(baseLearningRate: settings.learningRate, totalSteps: totalSteps)
    }

    /// The sampling limits at `step` (the annealing's, or none).
    public func limits(atStep step: Int) -> SamplingLimits {
        options.annealing.limits(step: step, totalSteps: totalSteps, space: sampler.space)
    }

    /// The architecture step `step` trains.
    public func architecture(forStep step: Int) -> Architecture {
        var generator = SeededGenerator(seed: options.seed).derived("architecture \(step)")
        return sampler.sample(using: &generator, limits: limits(atStep: step))
    }

    /// One training step on a batch [n, c, h, w] with its labels.
    public func train(images: Tensor, labels: [Int32]) throws -> StepResult {
        var timings = StepTimings()
        return try train(images: images, labels: labels, timings: &timings)
    }

    /// One training step on a batch [n, c, h, w] with its labels, adding its timings to `timings`.
    public func train(images: Tensor, labels: [Int32], timings: inout StepTimings) throws -> StepResult {
        var clock = DispatchTime.now().uptimeNanoseconds
        func lap(_ part: WritableKeyPath<StepTimings, Double>) {
            let now = DispatchTime.now().uptimeNanoseconds
            timings[keyPath: part] += Double(now - clock) / 1e9
            clock = now
        }
        optimizer.learningRate = schedule.learningRate(atStep: step)
        let architecture = self.architecture(forStep: step)
        let encoding = try network.encoder.encode(architecture)
        var noiseGenerator = SeededGenerator(seed: options.seed).derived("noise \(step)")
        let noise = network.noise(columns: encoding.shape[3], using: &noiseGenerator)
        lap(\.sampling)
        let tape = Tape()
        let (loss, logits) = try tape.record { () throws -> (Tensor, Tensor) in
            let matrix = try network.generate(encoding: encoding, noise: noise)
            lap(\.generation)
            let logits = try network(images, architecture: architecture, matrix: matrix, training: true)
            return (try logits.softmaxCrossEntropy(labels: labels), logits)
        }
        lap(\.mainForward)
        try tape.backward(from: loss)
        lap(\.backward)
        optimizer.step()
        optimizer.clearGradients()
        step += 1
        lap(\.update)
        return StepResult(loss: loss.scalar, errors: try logits.mistakes(labels: labels), count: labels.count)
    }
}
