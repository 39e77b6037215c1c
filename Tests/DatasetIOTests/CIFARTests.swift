import Testing
@testable import DatasetIO

@Suite struct CIFARTests {
    let folder = TemporaryFolder()

    /// CIFAR records: each the label bytes then 3,072 pixel bytes.
    func records(_ labels: [[UInt8]], seed: Int) -> (bytes: [UInt8], pixels: [UInt8]) {
        var bytes = [UInt8]()
        var pixels = [UInt8]()
        for (n, recordLabels) in labels.enumerated() {
            let image = testBytes(3072, seed: seed * 100 + n)
            bytes += recordLabels + image
            pixels += image
        }
        return (bytes, pixels)
    }

    @Test func cifar10RoundTripOverSeveralFiles() throws {
        let first = records([[3], [9], [0]], seed: 1)
        let second = records([[5], [1]], seed: 2)
        let paths = [folder.write("data_batch_1.bin", first.bytes), folder.write("data_batch_2.bin", second.bytes)]
        let dataset = try CIFAR.dataset(files: paths, variant: .cifar10, classNames: classNames(10), expectedCounts: [3, 2])
        #expect(dataset.count == 5)
        #expect(dataset.shape == ImageShape(channels: 3, height: 32, width: 32))
        #expect(dataset.labels == [3, 9, 0, 5, 1])
        #expect(dataset.images == scaled(first.pixels + second.pixels))
    }

    @Test func cifar100FineAndCoarseLabels() throws {
        let data = records([[4, 72], [19, 99], [0, 0]], seed: 3)
        let path = folder.write("train.bin.gz", data.bytes)
        let fine = try CIFAR.dataset(files: [path], variant: .cifar100(.fine), classNames: classNames(100))
        let coarse = try CIFAR.dataset(files: [path], variant: .cifar100(.coarse), classNames: classNames(20))
        #expect(fine.labels == [72, 99, 0])
        #expect(coarse.labels == [4, 19, 0])
        #expect(fine.images == scaled(data.pixels))
        #expect(coarse.images == fine.images)
    }

    @Test func truncatedRecord() {
        let data = records([[1], [2]], seed: 4)
        let path = folder.write("cut.bin", Array(data.bytes.dropLast(100)))
        #expect(throws: DatasetError.truncated(path: path, expectedBytes: 2 * 3073, actualBytes: 2 * 3073 - 100)) {
            try CIFAR.dataset(files: [path], variant: .cifar10, classNames: classNames(10))
        }
    }

    @Test func fewerRecordsThanExpected() {
        let path = folder.write("short.bin", records([[1], [2]], seed: 5).bytes)
        #expect(throws: DatasetError.truncated(path: path, expectedBytes: 3 * 3073, actualBytes: 2 * 3073)) {
            try CIFAR.dataset(files: [path], variant: .cifar10, classNames: classNames(10), expectedCounts: [3])
        }
    }

    @Test func labelOutOfRange() {
        let path = folder.write("bad.bin", records([[1, 5], [20, 5]], seed: 6).bytes)
        #expect(throws: DatasetError.labelOutOfRange(path: path, index: 1, label: 20, classCount: 20)) {
            try CIFAR.dataset(files: [path], variant: .cifar100(.coarse), classNames: classNames(20))
        }
    }

    @Test func missingFile() {
        let path = folder.file("test_batch.bin")
        #expect(throws: DatasetError.missingFile(path: path, providedBy: nil)) {
            try CIFAR.dataset(files: [path], variant: .cifar10, classNames: classNames(10))
        }
    }
}
