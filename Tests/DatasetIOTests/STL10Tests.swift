import Testing
@testable import DatasetIO

@Suite struct STL10Tests {
    let folder = TemporaryFolder()
    let side = 96

    /// Images in STL-10's on-disk layout (each channel plane column-major) and the row-major
    /// C x H x W bytes a reader must produce from them.
    func images(_ count: Int) -> (disk: [UInt8], rowMajor: [UInt8]) {
        let rowMajor = testBytes(count * 3 * side * side, seed: 9)
        var disk = [UInt8](repeating: 0, count: rowMajor.count)
        for plane in 0..<(count * 3) {
            for y in 0..<side {
                for x in 0..<side {
                    disk[plane * side * side + x * side + y] = rowMajor[plane * side * side + y * side + x]
                }
            }
        }
        return (disk, rowMajor)
    }

    @Test func roundTripWithColumnMajorPlanesAndOneBasedLabels() throws {
        let (disk, rowMajor) = images(3)
        let imagesPath = folder.write("train_X.bin", disk)
        let labelsPath = folder.write("train_y.bin", [1, 10, 4])
        let dataset = try STL10.dataset(images: imagesPath, labels: labelsPath, classNames: classNames(10))
        #expect(dataset.shape == ImageShape(channels: 3, height: 96, width: 96))
        #expect(dataset.labels == [0, 9, 3])
        #expect(dataset.images == scaled(rowMajor))
    }

    @Test func pixelPlacement() throws {
        var disk = [UInt8](repeating: 0, count: 3 * side * side)
        disk[1 * side * side + 5 * side + 2] = 200  // channel 1, x = 5, y = 2
        let (images, count) = try STL10.readImages(folder.write("one.bin", disk))
        #expect(count == 1)
        #expect(images[1 * side * side + 2 * side + 5] == Float(200) / 255)
        #expect(images.filter { $0 != 0 }.count == 1)
    }

    @Test func folds() throws {
        let path = folder.write("fold_indices.txt", text: "0 4 2 \n1 3\n\n")
        #expect(try STL10.readFolds(path, trainCount: 5) == [[0, 4, 2], [1, 3]])
        let bad = folder.write("bad_folds.txt", text: "0 1\n2 5\n")
        #expect(throws: DatasetError.malformed(path: bad, line: 2, reason: "'5' is not a training-image index in 0..<5")) {
            try STL10.readFolds(bad, trainCount: 5)
        }
    }

    @Test func labelOutOfRange() {
        let path = folder.write("test_y.bin", [3, 0, 2])
        #expect(throws: DatasetError.labelOutOfRange(path: path, index: 1, label: -1, classCount: 10)) {
            try STL10.readLabels(path, classCount: 10)
        }
    }

    @Test func truncatedImages() {
        let path = folder.write("cut_X.bin", Array(images(2).disk.dropLast(7)))
        let image = 3 * side * side
        #expect(throws: DatasetError.truncated(path: path, expectedBytes: 2 * image, actualBytes: 2 * image - 7)) {
            try STL10.readImages(path)
        }
    }

    @Test func countMismatch() {
        let imagesPath = folder.write("x.bin", images(2).disk)
        let labelsPath = folder.write("y.bin", [1, 2, 3])
        #expect(throws: DatasetError.countMismatch(imagesPath: imagesPath, labelsPath: labelsPath, images: 2, labels: 3)) {
            try STL10.dataset(images: imagesPath, labels: labelsPath, classNames: classNames(10))
        }
    }
}
