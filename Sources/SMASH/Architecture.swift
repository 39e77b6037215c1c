import Autodiff
import Foundation
import Hashing

/// One KxK convolution of an op: per-axis kernel and dilation, and its group count.
public struct ConvSpec: Codable, Sendable, Hashable {
    public var kernel: Pair
    public var dilation: Pair
    public var groups: Int

    public init(kernel: Pair, dilation: Pair, groups: Int) {
        self.kernel = kernel
        self.dilation = dilation
        self.groups = groups
    }
}

/// One op of a block: read banks (concatenated in ascending order), a generated 1x1 convolution,
/// ReLU, then one KxK convolution (v1) or the 2x2 array (v2), written to banks.
public struct Op: Codable, Sendable, Hashable {
    /// Banks read, ascending, concatenated along channels.
    public var reads: [Int]
    /// Banks written; the j-th receives output chunk j mod (width / bank size). An empty bank is
    /// assigned, a written one added to.
    public var writes: [Int]
    /// G: output channels in units of N.
    public var width: Int
    /// The convolutions c0…c3 (one entry for v1); `nil` where a v2 convolution is inactive.
    public var convs: [ConvSpec?]

    public init(reads: [Int], writes: [Int], width: Int, convs: [ConvSpec?]) {
        self.reads = reads
        self.writes = writes
        self.width = width
        self.convs = convs
    }

    /// Which convolutions are active, as in the paper's figures: [c0, c1, c2, c3].
    public var active: [Bool] { convs.map { $0 != nil } }
}

/// Rules for which patterns of active convolutions the op array can run.
public enum OpShape {
    /// Whether a v2 pattern is runnable: four flags, c0 active, and c3 only together with c1.
    public static func isValid(_ active: [Bool]) -> Bool {
        active.count == 4 && active[0] && (!active[3] || active[1])
    }
}

/// One block: a bank size for all its banks and its ops in order.
public struct ArchitectureBlock: Codable, Sendable, Hashable {
    /// Channels per bank, in units of N.
    public var bankSize: Int
    /// The ops, in execution order.
    public var ops: [Op]

    public init(bankSize: Int, ops: [Op]) {
        self.bankSize = bankSize
        self.ops = ops
    }
}

/// A sampled network: its skeleton and, per block, the bank size and ops. Codable with a
/// canonical JSON form (sorted keys, no whitespace) whose SHA-256 is the architecture's identity.
public struct Architecture: Codable, Sendable, Hashable {
    public var skeleton: Skeleton
    public var blocks: [ArchitectureBlock]

    public init(skeleton: Skeleton, blocks: [ArchitectureBlock]) {
        self.skeleton = skeleton
        self.blocks = blocks
    }

    private enum CodingKeys: String, CodingKey { case skeleton, blocks }

    /// Decodes and validates: an architecture read from a file is always valid.
    /// - Throws: `DecodingError` for malformed input, or the first rule the architecture breaks.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        skeleton = try container.decode(Skeleton.self, forKey: .skeleton)
        blocks = try container.decode([ArchitectureBlock].self, forKey: .blocks)
        try validate()
    }

    /// The canonical JSON text: sorted keys, no insignificant whitespace.
    public var canonicalJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding integers, booleans and strings cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// SHA-256 of the canonical JSON, as 64 hex digits.
    public var hash: String { SHA256.hex(of: canonicalJSON) }

    /// An architecture read from JSON and validated.
    /// - Throws: `SMASHError.unreadableArchitecture` for malformed JSON or missing fields, or the
    ///   first rule the architecture breaks.
    public static func decode(json: Data) throws(SMASHError) -> Architecture {
        do {
            return try JSONDecoder().decode(Architecture.self, from: json)
        } catch let error as SMASHError {
            throw error
        } catch let error as DecodingError {
            throw .unreadableArchitecture(message: describe(error))
        } catch {
            throw .unreadableArchitecture(message: "\(error)")
        }
    }

    /// The number of ops over all blocks.
    public var opCount: Int { blocks.reduce(0) { $0 + $1.ops.count } }

    /// Banks block `index` ends with: those its input fills and those its ops write.
    public func bankCount(block index: Int) -> Int {
        let block = blocks[index]
        let written = block.ops.flatMap(\.writes).max().map { $0 + 1 } ?? 0
        return max(skeleton.inputBanks(block: index, bankSize: block.bankSize), written)
    }

    /// Channels block `index` outputs: all its banks concatenated.
    public func outputChannels(block index: Int) -> Int {
        bankCount(block: index) * blocks[index].bankSize * skeleton.unit
    }
}

/// A one-line account of a decoding error: what is wrong and where.
func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return keys.isEmpty ? "the top level" : String(keys.drop { $0 == "." })
    }
    switch error {
    case .keyNotFound(let key, let context): return "missing field '\(key.stringValue)' at \(path(context))"
    case .typeMismatch(let type, let context): return "expected \(type) at \(path(context))"
    case .valueNotFound(let type, let context): return "expected \(type) but found null at \(path(context))"
    case .dataCorrupted(let context): return "\(context.debugDescription) at \(path(context))"
    @unknown default: return "\(error)"
    }
}
