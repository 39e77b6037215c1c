import Artifacts
import Foundation
import Testing
@testable import Pipeline

@Suite struct SpecErrorTests {
    /// Each bad spec gives a `PipelineError` whose one-line message starts with the location.
    @Test(arguments: specErrorCases)
    func badSpecGivesOneClearMessage(_ badCase: SpecErrorCase) throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("spec.yaml", badCase.yaml)
        do {
            _ = try scratch.spec(file, overrides: badCase.overrides)
            Issue.record("\(badCase.label): the spec was accepted")
        } catch let error as PipelineError {
            check(error.description, badCase, file: file)
        }
    }

    /// The `smash` binary prints the same message as one `error:` line and exits non-zero.
    @Test(arguments: specErrorCases)
    func badSpecMakesTheBinaryExitNonZero(_ badCase: SpecErrorCase) throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        try scratch.write("spec.yaml", badCase.yaml)
        let arguments = ["run", "spec.yaml", "--catalog", scratch.workspace.catalog.folder, "--quiet"]
            + badCase.overrides.flatMap { ["--set", $0] }
        let result = try runSmash(arguments, in: scratch.folder, environment: ["SMASH_CACHE": ".smash/cache"])
        #expect(result.status == 1, "\(badCase.label): exit status \(result.status)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(badCase.label): \(result.standardError)")
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("error: "))
        check(String(line.dropFirst("error: ".count)), badCase, file: "spec.yaml")
    }

    private func check(_ message: String, _ badCase: SpecErrorCase, file: String) {
        let expectedStart = badCase.location.hasPrefix("--set") ? badCase.location : file + badCase.location
        #expect(message.hasPrefix(expectedStart), "\(badCase.label): \(message)")
        for fragment in badCase.fragments {
            #expect(message.contains(fragment), "\(badCase.label): '\(fragment)' missing from: \(message)")
        }
        #expect(!message.contains("\n"), "\(badCase.label): the message spans several lines")
    }

    @Test func thereAreAtLeastTwentyKindsOfBadSpec() {
        #expect(Set(specErrorCases.map(\.label)).count >= 20)
    }

    @Test func aMissingSpecFileIsReportedWithItsPath() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let missing = scratch.folder.appendingPathComponent("nothing.yaml").path
        #expect(throws: PipelineError.unreadable(path: missing, reason: "no such file")) { try scratch.spec(missing) }
        let result = try runSmash(["status", "nothing.yaml"], in: scratch.folder)
        #expect(result.status == 1)
        #expect(result.standardError == "error: nothing.yaml: cannot be read: no such file.\n")
    }

    @Test func missingDatasetFilesBlockTheStageAndFailTheRunNamingTheFile() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        try scratch.write("Datasets/ghost.yaml", """
            name: ghost
            description: a dataset whose file is missing
            format: digits-csv
            provider: { note: nobody }
            location: { folder: \(scratch.folder.path)/nowhere, subfolder: ghost }
            files: { data: ghost.csv }
            shape: { channels: 1, height: 8, width: 8 }
            examples: { train: 100 }
            classes: [a, b]
            normalization: none
            splits: { validation: 10, test: 10 }
            """)
        let file = try scratch.write("spec.yaml", breaking("dataset: blocks", with: "dataset: ghost"))
        let status = try scratch.status(file)
        #expect(status["summary"]?.state == .blocked)
        #expect(status["summary"]?.reasons.first?.contains("nowhere/ghost.csv does not exist") == true)
        #expect(status["curve"]?.state == .blocked)
        let result = try runSmash(["run", "spec.yaml", "--catalog", "Datasets", "--quiet"], in: scratch.folder)
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("error: stage 'summary' cannot use the dataset 'ghost': "))
        #expect(result.standardError.contains("ghost.csv does not exist"))
    }

    @Test func anUnusableCacheFolderIsReportedWithItsPath() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        try scratch.write("spec.yaml", validSpec)
        try scratch.write("not-a-folder", "a file where the cache should be")
        let result = try runSmash(["run", "spec.yaml", "--catalog", "Datasets", "--quiet"], in: scratch.folder,
                                  environment: ["SMASH_CACHE": "not-a-folder/cache"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("error: "))
        #expect(result.standardError.contains("not-a-folder"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test func aTruncatedCacheFileIsReportedAndRecomputedNotServed() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        try scratch.write("spec.yaml", validSpec)
        let environment = ["SMASH_CACHE": ".smash/cache"]
        let first = try runSmash(["run", "spec.yaml", "--catalog", "Datasets", "--quiet"], in: scratch.folder, environment: environment)
        #expect(first.status == 0, "\(first.standardError)")
        let folder = scratch.folder.appendingPathComponent(".smash/cache/dataset-summary")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".h5") })
        let url = folder.appendingPathComponent(name)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        let status = try runSmash(["status", "spec.yaml", "--catalog", "Datasets"], in: scratch.folder, environment: environment)
        #expect(status.status == 0)
        let lines = status.standardOutput.split(separator: "\n")
        let summary = try #require(lines.firstIndex { $0.hasPrefix("summary") })
        #expect(lines[summary].hasSuffix("stale"), "\(status.standardOutput)")
        #expect(lines[summary + 1].contains("is corrupt"), "\(status.standardOutput)")
        let rerun = try runSmash(["run", "spec.yaml", "--catalog", "Datasets", "--quiet"], in: scratch.folder, environment: environment)
        #expect(rerun.status == 0, "\(rerun.standardError)")
        #expect(rerun.standardOutput.contains("| summary  | dataset-summary  | miss "), "\(rerun.standardOutput)")
    }
}
