import Artifacts
import Spelling

/// Everything that can go wrong while reading a pipeline spec, planning or running it, and
/// inspecting its results.
///
/// Spec errors carry the `SourceLocation` of the offending value (file:line:column, or the
/// `--set` argument it came from), the key path (`stages.train.with.epochs`) and, for near misses,
/// the known name it was probably meant to be. `description` reads as one sentence that starts
/// with the location.
public enum PipelineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be read.
    case unreadable(path: String, reason: String)
    /// The text is not valid YAML.
    case syntax(SourceLocation, reason: String)
    /// A key that nothing reads; `suggestion` is the nearest known key.
    case unknownKey(SourceLocation, path: String, known: [String], suggestion: String?)
    /// A required key is absent from the mapping at `location`.
    case missingKey(SourceLocation, path: String)
    /// A key written twice in one mapping.
    case duplicateKey(SourceLocation, path: String, first: SourceLocation?)
    /// A value of the wrong type.
    case wrongType(SourceLocation, path: String, expected: String, found: String)
    /// A value of the right type that is not allowed (out of range, not a choice, empty...).
    case invalidValue(SourceLocation, path: String, value: String, expected: String, suggestion: String?)
    /// A parameter value a stage kind's `validate` refuses, before the spec reader places it.
    case invalidParameter(parameter: String, reason: String, expected: String)
    /// `run` names no known stage kind.
    case unknownStageKind(SourceLocation, path: String, kind: String, known: [String], suggestion: String?)
    /// A reference to a stage that the pipeline does not define.
    case unknownStage(SourceLocation, path: String, name: String, suggestion: String?)
    /// Stages that need each other in a circle, in order, the first repeated at the end.
    case cycle(SourceLocation, stages: [String])
    /// A dataset name the catalog does not describe.
    case unknownDataset(SourceLocation, path: String, name: String, known: [String], suggestion: String?)
    /// A stage that reads a dataset has none: neither the pipeline nor the stage names one.
    case noDataset(SourceLocation, stage: String, kind: String)
    /// A `--set`, `--force` or `--until` argument that is not of the expected form.
    case malformedArgument(argument: String, expected: String)
    /// The dataset of a stage cannot be used: its files are missing or unreadable.
    case datasetUnavailable(stage: String, dataset: String, reason: String)
    /// A stage cannot be planned because a stage it needs cannot.
    case blocked(stage: String, reason: String)
    /// A stage kind's code is malformed (a parameter type the schema cannot express, say).
    case invalidStageKind(kind: String, reason: String)
    /// A stage returned a result the runner cannot store (mismatched table columns, say).
    case invalidResult(stage: String, reason: String)
    /// A result table whose columns do not fit together.
    case invalidTable(name: String, reason: String)
    /// A stage threw while running; its finished upstream stages stay cached.
    case stageFailed(stage: String, kind: String, reason: String)
    /// The artifact cache could not be read or written.
    case cache(ArtifactError)
    /// A result set folder is missing or malformed.
    case invalidResultSet(path: String, reason: String)
    /// A file could not be written.
    case writeFailed(path: String, reason: String)
    /// Another process holds a lock this command needs.
    case busy(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): cannot be read: \(reason)."
        case let .syntax(location, reason):
            return "\(location): not valid YAML: \(reason)."
        case let .unknownKey(location, path, known, suggestion):
            let expected = known.isEmpty ? "no keys are allowed here" : "expected one of \(known.joined(separator: ", "))"
            return "\(location): unknown key '\(path)'\(Suggestion.phrase(suggestion)); \(expected)."
        case let .missingKey(location, path):
            return "\(location): '\(path)' is required but missing."
        case let .duplicateKey(location, path, first):
            let earlier = first.map { " (first written at \($0))" } ?? ""
            return "\(location): '\(path)' is written more than once\(earlier)."
        case let .wrongType(location, path, expected, found):
            return "\(location): '\(path)' must be \(expected), found \(found)."
        case let .invalidValue(location, path, value, expected, suggestion):
            return "\(location): '\(path)' is \(value)\(Suggestion.phrase(suggestion)); expected \(expected)."
        case let .invalidParameter(parameter, reason, expected):
            return "parameter '\(parameter)' \(reason); expected \(expected)."
        case let .unknownStageKind(location, path, kind, known, suggestion):
            return "\(location): '\(path)' names the unknown stage kind '\(kind)'\(Suggestion.phrase(suggestion)); "
                + "known kinds: \(known.joined(separator: ", "))."
        case let .unknownStage(location, path, name, suggestion):
            return "\(location): '\(path)' refers to the stage '\(name)', which the pipeline does not define"
                + "\(Suggestion.phrase(suggestion))."
        case let .cycle(location, stages):
            return "\(location): the stages need each other in a cycle: \(stages.joined(separator: " -> "))."
        case let .unknownDataset(location, path, name, known, suggestion):
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            return "\(location): '\(path)' names the unknown dataset '\(name)'\(Suggestion.phrase(suggestion)); known: \(list)."
        case let .noDataset(location, stage, kind):
            return "\(location): stage '\(stage)' (\(kind)) reads a dataset, but neither the pipeline nor the stage "
                + "names one; add 'dataset: NAME'."
        case let .malformedArgument(argument, expected):
            return "\(argument): expected \(expected)."
        case let .datasetUnavailable(stage, dataset, reason):
            return "stage '\(stage)' cannot use the dataset '\(dataset)': \(reason)"
        case let .blocked(stage, reason):
            return "stage '\(stage)' cannot be planned: \(reason)."
        case let .invalidStageKind(kind, reason):
            return "stage kind '\(kind)' is malformed: \(reason)."
        case let .invalidResult(stage, reason):
            return "stage '\(stage)' returned a result that cannot be stored: \(reason)."
        case let .invalidTable(name, reason):
            return "result table '\(name)' is malformed: \(reason)."
        case let .stageFailed(stage, kind, reason):
            return "stage '\(stage)' (\(kind)) failed: \(reason)"
        case let .cache(error):
            return "cache: \(error.description)"
        case let .invalidResultSet(path, reason):
            return "\(path): not a usable result set: \(reason)."
        case let .writeFailed(path, reason):
            return "\(path): cannot be written: \(reason)."
        case let .busy(path, reason):
            return "\(path): \(reason)."
        }
    }
}
