import CZlib
import Foundation

/// A file opened for reading through zlib, which decompresses gzip files and passes plain files
/// through unchanged, so every reader accepts both `name` and `name.gz`.
struct GzipFile: ~Copyable {
    /// The path the file was opened from, for error messages.
    let path: String
    /// The size of the file on disk (compressed size for a gzip file).
    let diskSize: Int
    private let handle: gzFile

    /// The most one compressed byte can expand to under deflate (its maximum ratio is 1032:1).
    private static let maximumExpansion = 1032

    /// Opens `path`. A missing file is reported as `.missingFile` without a provider.
    init(path: String) throws(DatasetError) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw .missingFile(path: path, providedBy: nil)
        }
        guard let handle = gzopen(path, "rb") else {
            throw .unreadable(path: path, reason: "it could not be opened")
        }
        gzbuffer(handle, 1 << 17)
        self.path = path
        self.handle = handle
        self.diskSize = (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    deinit { gzclose(handle) }

    /// An upper bound on the number of bytes the file can yield: its size when plain, the largest
    /// possible expansion when compressed. Lets readers reject absurd headers before allocating.
    var maximumContentSize: Int {
        gzdirect(handle) != 0 ? diskSize : diskSize &* Self.maximumExpansion
    }

    /// Reads until `buffer` is full or the file ends, and returns how many bytes were read.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var filled = 0
        while filled < buffer.count {
            let chunk = UInt32(min(buffer.count - filled, 1 << 30))
            let count = gzread(handle, base + filled, chunk)
            if count < 0 { throw .unreadable(path: path, reason: errorMessage()) }
            if count == 0 { break }
            filled += Int(count)
        }
        return filled
    }

    /// Reads `count` bytes into a new array, or returns fewer when the file ends first.
    func read(count: Int) throws(DatasetError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let filled = try fill(&bytes)
        if filled < count { bytes.removeLast(count - filled) }
        return bytes
    }

    /// Reads everything that is left. A gzip stream that ends early is an error.
    func readToEnd() throws(DatasetError) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(gzdirect(handle) != 0 ? diskSize : diskSize &* 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try fill(&chunk)
            bytes.append(contentsOf: chunk.prefix(count))
            if count < chunk.count { break }
        }
        try checkStreamComplete()
        return bytes
    }

    /// Counts (and discards) the bytes left in the file.
    func countRemaining() throws(DatasetError) -> Int {
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while true {
            let count = try fill(&scratch)
            total += count
            if count < scratch.count { return total }
        }
    }

    /// Reads into the whole of `bytes`, and returns how many bytes were read.
    private func fill(_ bytes: inout [UInt8]) throws(DatasetError) -> Int {
        try bytes.withUnsafeMutableBufferPointer { (buffer) throws(DatasetError) -> Int in
            try read(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Throws when the gzip stream stopped in the middle (a truncated `.gz` file).
    private func checkStreamComplete() throws(DatasetError) {
        var code: Int32 = 0
        _ = gzerror(handle, &code)
        if code == Z_BUF_ERROR { throw .unreadable(path: path, reason: "the gzip stream ends early (truncated file)") }
    }

    private func errorMessage() -> String {
        var code: Int32 = 0
        guard let message = gzerror(handle, &code) else { return "zlib error \(code)" }
        return String(cString: message)
    }
}
