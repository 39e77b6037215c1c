import Artifacts
import DatasetIO
import Foundation
import NN

/// Everything needed to continue a run exactly where an epoch ended: the model's tensors, the
/// optimiser's moments, the step count (the cosine schedule's clock), the batch iterator's
/// position and the history so far.
///
/// The iterator position is the run's whole random state: the batch order and every augmentation
/// draw are functions of (seed, epoch, batch), so nothing else random needs saving.
public struct TrainingCheckpoint: Sendable, Equatable {
    /// One setting the checkpoint was made with.
    public struct Setting: Sendable, Hashable {
        /// The setting, as in `TrainingConfiguration.settings`.
        public var name: String
        /// Its value, as text.
        public var value: String

        /// A setting named `name` with `value`.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Epochs finished.
    public var epoch: Int
    /// Optimiser steps taken.
    public var step: Int
    /// The next batch the training iterator produces (its seed, epoch and batch).
    public var position: BatchIterator.Position
    /// The number of training examples, so that a run on other data is refused.
    public var trainExamples: Int
    /// The run's settings (`TrainingConfiguration.settings`).
    public var settings: [Setting]
    /// Parameters and buffers of the model.
    public var model: StateDict
    /// The optimiser's state.
    public var optimizer: StateDict
    /// One record per finished epoch.
    public var history: TrainingHistory

    /// A checkpoint with every part given.
    public init(epoch: Int, step: Int, position: BatchIterator.Position, trainExamples: Int, settings: [Setting],
                model: StateDict, optimizer: StateDict, history: TrainingHistory) {
        self.epoch = epoch
        self.step = step
        self.position = position
        self.trainExamples = trainExamples
        self.settings = settings
        self.model = model
        self.optimizer = optimizer
        self.history = history
    }
}

extension TrainingCheckpoint {
    /// The format version written to the root attribute `smash.checkpoint`.
    static let formatVersion: Int64 = 1

    /// Writes the checkpoint into an open, empty HDF5 file: root attributes for the counters,
    /// position, settings and history (JSON), and the groups `model` and `optimizer` with one
    /// float32 dataset per tensor (their order in the group attribute `order`).
    public func write(to file: HDF5File) throws {
        let root = file.root
        let attributes = root.attributes
        try attributes.set("smash.checkpoint", .int(TrainingCheckpoint.formatVersion))
        try attributes.set("epoch", .int(Int64(epoch)))
        try attributes.set("step", .int(Int64(step)))
        try attributes.set("iterator.seed", .int(Int64(bitPattern: position.seed)))
        try attributes.set("iterator.epoch", .int(Int64(position.epoch)))
        try attributes.set("iterator.batch", .int(Int64(position.batch)))
        try attributes.set("train.examples", .int(Int64(trainExamples)))
        try attributes.set("settings.names", .strings(settings.map(\.name)))
        try attributes.set("settings.values", .strings(settings.map(\.value)))
        try attributes.set("history", .string(String(decoding: try history.json(), as: UTF8.self)))
        try root.createGroup("model").write(model)
        try root.createGroup("optimizer").write(optimizer)
    }

    /// Reads a checkpoint written by `write(to:)`.
    /// - Throws: `TrainingError.unreadableCheckpoint` naming what is missing or malformed.
    public static func read(from file: HDF5File) throws -> TrainingCheckpoint {
        let path = file.url.path
        do {
            let attributes = file.root.attributes
            guard try attributes.value("smash.checkpoint") == .int(formatVersion) else {
                throw TrainingError.unreadableCheckpoint(path: path, reason: "it is not a version-\(formatVersion) training checkpoint")
            }
            func int(_ name: String) throws -> Int { Int(try attributes.int(name)) }
            guard case .strings(let names)? = try attributes.value("settings.names"),
                  case .strings(let values)? = try attributes.value("settings.values"), names.count == values.count else {
                throw TrainingError.unreadableCheckpoint(path: path, reason: "its settings are missing or malformed")
            }
            let position = BatchIterator.Position(seed: UInt64(bitPattern: try attributes.int("iterator.seed")),
                                                  epoch: try int("iterator.epoch"), batch: try int("iterator.batch"))
            let history = try TrainingHistory.decode(Data(try attributes.string("history").utf8), path: path)
            return TrainingCheckpoint(
                epoch: try int("epoch"), step: try int("step"), position: position, trainExamples: try int("train.examples"),
                settings: zip(names, values).map { Setting(name: $0, value: $1) },
                model: try file.root.group("model").readStateDict(), optimizer: try file.root.group("optimizer").readStateDict(),
                history: history)
        } catch let error as ArtifactError {
            throw TrainingError.unreadableCheckpoint(path: path, reason: error.description)
        }
    }
}
