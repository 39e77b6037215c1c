import Artifacts
import DatasetIO
import Foundation
import NN
import Randomness
import SMASH
import Training

/// A trained SMASH network as the `train-smash` stage stores it: its weights, the search space
/// and HyperNet it was built with, and the dataset split it was trained on, so that later stages
/// rebuild it and score on the validation images it never trained on.
struct TrainedSmashNetwork {
    static let kind = "train-smash"

    let network: SmashNetwork
    let space: SearchSpace
    let hyperNet: HyperNetConfiguration
    /// The catalog name of the dataset it was trained on.
    let datasetName: String
    /// How that dataset was split.
    let splitOptions: SplitOptions

    /// Writes the network and its description into `group`.
    func write(to group: HDF5Group) throws {
        let attributes = group.attributes
        try attributes.set("space", .string(try Self.json(space)))
        try attributes.set("hypernet", .string(try Self.json(hyperNet)))
        try attributes.set("dataset", .string(datasetName))
        try attributes.set("split", .string(try Self.json(splitOptions)))
        try attributes.set("input_channels", .int(Int64(network.inputChannels)))
        try attributes.set("classes", .int(Int64(network.classes)))
        try group.createGroup("network").write(StateDict(network.state))
    }

    /// The network of the single `train-smash` stage among `inputs`.
    /// - Throws: `PipelineError.stageFailed` when there is none or the artifact is unusable.
    static func read(from inputs: StageInputs, stage: String) throws -> TrainedSmashNetwork {
        try read(from: try single(in: inputs, stage: stage))
    }

    /// The search space of the single `train-smash` stage among `inputs`, read without loading
    /// the network.
    static func space(in inputs: StageInputs, stage: String) throws -> SearchSpace {
        let input = try single(in: inputs, stage: stage)
        return try decode(SearchSpace.self, "space", of: try input.data(), stage: input.stage)
    }

    private static func single(in inputs: StageInputs, stage: String) throws -> StageInput {
        let candidates = inputs.all.filter { $0.kind == kind }
        guard candidates.count == 1, let input = candidates.first else {
            throw PipelineError.stageFailed(stage: stage, kind: kind,
                                            reason: "it needs exactly one train-smash stage, found \(candidates.count)")
        }
        return input
    }

    /// The JSON attribute `name` of a train-smash artifact's data group.
    private static func decode<T: Decodable>(_ type: T.Type, _ name: String, of group: HDF5Group, stage: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(try group.attributes.string(name).utf8))
        } catch {
            throw PipelineError.stageFailed(stage: stage, kind: kind, reason: "its artifact's '\(name)' is unreadable: \(error)")
        }
    }

    /// The network stored by the `train-smash` stage `input`.
    static func read(from input: StageInput) throws -> TrainedSmashNetwork {
        let group = try input.data()
        let attributes = group.attributes
        let space = try decode(SearchSpace.self, "space", of: group, stage: input.stage)
        let hyperNet = try decode(HyperNetConfiguration.self, "hypernet", of: group, stage: input.stage)
        var generator = SeededGenerator(seed: 0)
        let network = try SmashNetwork(skeleton: space.skeleton, hyperNet: hyperNet,
                                       inputChannels: Int(try attributes.int("input_channels")),
                                       classes: Int(try attributes.int("classes")), using: &generator)
        try group.group("network").readStateDict().load(into: network.state)
        return TrainedSmashNetwork(network: network, space: space, hyperNet: hyperNet, datasetName: try attributes.string("dataset"),
                                   splitOptions: try decode(SplitOptions.self, "split", of: group, stage: input.stage))
    }

    /// The validation split the network was held out from, read from `dataset` (which must be
    /// the one it was trained on), cut to its first `limit` images when `limit` is positive.
    func validation(of dataset: StageDataset, limit: Int, stage: String, kind: String) throws -> Dataset {
        guard dataset.name == datasetName else {
            throw PipelineError.stageFailed(stage: stage, kind: kind,
                                            reason: "it reads '\(dataset.name)', but the SMASH network was trained on '\(datasetName)'; "
                                                + "score on the training dataset (drop the stage's dataset:)")
        }
        let validation = try dataset.splits(splitOptions).validation
        guard validation.count > 0 else {
            throw PipelineError.stageFailed(stage: stage, kind: kind, reason: "the SMASH network's split holds out no validation images")
        }
        return limit > 0 && limit < validation.count ? try validation.selecting(Array(0..<limit)) : validation
    }

    private static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension SmashCheckpoint {
    /// Writes the checkpoint into `group`: the network and optimizer state as groups, the step,
    /// iterator position and history as attributes.
    func write(to group: HDF5Group) throws {
        let attributes = group.attributes
        try attributes.set("step", .int(Int64(step)))
        try attributes.set("iterator.seed", .int(Int64(bitPattern: iterator.seed)))
        try attributes.set("iterator.epoch", .int(Int64(iterator.epoch)))
        try attributes.set("iterator.batch", .int(Int64(iterator.batch)))
        try attributes.set("history", .string(String(decoding: try JSONEncoder().encode(history), as: UTF8.self)))
        try group.createGroup("network").write(network)
        try group.createGroup("optimizer").write(optimizer)
    }

    /// A checkpoint written by `write(to:)`.
    static func read(from group: HDF5Group) throws -> SmashCheckpoint {
        let attributes = group.attributes
        let iterator = BatchIterator.Position(seed: UInt64(bitPattern: try attributes.int("iterator.seed")),
                                              epoch: Int(try attributes.int("iterator.epoch")),
                                              batch: Int(try attributes.int("iterator.batch")))
        let history = try JSONDecoder().decode([SmashEpochRecord].self, from: Data(try attributes.string("history").utf8))
        return SmashCheckpoint(network: try group.group("network").readStateDict(),
                               optimizer: try group.group("optimizer").readStateDict(),
                               step: Int(try attributes.int("step")), iterator: iterator, history: history)
    }
}
