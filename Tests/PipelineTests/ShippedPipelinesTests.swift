import DatasetIO
import Foundation
import Testing
@testable import Pipeline

/// Every pipeline shipped in `Pipelines/` reads and validates with the standard stage kinds and
/// the shipped dataset catalog.
@Suite struct ShippedPipelinesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var files: [URL] {
        let folder = root.appendingPathComponent("Pipelines", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test func thePaperExperimentsAreAllShipped() {
        let names = Set(Self.files.map { $0.deletingPathExtension().lastPathComponent })
        for expected in ["quickstart", "correlation", "crippled-hypernet", "seed-average", "encoding-corruption", "arch-gradient",
                         "search", "transfer", "benchmark"] {
            #expect(names.contains(expected), "Pipelines/\(expected).yaml is missing")
        }
    }

    @Test(arguments: files) func readsAndValidates(_ file: URL) throws {
        let catalog = DatasetCatalog(folder: Self.root.appendingPathComponent("Datasets").path)
        let spec = try SpecReader(registry: .standard, catalog: catalog).read(file: file.path)
        #expect(spec.name == file.deletingPathExtension().lastPathComponent)
        #expect(!spec.description.isEmpty)
    }
}
