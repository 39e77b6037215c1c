import Autodiff
import DatasetIO
import Foundation
import NN
import Randomness
import Testing
@testable import SMASH

/// SMASH training: steps, epochs, exact resume, and learning on real data.
@Suite struct TrainingTests {
    /// A random 3-class dataset of 8x8 images whose class sets the mean brightness.
    static func synthetic(count: Int, seed: UInt64) throws -> Dataset {
        var generator = SeededGenerator(seed: seed)
        var images: [Float] = [], labels: [Int32] = []
        for index in 0..<count {
            let label = index % 3
            images += (0..<64).map { _ in Float(label) - 1 + 0.5 * generator.normal() }
            labels.append(Int32(label))
        }
        return try Dataset(images: images, labels: labels, shape: ImageShape(channels: 1, height: 8, width: 8),
                           classNames: ["a", "b", "c"], source: "synthetic")
    }

    func trainer(epochs: Int, seed: UInt64) throws -> SmashTrainer {
        let iterator = try BatchIterator(dataset: try Self.synthetic(count: 40, seed: 1), batchSize: 10, seed: 3)
        let options = SmashTrainingOptions(epochs: epochs, annealing: Annealing(budget: true, kernel: true), validationBatchSize: 10, seed: 4)
        return try SmashTrainer(network: Tiny.network(seed: seed), space: Tiny.space, options: options, iterator: iterator,
                                validation: try Self.synthetic(count: 20, seed: 2))
    }

    @Test func resumingFromACheckpointContinuesExactly() throws {
        let straight = try trainer(epochs: 2, seed: 7)
        let records = try straight.train()
        #expect(records.count == 2 && records.allSatisfy { $0.validationError != nil })

        let first = try trainer(epochs: 2, seed: 7)
        var reports: [SmashProgress] = []
        first.progressInterval = 1
        _ = try first.runEpoch { reports.append($0) }
        #expect(reports.count == 5 && reports.last?.finishedEpoch?.epoch == 0 && reports[3].step == 4)
        let saved = try JSONEncoder().encode(first.checkpoint())
        let resumed = try trainer(epochs: 2, seed: 99)  // other initial weights, overwritten by the checkpoint
        try resumed.restore(try JSONDecoder().decode(SmashCheckpoint.self, from: saved))
        #expect(try resumed.train().count == 2)
        #expect(StateDict(resumed.network.state) == StateDict(straight.network.state))
        #expect(StateDict(resumed.stepper.optimizer.state) == StateDict(straight.stepper.optimizer.state))
        #expect(resumed.history.map(\.validationError) == straight.history.map(\.validationError))
        #expect(resumed.history.map(\.trainLoss) == straight.history.map(\.trainLoss))
    }

    @Test func mismatchedCheckpointsAreRejected() throws {
        let trainer = try trainer(epochs: 1, seed: 1)
        var checkpoint = trainer.checkpoint()
        checkpoint.network.entries.removeLast()
        #expect(throws: SMASHError.self) { try trainer.restore(checkpoint) }
        checkpoint = trainer.checkpoint()
        checkpoint.step = -1
        #expect(throws: SMASHError.self) { try trainer.restore(checkpoint) }
        var options = SmashTrainingOptions(epochs: 0)
        #expect(throws: SMASHError.self) { try options.validate() }
        options = SmashTrainingOptions(epochs: 1, optimizer: SmashOptimizerSettings(learningRate: -1, beta1: 0.5, beta2: 0.999, epsilon: 1e-4,
                                                                                   weightDecay: 0, hyperNetWeightDecay: 0))
        #expect(throws: SMASHError.self) { try options.validate() }
    }

    @Test func stepsUseTheScheduleAndSeededArchitectures() throws {
        let network = try Tiny.network()
        let stepper = try SmashStepper(network: network, space: Tiny.space, options: SmashTrainingOptions(epochs: 1, seed: 5), totalSteps: 10)
        #expect(stepper.architecture(forStep: 3) == stepper.architecture(forStep: 3))
        #expect(stepper.architecture(forStep: 3) != stepper.architecture(forStep: 4))
        let (images, labels) = Tiny.batch(6)
        var timings = StepTimings()
        let result = try stepper.train(images: images, labels: labels, timings: &timings)
        #expect(result.count == 6 && result.loss.isFinite && stepper.step == 1)
        #expect(timings.total > 0 && timings.generation > 0 && timings.backward > 0)
        #expect(stepper.optimizer.learningRate == 1e-3)
        _ = try stepper.train(images: images, labels: labels)
        #expect(abs(stepper.optimizer.learningRate - 1e-3 * Float(0.5 * (1 + cos(Double.pi / 10)))) < 1e-9)
        #expect(throws: SMASHError.self) {
            try SmashStepper(network: network, space: .v1FashionMNIST, options: SmashTrainingOptions(epochs: 1), totalSteps: 10)
        }
    }
}

/// A SMASH network trained briefly on a Fashion-MNIST subset (resized to 14x14 to stay fast),
/// shared by the tests that need one.
enum TrainedOnFashion {
    static let space: SearchSpace = {
        var space = SearchSpace.v1FashionMNIST
        space.blockBudgetChannels = [32, 64, 128]
        return space
    }()

    struct Run {
        let network: SmashNetwork
        let validation: Dataset
        let initialError: Double
        let finalError: Double
    }

    nonisolated(unsafe) static let run = Result { () throws -> Run in
        let splits = try FashionMNIST.loaded.get().splits(SplitOptions(validationCount: 5000, seed: 0, trainPerClass: 400,
                                                                        validationPerClass: 50, resize: ResizeTarget(height: 14, width: 14)))
        var generator = SeededGenerator(seed: 0)
        let network = try SmashNetwork(skeleton: space.skeleton, hyperNet: .crippled, inputChannels: 1, classes: 10, using: &generator)
        var optimizer = SmashOptimizerSettings.reference
        optimizer.learningRate = 1e-2  // a short run learns faster with a larger step than the default 1e-3
        let options = SmashTrainingOptions(epochs: 3, optimizer: optimizer, validationBatches: 5, seed: 1)
        let trainer = try SmashTrainer(network: network, space: space, options: options,
                                       iterator: try BatchIterator(dataset: splits.train, batchSize: 40, seed: 2), validation: splits.validation)
        let initial = try #require(try trainer.validate(epoch: 0)).error
        let records = try trainer.train()
        return Run(network: network, validation: splits.validation, initialError: initial, finalError: records.last?.validationError ?? 1)
    }
}

@Suite struct FashionTrainingTests {
    @Test(.enabled(if: FashionMNIST.present, "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); skipped"))
    func validationErrorFallsWithTraining() throws {
        let run = try TrainedOnFashion.run.get()
        #expect(run.initialError > 0.7)
        #expect(run.finalError < 0.45, "validation error \(run.initialError) at init, \(run.finalError) after 300 steps")
    }
}
