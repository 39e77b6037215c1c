import CZlib
import DatasetIO
import Foundation

/// A fresh temporary folder, removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init() {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("datasetio-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the folder.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes `bytes` to `name`, gzip-compressed through zlib's gzwrite when `name` ends in `.gz`.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let target = file(name)
        try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        if name.hasSuffix(".gz") {
            guard let handle = gzopen(target, "wb") else { return target }
            _ = bytes.withUnsafeBytes { gzwrite(handle, $0.baseAddress, UInt32($0.count)) }
            gzclose(handle)
        } else {
            _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
        }
        return target
    }

    /// Writes text, compressed when `name` ends in `.gz`.
    @discardableResult
    func write(_ name: String, text: String) -> String { write(name, Array(text.utf8)) }
}

/// The bytes of an IDX file of unsigned bytes with the given dimensions.
func idxBytes(dimensions: [Int], data: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
    for dimension in dimensions {
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: dimension >> $0) }
    }
    return bytes + data
}

/// Deterministic pseudo-random bytes, so test files hold every value range.
func testBytes(_ count: Int, seed: Int = 1) -> [UInt8] {
    (0..<count).map { (i: Int) -> UInt8 in UInt8(truncatingIfNeeded: (i &* 131 &+ seed &* 71) ^ (i >> 3)) }
}

/// The Floats a reader must produce from `bytes`: each byte divided by `maximum`.
func scaled(_ bytes: [UInt8], maximum: Float = 255) -> [Float] {
    bytes.map { Float($0) / maximum }
}

/// Class names "c0", "c1", ...
func classNames(_ count: Int) -> [String] {
    (0..<count).map { "c\($0)" }
}

/// A dataset of `count` images whose every pixel holds the example's index, labelled
/// round-robin over `classes` classes, so tests can tell where each example went.
func syntheticDataset(count: Int, classes: Int, shape: ImageShape = ImageShape(channels: 1, height: 2, width: 2))
    throws -> Dataset {
    let images = (0..<count).flatMap { (n: Int) -> [Float] in Array(repeating: Float(n), count: shape.pixelCount) }
    let labels = (0..<count).map { (n: Int) -> Int32 in Int32(n % classes) }
    return try Dataset(images: images, labels: labels, shape: shape, classNames: classNames(classes), source: "synthetic")
}
