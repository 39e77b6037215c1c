/// The binary versions of CIFAR-10 and CIFAR-100 (`cifar-10-batches-bin`, `cifar-100-binary`).
///
/// A file is a sequence of fixed-size records with no header. A CIFAR-10 record is one label byte
/// then 3,072 pixel bytes; a CIFAR-100 record is a coarse label byte, a fine label byte, then the
/// pixels. Pixels are the red, green and blue 32x32 planes in turn, each row-major: already C x H x W.
public enum CIFAR {
    /// Which of the two datasets, and for CIFAR-100 which labels to keep.
    public enum Variant: Sendable, Hashable {
        /// CIFAR-10: one label per record.
        case cifar10
        /// CIFAR-100: coarse (20 superclasses) and fine (100 classes) labels per record.
        case cifar100(LabelGranularity)

        /// Label bytes before the pixels of each record.
        var labelBytes: Int {
            switch self {
            case .cifar10: 1
            case .cifar100: 2
            }
        }

        /// Offset of the kept label inside a record.
        var labelOffset: Int {
            switch self {
            case .cifar10, .cifar100(.coarse): 0
            case .cifar100(.fine): 1
            }
        }
    }

    /// CIFAR-100's two label sets.
    public enum LabelGranularity: String, Sendable, Hashable, Codable {
        /// The 20 superclasses.
        case coarse
        /// The 100 classes.
        case fine
    }

    /// The shape of every CIFAR image.
    public static let shape = ImageShape(channels: 3, height: 32, width: 32)

    /// Bytes in one record of `variant`.
    public static func recordSize(_ variant: Variant) -> Int { variant.labelBytes + shape.pixelCount }

    /// Reads and concatenates the record files `paths` (e.g. `data_batch_1.bin` ... `data_batch_5.bin`).
    /// - Parameter expectedCounts: when given, the number of records each file must hold.
    /// - Throws: `.truncated` when a file is not a whole number of records (or is shorter than its
    ///   expected count), `.unexpectedCount`, `.labelOutOfRange`, `.missingFile`, `.unreadable`.
    public static func dataset(files paths: [String], variant: Variant, classNames: [String],
                               expectedCounts: [Int]? = nil) throws(DatasetError) -> Dataset {
        let record = recordSize(variant)
        var images = [Float]()
        var labels = [Int32]()
        for (fileIndex, path) in paths.enumerated() {
            let bytes = try GzipFile(path: path).readToEnd()
            let expected = expectedCounts.flatMap { fileIndex < $0.count ? $0[fileIndex] : nil }
            if let expected, bytes.count < expected * record {
                throw .truncated(path: path, expectedBytes: expected * record, actualBytes: bytes.count)
            }
            guard bytes.count % record == 0 else {
                let whole = (bytes.count / record + 1) * record
                throw .truncated(path: path, expectedBytes: whole, actualBytes: bytes.count)
            }
            let count = bytes.count / record
            if let expected, count != expected {
                throw .unexpectedCount(path: path, expected: expected, found: count)
            }
            let fileLabels = (0..<count).map { Int32(bytes[$0 * record + variant.labelOffset]) }
            try checkLabels(fileLabels, classCount: classNames.count, path: path)
            labels += fileLabels
            appendPixels(bytes, count: count, variant: variant, to: &images)
        }
        return Dataset(validated: images, labels: labels, shape: shape, classNames: classNames,
                       source: paths.joined(separator: " + "))
    }

    /// Appends the pixels of `count` records, scaled to [0, 1], to `images`.
    private static func appendPixels(_ bytes: [UInt8], count: Int, variant: Variant, to images: inout [Float]) {
        let pixels = shape.pixelCount
        let record = recordSize(variant)
        let start = images.count
        images += [Float](repeating: 0, count: count * pixels)
        bytes.withUnsafeBufferPointer { source in
            images.withUnsafeMutableBufferPointer { target in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                for n in 0..<count {
                    let input = from + (n &* record &+ variant.labelBytes)
                    let output = to + (start &+ n &* pixels)
                    for i in 0..<pixels { output[i] = Float(input[i]) / 255 }
                }
            }
        }
    }
}
