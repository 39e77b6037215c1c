import Foundation
import Testing
@testable import DatasetIO

/// The repository's `Datasets/` folder, found from this file's location.
let repositoryCatalog = DatasetCatalog(folder: URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Datasets").path)

@Suite struct CatalogTests {
    let folder = TemporaryFolder()

    /// A descriptor of a tiny IDX dataset (6 train, 3 test, 2x2, classes a b c) found only under $SMASH_DATA.
    let tinyYAML = """
        name: tiny
        description: a tiny IDX dataset
        format: idx
        provider: { package: dataset-tiny }
        location: { subfolder: tiny }
        files:
          train-images: train-images.gz
          train-labels: train-labels.gz
          test-images: test-images.gz
          test-labels: test-labels.gz
        shape: { channels: 1, height: 2, width: 2 }
        examples: { train: 6, test: 3 }
        classes: [a, b, c]
        normalization: per-channel
        splits: { validation: 2 }
        """

    /// Writes the tiny dataset's files under `<folder>/data/tiny` and its descriptor under `<folder>/catalog`.
    func writeTiny(yaml: String? = nil) -> DatasetCatalog {
        folder.write("data/tiny/train-images.gz", idxBytes(dimensions: [6, 2, 2], data: testBytes(24)))
        folder.write("data/tiny/train-labels.gz", idxBytes(dimensions: [6], data: [0, 1, 2, 0, 1, 2]))
        folder.write("data/tiny/test-images.gz", idxBytes(dimensions: [3, 2, 2], data: testBytes(12, seed: 2)))
        folder.write("data/tiny/test-labels.gz", idxBytes(dimensions: [3], data: [2, 1, 0]))
        folder.write("catalog/tiny.yaml", text: yaml ?? tinyYAML)
        return DatasetCatalog(folder: folder.file("catalog"))
    }

    var environment: [String: String] { ["SMASH_DATA": folder.file("data")] }

    @Test func repositoryDescriptorsParse() throws {
        #expect(try repositoryCatalog.names() == ["cifar10", "cifar100", "digits", "fashion-mnist", "stl10"])
        let all = try repositoryCatalog.descriptors()
        #expect(all.map(\.format) == [.cifar10, .cifar100, .digitsCSV, .idx, .stl10])
        let cifar100 = try #require(all.first { $0.name == "cifar100" })
        #expect(cifar100.classes.count == 100 && cifar100.coarseClasses?.count == 20)
        let fashion = try #require(all.first { $0.name == "fashion-mnist" })
        #expect(fashion.classes.count == 10 && fashion.splits.validation == 5000)
    }

    @Test func environmentOverrideFindsAndLoadsTheData() throws {
        let descriptor = try writeTiny().descriptor(named: "tiny")
        let files = try descriptor.resolve(environment: environment)
        #expect(files.folder == folder.file("data/tiny"))
        let loaded = try files.load()
        #expect(loaded.train.count == 6 && loaded.test?.count == 3)
        #expect(loaded.train.classNames == ["a", "b", "c"])
        let splits = try loaded.splits(descriptor.splitOptions(seed: 0))
        #expect(splits.train.count == 4 && splits.validation.count == 2 && splits.test.count == 3)
    }

    @Test func missingFileNamesItsProvider() throws {
        let descriptor = try writeTiny().descriptor(named: "tiny")
        #expect(descriptor.locate(environment: [:]) == nil)
        let empty = ["SMASH_DATA": folder.file("elsewhere")]
        #expect(throws: DatasetError.missingFile(path: folder.file("elsewhere/tiny/test-images.gz"),
                                                 providedBy: descriptor.providerHint)) {
            try descriptor.resolve(environment: empty)
        }
        #expect(descriptor.providerHint.contains("apt-get install dataset-tiny"))
        let fashion = try repositoryCatalog.descriptor(named: "fashion-mnist")
        let error = DatasetError.missingFile(path: "x", providedBy: fashion.providerHint)
        #expect(error.description.contains("dataset-fashion-mnist"))
    }

    @Test func declaredCountsAreChecked() throws {
        let yaml = tinyYAML.replacingOccurrences(of: "train: 6", with: "train: 7")
        let files = try writeTiny(yaml: yaml).descriptor(named: "tiny").resolve(environment: environment)
        #expect(throws: DatasetError.unexpectedCount(path: folder.file("data/tiny/train-images.gz"), expected: 7, found: 6)) {
            try files.load()
        }
    }

    @Test func unknownDataset() throws {
        let catalog = writeTiny()
        #expect(throws: DatasetError.unknownDataset(name: "tinny", folder: catalog.folder, known: ["tiny"])) {
            try catalog.descriptor(named: "tinny")
        }
        #expect(throws: DatasetError.self) { try DatasetCatalog(folder: folder.file("nowhere")).names() }
    }

    /// The error a broken copy of the tiny descriptor gives.
    func descriptorError(replacing old: String, with new: String) -> DatasetError? {
        let catalog = writeTiny(yaml: tinyYAML.replacingOccurrences(of: old, with: new))
        do {
            _ = try catalog.descriptor(named: "tiny")
            return nil
        } catch {
            return error
        }
    }

    @Test func descriptorErrorsNameFileFieldAndLine() {
        let path = folder.file("catalog/tiny.yaml")
        #expect(descriptorError(replacing: "location:", with: "locaton:")
            == .invalidDescriptor(path: path, field: "locaton", line: 5,
                                  reason: "is not a known key (expected one of: name, description, format, provider, location, files, shape, examples, classes, coarse-classes, labels, normalization, splits)"))
        #expect(descriptorError(replacing: "train: 6", with: "train: many")
            == .invalidDescriptor(path: path, field: "examples.train", line: 12, reason: "must be of type Int"))
        #expect(descriptorError(replacing: "format: idx", with: "format: png")?.description.contains("'format'") == true)
        #expect(descriptorError(replacing: "format: idx\n", with: "")
            == .invalidDescriptor(path: path, field: "(document)", line: 1, reason: "is missing the required key 'format'"))
        #expect(descriptorError(replacing: "name: tiny", with: "name: small")
            == .invalidDescriptor(path: path, field: "name", line: 1, reason: "is 'small' but the file is named tiny.yaml"))
        #expect(descriptorError(replacing: "  test-labels: test-labels.gz\n", with: "")
            == .invalidDescriptor(path: path, field: "files", line: 7, reason: "must name the 'test-labels' file(s) for format idx"))
        #expect(descriptorError(replacing: "splits: { validation: 2 }", with: "splits: [")?.description.contains("not valid YAML") == true)
    }
}
