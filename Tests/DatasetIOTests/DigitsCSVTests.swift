import Testing
@testable import DatasetIO

@Suite struct DigitsCSVTests {
    let folder = TemporaryFolder()

    /// Rows of 64 pixel values in 0...16 and a label, and the CSV text that holds them.
    func sample(rows: Int, decimals: Bool) -> (pixels: [UInt8], labels: [Int32], text: String) {
        var pixels = [UInt8]()
        var labels = [Int32]()
        var text = ""
        for row in 0..<rows {
            let values = (0..<64).map { (i: Int) -> UInt8 in UInt8((i * 7 + row * 3) % 17) }
            let label = Int32(row % 10)
            pixels += values
            labels.append(label)
            let fields = values.map { decimals ? "\($0).0" : "\($0)" } + [decimals ? "\(label).0" : "\(label)"]
            text += fields.joined(separator: ",") + "\n"
        }
        return (pixels, labels, text)
    }

    @Test(arguments: [("digits.csv.gz", false), ("digits.csv.gz", true), ("digits.csv", false)])
    func roundTrip(name: String, decimals: Bool) throws {
        let (pixels, labels, text) = sample(rows: 12, decimals: decimals)
        let path = folder.write(name, text: text)
        let dataset = try DigitsCSV.dataset(path)
        #expect(dataset.count == 12)
        #expect(dataset.shape == ImageShape(channels: 1, height: 8, width: 8))
        #expect(dataset.labels == labels)
        #expect(dataset.images == scaled(pixels, maximum: 16))
        #expect(dataset.classNames == (0..<10).map { String($0) })
    }

    @Test func wrongFieldCount() {
        let path = folder.write("short.csv.gz", text: sample(rows: 2, decimals: false).text + "1,2,3\n")
        #expect(throws: DatasetError.malformed(path: path, line: 3, reason: "expected 65 comma-separated values, found 3")) {
            try DigitsCSV.dataset(path)
        }
    }

    @Test func notANumber() {
        let row = Array(repeating: "0", count: 63) + ["x", "1"]
        let path = folder.write("nan.csv.gz", text: row.joined(separator: ",") + "\n")
        #expect(throws: DatasetError.malformed(path: path, line: 1, reason: "'x' is not a number")) {
            try DigitsCSV.dataset(path)
        }
    }

    @Test func pixelOutOfRange() {
        let row = Array(repeating: "17", count: 64) + ["1"]
        let path = folder.write("bright.csv", text: row.joined(separator: ",") + "\n")
        #expect(throws: DatasetError.malformed(path: path, line: 1, reason: "pixel value 17.0 is outside 0...16")) {
            try DigitsCSV.dataset(path)
        }
    }

    @Test func labelOutOfRange() {
        let row = Array(repeating: "0", count: 64) + ["12"]
        let path = folder.write("label.csv.gz", text: sample(rows: 1, decimals: false).text + row.joined(separator: ","))
        #expect(throws: DatasetError.labelOutOfRange(path: path, index: 1, label: 12, classCount: 10)) {
            try DigitsCSV.dataset(path)
        }
    }
}
