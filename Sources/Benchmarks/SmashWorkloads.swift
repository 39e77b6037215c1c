import Autodiff
import DatasetIO
import NN
import Randomness
import SMASH

/// A SMASH configuration to time: a search space, a HyperNet, an input, and the sampling state.
public struct SmashWorkload: Sendable {
    /// The name inside record names, e.g. `v1_fmnist` in `smash_step_v1_fmnist_b50`.
    public var name: String
    /// The architectures sampled.
    public var space: SearchSpace
    /// The HyperNet's size.
    public var hyperNet: HyperNetConfiguration
    /// Image shape and classes (images and labels are random).
    public var input: NetworkInput
    /// Sample as at the start of annealed training (budget ceiling 0.5, 3x3 kernels).
    public var annealedStart: Bool

    /// The presets scaled for Fashion-MNIST (1x28x28, 10 classes).
    public static func fashionMNIST(_ space: SearchSpace) -> SmashWorkload {
        SmashWorkload(name: space.name.replacingOccurrences(of: "-", with: "_"), space: space, hyperNet: .standard,
                      input: NetworkInput(channels: 1, height: 28, width: 28, classes: 10), annealedStart: false)
    }

    /// The authors' code defaults (N 8, Nmax 64, D 2, one conv per op with variable kernel,
    /// dilation and groups, bottleneck ratio up to 4 capped at 128, 3x3 HyperNet compressions,
    /// 3x32x32 input, 100 classes), at the end of annealing, at its start, or with the op array.
    public static func reference(_ variant: String) -> SmashWorkload {
        var space = SearchSpace.v2CIFAR
        space.name = "ref"
        space.skeleton.bottleneck = .reference
        space.skeleton.bottleneckRatio = 4
        space.skeleton.maxBottleneckChannels = 128
        space.skeleton.maxDilation = 3
        space.skeleton.structure = variant == "varop_end" ? .array : .single
        var hyperNet = HyperNetConfiguration.standard
        hyperNet.compressionKernel = 3
        return SmashWorkload(name: "ref_\(variant)", space: space, hyperNet: hyperNet,
                             input: NetworkInput(channels: 3, height: 32, width: 32, classes: 100), annealedStart: variant == "start")
    }

    func makeNetwork() throws -> SmashNetwork {
        var generator = SeededGenerator(seed: 0)
        return try SmashNetwork(skeleton: space.skeleton, hyperNet: hyperNet, inputChannels: input.channels, classes: input.classes,
                                using: &generator)
    }

    func randomBatch(_ count: Int, seed: UInt64) -> (Tensor, [Int32]) {
        var generator = SeededGenerator(seed: seed)
        let images = Tensor.randomNormal(shape: [count, input.channels, input.height, input.width], using: &generator)
        return (images, (0..<count).map { _ in Int32(generator.int(below: input.classes)) })
    }

    /// Mean SMASH training step over `samples` seeded architectures (after `warmup` untimed
    /// steps) at batch `batch`, with its breakdown: HyperNet forward and backward (timed again on
    /// its own), main network forward and backward, and bookkeeping (sampling, encoding, Adam).
    public func measureStep(batch: Int = 50, samples: Int, warmup: Int = 2, clock: BenchmarkClock = .wall) throws -> [BenchmarkRecord] {
        let network = try makeNetwork()
        let options = SmashTrainingOptions(epochs: 1, annealing: Annealing(budget: annealedStart, kernel: annealedStart))
        let stepper = try SmashStepper(network: network, space: space, options: options, totalSteps: 1_000_000)
        let (images, labels) = randomBatch(batch, seed: 1)
        for _ in 0..<warmup { _ = try stepper.train(images: images, labels: labels) }
        var timings = StepTimings()
        var (total, hyperNet) = (0.0, 0.0)
        for _ in 0..<samples {
            let (encoding, noise) = try hyperNetInput(network, stepper.architecture(forStep: stepper.step))
            let start = clock.now()
            _ = try stepper.train(images: images, labels: labels, timings: &timings)
            let middle = clock.now()
            try runHyperNet(network, encoding: encoding, noise: noise)
            total += Double(middle - start) / 1e6
            hyperNet += Double(clock.now() - middle) / 1e6
        }
        let (step, hyper) = (total / Double(samples), hyperNet / Double(samples))
        let bookkeeping = step * (timings.sampling + timings.update) / timings.total
        let prefix = "smash_step_\(name)_b\(batch)"
        return [
            BenchmarkRecord(name: prefix, ms: step, imagesPerSecond: Double(batch) / step * 1e3),
            BenchmarkRecord(name: "\(prefix).hypernet", ms: hyper),
            BenchmarkRecord(name: "\(prefix).main", ms: step - hyper - bookkeeping),
            BenchmarkRecord(name: "\(prefix).bookkeeping", ms: bookkeeping),
        ]
    }

    /// The encoding of `architecture` and seeded noise: made outside the timed HyperNet pass, since
    /// the step's bookkeeping already counts them.
    private func hyperNetInput(_ network: SmashNetwork, _ architecture: Architecture) throws -> (Tensor, Tensor) {
        var generator = SeededGenerator(seed: 2)
        let encoding = try network.encoder.encode(architecture)
        return (encoding, network.noise(columns: encoding.shape[3], using: &generator))
    }

