/// Everything that can go wrong while finding, reading or preparing a dataset.
///
/// Each case carries what a user needs to fix the input: the file, and what was expected against
/// what was found. `description` reads as one sentence.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file does not exist. `providedBy` names the package or download that provides it.
    case missingFile(path: String, providedBy: String?)
    /// A file exists but could not be opened or decompressed.
    case unreadable(path: String, reason: String)
    /// A file does not start with the magic number of its format.
    case wrongMagic(path: String, expected: String, found: String)
    /// A file holds fewer bytes than its header or format requires.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// A file holds more bytes than its header or format allows.
    case trailingBytes(path: String, expectedBytes: Int, actualBytes: Int)
    /// A text file (CSV, folds) has a line that does not parse.
    case malformed(path: String, line: Int, reason: String)
    /// A label is outside `0..<classCount`. `index` is the example's position in the file.
    case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int)
    /// An image file and its label file disagree on the number of examples.
    case countMismatch(imagesPath: String, labelsPath: String, images: Int, labels: Int)
    /// A file holds images of another shape than expected.
    case shapeMismatch(path: String, expected: String, found: String)
    /// A file holds another number of examples than its descriptor declares.
    case unexpectedCount(path: String, expected: Int, found: Int)
    /// A dataset descriptor is invalid at `field` (a dotted key path); `line` is 1-based when known.
    case invalidDescriptor(path: String, field: String, line: Int?, reason: String)
    /// No descriptor of that name exists in the catalog folder.
    case unknownDataset(name: String, folder: String, known: [String])
    /// An argument of a split, subset, resize, augmentation or iterator is out of range.
    case invalidArgument(name: String, reason: String)

    public var description: String {
        switch self {
        case .missingFile(let path, let providedBy):
            if let providedBy { return "\(path) does not exist; it is provided by \(providedBy)." }
            return "\(path) does not exist."
        case .unreadable(let path, let reason):
            return "\(path) could not be read: \(reason)."
        case .wrongMagic(let path, let expected, let found):
            return "\(path) starts with magic number \(found), expected \(expected)."
        case .truncated(let path, let expected, let actual):
            return "\(path) is truncated: expected \(expected) bytes, found \(actual)."
        case .trailingBytes(let path, let expected, let actual):
            return "\(path) has \(actual - expected) unexpected trailing bytes: expected \(expected) bytes, found \(actual)."
        case .malformed(let path, let line, let reason):
            return "\(path), line \(line): \(reason)."
        case .labelOutOfRange(let path, let index, let label, let classCount):
            return "\(path) gives example \(index) the label \(label), outside 0..<\(classCount)."
        case .countMismatch(let imagesPath, let labelsPath, let images, let labels):
            return "\(imagesPath) holds \(images) images but \(labelsPath) holds \(labels) labels."
        case .shapeMismatch(let path, let expected, let found):
            return "\(path) holds images of shape \(found), expected \(expected)."
        case .unexpectedCount(let path, let expected, let found):
            return "\(path) holds \(found) examples, expected \(expected)."
        case .invalidDescriptor(let path, let field, let line, let reason):
            let place = line.map { "\(path):\($0)" } ?? path
            return "\(place): dataset descriptor field '\(field)' \(reason)."
        case .unknownDataset(let name, let folder, let known):
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            return "no dataset named '\(name)' in \(folder) (known: \(list))."
        case .invalidArgument(let name, let reason):
            return "\(name) \(reason)."
        }
    }
}
