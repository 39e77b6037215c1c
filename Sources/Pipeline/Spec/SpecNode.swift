import Yams

/// A YAML value of a pipeline spec together with where it was written.
///
/// Made from Yams' composed node tree, which keeps line and column marks that Yams' decoder
/// drops; `--set` overrides graft nodes whose location is the argument itself.
struct SpecNode {
    /// A scalar after YAML's plain-scalar resolution; quoted scalars are always strings.
    enum Scalar: Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
    }

    /// One key and value of a mapping.
    struct Entry {
        var key: String
        var keyLocation: SourceLocation
        var value: SpecNode
    }

    enum Content {
        /// A scalar and its text as written.
        case scalar(Scalar, text: String)
        case sequence([SpecNode])
        case mapping([Entry])
    }

    var content: Content
    var location: SourceLocation

    /// The entries when the node is a mapping.
    var entries: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The value of `key` when the node is a mapping holding it.
    subscript(key: String) -> SpecNode? {
        entries?.first { $0.key == key }?.value
    }

    /// What the node is, for "found ..." in messages: `the integer 3`, `a list`, `a mapping`.
    var summary: String {
        switch content {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let scalar, let text):
            switch scalar {
            case .null: return "nothing (null)"
            case .bool: return "the boolean \(text)"
            case .int: return "the integer \(text)"
            case .double: return "the number \(text)"
            case .string: return "the string '\(text)'"
            }
        }
    }
}

extension SpecNode {
    /// Parses YAML text into a node tree; `source` names the file (or argument) in locations.
    /// An empty document gives nil.
    static func parse(yaml: String, source: String) throws(PipelineError) -> SpecNode? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, source: source, yaml: yaml)
        } catch {
            throw .syntax(SourceLocation(source: source), reason: "\(error)")
        }
        guard let root else { return nil }
        return try SpecNode(root, source: source, path: "")
    }

    /// Converts a Yams node; `path` names it in errors.
    init(_ node: Node, source: String, path: String) throws(PipelineError) {
        let location = node.mark.map { SourceLocation(file: source, line: $0.line, column: $0.column) }
            ?? SourceLocation(source: source)
        switch node {
        case .scalar(let scalar):
            content = .scalar(Self.resolve(scalar, node), text: scalar.string)
        case .sequence(let sequence):
            var items: [SpecNode] = []
            for (index, item) in sequence.enumerated() {
                items.append(try SpecNode(item, source: source, path: "\(path)[\(index)]"))
            }
            content = .sequence(items)
        case .mapping(let mapping):
            var entries: [Entry] = []
            for (key, value) in mapping {
                let keyLocation = key.mark.map { SourceLocation(file: source, line: $0.line, column: $0.column) } ?? location
                guard case .scalar(let keyScalar) = key else {
                    throw .wrongType(keyLocation, path: path.isEmpty ? "(key)" : "\(path).(key)",
                                     expected: "a plain name as key", found: "a list or mapping")
                }
                let name = keyScalar.string
                let child = path.isEmpty ? name : "\(path).\(name)"
                entries.append(Entry(key: name, keyLocation: keyLocation, value: try SpecNode(value, source: source, path: child)))
            }
            content = .mapping(entries)
        case .alias:
            throw .wrongType(location, path: path.isEmpty ? "(document)" : path,
                             expected: "a plain value", found: "a YAML alias (anchors and aliases are not supported)")
        }
        self.location = location
    }

    /// YAML 1.1 resolution of plain scalars (Yams' default resolver); quoted text is a string.
    private static func resolve(_ scalar: Node.Scalar, _ node: Node) -> Scalar {
        guard scalar.style == .plain else { return .string(scalar.string) }
        switch Resolver.default.resolveTag(of: node) {
        case .null: return .null
        case .bool: return node.bool.map(Scalar.bool) ?? .string(scalar.string)
        case .int: return node.int.map(Scalar.int) ?? .string(scalar.string)
        case .float: return node.float.map(Scalar.double) ?? .string(scalar.string)
        default: return .string(scalar.string)
        }
    }

    /// A syntax error at the position libyaml reports; duplicate keys name the key and both places.
    private static func syntaxError(_ error: YamlError, source: String, yaml: String) -> PipelineError {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: source, line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { "\($0.text) at line \($0.mark.line), column \($0.mark.column): " } ?? ""
            return .syntax(at(mark), reason: detail + problem)
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let first = at(context.mark)
            let second = repeatedKey(key, after: context.mark, in: yaml)
                .map { SourceLocation(file: source, line: $0.line, column: $0.column) } ?? first
            return .duplicateKey(second, path: key, first: second == first ? nil : first)
        default:
            return .syntax(SourceLocation(source: source), reason: "\(error)")
        }
    }

    /// The next line after `mark` that writes `key:` at the same column, where a duplicate of the
    /// key at `mark` would be.
    private static func repeatedKey(_ key: String, after mark: Mark, in yaml: String) -> (line: Int, column: Int)? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line < lines.count else { return nil }
        for index in mark.line..<lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            guard indent == mark.column - 1 else { continue }
            let rest = line.dropFirst(indent)
            for form in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(form) {
                if rest.dropFirst(form.count).drop(while: { $0 == " " }).hasPrefix(":") {
                    return (index + 1, mark.column)
                }
            }
        }
        return nil
    }
}
