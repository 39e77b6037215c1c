/// The type of a stage parameter, derived from the Swift type of its default value.
public indirect enum ParameterType: Sendable, Equatable, CustomStringConvertible {
    /// `Int`.
    case int
    /// `Double` or `Float`; integers are accepted and widened.
    case double
    /// `String`; any plain scalar is taken as its text.
    case string
    /// `Bool`.
    case bool
    /// A `ParameterChoice` enum: one of these names.
    case choice([String])
    /// An array of the element type.
    case list(ParameterType)

    /// The type as a phrase: "an integer", "a list of numbers", "one of a, b".
    public var description: String {
        switch self {
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .bool: return "true or false"
        case .choice(let names): return "one of \(names.joined(separator: ", "))"
        case .list(let element): return "a list of \(element.plural)"
        }
    }

    private var plural: String {
        switch self {
        case .int: return "integers"
        case .double: return "numbers"
        case .string: return "strings"
        case .bool: return "booleans"
        case .choice(let names): return "values among \(names.joined(separator: ", "))"
        case .list(let element): return "lists of \(element.plural)"
        }
    }
}

/// A constraint on one parameter beyond its type, declared by a parameter struct's `rules`.
public struct ParameterRule: Sendable {
    enum Constraint: Sendable {
        case bounds(minimum: Double?, maximum: Double?)
        case nonEmpty
    }

    /// The parameter (property) name.
    public let parameter: String
    let constraint: Constraint

    /// The number (or every number of a list) lies in `range`.
    public static func range(_ parameter: String, _ range: ClosedRange<Double>) -> ParameterRule {
        ParameterRule(parameter: parameter, constraint: .bounds(minimum: range.lowerBound, maximum: range.upperBound))
    }

    /// The number (or every number of a list) is at least `minimum`.
    public static func atLeast(_ parameter: String, _ minimum: Double) -> ParameterRule {
        ParameterRule(parameter: parameter, constraint: .bounds(minimum: minimum, maximum: nil))
    }

    /// The number (or every number of a list) is at most `maximum`.
    public static func atMost(_ parameter: String, _ maximum: Double) -> ParameterRule {
        ParameterRule(parameter: parameter, constraint: .bounds(minimum: nil, maximum: maximum))
    }

    /// The string or list is not empty.
    public static func nonEmpty(_ parameter: String) -> ParameterRule {
        ParameterRule(parameter: parameter, constraint: .nonEmpty)
    }
}

/// One parameter of a stage kind: name, type, default and constraints.
public struct ParameterDeclaration: Sendable {
    /// The name as written under `with:` (the Swift property name).
    public let name: String
    /// The accepted type.
    public let type: ParameterType
    /// The value used when the spec does not set the parameter.
    public let defaultValue: JSONValue
    /// Smallest allowed number, if bounded below.
    public internal(set) var minimum: Double?
    /// Largest allowed number, if bounded above.
    public internal(set) var maximum: Double?
    /// Whether an empty string or list is refused.
    public internal(set) var nonEmpty = false

    /// The constraints as a phrase, e.g. "an integer of at least 1".
    public var expectation: String {
        var text = type.description
        switch (minimum, maximum) {
        case let (low?, high?): text += " between \(format(low)) and \(format(high))"
        case let (low?, nil): text += " of at least \(format(low))"
        case let (nil, high?): text += " of at most \(format(high))"
        case (nil, nil): break
        }
        return nonEmpty ? "a non-empty " + text.drop { $0 != " " }.dropFirst() : text
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// The parameters of a stage kind, derived from its parameter struct's default instance.
public struct ParameterSchema: Sendable {
    /// The parameters in declaration order.
    public let declarations: [ParameterDeclaration]

    /// The declaration of `name`, if the kind has such a parameter.
    public func declaration(_ name: String) -> ParameterDeclaration? {
        declarations.first { $0.name == name }
    }

    /// The parameter names in declaration order.
    public var names: [String] { declarations.map(\.name) }

    /// Reads the stored properties of `P()` (names, types, defaults) and applies `P.rules`.
    /// - Throws: `.invalidStageKind` for a property of a type parameters cannot have, or a rule
    ///   naming no property.
    static func derive<P: StageParameters>(_ type: P.Type, kind: String) throws(PipelineError) -> ParameterSchema {
        var declarations: [ParameterDeclaration] = []
        for child in Mirror(reflecting: P()).children {
            guard let label = child.label else { continue }
            let name = label.hasPrefix("_") ? String(label.dropFirst()) : label
            guard let (type, value) = classify(child.value) else {
                throw .invalidStageKind(kind: kind, reason: "parameter '\(name)' has the type \(Swift.type(of: child.value)); "
                    + "parameters are Int, Double, Float, String, Bool, a ParameterChoice enum, or arrays of these")
            }
            declarations.append(ParameterDeclaration(name: name, type: type, defaultValue: value))
        }
        for rule in P.rules {
            guard let index = declarations.firstIndex(where: { $0.name == rule.parameter }) else {
                throw .invalidStageKind(kind: kind, reason: "a rule names the parameter '\(rule.parameter)', which does not exist")
            }
            switch rule.constraint {
            case let .bounds(minimum, maximum):
                if let minimum { declarations[index].minimum = minimum }
                if let maximum { declarations[index].maximum = maximum }
            case .nonEmpty:
                declarations[index].nonEmpty = true
            }
        }
        return ParameterSchema(declarations: declarations)
    }

    /// The parameter type and JSON value of a default value, or nil for unsupported types.
    /// Arrays are matched by exact type: an empty `[Double]` also casts to `[Bool]`.
    private static func classify(_ value: Any) -> (ParameterType, JSONValue)? {
        if let choice = value as? any ParameterChoice {
            return (.choice(type(of: choice).choiceNames), .string(choice.choiceName))
        }
        if let choices = value as? any ParameterChoiceList {
            return (.list(.choice(type(of: choices).elementChoiceNames)), .array(choices.choiceNames.map(JSONValue.string)))
        }
        let type = Swift.type(of: value)
        switch value {
        case let flag as Bool where type == Bool.self: return (.bool, .bool(flag))
        case let number as Int where type == Int.self: return (.int, .int(number))
        case let number as Double where type == Double.self: return (.double, .double(number))
        case let number as Float where type == Float.self: return (.double, .double(Double(number)))
        case let text as String where type == String.self: return (.string, .string(text))
        case let flags as [Bool] where type == [Bool].self: return (.list(.bool), .array(flags.map(JSONValue.bool)))
        case let numbers as [Int] where type == [Int].self: return (.list(.int), .array(numbers.map(JSONValue.int)))
        case let numbers as [Double] where type == [Double].self: return (.list(.double), .array(numbers.map(JSONValue.double)))
        case let numbers as [Float] where type == [Float].self: return (.list(.double), .array(numbers.map { .double(Double($0)) }))
        case let texts as [String] where type == [String].self: return (.list(.string), .array(texts.map(JSONValue.string)))
        default: return nil
        }
    }
}
