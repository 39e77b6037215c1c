import Foundation
import Spelling

/// How an op's output width G is drawn.
public enum WidthPrior: String, Codable, Sendable, Hashable {
    /// Uniform over the allowed widths (the paper's SMASHv1).
    case uniform
    /// Weight 1 / (0.01 + 10·|G − input units|): strongly prefers output width = input width
    /// (the authors' code).
    case matchInput
}

/// One pattern of active convolutions in the 2x2 array, with its sampling weight.
public struct OpConfiguration: Codable, Sendable, Hashable {
    /// Which of the four convolutions are active: [c0, c1, c2, c3].
    public var active: [Bool]
    /// Relative probability of the pattern.
    public var weight: Double

    public init(active: [Bool], weight: Double) {
        self.active = active
        self.weight = weight
    }
}

/// A search space: the skeleton every sampled architecture shares, plus how architectures are
/// sampled (per-block budgets, width prior, op patterns).
///
/// Encoded as one flat JSON object, so that a preset can be overridden field by field
/// (`overriding(json:)`); errors name the offending field.
public struct SearchSpace: Codable, Sendable, Hashable {
    /// The preset this space came from, for messages and file names.
    public var name: String
    /// The structural part, shared with every architecture of the space.
    public var skeleton: Skeleton
    /// Per-block budget ceiling, in 1x1 input channels (the code's `nch_list`): a block's ops may
    /// read at most `fraction · budget` channels in total, with `fraction ~ U(min, max)`.
    public var blockBudgetChannels: [Int]
    /// Lower end of the per-block budget fraction.
    public var minBudgetFraction: Double
    /// Upper end of the per-block budget fraction.
    public var maxBudgetFraction: Double
    /// How op widths are drawn.
    public var widthPrior: WidthPrior
    /// Patterns of active convolutions (v2 only) with their weights.
    public var opConfigurations: [OpConfiguration]

    public init(name: String, skeleton: Skeleton, blockBudgetChannels: [Int], minBudgetFraction: Double,
                maxBudgetFraction: Double, widthPrior: WidthPrior, opConfigurations: [OpConfiguration]) {
        self.name = name
        self.skeleton = skeleton
        self.blockBudgetChannels = blockBudgetChannels
        self.minBudgetFraction = minBudgetFraction
        self.maxBudgetFraction = maxBudgetFraction
        self.widthPrior = widthPrior
        self.opConfigurations = opConfigurations
    }

    private enum CodingKeys: String, CodingKey {
        case name, blockBudgetChannels, minBudgetFraction, maxBudgetFraction, widthPrior, opConfigurations
    }

    public init(from decoder: Decoder) throws {
        skeleton = try Skeleton(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        blockBudgetChannels = try container.decode([Int].self, forKey: .blockBudgetChannels)
        minBudgetFraction = try container.decode(Double.self, forKey: .minBudgetFraction)
        maxBudgetFraction = try container.decode(Double.self, forKey: .maxBudgetFraction)
        widthPrior = try container.decode(WidthPrior.self, forKey: .widthPrior)
        opConfigurations = try container.decode([OpConfiguration].self, forKey: .opConfigurations)
    }

    public func encode(to encoder: Encoder) throws {
        try skeleton.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(blockBudgetChannels, forKey: .blockBudgetChannels)
        try container.encode(minBudgetFraction, forKey: .minBudgetFraction)
        try container.encode(maxBudgetFraction, forKey: .maxBudgetFraction)
        try container.encode(widthPrior, forKey: .widthPrior)
        try container.encode(opConfigurations, forKey: .opConfigurations)
    }

    /// Throws the first field that makes the space unusable.
    public func validate() throws(SMASHError) {
        try skeleton.validate()
        guard blockBudgetChannels.count == skeleton.blockCount, blockBudgetChannels.allSatisfy({ $0 > 0 && $0 <= 16 * Skeleton.sizeLimit }) else {
            throw .invalidSpace(field: "blockBudgetChannels", found: "\(blockBudgetChannels)",
                                expected: "\(skeleton.blockCount) channel counts in 1...\(16 * Skeleton.sizeLimit), one per block")
        }
        guard minBudgetFraction > 0, minBudgetFraction <= 1 else {
            throw .invalidSpace(field: "minBudgetFraction", found: "\(minBudgetFraction)", expected: "in (0, 1]")
        }
        guard maxBudgetFraction >= minBudgetFraction, maxBudgetFraction <= 1 else {
            throw .invalidSpace(field: "maxBudgetFraction", found: "\(maxBudgetFraction)",
                                expected: "in [minBudgetFraction (\(minBudgetFraction)), 1]")
        }
        if skeleton.structure == .array {
            guard !opConfigurations.isEmpty, opConfigurations.allSatisfy({ $0.weight > 0 && OpShape.isValid($0.active) }) else {
                throw .invalidSpace(field: "opConfigurations", found: "\(opConfigurations.map { ($0.active.map { $0 ? 1 : 0 }, $0.weight) })",
                                    expected: "patterns of 4 flags with c0 active and c3 only with c1, each with a positive weight")
            }
        }
    }

    /// This space with the fields of a JSON object replaced, then validated.
    /// - Throws: `SMASHError.invalidSpace` naming an unknown field (with the closest known name),
    ///   a value of the wrong type, or a value that fails validation.
    public func overriding(json: Data) throws(SMASHError) -> SearchSpace {
        let current = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(self))) as? [String: Any] ?? [:]
        guard let overrides = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else {
            throw .invalidSpace(field: "(overrides)", found: "not a JSON object", expected: "a JSON object of search-space fields")
        }
        var merged = current
        for (key, value) in overrides {
            guard current[key] != nil || key == "maxBottleneckChannels" else {
                let suggestion = Suggestion.nearest(to: key, in: Array(current.keys) + ["maxBottleneckChannels"])
                throw .invalidSpace(field: key, found: "an unknown field", expected: "one of the space's fields\(Suggestion.phrase(suggestion))")
            }
            merged[key] = value
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: merged)
            let space = try JSONDecoder().decode(SearchSpace.self, from: data)
            try space.validate()
            return space
        } catch let error as SMASHError {
            throw error
        } catch let DecodingError.typeMismatch(type, context) {
            let field = context.codingPath.first?.stringValue ?? "(space)"
            throw .invalidSpace(field: field, found: "\(overrides[field] ?? "a value of another type")", expected: "of type \(type)")
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.first?.stringValue ?? "(space)"
            throw .invalidSpace(field: field, found: "\(overrides[field] ?? "unreadable")", expected: context.debugDescription)
        } catch {
            throw .invalidSpace(field: "(overrides)", found: "\(error)", expected: "values of the fields' types")
        }
    }
}
