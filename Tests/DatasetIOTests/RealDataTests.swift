import Foundation
import Testing
@testable import DatasetIO

/// The real datasets of this machine, when installed: Fashion-MNIST from the Debian package
/// `dataset-fashion-mnist`, the digits from `scripts/install-deps`. Each file is read once.
enum RealData {
    static let fashion = Result { () throws(DatasetError) -> LoadedDataset in
        try repositoryCatalog.descriptor(named: "fashion-mnist").resolve().load()
    }
    static let digits = Result { () throws(DatasetError) -> LoadedDataset in
        try repositoryCatalog.descriptor(named: "digits").resolve().load()
    }

    static var fashionPresent: Bool {
        (try? repositoryCatalog.descriptor(named: "fashion-mnist").locate()) != nil
    }
    static var digitsPresent: Bool {
        (try? repositoryCatalog.descriptor(named: "digits").locate()) != nil
    }
}

@Suite struct RealDataTests {
    @Test(.enabled(if: RealData.fashionPresent, "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); skipped"))
    func fashionMNIST() throws {
        let loaded = try RealData.fashion.get()
        let test = try #require(loaded.test)
        #expect(loaded.train.count == 60000)
        #expect(test.count == 10000)
        #expect(loaded.train.shape == ImageShape(channels: 1, height: 28, width: 28))
        #expect(loaded.train.classCounts() == Array(repeating: 6000, count: 10))
        #expect(test.classCounts() == Array(repeating: 1000, count: 10))
        #expect(Array(loaded.train.labels.prefix(8)) == [9, 0, 0, 3, 0, 2, 7, 2])
        #expect(Array(test.labels.prefix(8)) == [9, 2, 1, 1, 6, 1, 4, 6])
        #expect(loaded.train.images.min() == 0 && loaded.train.images.max() == 1)
        #expect(test.images.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test(.enabled(if: RealData.fashionPresent, "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); skipped"))
    func fashionMNISTPaperSplit() throws {
        let loaded = try RealData.fashion.get()
        let splits = try loaded.splits(SplitOptions(validationCount: 5000, seed: 0, trainPerClass: 100, validationPerClass: 50))
        #expect(splits.train.classCounts() == Array(repeating: 100, count: 10))
        #expect(splits.validation.classCounts() == Array(repeating: 50, count: 10))
        #expect(splits.validationIndices.count == 5000 && splits.trainIndices.count == 55000)
        let statistics = try #require(splits.normalization)
        #expect(statistics.mean[0] > 0.2 && statistics.mean[0] < 0.4)
    }

    @Test(.enabled(if: RealData.digitsPresent, "digits.csv.gz is not installed (run scripts/install-deps); skipped"))
    func digits() throws {
        let loaded = try RealData.digits.get()
        #expect(loaded.train.count == 1797)
        #expect(loaded.test == nil)
        #expect(loaded.train.classCount == 10)
        #expect(loaded.train.classCounts().allSatisfy { $0 > 170 })
        #expect(Set(loaded.train.labels) == Set(0..<10))
        #expect(loaded.train.images.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(loaded.train.images.max() == 1)
        let resized = try loaded.train.resized(height: 28, width: 28, method: .bilinear)
        #expect(resized.shape == ImageShape(channels: 1, height: 28, width: 28))
    }

}
