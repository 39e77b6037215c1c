import COpenSSL

/// SHA-256 digests through OpenSSL's libcrypto, incrementally or in one call.
///
/// ```swift
/// SHA256.hex(of: Array("abc".utf8))  // "ba7816bf…15ad"
/// var hasher = SHA256()
/// hasher.update(chunk1); hasher.update(chunk2)
/// let digest = hasher.finalizeHex()
/// ```
public struct SHA256: ~Copyable {
    private let context: OpaquePointer

    /// A hasher with nothing fed yet.
    public init() {
        // EVP_MD_CTX_new fails only when memory is exhausted, where nothing sensible remains to do.
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("OpenSSL could not allocate a digest context") }
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Feeds raw bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Feeds an array of bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the UTF-8 bytes of a string.
    public mutating func update(_ string: String) {
        update(Array(string.utf8))
    }

    /// The 32-byte digest of everything fed so far.
    public consuming func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return Array(digest.prefix(Int(length)))
    }

    /// The digest as 64 lowercase hexadecimal characters.
    public consuming func finalizeHex() -> String {
        hexString(finalize())
    }

    /// The hexadecimal digest of `bytes`.
    public static func hex(of bytes: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// The hexadecimal digest of the UTF-8 bytes of `string`.
    public static func hex(of string: String) -> String {
        hex(of: Array(string.utf8))
    }
}

/// Lowercase hexadecimal rendering of bytes.
public func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
