import Spelling

/// Parameter values of one stage after checking them against the kind's schema: every
/// parameter present (defaults filled in), each with the location it was written at.
struct ResolvedParameters: Sendable {
    /// Every parameter of the kind.
    var values: [String: JSONValue]
    /// Where each parameter the spec sets was written; defaults point at the stage.
    var locations: [String: SourceLocation]
}

/// Checks the `with:` mapping of a stage against a schema: known names, types, ranges, choices.
enum ParameterResolver {
    /// Resolves `node` (the `with:` mapping, or nil when absent); `path` is `stages.NAME.with`
    /// and `stageLocation` is where defaults are reported.
    static func resolve(_ node: SpecNode?, schema: ParameterSchema, path: String,
                        stageLocation: SourceLocation) throws(PipelineError) -> ResolvedParameters {
        var values: [String: JSONValue] = [:]
        var locations: [String: SourceLocation] = [:]
        if let node {
            guard let entries = node.entries else {
                throw .wrongType(node.location, path: path, expected: "a mapping of parameter names to values", found: node.summary)
            }
            for entry in entries {
                guard let declaration = schema.declaration(entry.key) else {
                    throw .unknownKey(entry.keyLocation, path: "\(path).\(entry.key)", known: schema.names,
                                      suggestion: Suggestion.nearest(to: entry.key, in: schema.names))
                }
                let valuePath = "\(path).\(entry.key)"
                let value = try convert(entry.value, to: declaration.type, path: valuePath)
                try check(value, against: declaration, at: entry.value.location, path: valuePath)
                values[entry.key] = value
                locations[entry.key] = entry.value.location
            }
        }
        for declaration in schema.declarations where values[declaration.name] == nil {
            values[declaration.name] = declaration.defaultValue
            locations[declaration.name] = node?.location ?? stageLocation
        }
        return ResolvedParameters(values: values, locations: locations)
    }

    /// The JSON value of `node` as `type`, or a type error naming `path`.
    static func convert(_ node: SpecNode, to type: ParameterType, path: String) throws(PipelineError) -> JSONValue {
        let mismatch = PipelineError.wrongType(node.location, path: path, expected: type.description, found: node.summary)
        switch (type, node.content) {
        case (.int, .scalar(.int(let value), _)):
            return .int(value)
        case (.double, .scalar(.int(let value), _)):
            return .double(Double(value))
        case (.double, .scalar(.double(let value), let text)):
            guard value.isFinite else {
                throw .invalidValue(node.location, path: path, value: text, expected: "a finite number", suggestion: nil)
            }
            return .double(value)
        case (.string, .scalar(let scalar, let text)) where scalar != .null:
            return .string(text)
        case (.bool, .scalar(.bool(let value), _)):
            return .bool(value)
        case (.choice(let names), .scalar(let scalar, let text)) where scalar != .null:
            guard names.contains(text) else {
                throw .invalidValue(node.location, path: path, value: "'\(text)'", expected: type.description,
                                    suggestion: Suggestion.nearest(to: text, in: names))
            }
            return .string(text)
        case (.list(let element), .sequence(let items)):
            var values: [JSONValue] = []
            for (index, item) in items.enumerated() {
                values.append(try convert(item, to: element, path: "\(path)[\(index)]"))
            }
            return .array(values)
        default:
            throw mismatch
        }
    }

    /// Applies the declaration's bounds (to a number or each number of a list) and emptiness rule.
    static func check(_ value: JSONValue, against declaration: ParameterDeclaration, at location: SourceLocation,
                      path: String) throws(PipelineError) {
        if declaration.nonEmpty, value == .string("") || value == .array([]) {
            throw .invalidValue(location, path: path, value: value == .array([]) ? "an empty list" : "an empty string",
                                expected: declaration.expectation, suggestion: nil)
        }
        let numbers: [JSONValue] = if case .array(let items) = value { items } else { [value] }
        for number in numbers {
            guard let x = number.number else { continue }
            if let minimum = declaration.minimum, x < minimum {
                throw .invalidValue(location, path: path, value: number.canonical, expected: declaration.expectation, suggestion: nil)
            }
            if let maximum = declaration.maximum, x > maximum {
                throw .invalidValue(location, path: path, value: number.canonical, expected: declaration.expectation, suggestion: nil)
            }
        }
    }
}