    /// One HyperNet forward and backward pass, as in a training step.
    private func runHyperNet(_ network: SmashNetwork, encoding: Tensor, noise: Tensor) throws {
        let tape = Tape()
        let matrix = try tape.record { try network.generate(encoding: encoding, noise: noise) }
        try tape.backward(from: matrix, gradient: [Float](repeating: 1e-3, count: matrix.count))
        network.hyperNet.parameters.forEach { $0.tensor.clearGrad() }
    }

    /// Mean time to score one architecture on `images` random images at batch 100, over `samples`
    /// seeded architectures.
    public func measureScore(images: Int = 5000, samples: Int, clock: BenchmarkClock = .wall) throws -> BenchmarkRecord {
        let network = try makeNetwork()
        let sampler = try ArchitectureSampler(space: space)
        let scorer = try SmashScorer(network: network)
        let (pixels, labels) = randomBatch(images, seed: 3)
        let dataset = try Dataset(images: pixels.values, labels: labels, shape: ImageShape(channels: input.channels, height: input.height,
                                  width: input.width), classNames: (0..<input.classes).map { "\($0)" }, source: "random")
        var milliseconds = 0.0
        for index in 0..<samples {
            var generator = SeededGenerator(seed: UInt64(index))
            let architecture = sampler.sample(using: &generator)
            let start = clock.now()
            _ = try scorer.score(architecture, on: dataset, seed: 0)
            milliseconds += Double(clock.now() - start) / 1e6
        }
        let ms = milliseconds / Double(samples)
        return BenchmarkRecord(name: "smash_score_\(name)_\(images / 1000)k", ms: ms, imagesPerSecond: Double(images) / ms * 1e3)
    }

    /// Mean training step (SGD, Nesterov momentum 0.9, weight decay 1e-4) of resulting networks of
    /// `samples` seeded architectures at batch `batch`, and the implied seconds per epoch of
    /// `epochImages` images (as `ms` of a second record, `retrain_epoch_<name>`).
    public func measureRetrain(batch: Int = 50, samples: Int, steps: Int, epochImages: Int = 55_000,
                               clock: BenchmarkClock = .wall) throws -> [BenchmarkRecord] {
        let sampler = try ArchitectureSampler(space: space)
        let (images, labels) = randomBatch(batch, seed: 4)
        var milliseconds = 0.0
        for index in 0..<samples {
            var generator = SeededGenerator(seed: UInt64(100 + index))
            let network = try ResultingNetwork(architecture: sampler.sample(using: &generator), input: input, using: &generator)
            let sgd = SGD([ParameterGroup(network.parameters, weightDecay: 1e-4)], learningRate: 0.1, momentum: 0.9, nesterov: true)
            milliseconds += try medianMilliseconds(repetitions: steps, warmup: 1, clock: clock) {
                let tape = Tape()
                let loss = try tape.record { try network(images, training: true).softmaxCrossEntropy(labels: labels) }
                try tape.backward(from: loss)
                sgd.step()
                sgd.clearGradients()
            }
        }
        let step = milliseconds / Double(samples)
        return [
            BenchmarkRecord(name: "retrain_step_\(name)_b\(batch)", ms: step, imagesPerSecond: Double(batch) / step * 1e3),
            BenchmarkRecord(name: "retrain_epoch_\(name)_\(epochImages / 1000)k", ms: step * Double(epochImages / batch)),
        ]
    }
}

extension SmashWorkload {
    /// Runs the SMASH workloads `selected` accepts, handing each record to `report` as it is
    /// measured: per Fashion-MNIST preset the step (batch 50) with its breakdown, the implied
    /// SMASH epoch over 55k images (`smash_epoch_<preset>_55k`), scoring one architecture on 5k
    /// images, and a resulting network's training step and epoch; with `reference`, the authors'
    /// default configuration at the end and start of annealing and with the op array, and its
    /// score. `quick` takes fewer samples.
    public static func measureAll(quick: Bool, reference: Bool, clock: BenchmarkClock, selected: (String) -> Bool,
                                  report: (BenchmarkRecord) -> Void) throws {
        let samples = quick ? 4 : 20
        for space in [SearchSpace.v1FashionMNIST, .v2FashionMNIST] {
            let workload = SmashWorkload.fashionMNIST(space)
            if selected("smash_step_\(workload.name)_b50") {
                let records = try workload.measureStep(samples: samples, clock: clock)
                records.forEach(report)
                report(BenchmarkRecord(name: "smash_epoch_\(workload.name)_55k", ms: records[0].ms * 1100))
            }
            if selected("smash_score_\(workload.name)_5k") {
                report(try workload.measureScore(samples: quick ? 1 : 3, clock: clock))
            }
            if selected("retrain_step_\(workload.name)_b50") {
                try workload.measureRetrain(samples: quick ? 1 : 5, steps: quick ? 2 : 5, clock: clock).forEach(report)
            }
        }
        guard reference else { return }
        for variant in ["end", "start", "varop_end"] where selected("smash_step_ref_\(variant)_b50") {
            try SmashWorkload.reference(variant).measureStep(samples: quick ? 3 : 20, clock: clock).forEach(report)
        }
        if selected("smash_score_ref_5k") {
            var record = try SmashWorkload.reference("end").measureScore(samples: quick ? 1 : 3, clock: clock)
            record.name = "smash_score_ref_5k"
            report(record)
        }
    }
}
