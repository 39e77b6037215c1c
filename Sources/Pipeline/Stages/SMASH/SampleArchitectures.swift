import Randomness
import Reports
import SMASH

/// Draws random architectures from a search space: the space of an upstream `train-smash` stage,
/// or the named preset. Architecture i is drawn from its own stream, so raising `count` keeps the
/// first ones.
struct SampleStage: StageKind {
    static let name = "sample"
    static let version = 1
    static let summary = "Draws N random architectures from the SMASH network's (or a preset) search space."
    static let usesSeed = true
    static let metricNames = ["architectures", "ops_mean", "params_mean"]

    struct Parameters: StageParameters {
        var count = 50
        /// The preset to sample from when no `train-smash` stage is needed; ignored otherwise.
        var space = SpaceName.v1FashionMNIST
        /// The image the parameter counts are given for: channels, height, width, classes.
        var input = [1, 28, 28, 10]

        static let rules: [ParameterRule] = [.range("count", 1...100_000), .range("input", 1...4096)]

        func validate(_ stage: StageOutline) throws(PipelineError) {
            try stage.requireNeeds(ofKind: [TrainedSmashNetwork.kind], count: 0...1, role: "the network whose space is sampled")
            guard input.count == 4 else {
                throw .invalidParameter(parameter: "input", reason: "has \(input.count) values", expected: "[channels, height, width, classes]")
            }
        }
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let space = try inputs.all.contains { $0.kind == TrainedSmashNetwork.kind }
            ? TrainedSmashNetwork.space(in: inputs, stage: context.stage)
            : SearchSpace.preset(named: parameters.space.rawValue)
        let sampler = try ArchitectureSampler(space: space)
        let root = context.random("architectures")
        let list = ArchitectureList(architectures: (0..<parameters.count).map { index in
            var generator = root.derived("\(index)")
            return sampler.sample(using: &generator)
        })
        context.progress.update(completed: parameters.count, total: parameters.count, figures: [:])
        try list.write(to: context.output)
        let input = NetworkInput(channels: parameters.input[0], height: parameters.input[1], width: parameters.input[2],
                                 classes: parameters.input[3])
        let table = try ArchitectureTable.make(name: "architectures", list, input: input)
        let ops = try Summary(list.architectures.map { Double($0.opCount) }).mean
        let params = try Summary(table.numbers("params") ?? []).mean
        let markdown = "\(parameters.count) architectures from the `\(space.name)` space: "
            + "\(Table.cell(ops, decimals: 1)) ops and \(Table.cell(params, decimals: 0)) parameters "
            + "on average (resulting networks for \(input.channels)x\(input.height)x\(input.width) images).\n"
        return StageResult(metrics: ["architectures": Double(parameters.count), "ops_mean": ops,
                                     "params_mean": params],
                           tables: [table], markdown: markdown)
    }
}

/// The per-architecture description columns shared by the SMASH stages' tables.
enum ArchitectureTable {
    /// Id, ops, parameters and multiply-adds of the resulting networks for `input`, plus `extra` columns.
    static func make(name: String, _ list: ArchitectureList, input: NetworkInput, extra: [ResultColumn] = []) throws -> ResultTable {
        let costs = try list.architectures.map { try $0.cost(for: input) }
        return try ResultTable(name: name, itemColumn: "architecture", columns: [
            ResultColumn("architecture", texts: list.ids),
        ] + extra + [
            ResultColumn("ops", numbers: list.architectures.map { Double($0.opCount) }),
            ResultColumn("params", numbers: costs.map { Double($0.parameters) }),
            ResultColumn("mult_adds", numbers: costs.map { Double($0.multiplyAdds) }),
        ])
    }
}
