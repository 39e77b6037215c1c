/// File names inside the store: `<kind>/<key>.h5`, `<kind>/<key>.lock` and the temporary
/// `<kind>/.<key>.<pid>.tmp.h5`.
///
/// A kind is lowercase letters, digits and `-`. A key is letters, digits, `_` and `-`, with at
/// most one `.` separating an item namespace from an item (see `ArtifactStore.itemKey`).
enum ArtifactNames {
    static let finalSuffix = ".h5"
    static let lockSuffix = ".lock"
    static let temporarySuffix = ".tmp.h5"

    /// Throws unless `kind` is usable as a folder name.
    static func checkKind(_ kind: String) throws(ArtifactError) {
        let allowed = kind.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard allowed, !kind.isEmpty, kind.count <= 64, !kind.hasPrefix("-") else {
            throw .invalidArgument(name: "artifact kind", value: kind,
                                   reason: "expected 1 to 64 lowercase letters, digits or '-', not starting with '-'")
        }
    }

    /// Throws unless `key` is usable as a file name.
    static func checkKey(_ key: String) throws(ArtifactError) {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, key.count <= 200, parts.allSatisfy(isToken) else {
            throw .invalidArgument(name: "artifact key", value: key,
                                   reason: "expected letters, digits, '_' or '-', optionally 'namespace.item', at most 200 characters")
        }
    }

    /// Whether `part` is a non-empty run of letters, digits, `_` and `-`.
    static func isToken(_ part: Substring) -> Bool {
        !part.isEmpty && part.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }

    static func finalName(_ key: String) -> String { key + finalSuffix }
    static func lockName(_ key: String) -> String { key + lockSuffix }
    static func temporaryName(_ key: String, pid: Int32) -> String { ".\(key).\(pid)\(temporarySuffix)" }

    /// What a file in a kind folder is, from its name alone.
    enum Role: Equatable {
        case final(key: String)
        case temporary(key: String, pid: Int32)
        case lock(key: String)
    }

    /// The role of the file `name`, or nil for files the store does not own.
    static func role(of name: String) -> Role? {
        if name.hasPrefix("."), name.hasSuffix(temporarySuffix) {
            let stem = name.dropFirst().dropLast(temporarySuffix.count)
            guard let dot = stem.lastIndex(of: "."), let pid = Int32(stem[stem.index(after: dot)...]) else { return nil }
            let key = String(stem[..<dot])
            return (try? checkKey(key)) == nil ? nil : .temporary(key: key, pid: pid)
        }
        for (suffix, make) in [(finalSuffix, Role.final), (lockSuffix, Role.lock)] where name.hasSuffix(suffix) {
            let key = String(name.dropLast(suffix.count))
            return (try? checkKey(key)) == nil ? nil : make(key)
        }
        return nil
    }
}
