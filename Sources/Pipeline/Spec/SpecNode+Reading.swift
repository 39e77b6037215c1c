import Spelling

/// Typed reads of spec nodes, each failing with the node's location and key path.
extension SpecNode {
    /// The entries of a mapping; a null node (a key written with nothing after it) is empty.
    func mapping(_ path: String, expected: String = "a mapping") throws(PipelineError) -> [Entry] {
        if case .scalar(.null, _) = content { return [] }
        guard let entries else { throw .wrongType(location, path: path, expected: expected, found: summary) }
        return entries
    }

    /// Throws `unknownKey` for the first key outside `allowed`, with the nearest allowed key.
    func checkKeys(_ allowed: [String], path: String) throws(PipelineError) {
        for entry in try mapping(path) where !allowed.contains(entry.key) {
            throw .unknownKey(entry.keyLocation, path: path.isEmpty ? entry.key : "\(path).\(entry.key)", known: allowed,
                              suggestion: Suggestion.nearest(to: entry.key, in: allowed))
        }
    }

    /// The text of a non-null scalar.
    func text(_ path: String) throws(PipelineError) -> String {
        guard case .scalar(let scalar, let text) = content, scalar != .null else {
            throw .wrongType(location, path: path, expected: "a string", found: summary)
        }
        return text
    }

    /// A name usable in file names and key paths: letters, digits, `_` and `-`.
    func name(_ path: String) throws(PipelineError) -> String {
        let value = try text(path)
        guard SpecNode.isName(value) else {
            throw .invalidValue(location, path: path, value: "'\(value)'",
                                expected: "a name of letters, digits, '_' and '-' (no dots or spaces)", suggestion: nil)
        }
        return value
    }

    /// An integer scalar.
    func integer(_ path: String) throws(PipelineError) -> Int {
        guard case .scalar(.int(let value), _) = content else {
            throw .wrongType(location, path: path, expected: "an integer", found: summary)
        }
        return value
    }

    /// A finite number (integer or real).
    func number(_ path: String) throws(PipelineError) -> Double {
        switch content {
        case .scalar(.int(let value), _): return Double(value)
        case .scalar(.double(let value), let text):
            guard value.isFinite else {
                throw .invalidValue(location, path: path, value: text, expected: "a finite number", suggestion: nil)
            }
            return value
        default:
            throw .wrongType(location, path: path, expected: "a number", found: summary)
        }
    }

    /// A list of names; a single name counts as a list of one, null as an empty list.
    func names(_ path: String) throws(PipelineError) -> [(name: String, location: SourceLocation)] {
        switch content {
        case .scalar(.null, _): return []
        case .scalar: return [(try name(path), location)]
        case .sequence(let items):
            var names: [(String, SourceLocation)] = []
            for (index, item) in items.enumerated() { names.append((try item.name("\(path)[\(index)]"), item.location)) }
            return names
        case .mapping:
            throw .wrongType(location, path: path, expected: "a list of stage names", found: summary)
        }
    }

    /// Whether `text` is a non-empty run of letters, digits, `_` and `-`.
    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }

    /// The same tree with every node placed at `location` (for values parsed from an argument).
    func relocated(to location: SourceLocation) -> SpecNode {
        var copy = self
        copy.location = location
        switch content {
        case .scalar: break
        case .sequence(let items): copy.content = .sequence(items.map { $0.relocated(to: location) })
        case .mapping(let entries):
            copy.content = .mapping(entries.map { Entry(key: $0.key, keyLocation: location, value: $0.value.relocated(to: location)) })
        }
        return copy
    }

    /// The tree with the value at `path` (keys of nested mappings) replaced by `value`, creating
    /// missing or null mappings on the way at `location`.
    func setting(_ path: ArraySlice<String>, to value: SpecNode, location: SourceLocation) -> SpecNode {
        guard let key = path.first else { return value }
        var entries = self.entries ?? []
        var copy = self
        if self.entries == nil { copy.location = location }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = entries[index].value.setting(path.dropFirst(), to: value, location: location)
        } else {
            let empty = SpecNode(content: .mapping([]), location: location)
            entries.append(Entry(key: key, keyLocation: location, value: empty.setting(path.dropFirst(), to: value, location: location)))
        }
        copy.content = .mapping(entries)
        return copy
    }
}
