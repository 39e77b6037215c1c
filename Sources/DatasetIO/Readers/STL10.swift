/// The binary version of STL-10 (`stl10_binary`): `train_X.bin`, `train_y.bin`, `test_X.bin`,
/// `test_y.bin` and `fold_indices.txt`.
///
/// An image file holds 3 x 96 x 96 bytes per image with no header, each channel plane stored
/// column-major (x outer, y inner), as written from MATLAB. A label file holds one byte per image,
/// 1-based (1...10). The folds file has one line per predefined fold, listing 0-based indices of
/// training images separated by spaces.
public enum STL10 {
    /// The shape of every STL-10 image.
    public static let shape = ImageShape(channels: 3, height: 96, width: 96)

    /// Reads an image file as N x 3 x 96 x 96 Floats in [0, 1], row-major, and the image count.
    /// - Throws: `.truncated` when the file is not a whole number of images.
    public static func readImages(_ path: String) throws(DatasetError) -> (images: [Float], count: Int) {
        let bytes = try GzipFile(path: path).readToEnd()
        let size = shape.pixelCount
        guard bytes.count % size == 0 else {
            throw .truncated(path: path, expectedBytes: (bytes.count / size + 1) * size, actualBytes: bytes.count)
        }
        let count = bytes.count / size
        let side = shape.height
        let planes = count * shape.channels
        let images = [Float](unsafeUninitializedCapacity: bytes.count) { out, initialized in
            bytes.withUnsafeBufferPointer { source in
                guard let from = source.baseAddress, let to = out.baseAddress else { return }
                for plane in 0..<planes {
                    let input = from + plane &* side &* side
                    let output = to + plane &* side &* side
                    for x in 0..<side {
                        for y in 0..<side { output[y &* side &+ x] = Float(input[x &* side &+ y]) / 255 }
                    }
                }
            }
            initialized = bytes.count
        }
        return (images, count)
    }

    /// Reads a 1-based label file as 0-based labels.
    /// - Throws: `.labelOutOfRange` (with the 0-based label) for a byte outside `1...classCount`.
    public static func readLabels(_ path: String, classCount: Int) throws(DatasetError) -> [Int32] {
        let labels = try GzipFile(path: path).readToEnd().map { Int32($0) - 1 }
        try checkLabels(labels, classCount: classCount, path: path)
        return labels
    }

    /// Reads a pair of image and label files into a dataset.
    /// - Throws: `.countMismatch` when the two files disagree on the number of examples.
    public static func dataset(images imagesPath: String, labels labelsPath: String, classNames: [String])
        throws(DatasetError) -> Dataset {
        let (images, count) = try readImages(imagesPath)
        let labels = try readLabels(labelsPath, classCount: classNames.count)
        try checkCounts(images: count, labels: labels.count, imagesPath: imagesPath, labelsPath: labelsPath)
        return Dataset(validated: images, labels: labels, shape: shape, classNames: classNames,
                       source: "\(imagesPath) + \(labelsPath)")
    }

    /// Reads the predefined folds: one array of training-set indices per non-empty line.
    /// - Throws: `.malformed` with the line number for a token that is not an index in `0..<trainCount`.
    public static func readFolds(_ path: String, trainCount: Int) throws(DatasetError) -> [[Int]] {
        let text = try GzipFile(path: path).readToEnd()
        var folds = [[Int]]()
        for (lineIndex, line) in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let tokens = line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") })
            guard !tokens.isEmpty else { continue }
            var fold = [Int]()
            fold.reserveCapacity(tokens.count)
            for token in tokens {
                let word = String(decoding: token, as: UTF8.self)
                guard let index = Int(word), index >= 0, index < trainCount else {
                    throw .malformed(path: path, line: lineIndex + 1,
                                     reason: "'\(word)' is not a training-image index in 0..<\(trainCount)")
                }
                fold.append(index)
            }
            folds.append(fold)
        }
        return folds
    }
}
