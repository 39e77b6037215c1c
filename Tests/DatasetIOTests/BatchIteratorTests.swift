import Testing
@testable import DatasetIO

@Suite struct BatchIteratorTests {
    /// Runs one epoch and returns the dataset indices of each batch.
    func epoch(_ iterator: inout BatchIterator, _ batch: inout Batch) -> [[Int]] {
        var batches = [[Int]]()
        while iterator.next(into: &batch) { batches.append(batch.indices) }
        return batches
    }

    @Test func everyIndexOncePerEpochWithTheLastPartialBatchKept() throws {
        let dataset = try syntheticDataset(count: 23, classes: 5)
        var iterator = try BatchIterator(dataset: dataset, batchSize: 5, seed: 4)
        var batch = iterator.makeBatch()
        #expect(iterator.batchesPerEpoch == 5)
        for _ in 0..<3 {
            let batches = epoch(&iterator, &batch)
            #expect(batches.map(\.count) == [5, 5, 5, 5, 3])
            #expect(batches.flatMap { $0 }.sorted() == Array(0..<23))
        }
        #expect(iterator.position == BatchIterator.Position(seed: 4, epoch: 3, batch: 0))
    }

    @Test func batchContentsFollowTheIndices() throws {
        let dataset = try syntheticDataset(count: 10, classes: 3)
        var iterator = try BatchIterator(dataset: dataset, batchSize: 4, seed: 1)
        var batch = iterator.makeBatch()
        while iterator.next(into: &batch) {
            #expect(batch.images.count == batch.count * 4)
            #expect(batch.labels == batch.indices.map { Int32($0 % 3) })
            #expect(batch.images == batch.indices.flatMap { Array(repeating: Float($0), count: 4) })
        }
        #expect(batch.count == 0)
    }

    @Test func dropLastSkipsThePartialBatch() throws {
        let dataset = try syntheticDataset(count: 23, classes: 5)
        var iterator = try BatchIterator(dataset: dataset, batchSize: 5, seed: 4, dropLast: true)
        var batch = iterator.makeBatch()
        #expect(iterator.batchesPerEpoch == 4)
        let batches = epoch(&iterator, &batch)
        #expect(batches.map(\.count) == [5, 5, 5, 5])
        #expect(Set(batches.flatMap { $0 }).count == 20)
    }

    @Test func seededShufflingDiffersPerEpochAndRepeatsPerSeed() throws {
        let dataset = try syntheticDataset(count: 50, classes: 5)
        var first = try BatchIterator(dataset: dataset, batchSize: 8, seed: 9)
        var second = try BatchIterator(dataset: dataset, batchSize: 8, seed: 9)
        var other = try BatchIterator(dataset: dataset, batchSize: 8, seed: 10)
        var batch = first.makeBatch()
        let a0 = epoch(&first, &batch), a1 = epoch(&first, &batch)
        let b0 = epoch(&second, &batch), b1 = epoch(&second, &batch)
        #expect(a0 == b0 && a1 == b1)
        #expect(a0 != a1)
        #expect(epoch(&other, &batch) != a0)
    }

    @Test func withoutShufflingBatchesFollowDatasetOrder() throws {
        let dataset = try syntheticDataset(count: 7, classes: 2)
        var iterator = try BatchIterator(dataset: dataset, batchSize: 3, seed: 0, shuffle: false)
        var batch = iterator.makeBatch()
        #expect(epoch(&iterator, &batch) == [[0, 1, 2], [3, 4, 5], [6]])
    }

    @Test func resumesFromASavedPosition() throws {
        let shape = ImageShape(channels: 1, height: 4, width: 4)
        let dataset = try syntheticDataset(count: 30, classes: 3, shape: shape)
        let augmentation = Augmentation(padding: 1, horizontalFlip: true)
        var original = try BatchIterator(dataset: dataset, batchSize: 4, seed: 21, augmentation: augmentation)
        var batch = original.makeBatch()
        _ = epoch(&original, &batch)
        _ = original.next(into: &batch)
        _ = original.next(into: &batch)
        let saved = original.position
        #expect(saved == BatchIterator.Position(seed: 21, epoch: 1, batch: 2))
        var expected = [[Float]]()
        while original.next(into: &batch) { expected.append(batch.images) }

        var resumed = try BatchIterator(dataset: dataset, batchSize: 4, seed: 0, augmentation: augmentation)
        try resumed.seek(to: saved)
        var replay = [[Float]]()
        var other = resumed.makeBatch()
        while resumed.next(into: &other) { replay.append(other.images) }
        #expect(replay == expected)
        #expect(throws: DatasetError.self) { try resumed.seek(to: BatchIterator.Position(seed: 1, epoch: 0, batch: 99)) }
    }

    @Test func invalidArguments() throws {
        let dataset = try syntheticDataset(count: 4, classes: 2)
        #expect(throws: DatasetError.self) { try BatchIterator(dataset: dataset, batchSize: 0, seed: 0) }
        #expect(throws: DatasetError.self) {
            try BatchIterator(dataset: dataset, batchSize: 2, seed: 0, augmentation: Augmentation(padding: -2))
        }
    }
}
