import Foundation

/// A stage kind with its parameter type erased, as the registry, planner and runner use it.
public struct AnyStageKind: Sendable {
    /// `StageKind.name`.
    public let name: String
    /// `StageKind.version`.
    public let version: Int
    /// `StageKind.summary`.
    public let summary: String
    /// `StageKind.usesDataset`.
    public let usesDataset: Bool
    /// `StageKind.usesSeed`.
    public let usesSeed: Bool
    /// `StageKind.metricNames`.
    public let metricNames: [String]
    private let derivedSchema: Result<ParameterSchema, PipelineError>
    private let checkValues: @Sendable ([String: JSONValue], StageOutline) throws(PipelineError) -> Void
    private let runStage: @Sendable ([String: JSONValue], StageInputs, StageContext) throws -> StageResult

    /// Wraps the kind `K`.
    public init<K: StageKind>(_ kind: K.Type) {
        name = K.name
        version = K.version
        summary = K.summary
        usesDataset = K.usesDataset
        usesSeed = K.usesSeed
        metricNames = K.metricNames
        derivedSchema = Result { () throws(PipelineError) in try ParameterSchema.derive(K.Parameters.self, kind: K.name) }
        checkValues = { values, outline throws(PipelineError) in
            try Self.decode(K.Parameters.self, values, kind: K.name).validate(outline)
        }
        runStage = { values, inputs, context in
            try K().run(inputs, try Self.decode(K.Parameters.self, values, kind: K.name), context)
        }
    }

    /// The parameters, derived from the parameter struct.
    /// - Throws: `.invalidStageKind` when the struct has a property parameters cannot have.
    public func schema() throws(PipelineError) -> ParameterSchema {
        try derivedSchema.get()
    }

    /// Runs the kind's `validate` on resolved values.
    func validate(_ values: [String: JSONValue], outline: StageOutline) throws(PipelineError) {
        try checkValues(values, outline)
    }

    /// Runs the stage with resolved values.
    func run(_ values: [String: JSONValue], _ inputs: StageInputs, _ context: StageContext) throws -> StageResult {
        try runStage(values, inputs, context)
    }

    /// The parameter struct holding `values` (complete and type-checked by the resolver).
    private static func decode<P: StageParameters>(_ type: P.Type, _ values: [String: JSONValue],
                                                   kind: String) throws(PipelineError) -> P {
        do {
            return try JSONDecoder().decode(P.self, from: Data(JSONValue.object(values).canonical.utf8))
        } catch {
            throw .invalidStageKind(kind: kind, reason: "its parameters do not decode from their own schema (\(error)); "
                + "keep the synthesized Codable")
        }
    }
}

/// The stage kinds a spec may name, by name.
public struct StageRegistry: Sendable {
    /// The kinds by name.
    public let kinds: [String: AnyStageKind]

    /// A registry of the given kinds; a later kind of the same name replaces an earlier one.
    public init(_ kinds: [any StageKind.Type]) {
        var byName: [String: AnyStageKind] = [:]
        for kind in kinds { byName[kind.name] = AnyStageKind(kind) }
        self.kinds = byName
    }

    /// The same kinds plus `extra` (tests add their own).
    public func adding(_ extra: [any StageKind.Type]) -> StageRegistry {
        var merged = kinds
        for kind in extra { merged[kind.name] = AnyStageKind(kind) }
        return StageRegistry(merged)
    }

    private init(_ kinds: [String: AnyStageKind]) {
        self.kinds = kinds
    }

    /// The kind named `name`.
    public subscript(name: String) -> AnyStageKind? { kinds[name] }

    /// Every kind name, sorted.
    public var names: [String] { kinds.keys.sorted() }
}
