/// The 8x8 handwritten digits as bundled by scikit-learn (`digits.csv.gz`, the UCI optdigits test set).
///
/// Each line holds 64 comma-separated pixel values in 0...16 (row-major), then the label. Values may
/// be written as integers or decimals (`5` or `5.0`). Gzipped or plain.
public enum DigitsCSV {
    /// The shape of every digit image.
    public static let shape = ImageShape(channels: 1, height: 8, width: 8)
    /// The largest pixel value; pixels are divided by it to land in [0, 1].
    public static let pixelMaximum = 16

    /// Reads the file into a dataset of 1 x 8 x 8 images.
    /// - Throws: `.malformed` with the line number for a bad line, `.labelOutOfRange` for a label
    ///   outside `0..<classNames.count`, `.missingFile`, `.unreadable`.
    public static func dataset(_ path: String, classNames: [String] = (0..<10).map { String($0) })
        throws(DatasetError) -> Dataset {
        let text = try GzipFile(path: path).readToEnd()
        let fieldsPerLine = shape.pixelCount + 1
        var images = [Float]()
        var labels = [Int32]()
        var fields = [Double]()
        fields.reserveCapacity(fieldsPerLine)
        var lineNumber = 0
        var start = 0
        while start < text.count {
            lineNumber += 1
            var end = start
            while end < text.count && text[end] != UInt8(ascii: "\n") { end += 1 }
            let line = text[start..<end]
            start = end + 1
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { continue }
            fields.removeAll(keepingCapacity: true)
            for field in line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                guard let value = parseNumber(field) else {
                    throw .malformed(path: path, line: lineNumber,
                                     reason: "'\(String(decoding: field, as: UTF8.self))' is not a number")
                }
                fields.append(value)
            }
            guard fields.count == fieldsPerLine else {
                throw .malformed(path: path, line: lineNumber,
                                 reason: "expected \(fieldsPerLine) comma-separated values, found \(fields.count)")
            }
            for value in fields.dropLast() {
                guard value >= 0, value <= Double(pixelMaximum) else {
                    throw .malformed(path: path, line: lineNumber,
                                     reason: "pixel value \(value) is outside 0...\(pixelMaximum)")
                }
                images.append(Float(value) / Float(pixelMaximum))
            }
            let label = fields[fieldsPerLine - 1]
            guard label == label.rounded() else {
                throw .malformed(path: path, line: lineNumber, reason: "label \(label) is not a whole number")
            }
            guard label < Double(classNames.count) else {
                throw .labelOutOfRange(path: path, index: labels.count, label: Int(label), classCount: classNames.count)
            }
            labels.append(Int32(label))
        }
        return Dataset(validated: images, labels: labels, shape: shape, classNames: classNames, source: path)
    }

    /// Parses `digits[.digits]`, surrounded by optional spaces or a carriage return.
    private static func parseNumber(_ field: ArraySlice<UInt8>) -> Double? {
        var value = 0.0
        var scale = 1.0
        var digits = 0
        var inFraction = false
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 15 else { return nil }
                let digit = Double(byte - UInt8(ascii: "0"))
                if inFraction { scale /= 10; value += digit * scale } else { value = value * 10 + digit }
            case UInt8(ascii: ".") where !inFraction:
                inFraction = true
            case UInt8(ascii: " "), UInt8(ascii: "\r"):
                continue
            default:
                return nil
            }
        }
        return digits > 0 ? value : nil
    }
}
