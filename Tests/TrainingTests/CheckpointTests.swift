import Artifacts
import DatasetIO
import Foundation
import NN
import Randomness
import Testing
@testable import Training

@Suite struct CheckpointTests {
    let folder = TemporaryFolder()

    func configuration(epochs: Int = 1, learningRate: Float = 0.05) -> TrainingConfiguration {
        TrainingConfiguration(epochs: epochs, batchSize: 10, learningRate: learningRate, seed: 1, threads: 1,
                              tags: ["dataset": "synthetic"])
    }

    func data(count: Int = 30) throws -> TrainingData {
        TrainingData(train: try Synthetic.images(count: count, classes: 3))
    }

    /// A folder holding the checkpoint of one epoch of WRN-10-1 training.
    func trainedFolder(_ name: String) throws -> (CheckpointFolder, Trainer) {
        let checkpoints = folder.checkpoints(name)
        let trainer = try Trainer(model: try Synthetic.wideResNet(classes: 3), data: try data(), configuration: configuration())
        _ = try trainer.train(checkpoints: checkpoints)
        return (checkpoints, trainer)
    }

    @Test func roundTripKeepsEveryTensorAndCounter() throws {
        let (checkpoints, trainer) = try trainedFolder("round-trip")
        let live = trainer.checkpoint()
        let loaded = try #require(try checkpoints.load())
        #expect(loaded == live)
        // Every tensor, by name, against the live model and optimiser.
        for (saved, current) in [(loaded.model, trainer.model.state), (loaded.optimizer, trainer.optimizer.state)] {
            #expect(saved.entries.map(\.name) == current.map(\.name))
            for (entry, tensor) in zip(saved.entries, current) {
                #expect(entry.shape == tensor.tensor.shape && entry.values == tensor.tensor.values, "\(entry.name)")
            }
        }
        #expect(loaded.epoch == 1 && loaded.step == 3)
        #expect(loaded.position == BatchIterator.Position(seed: 1, epoch: 1, batch: 0))
        #expect(loaded.settings.contains(.init(name: "tag dataset", value: "synthetic")))
        let history = try TrainingHistory.decode(try Data(contentsOf: checkpoints.historyURL), path: "history.json")
        #expect(history == live.history && history.epochs.count == 1)
        // No temporary file is left next to the checkpoint.
        let names = try FileManager.default.contentsOfDirectory(atPath: checkpoints.url.path).sorted()
        #expect(names == ["checkpoint.h5", "history.json"])
    }

    @Test func checkpointOfAWiderModelNamesTheTensorAndShapes() throws {
        let (checkpoints, _) = try trainedFolder("narrow")
        let wider = try Trainer(model: try Synthetic.wideResNet(classes: 3, widenFactor: 2), data: try data(),
                                configuration: configuration(epochs: 1))
        let error = try #require(throws: TrainingError.self) { try wider.train(checkpoints: checkpoints) }
        guard case .checkpointTensorMismatch(_, "model", let reason) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(reason.contains("blocks.0.conv1.weight") && reason.contains("[16, 16, 3, 3]") && reason.contains("[32, 16, 3, 3]"),
                "\(reason)")
    }

    @Test func checkpointOfADeeperModelNamesTheMissingTensor() throws {
        let (checkpoints, _) = try trainedFolder("shallow")
        var generator = SeededGenerator(seed: 1)
        let deeper = try WideResNet(WideResNetConfiguration(depth: 16, widenFactor: 1, inputChannels: 1, classes: 3),
                                    using: &generator)
        let trainer = try Trainer(model: deeper, data: try data(), configuration: configuration())
        let error = try #require(throws: TrainingError.self) { try trainer.train(checkpoints: checkpoints) }
        guard case .checkpointTensorMismatch(_, "model", let reason) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(reason.contains("blocks.1.conv1.weight"), "\(reason)")
    }

    @Test func checkpointWithOtherSettingsNamesTheSetting() throws {
        let (checkpoints, _) = try trainedFolder("settings")
        let trainer = try Trainer(model: try Synthetic.wideResNet(classes: 3), data: try data(),
                                  configuration: configuration(learningRate: 0.2))
        #expect(throws: TrainingError.checkpointSettingMismatch(path: checkpoints.checkpointURL.path, name: "learning rate",
                                                                checkpoint: "0.05", run: "0.2")) {
            try trainer.train(checkpoints: checkpoints)
        }
        var tagged = configuration()
        tagged.tags["dataset"] = "fashion-mnist"
        let retagged = try Trainer(model: try Synthetic.wideResNet(classes: 3), data: try data(), configuration: tagged)
        #expect(throws: TrainingError.checkpointSettingMismatch(path: checkpoints.checkpointURL.path, name: "tag dataset",
                                                                checkpoint: "synthetic", run: "fashion-mnist")) {
            try retagged.train(checkpoints: checkpoints)
        }
    }

    @Test func checkpointOfOtherDataIsRefused() throws {
        let (checkpoints, _) = try trainedFolder("data")
        let trainer = try Trainer(model: try Synthetic.wideResNet(classes: 3), data: try data(count: 40),
                                  configuration: configuration())
        #expect(throws: TrainingError.checkpointSettingMismatch(path: checkpoints.checkpointURL.path, name: "training examples",
                                                                checkpoint: "30", run: "40")) {
            try trainer.train(checkpoints: checkpoints)
        }
    }

    @Test func foreignFilesAreUnreadableCheckpoints() throws {
        let checkpoints = folder.checkpoints("foreign")
        try FileManager.default.createDirectory(at: checkpoints.url, withIntermediateDirectories: true)
        let file = try HDF5File.create(at: checkpoints.checkpointURL)
        try file.root.write("weights", [Float(1), 2, 3])
        try file.close()
        #expect { try checkpoints.load() } throws: { error in
            guard case TrainingError.unreadableCheckpoint(_, let reason) = error else { return false }
            return reason.contains("not a version-1 training checkpoint")
        }
        try Data("not HDF5".utf8).write(to: checkpoints.checkpointURL)
        #expect { try checkpoints.load() } throws: { error in
            if case TrainingError.unreadableCheckpoint = error { return true }
            return false
        }
    }
}
