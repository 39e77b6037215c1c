import Foundation
import Hashing

/// SHA-256 digests of data files, memoised in a small JSON file by path, size and modification
/// time, so a 30 MB dataset is hashed once rather than on every pipeline run.
///
/// The memo is only a cache: a missing, unreadable or corrupt memo file is ignored and rewritten,
/// and a memo that cannot be written is skipped silently. It is written atomically (temp + rename).
public struct FingerprintMemo: Sendable {
    /// The memo file.
    public let path: String

    /// A memo stored at `path`.
    public init(path: String) {
        self.path = path
    }

    /// `<parent of $SMASH_CACHE>/dataset-fingerprints.json` when `SMASH_CACHE` is set, else
    /// `.smash/dataset-fingerprints.json` in the working directory.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var folder = ".smash"
        if let cache = environment["SMASH_CACHE"], !cache.isEmpty {
            let parent = (cache as NSString).deletingLastPathComponent
            folder = parent.isEmpty ? "." : parent
        }
        return (folder as NSString).appendingPathComponent("dataset-fingerprints.json")
    }

    /// One memoised digest.
    struct Entry: Codable {
        var size: Int
        var modified: Double
        var sha256: String
    }

    /// The hexadecimal SHA-256 of each file's bytes, reusing memoised digests whose path, size and
    /// modification time still match.
    /// - Throws: `.missingFile` or `.unreadable` for a file that cannot be read.
    public func digests(of files: [String]) throws(DatasetError) -> [String] {
        var memo = load()
        var changed = false
        var result = [String]()
        for file in files {
            let key = (file as NSString).standardizingPath
            let (size, modified) = try Self.stamp(of: file)
            if let entry = memo[key], entry.size == size, entry.modified == modified {
                result.append(entry.sha256)
                continue
            }
            let digest = try Self.hash(file)
            memo[key] = Entry(size: size, modified: modified, sha256: digest)
            changed = true
            result.append(digest)
        }
        if changed { save(memo) }
        return result
    }

    /// The fingerprint of a set of files: SHA-256 over one `name digest` line per file, in order.
    /// File names, not folders, enter it, so a copy of the data elsewhere has the same fingerprint.
    public func fingerprint(of files: [String]) throws(DatasetError) -> String {
        var hasher = SHA256()
        for (file, digest) in zip(files, try digests(of: files)) {
            hasher.update("\((file as NSString).lastPathComponent) \(digest)\n")
        }
        return hasher.finalizeHex()
    }

    private static func stamp(of file: String) throws(DatasetError) -> (size: Int, modified: Double) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else {
            throw .missingFile(path: file, providedBy: nil)
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        return (size, modified)
    }

    private static func hash(_ file: String) throws(DatasetError) -> String {
        guard let stream = fopen(file, "rb") else { throw .unreadable(path: file, reason: "it could not be opened") }
        defer { fclose(stream) }
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, stream) }
            if count > 0 { chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) } }
            if count < chunk.count { break }
        }
        guard ferror(stream) == 0 else { throw .unreadable(path: file, reason: "a read failed") }
        return hasher.finalizeHex()
    }

    private func load() -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: path),
              let memo = try? JSONDecoder().decode([String: Entry].self, from: data) else { return [:] }
        return memo
    }

    private func save(_ memo: [String: Entry]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(memo) else { return }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

extension DatasetFiles {
    /// The dataset's fingerprint: see `FingerprintMemo.fingerprint(of:)`.
    public func fingerprint(memo: FingerprintMemo = FingerprintMemo(path: FingerprintMemo.defaultPath()))
        throws(DatasetError) -> String {
        try memo.fingerprint(of: allPaths)
    }
}
