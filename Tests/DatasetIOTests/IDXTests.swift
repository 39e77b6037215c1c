import Foundation
import Testing
@testable import DatasetIO

@Suite struct IDXTests {
    let folder = TemporaryFolder()

    @Test(arguments: ["images.idx3-ubyte.gz", "images.idx3-ubyte"])
    func imagesRoundTrip(name: String) throws {
        let pixels = testBytes(5 * 4 * 3)
        let path = folder.write(name, idxBytes(dimensions: [5, 4, 3], data: pixels))
        let contents = try IDX.read(path, rank: 3)
        #expect(contents.dimensions == [5, 4, 3])
        #expect(contents.bytes == pixels)
        let (images, count, shape) = try IDX.readImages(path)
        #expect(count == 5)
        #expect(shape == ImageShape(channels: 1, height: 4, width: 3))
        #expect(images == scaled(pixels))
    }

    @Test(arguments: ["labels.idx1-ubyte.gz", "labels.idx1-ubyte"])
    func labelsRoundTrip(name: String) throws {
        let labels: [UInt8] = [9, 0, 0, 3, 0, 2, 7, 2]
        let path = folder.write(name, idxBytes(dimensions: [8], data: labels))
        #expect(try IDX.readLabels(path, classCount: 10) == labels.map { Int32($0) })
    }

    @Test func datasetPairsImagesAndLabels() throws {
        let pixels = testBytes(3 * 2 * 2)
        let images = folder.write("i.gz", idxBytes(dimensions: [3, 2, 2], data: pixels))
        let labels = folder.write("l.gz", idxBytes(dimensions: [3], data: [2, 0, 1]))
        let dataset = try IDX.dataset(images: images, labels: labels, classNames: classNames(3))
        #expect(dataset.count == 3)
        #expect(dataset.labels == [2, 0, 1])
        #expect(dataset.images == scaled(pixels))
        #expect(dataset.classCounts() == [1, 1, 1])
    }

    @Test func missingFile() {
        let path = folder.file("absent.gz")
        #expect(throws: DatasetError.missingFile(path: path, providedBy: nil)) { try IDX.read(path, rank: 1) }
    }

    @Test func wrongMagic() {
        var bytes = idxBytes(dimensions: [2], data: [0, 1])
        bytes[2] = 0x0D  // float elements
        let path = folder.write("magic.gz", bytes)
        #expect(throws: DatasetError.wrongMagic(path: path, expected: "0x00000801", found: "0x00000d01")) {
            try IDX.read(path, rank: 1)
        }
        let images = folder.write("rank.gz", idxBytes(dimensions: [2], data: [0, 1]))
        #expect(throws: DatasetError.wrongMagic(path: images, expected: "0x00000803", found: "0x00000801")) {
            try IDX.readImages(images)
        }
    }

    @Test(arguments: ["short.gz", "short"])
    func truncatedData(name: String) {
        let full = idxBytes(dimensions: [4, 3, 3], data: testBytes(36))
        let path = folder.write(name, Array(full.dropLast(10)))
        #expect(throws: DatasetError.truncated(path: path, expectedBytes: 16 + 36, actualBytes: 16 + 26)) {
            try IDX.readImages(path)
        }
    }

    @Test func truncatedHeader() {
        let path = folder.write("header.gz", [0, 0, 8, 3, 0, 0])
        #expect(throws: DatasetError.truncated(path: path, expectedBytes: 16, actualBytes: 6)) { try IDX.readImages(path) }
    }

    @Test func absurdHeaderIsRejectedWithoutAllocating() {
        let path = folder.write("huge", idxBytes(dimensions: [0xFFFF_FFFF, 0xFFFF, 0xFFFF], data: [1, 2, 3]))
        #expect(throws: DatasetError.self) { try IDX.readImages(path) }
    }

    @Test func trailingBytes() {
        let path = folder.write("long.gz", idxBytes(dimensions: [2], data: [1, 2, 3]))
        #expect(throws: DatasetError.trailingBytes(path: path, expectedBytes: 10, actualBytes: 11)) {
            try IDX.readLabels(path, classCount: 10)
        }
    }

    @Test func labelOutOfRange() {
        let path = folder.write("labels.gz", idxBytes(dimensions: [3], data: [1, 10, 2]))
        #expect(throws: DatasetError.labelOutOfRange(path: path, index: 1, label: 10, classCount: 10)) {
            try IDX.readLabels(path, classCount: 10)
        }
    }

    @Test func countMismatch() {
        let images = folder.write("i.gz", idxBytes(dimensions: [3, 2, 2], data: testBytes(12)))
        let labels = folder.write("l.gz", idxBytes(dimensions: [2], data: [0, 1]))
        #expect(throws: DatasetError.countMismatch(imagesPath: images, labelsPath: labels, images: 3, labels: 2)) {
            try IDX.dataset(images: images, labels: labels, classNames: classNames(2))
        }
    }

    @Test func corruptGzipStream() {
        let good = folder.write("good.gz", idxBytes(dimensions: [200], data: testBytes(200)))
        let bytes = (try? Array(Data(contentsOf: URL(fileURLWithPath: good)))) ?? []
        let path = folder.write("cut", Array(bytes.prefix(bytes.count / 2)))
        #expect(throws: DatasetError.self) { try IDX.readLabels(path, classCount: 256) }
    }

    @Test func errorsReadAsOneSentence() {
        let error = DatasetError.truncated(path: "a.gz", expectedBytes: 52, actualBytes: 42)
        #expect(error.description == "a.gz is truncated: expected 52 bytes, found 42.")
    }
}
