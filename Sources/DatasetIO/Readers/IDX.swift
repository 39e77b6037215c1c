/// The IDX format of MNIST and Fashion-MNIST, gzipped or plain.
///
/// A file is a big-endian magic `00 00 08 NN` (0x08: unsigned bytes, NN: rank), then NN big-endian
/// UInt32 dimensions, then the bytes in row-major order. Images are rank 3 `[N, H, W]`, labels rank 1 `[N]`.
public enum IDX {
    /// The decoded contents of one IDX file of unsigned bytes.
    public struct Contents: Sendable, Hashable {
        /// The dimensions from the header, outermost first.
        public var dimensions: [Int]
        /// The data, row-major.
        public var bytes: [UInt8]
    }

    /// The type code of unsigned bytes, the only element type these datasets use.
    static let unsignedByte: UInt8 = 0x08

    /// Reads an IDX file of unsigned bytes whose rank is `rank`.
    /// - Throws: `.wrongMagic` for another type or rank, `.truncated` or `.trailingBytes` when the
    ///   data does not match the header's size, `.missingFile`, `.unreadable`.
    public static func read(_ path: String, rank: Int) throws(DatasetError) -> Contents {
        let file = try GzipFile(path: path)
        let magic = try file.read(count: 4)
        let expectedMagic = [0, 0, unsignedByte, UInt8(truncatingIfNeeded: rank)]
        guard magic.count == 4 else { throw .truncated(path: path, expectedBytes: 4, actualBytes: magic.count) }
        guard magic == expectedMagic else {
            throw .wrongMagic(path: path, expected: hex(expectedMagic), found: hex(magic))
        }
        let header = try file.read(count: 4 * rank)
        let headerSize = 4 + 4 * rank
        guard header.count == 4 * rank else {
            throw .truncated(path: path, expectedBytes: headerSize, actualBytes: 4 + header.count)
        }
        let dimensions = (0..<rank).map { (axis: Int) -> Int in
            header[4 * axis ..< 4 * axis + 4].reduce(0) { ($0 << 8) | Int($1) }
        }
        var dataSize = 1
        var overflow = false
        for dimension in dimensions where !overflow {
            (dataSize, overflow) = dataSize.multipliedReportingOverflow(by: dimension)
        }
        guard !overflow, dataSize <= file.maximumContentSize else {
            // More than the file could hold even fully compressed: measure it instead of allocating.
            let expected = overflow || dataSize > Int.max - headerSize ? Int.max : headerSize + dataSize
            throw .truncated(path: path, expectedBytes: expected, actualBytes: headerSize + (try file.countRemaining()))
        }
        let bytes = try file.read(count: dataSize)
        guard bytes.count == dataSize else {
            throw .truncated(path: path, expectedBytes: headerSize + dataSize, actualBytes: headerSize + bytes.count)
        }
        let extra = try file.countRemaining()
        guard extra == 0 else {
            throw .trailingBytes(path: path, expectedBytes: headerSize + dataSize, actualBytes: headerSize + dataSize + extra)
        }
        return Contents(dimensions: dimensions, bytes: bytes)
    }

    /// Reads an `[N, H, W]` image file as N x 1 x H x W Floats in [0, 1].
    public static func readImages(_ path: String) throws(DatasetError) -> (images: [Float], count: Int, shape: ImageShape) {
        let contents = try read(path, rank: 3)
        let shape = ImageShape(channels: 1, height: contents.dimensions[1], width: contents.dimensions[2])
        guard shape.pixelCount > 0 else {
            throw .shapeMismatch(path: path, expected: "non-empty images", found: shape.description)
        }
        let images = contents.bytes.withUnsafeBufferPointer { bytes in
            bytes.baseAddress.map { scaledPixels($0, count: bytes.count, maximum: 255) } ?? []
        }
        return (images, contents.dimensions[0], shape)
    }

    /// Reads an `[N]` label file, checking every label is in `0..<classCount`.
    public static func readLabels(_ path: String, classCount: Int) throws(DatasetError) -> [Int32] {
        let labels = try read(path, rank: 1).bytes.map { Int32($0) }
        try checkLabels(labels, classCount: classCount, path: path)
        return labels
    }

    /// Reads a pair of image and label files into a dataset.
    /// - Throws: `.countMismatch` when the two files disagree on the number of examples.
    public static func dataset(images imagesPath: String, labels labelsPath: String, classNames: [String])
        throws(DatasetError) -> Dataset {
        let (images, count, shape) = try readImages(imagesPath)
        let labels = try readLabels(labelsPath, classCount: classNames.count)
        try checkCounts(images: count, labels: labels.count,
                        imagesPath: imagesPath, labelsPath: labelsPath)
        return Dataset(validated: images, labels: labels, shape: shape, classNames: classNames,
                       source: "\(imagesPath) + \(labelsPath)")
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        "0x" + bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
