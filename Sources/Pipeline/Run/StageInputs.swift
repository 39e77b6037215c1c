import Artifacts
import Spelling

/// The artifact of one upstream stage, open read-only, with its stored result.
public struct StageInput {
    /// The upstream stage's name.
    public let stage: String
    /// Its kind.
    public let kind: String
    /// Its key.
    public let key: String
    /// Its artifact; the stage's own data is under `/data`.
    public let artifact: Artifact
    /// Its metrics, tables, charts and Markdown.
    public let result: StageResult

    /// The group the upstream stage wrote its own data into.
    public func data() throws(ArtifactError) -> HDF5Group {
        try artifact.root.group(ResultStorage.dataGroup)
    }
}

/// The upstream artifacts of a stage, one per name in its `needs`, in that order.
public struct StageInputs {
    /// Every input, in `needs` order.
    public let all: [StageInput]

    /// The inputs, in `needs` order.
    public init(_ all: [StageInput]) {
        self.all = all
    }

    /// The input from stage `name`, if the stage needs it.
    public subscript(stage: String) -> StageInput? {
        all.first { $0.stage == stage }
    }

    /// The input from stage `name`.
    /// - Throws: `.unknownStage` when the stage is not among the needs.
    public func input(_ stage: String) throws(PipelineError) -> StageInput {
        guard let input = self[stage] else {
            throw .unknownStage(SourceLocation(source: "stage inputs"), path: "needs", name: stage,
                                suggestion: Suggestion.nearest(to: stage, in: all.map(\.stage)))
        }
        return input
    }
}
