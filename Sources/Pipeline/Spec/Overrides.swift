import Spelling

/// `--set PATH=VALUE` arguments, grafted onto the spec's node tree before it is validated, so
/// an override is checked exactly like a value written in the file and errors name the argument.
///
/// Settable paths: `seed`, `dataset`, `description`, `stages.STAGE.with.PARAMETER` and
/// `stages.STAGE.dataset`. VALUE is YAML: `3`, `0.5`, `true`, `fashion-mnist`, `[5, 10, 20]`.
enum Overrides {
    /// The path forms the error for an unsettable path lists.
    static let settable = ["seed", "dataset", "description", "stages.STAGE.with.PARAMETER", "stages.STAGE.dataset"]

    /// `root` with every argument applied in order (a later one wins).
    static func apply(_ arguments: [String], to root: SpecNode) throws(PipelineError) -> SpecNode {
        var root = root
        for argument in arguments {
            let (path, value) = try parse(argument)
            let location = SourceLocation(source: "--set \(argument)")
            try checkPath(path, root: root, location: location)
            root = root.setting(path[...], to: value.relocated(to: location), location: location)
        }
        return root
    }

    /// Splits `PATH=VALUE` and parses VALUE as YAML (empty means null).
    private static func parse(_ argument: String) throws(PipelineError) -> (path: [String], value: SpecNode) {
        let expected = "PATH=VALUE, e.g. stages.train.with.epochs=20"
        guard let equals = argument.firstIndex(of: "=") else {
            throw .malformedArgument(argument: "--set \(argument)", expected: expected)
        }
        let path = argument[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.contains(where: \.isEmpty) else {
            throw .malformedArgument(argument: "--set \(argument)", expected: expected + " (the path has an empty part)")
        }
        let source = "--set \(argument)"
        let text = String(argument[argument.index(after: equals)...])
        let value = try SpecNode.parse(yaml: text, source: source)
            ?? SpecNode(content: .scalar(.null, text: ""), location: SourceLocation(source: source))
        return (path, value)
    }

    /// Throws unless `path` is one of the settable forms and names an existing stage.
    private static func checkPath(_ path: [String], root: SpecNode, location: SourceLocation) throws(PipelineError) {
        let joined = path.joined(separator: ".")
        let topLevel = ["seed", "dataset", "description"]
        if path.count == 1 {
            guard topLevel.contains(path[0]) else {
                throw .unknownKey(location, path: joined, known: settable, suggestion: Suggestion.nearest(to: path[0], in: topLevel))
            }
            return
        }
        guard path[0] == "stages" else {
            throw .unknownKey(location, path: joined, known: settable, suggestion: Suggestion.nearest(to: path[0], in: ["stages"]))
        }
        guard path.count >= 3 else { throw .unknownKey(location, path: joined, known: settable, suggestion: nil) }
        let stageNames = root["stages"]?.entries?.map(\.key) ?? []
        guard stageNames.contains(path[1]) else {
            throw .unknownStage(location, path: joined, name: path[1], suggestion: Suggestion.nearest(to: path[1], in: stageNames))
        }
        switch (path[2], path.count) {
        case ("with", 4), ("dataset", 3):
            return
        default:
            let fields = ["with", "dataset"]
            let suggestion = Suggestion.nearest(to: path[2], in: fields).map { "stages.\(path[1]).\($0)" }
            throw .unknownKey(location, path: joined, known: settable, suggestion: suggestion)
        }
    }
}
