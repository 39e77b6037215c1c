import Autodiff
import DatasetIO
import Foundation
import NN
import Testing
@testable import Training

/// Every input a user can get wrong ends in a `TrainingError` that names the problem.
@Suite struct BadInputTests {
    func trainer(_ data: TrainingData, _ configuration: TrainingConfiguration, classes: Int = 3) throws -> Trainer {
        try Trainer(model: try Synthetic.wideResNet(classes: classes), data: data, configuration: configuration)
    }

    func data(count: Int = 12, classes: Int = 3, classNames: Int? = nil) throws -> Dataset {
        try Synthetic.images(count: count, classes: classes, classNames: classNames)
    }

    @Test func emptySplitsAreRefused() throws {
        let empty = try Synthetic.images(count: 0, classes: 3)
        let configuration = TrainingConfiguration(epochs: 1, batchSize: 4)
        #expect(throws: TrainingError.emptySplit(split: "train")) {
            try trainer(TrainingData(train: empty), configuration)
        }
        #expect(throws: TrainingError.emptySplit(split: "validation")) {
            try trainer(TrainingData(train: try data(), validation: empty), configuration)
        }
        #expect(throws: TrainingError.emptySplit(split: "test")) {
            try trainer(TrainingData(train: try data(), test: empty), configuration)
        }
    }

    @Test(arguments: [
        (TrainingConfiguration(epochs: 1, batchSize: 0), "batch size"),
        (TrainingConfiguration(epochs: 0), "epochs"),
        (TrainingConfiguration(epochs: -2), "epochs"),
        (TrainingConfiguration(epochs: 1, learningRate: 0), "learning rate"),
        (TrainingConfiguration(epochs: 1, learningRate: .nan), "learning rate"),
        (TrainingConfiguration(epochs: 1, weightDecay: -1), "weight decay"),
        (TrainingConfiguration(epochs: 1, optimizer: .sgd(momentum: 1)), "momentum"),
        (TrainingConfiguration(epochs: 1, evaluationBatchSize: 0), "evaluation batch size"),
        (TrainingConfiguration(epochs: 1, threads: 0), "threads"),
        (TrainingConfiguration(epochs: 1, augmentation: Augmentation(padding: 8)), "augmentation padding"),
        (TrainingConfiguration(epochs: 1, batchSize: 20, dropLastBatch: true), "batch size"),
    ])
    func invalidSettingsAreRefused(_ configuration: TrainingConfiguration, _ name: String) throws {
        #expect { try trainer(TrainingData(train: try data()), configuration) } throws: { error in
            guard case TrainingError.invalidSetting(let setting, _, _) = error else { return false }
            return setting == name
        }
    }

    @Test func labelsTheModelCannotPredictAreRefused() throws {
        // Labels 0..<5 (the dataset names 5 classes), a model with 3 outputs: example 3 has label 3.
        let wide = try data(count: 10, classes: 5)
        #expect(throws: TrainingError.labelOutOfRange(split: "train", index: 3, label: 3, classes: 3)) {
            try trainer(TrainingData(train: wide), TrainingConfiguration(epochs: 1))
        }
        #expect(throws: TrainingError.labelOutOfRange(split: "validation", index: 4, label: 4, classes: 4)) {
            try trainer(TrainingData(train: try data(classes: 4, classNames: 5), validation: wide),
                        TrainingConfiguration(epochs: 1), classes: 4)
        }
    }

    @Test func imagesOfAnotherShapeAreRefused() throws {
        let large = try Synthetic.images(count: 6, classes: 3, side: 10)
        #expect(throws: TrainingError.splitShapeMismatch(split: "test", expected: "1x8x8", found: "1x10x10")) {
            try trainer(TrainingData(train: try data(), test: large), TrainingConfiguration(epochs: 1))
        }
        let probe = try LinearProbe(weight: [Float](repeating: 0, count: 6), bias: [0, 0], features: 3)
        #expect { try Trainer(model: probe, data: TrainingData(train: try data()), configuration: TrainingConfiguration(epochs: 1)) }
            throws: { error in
                guard case TrainingError.modelRejectsInput(let shape, _) = error else { return false }
                return shape == "1x8x8"
            }
    }

    @Test func nonFiniteLossNamesEpochAndBatch() throws {
        // Image 5 holds a NaN; the order is shuffled, so its batch is the one after the last
        // batch that completed.
        let clean = try data(count: 12)
        var images = clean.images
        images[5 * 64 + 10] = .nan
        let poisoned = try Synthetic.dataset(images, labels: clean.labels, shape: clean.shape, classes: 3)
        let configuration = TrainingConfiguration(epochs: 2, batchSize: 4, threads: 1)
        var batchesDone = 0
        let callbacks = TrainingCallbacks(onBatch: { _ in batchesDone += 1 })
        let error = try #require(throws: TrainingError.self) {
            try trainer(TrainingData(train: poisoned), configuration).train(callbacks: callbacks)
        }
        guard case .nonFiniteLoss(let epoch, let batch, let value) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(epoch == 1 && batch == batchesDone + 1 && value.isNaN)
        #expect(error.description.contains("epoch 1, batch \(batch)"))
    }
}
