/// A kind of pipeline stage: one file, one parameter struct, one `run`.
///
/// ```swift
/// /// Trains each selected architecture from scratch and records its validation and test error.
/// struct RetrainStage: StageKind {
///     static let name = "retrain"
///     static let version = 1
///     static let summary = "Trains each architecture from scratch; errors per architecture."
///     static let usesDataset = true
///     static let metricNames = ["error_mean"]
///
///     struct Parameters: StageParameters {
///         var epochs = 10
///         var seeds = [0]
///         static let rules: [ParameterRule] = [.range("epochs", 1...1000), .nonEmpty("seeds")]
///     }
///
///     func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
///         let items = try context.items(excludingParameters: ["count"])
///         for architecture in ... {
///             let artifact = try items.artifact(for: architecture.id) { group in ... }   // cached per item
///             context.progress.update(completed: ..., total: ..., figures: ["error": ...])
///         }
///         return StageResult(metrics: [...], tables: [...], markdown: "...")
///     }
/// }
/// ```
/// The cache key of a stage is the SHA-256 of the canonical JSON of its kind, `version`, fully
/// resolved parameters, upstream keys, and (when `usesDataset` / `usesSeed`) the dataset
/// fingerprint and pipeline seed. Bump `version` whenever a change of the code changes results.
public protocol StageKind: Sendable {
    /// The parameter struct; its stored properties are the parameters.
    associatedtype Parameters: StageParameters

    /// The name written after `run:` in a spec, also the cache folder: lowercase letters, digits, `-`.
    static var name: String { get }
    /// The implementation version; part of every key, so bumping it invalidates cached results.
    static var version: Int { get }
    /// One line saying what the stage does.
    static var summary: String { get }
    /// Whether the stage reads the pipeline's (or its own) dataset; its fingerprint then enters the key.
    static var usesDataset: Bool { get }
    /// Whether the stage draws random numbers from the pipeline seed; the seed then enters the key.
    static var usesSeed: Bool { get }
    /// The metrics a run may report (usually all of them); `expect` may check only these.
    static var metricNames: [String] { get }

    /// A stateless instance.
    init()

    /// Computes the stage: reads `inputs`, writes its own data into `context.output`, and returns
    /// the metrics, tables, charts and Markdown it contributes to the result set. Throw any error
    /// to fail the stage; nothing it wrote is kept, apart from committed item entries.
    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult
}

extension StageKind {
    public static var usesDataset: Bool { false }
    public static var usesSeed: Bool { false }
}

/// The parameter struct of a stage kind.
///
/// Every stored property is a parameter, named as the property, with the property's initial value
/// as default. Types: `Int`, `Double`, `Float`, `String`, `Bool`, a `ParameterChoice` enum, or an
/// array of one of these. Keep the synthesized `Codable` (no custom coding keys): the resolved
/// values reach `run` through it.
public protocol StageParameters: Codable, Sendable {
    /// The defaults.
    init()
    /// Ranges and other constraints checked while the spec is read, with the value's location.
    static var rules: [ParameterRule] { get }
    /// Checks that involve several parameters or the stage's `needs`; runs after the rules.
    /// Throw `PipelineError.invalidParameter`; the spec reader reports it at the parameter's
    /// place in the file.
    func validate(_ stage: StageOutline) throws(PipelineError)
}

extension StageParameters {
    public static var rules: [ParameterRule] { [] }
    public func validate(_ stage: StageOutline) throws(PipelineError) {}
}

/// A parameter whose value is one of a few names: a `String`-backed enum.
///
/// ```swift
/// enum Split: String, ParameterChoice { case validation, test }
/// ```
public protocol ParameterChoice: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension ParameterChoice {
    /// Every allowed name, in declaration order.
    static var choiceNames: [String] { allCases.map(\.rawValue) }
    /// This value's name.
    var choiceName: String { rawValue }
}

/// Lets the schema see the element choices of an array of choices, even an empty one.
protocol ParameterChoiceList {
    static var elementChoiceNames: [String] { get }
    var choiceNames: [String] { get }
}

extension Array: ParameterChoiceList where Element: ParameterChoice {
    static var elementChoiceNames: [String] { Element.choiceNames }
    var choiceNames: [String] { map(\.rawValue) }
}

/// What a parameter struct's `validate` may look at besides its own values.
public struct StageOutline: Sendable {
    /// The stage's name in the spec.
    public let name: String
    /// The stages it needs, in spec order.
    public let needs: [String]
    /// The kind of each stage in `needs`, in the same order.
    public let needKinds: [String]
    /// The dataset it reads, if its kind uses one.
    public let dataset: String?
}

extension StageOutline {
    /// The needs whose kind is in `kinds`.
    public func needs(ofKind kinds: Set<String>) -> [String] {
        zip(needs, needKinds).filter { kinds.contains($0.1) }.map(\.0)
    }

    /// Checks that `count` of the needs are of the kinds in `kinds`.
    /// - Throws: `.invalidParameter` for the pseudo-parameter `needs`, saying what `role` the
    ///   stage expects them to play.
    public func requireNeeds(ofKind kinds: Set<String>, count: ClosedRange<Int>, role: String) throws(PipelineError) {
        let found = needs(ofKind: kinds)
        guard count.contains(found.count) else {
            let amount = count.lowerBound == count.upperBound ? "exactly \(count.lowerBound)"
                : count.upperBound == Int.max ? "at least \(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)"
            throw .invalidParameter(parameter: "needs", reason: "lists \(found.count) \(role) stage(s)",
                                    expected: "\(amount) stage(s) of kind \(kinds.sorted().joined(separator: " or ")) (\(role))")
        }
    }
}
