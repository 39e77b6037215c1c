import Testing
@testable import DatasetIO

@Suite struct PreprocessingTests {
    /// One 2x2 image per entry, values given row-major.
    func dataset(_ images: [[Float]], channels: Int = 1, side: Int = 2) throws -> Dataset {
        try Dataset(images: images.flatMap { $0 }, labels: images.map { _ in 0 },
                    shape: ImageShape(channels: channels, height: side, width: side), classNames: ["only"], source: "test")
    }

    @Test func perChannelStatistics() throws {
        // Channel 0 holds 1, 3 (mean 2, std 1); channel 1 holds 5 everywhere (std 0, stored as 1).
        let data = try dataset([[1, 1, 1, 1, 5, 5, 5, 5], [3, 3, 3, 3, 5, 5, 5, 5]], channels: 2)
        let statistics = ChannelNormalization.fit(data)
        #expect(statistics.mean == [2, 5])
        #expect(statistics.std == [1, 1])
        let normalised = try statistics.applied(to: data)
        #expect(normalised.images == [-1, -1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0])
    }

    @Test func normalisationChecksChannels() throws {
        var data = try dataset([[0, 1, 2, 3]])
        let statistics = try ChannelNormalization(mean: [0, 0, 0], std: [1, 1, 1])
        #expect(throws: DatasetError.self) { try statistics.apply(to: &data) }
        #expect(throws: DatasetError.self) { try ChannelNormalization(mean: [0], std: [0]) }
    }

    @Test func nearestUpsamplingRepeatsPixels() throws {
        let resized = try dataset([[0, 1, 2, 3]]).resized(height: 4, width: 4, method: .nearest)
        #expect(resized.shape == ImageShape(channels: 1, height: 4, width: 4))
        #expect(resized.images == [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3])
    }

    @Test func bilinearUpsamplingMatchesHalfPixelCentres() throws {
        let resized = try dataset([[0, 1, 2, 3]]).resized(height: 4, width: 4, method: .bilinear)
        let expected: [Float] = [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]
        #expect(zip(resized.images, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func bilinearHalvingAveragesBlocks() throws {
        let image: [Float] = (0..<16).map { Float($0) }
        let resized = try dataset([image], side: 4).resized(height: 2, width: 2, method: .bilinear)
        #expect(resized.images == [2.5, 4.5, 10.5, 12.5])
    }

    @Test func digitsToMNISTSize() throws {
        let digits = try syntheticDataset(count: 3, classes: 3, shape: ImageShape(channels: 1, height: 8, width: 8))
        let resized = try digits.resized(height: 28, width: 28, method: .bilinear)
        #expect(resized.shape == ImageShape(channels: 1, height: 28, width: 28))
        #expect(resized.image(at: 2).allSatisfy { $0 == 2 })
        #expect(resized.labels == digits.labels)
        #expect(throws: DatasetError.self) { try digits.resized(height: 0, width: 28, method: .nearest) }
    }
}
