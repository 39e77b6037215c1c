import Testing
@testable import DatasetIO

@Suite struct SplitTests {
    @Test func randomSplitIsSeededDisjointAndComplete() throws {
        let dataset = try syntheticDataset(count: 100, classes: 10)
        let (kept, heldOut) = try dataset.randomSplitIndices(holdingOut: 20, seed: 7)
        #expect(heldOut.count == 20)
        #expect(kept.count == 80)
        #expect(Set(kept).isDisjoint(with: heldOut))
        #expect(Set(kept + heldOut) == Set(0..<100))
        #expect(kept == kept.sorted() && heldOut == heldOut.sorted())
        let again = try dataset.randomSplitIndices(holdingOut: 20, seed: 7)
        #expect(again.kept == kept && again.heldOut == heldOut)
        let other = try dataset.randomSplitIndices(holdingOut: 20, seed: 8)
        #expect(other.heldOut != heldOut)
    }

    @Test func randomSplitCarriesTheExamples() throws {
        let dataset = try syntheticDataset(count: 30, classes: 3)
        let (kept, heldOut) = try dataset.randomSplit(holdingOut: 10, seed: 1)
        let (keptIndices, heldOutIndices) = try dataset.randomSplitIndices(holdingOut: 10, seed: 1)
        #expect(heldOut.labels == heldOutIndices.map { Int32($0 % 3) })
        #expect(kept.images.enumerated().allSatisfy { $0.element == Float(keptIndices[$0.offset / 4]) })
    }

    @Test func holdingOutTooManyIsAnError() throws {
        let dataset = try syntheticDataset(count: 5, classes: 2)
        #expect(throws: DatasetError.self) { try dataset.randomSplitIndices(holdingOut: 6, seed: 0) }
    }

    @Test func firstPerClassTakesTheEarliestExamples() throws {
        let dataset = try syntheticDataset(count: 50, classes: 4)  // classes 0, 1 have 13, classes 2, 3 have 12
        let subset = try dataset.firstPerClass(3)
        #expect(subset.classCounts() == [3, 3, 3, 3])
        #expect(subset.labels == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
        #expect(try dataset.firstPerClass(20).classCounts() == [13, 13, 12, 12])
        #expect(throws: DatasetError.self) { try dataset.firstPerClass(0) }
    }

    @Test func dataSplitsNormaliseWithTrainingStatistics() throws {
        let training = try syntheticDataset(count: 60, classes: 3)
        let test = try syntheticDataset(count: 9, classes: 3)
        let splits = try DataSplits(training: training, test: test,
                                    options: SplitOptions(validationCount: 12, seed: 3, testPerClass: 2))
        #expect(splits.train.count == 48)
        #expect(splits.validation.count == 12)
        #expect(splits.test.classCounts() == [2, 2, 2])
        #expect(Set(splits.trainIndices).isDisjoint(with: splits.validationIndices))
        let statistics = try #require(splits.normalization)
        let trainValues = splits.trainIndices.map(Double.init)
        let mean = trainValues.reduce(0, +) / Double(trainValues.count)
        #expect(abs(Double(statistics.mean[0]) - mean) < 1e-4)
        let normalised = ChannelNormalization.fit(splits.train)
        #expect(abs(normalised.mean[0]) < 1e-5)
        #expect(abs(normalised.std[0] - 1) < 1e-5)
        let firstTest = splits.test.images[0]
        #expect(abs(firstTest - (0 - statistics.mean[0]) / statistics.std[0]) < 1e-6)
    }

    @Test func testHoldOutWhenThereIsNoOfficialTestSet() throws {
        let training = try syntheticDataset(count: 100, classes: 10)
        let options = SplitOptions(validationCount: 20, testHoldoutCount: 15, seed: 5, normalize: false)
        let splits = try DataSplits(training: training, test: nil, options: options)
        #expect(splits.test.count == 15)
        #expect(splits.validation.count == 20)
        #expect(splits.train.count == 65)
        let testIndices = splits.test.images.enumerated().filter { $0.offset % 4 == 0 }.map { Int($0.element) }
        let all = Set(splits.trainIndices).union(splits.validationIndices).union(testIndices)
        #expect(all.count == 100)
        #expect(splits.normalization == nil)
        #expect(throws: DatasetError.self) {
            try DataSplits(training: training, test: nil, options: SplitOptions(validationCount: 20))
        }
    }
}
