import DatasetIO
import Foundation
import NN
import Testing
@testable import Training

/// A run stopped mid-epoch and resumed from its last epoch checkpoint ends exactly where an
/// uninterrupted run ends, bit for bit, for a given thread count. The count is pinned per run
/// (`threads`), so tests changing the process-wide count meanwhile do not interfere. (Runs with
/// different thread counts differ in the last bits: sums split over threads round differently.)
@Suite struct ResumeTests {
    let folder = TemporaryFolder()

    func configuration(threads: Int = 1) -> TrainingConfiguration {
        TrainingConfiguration(epochs: 3, batchSize: 8, learningRate: 0.05, weightDecay: 5e-4,
                              augmentation: Augmentation(padding: 1, horizontalFlip: true), seed: 3, threads: threads)
    }

    func data() throws -> TrainingData {
        // 50 examples in batches of 8: six full batches and a last one of 2.
        TrainingData(train: try Synthetic.images(count: 50, classes: 4, seed: 1),
                     validation: try Synthetic.images(count: 20, classes: 4, seed: 2))
    }

    @Test(arguments: [1, 2])
    func resumedRunMatchesUninterruptedRunBitForBit(threads: Int) throws {
        let data = try data()
        let uninterrupted = try Trainer(model: try Synthetic.wideResNet(classes: 4), data: data,
                                        configuration: configuration(threads: threads)).train()

        // Stop after 3 batches of epoch 2: the folder keeps the checkpoint of epoch 1 only.
        let checkpoints = folder.checkpoints("run-\(threads)")
        let stopping = TrainingCallbacks(onBatch: { progress in
            if progress.epoch == 2 && progress.batch == 3 { throw StopRequested() }
        })
        #expect(throws: StopRequested.self) {
            try Trainer(model: try Synthetic.wideResNet(classes: 4), data: data, configuration: configuration(threads: threads))
                .train(checkpoints: checkpoints, callbacks: stopping)
        }
        #expect(try checkpoints.load()?.epoch == 1)

        // A fresh process would build the model from another seed: the checkpoint must overwrite it.
        let resumed = try Trainer(model: try Synthetic.wideResNet(classes: 4, seed: 99), data: data,
                                  configuration: configuration(threads: threads)).train(checkpoints: checkpoints)
        #expect(resumed.resumedFromEpoch == 1)
        #expect(resumed.weights.entries.count == uninterrupted.weights.entries.count)
        #expect(resumed.weights.entries.map(\.name) == uninterrupted.weights.entries.map(\.name))
        let differing = zip(resumed.weights.entries, uninterrupted.weights.entries).filter { $0.values != $1.values }
        #expect(differing.isEmpty, "tensors differing after resume: \(differing.map(\.0.name))")
        #expect(resumed.history.epochs.map(\.trainLoss) == uninterrupted.history.epochs.map(\.trainLoss))
        #expect(resumed.history.epochs.map(\.validation) == uninterrupted.history.epochs.map(\.validation))
        #expect(resumed.validation == uninterrupted.validation)
        #expect(try checkpoints.load()?.epoch == 3)
    }

    @Test func anotherSeedGivesOtherWeights() throws {
        let data = try data()
        var other = configuration()
        other.seed = 4
        let a = try Trainer(model: try Synthetic.wideResNet(classes: 4), data: data, configuration: configuration()).train()
        let b = try Trainer(model: try Synthetic.wideResNet(classes: 4), data: data, configuration: other).train()
        #expect(a.weights != b.weights)
    }

    @Test func finishedCheckpointOnlyReevaluates() throws {
        let data = try data()
        let checkpoints = folder.checkpoints("finished")
        var short = configuration()
        short.epochs = 1
        let first = try Trainer(model: try Synthetic.wideResNet(classes: 4), data: data, configuration: short)
            .train(checkpoints: checkpoints)
        var batches = 0
        let again = try Trainer(model: try Synthetic.wideResNet(classes: 4, seed: 5), data: data, configuration: short)
            .train(checkpoints: checkpoints, callbacks: TrainingCallbacks(onBatch: { _ in batches += 1 }))
        #expect(batches == 0)
        #expect(again.resumedFromEpoch == 1)
        #expect(again.weights == first.weights)
        #expect(again.history == first.history)
    }
}
