import DatasetIO
import Foundation
import NN
import Testing
@testable import Training

/// The repository's dataset catalog, found from this file's path.
let repositoryCatalog = DatasetCatalog(folder: URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Datasets").path)

/// Whether Fashion-MNIST is installed on this machine.
let fashionPresent = (try? repositoryCatalog.descriptor(named: "fashion-mnist").locate()) != nil

@Suite struct RealDataLearningTests {
    @Test(.enabled(if: fashionPresent, "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); skipped"))
    func smallWideResNetLearnsFashionMNIST() throws {
        let loaded = try repositoryCatalog.descriptor(named: "fashion-mnist").resolve().load()
        let splits = try loaded.splits(SplitOptions(validationCount: 5000, seed: 0, trainPerClass: 100,
                                                    validationPerClass: 30, testPerClass: 30))
        // Many small steps learn fastest per image seen: 2 epochs of 63 batches of 16.
        let configuration = TrainingConfiguration(epochs: 2, batchSize: 16, learningRate: 0.05,
                                                  evaluateTestEachEpoch: true, threads: 1)
        let trainer = try Trainer(model: try Synthetic.wideResNet(classes: 10), data: TrainingData(splits),
                                  configuration: configuration)
        var progress: [TrainingProgress] = []
        let result = try trainer.train(callbacks: TrainingCallbacks(onBatch: { progress.append($0) }))
        let validation = try #require(result.validation), test = try #require(result.test)
        // Chance is 90% error; two short epochs on 1,000 images get to about 30%.
        let lines = result.history.epochs.map { $0.line(of: 2) }
        #expect(validation.error < 0.5, "validation error \(validation.error): \(lines)")
        #expect(test.error < 0.5, "test error \(test.error): \(lines)")
        #expect(validation.examples == 300 && test.examples == 300)
        #expect(result.history.epochs.count == 2)
        #expect(result.history.epochs[1].trainLoss < result.history.epochs[0].trainLoss)
        #expect(result.parameterCount == trainer.model.parameterCount && result.parameterCount > 50_000)
        #expect(result.imagesPerSecond > 0)
        // Progress reaches the end, and the fraction only grows.
        #expect(progress.count == 126 && progress.last?.fraction == 1)
        #expect(zip(progress, progress.dropFirst()).allSatisfy { $0.fraction < $1.fraction })
    }
}
