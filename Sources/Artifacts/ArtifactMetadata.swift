import Foundation

/// The identity and provenance of an artifact, stored as `smash.*` attributes on the root group.
///
/// `kind`, `key`, `params`, `inputs`, `version` and `created` are written when the writer is
/// made; `seconds` and the completion mark `smash.complete` are written by `commit`, last.
/// A file whose root lacks the completion mark is never served by the store.
public struct ArtifactMetadata: Sendable, Equatable {
    /// Root attribute names, as h5py and h5dump show them.
    public enum Attribute {
        public static let kind = "smash.kind"
        public static let key = "smash.key"
        public static let parameters = "smash.params"
        public static let inputs = "smash.inputs"
        public static let version = "smash.version"
        public static let created = "smash.created"
        public static let seconds = "smash.seconds"
        public static let complete = "smash.complete"
    }

    /// The stage kind that produced the artifact (also the store's folder name), e.g. `"score"`.
    public var kind: String
    /// The content-addressed key (the store's file name without `.h5`).
    public var key: String
    /// The fully resolved parameters as a JSON object text (canonical JSON is the caller's choice).
    public var parameters: String
    /// Keys of the upstream artifacts this one was computed from.
    public var inputs: [String]
    /// Version of the stage kind's implementation.
    public var version: Int
    /// When the writer was made.
    public var created: Date
    /// Seconds the computation took; nil until the artifact is committed.
    public var seconds: Double?
    /// Whether the completion mark is present.
    public var isComplete: Bool

    /// Metadata for a new artifact; `seconds` and `isComplete` are filled in by `commit`.
    public init(kind: String, key: String, parameters: String = "{}", inputs: [String] = [], version: Int = 1,
                created: Date = Date()) {
        self.kind = kind
        self.key = key
        self.parameters = parameters
        self.inputs = inputs
        self.version = version
        self.created = created
        self.seconds = nil
        self.isComplete = false
    }

    /// Reads the metadata from the root group of an artifact file.
    public init(reading root: HDF5Group) throws(ArtifactError) {
        let attributes = root.attributes
        let path = root.file.url.path
        kind = try attributes.string(Attribute.kind)
        key = try attributes.string(Attribute.key)
        parameters = try attributes.string(Attribute.parameters)
        let inputsText = try attributes.string(Attribute.inputs)
        guard let inputs = try? JSONDecoder().decode([String].self, from: Data(inputsText.utf8)) else {
            throw .typeMismatch(file: path, object: "/@\(Attribute.inputs)", expected: "a JSON list of keys", found: inputsText)
        }
        self.inputs = inputs
        version = Int(try attributes.int(Attribute.version))
        let createdText = try attributes.string(Attribute.created)
        guard let created = Self.timestampFormatter().date(from: createdText) else {
            throw .typeMismatch(file: path, object: "/@\(Attribute.created)", expected: "an ISO-8601 time", found: createdText)
        }
        self.created = created
        if case .double(let seconds)? = try attributes.value(Attribute.seconds) { self.seconds = seconds } else { seconds = nil }
        isComplete = try attributes.value(Attribute.complete) == .int(1)
    }

    /// Throws unless `parameters` is a JSON object.
    func checkParameters() throws(ArtifactError) {
        guard (try? JSONSerialization.jsonObject(with: Data(parameters.utf8))) is [String: Any] else {
            throw .invalidArgument(name: "parameters", value: parameters, reason: "expected a JSON object")
        }
    }

    /// Writes everything but `seconds` and the completion mark.
    func writeIdentity(to root: HDF5Group) throws(ArtifactError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let inputsJSON = (try? encoder.encode(inputs)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let attributes = root.attributes
        try attributes.set(Attribute.kind, .string(kind))
        try attributes.set(Attribute.key, .string(key))
        try attributes.set(Attribute.parameters, .string(parameters))
        try attributes.set(Attribute.inputs, .string(inputsJSON))
        try attributes.set(Attribute.version, .int(Int64(version)))
        try attributes.set(Attribute.created, .string(Self.timestampFormatter().string(from: created)))
    }

    /// Writes `seconds`, then the completion mark.
    func writeCompletion(seconds: Double, to root: HDF5Group) throws(ArtifactError) {
        try root.attributes.set(Attribute.seconds, .double(seconds))
        try root.attributes.set(Attribute.complete, .int(1))
    }

    /// ISO-8601 with milliseconds in UTC, e.g. `2025-01-31T12:00:00.250Z`.
    private static func timestampFormatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
