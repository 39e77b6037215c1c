import Hashing

/// The content address of a stage's artifact: SHA-256 (hex) of the canonical JSON of its key
/// document `{kind, version, parameters, inputs, dataset?, seed?}`.
///
/// `parameters` holds every parameter of the kind (defaults filled in), `inputs` maps each
/// needed stage to its key, `dataset` is `{name, fingerprint}` for kinds that read one, and
/// `seed` is the pipeline seed for kinds that draw random numbers. `status` compares key
/// documents field by field to say why a stage is stale.
public struct StageKey: Sendable, Equatable {
    /// The document whose canonical JSON is hashed.
    public let document: JSONValue
    /// The hex SHA-256 of `document.canonical`.
    public let value: String

    /// The key of a stage of `kind` with resolved `parameters`, upstream `inputs` (need → key),
    /// its dataset (for kinds that read one) and the pipeline seed (for kinds that use it).
    public init(kind: AnyStageKind, parameters: [String: JSONValue], inputs: [String: String],
                dataset: (name: String, fingerprint: String)?, seed: UInt64) {
        var document: [String: JSONValue] = [
            "kind": .string(kind.name),
            "version": .int(kind.version),
            "parameters": .object(parameters),
            "inputs": .object(inputs.mapValues(JSONValue.string)),
        ]
        if kind.usesDataset, let dataset {
            document["dataset"] = .object(["name": .string(dataset.name), "fingerprint": .string(dataset.fingerprint)])
        }
        if kind.usesSeed { document["seed"] = .int(Int(truncatingIfNeeded: seed)) }
        self.init(document: .object(document))
    }

    /// The key of an arbitrary document.
    init(document: JSONValue) {
        self.document = document
        value = SHA256.hex(of: document.canonical)
    }

    /// The first 12 hex digits, for tables and run ids.
    public var short: String { String(value.prefix(12)) }

    /// The namespace of the stage's item entries: the key of the document without the named
    /// parameters and inputs, marked as an item scope. Items that do not depend on a count (or
    /// on the stage that chose them) survive a change of it.
    func itemNamespace(excludingParameters: Set<String>, excludingInputs: Set<String>) -> String {
        guard case .object(var members) = document else { return value }
        if case .object(let parameters)? = members["parameters"] {
            members["parameters"] = .object(parameters.filter { !excludingParameters.contains($0.key) })
        }
        if case .object(let inputs)? = members["inputs"] {
            members["inputs"] = .object(inputs.filter { !excludingInputs.contains($0.key) })
        }
        members["scope"] = .string("items")
        return StageKey(document: .object(members)).value
    }
}
