import Artifacts
import Foundation
import Testing
@testable import Pipeline

@Suite struct ResultSetTests {
    @Test func aRunWritesACompleteResultSetAndPointsLatestAtIt() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let outcome = try scratch.run(try scratch.write("curve.yaml", curvePipeline))
        let folder = outcome.resultSet
        let files = try Set(FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(files == ["run.json", "metrics.json", "report.md", "summary.classes.csv", "summary.classes.svg",
                          "centroid.subsets.csv", "centroid.accuracy.svg", "correlation.pairs.csv", "correlation.scatter.svg"])
        let latest = scratch.workspace.results(of: "curve").appendingPathComponent("latest")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: latest.path) == folder.lastPathComponent)
        #expect(folder.lastPathComponent.range(of: #"^\d{8}-\d{6}-[0-9a-f]{8}$"#, options: .regularExpression) != nil)

        let set = try ResultSet(path: latest.path)
        #expect(set.record.runID == folder.lastPathComponent)
        #expect(set.record.stages.map(\.key) == outcome.record.stages.map(\.key))
        #expect(set.record.machine.cores > 0)
        #expect(set.metrics["summary.classes"] == 4)
        #expect(set.metrics["summary.examples"] == 160)
        #expect(set.metrics["centroid.subsets"] == 9)
        #expect(set.metrics.keys.allSatisfy { $0.split(separator: ".").count == 2 })
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        for fragment in ["# curve", "## centroid (nearest-centroid)", "![correlation scatter](correlation.scatter.svg)",
                         "| centroid.accuracy_mean |", "## Expectations"] {
            #expect(report.contains(fragment), "report.md lacks \(fragment)")
        }
        let table = try set.table(try #require(set.record.tables.first { $0.name == "subsets" }))
        #expect(table.columns == ["subset", "per_class", "accuracy"])
        #expect(table.rows.count == 9)
        #expect(table.rows.map { $0[0] } == (0..<9).map { "s\($0)-k\([1, 3, 10][$0 % 3])" })
    }

    @Test func twoRunsInOneSecondGetDistinctFolders() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        let first = try scratch.run(file), second = try scratch.run(file)
        #expect(first.resultSet != second.resultSet)
        #expect(ResultSetIndex(root: scratch.workspace.results).runs(of: "curve").count == 2)
        #expect(ResultSetIndex(root: scratch.workspace.results).runs(of: "curve").first == second.resultSet)
    }

    @Test func diffReportsParametersMetricsWithVerdictsAndJoinedItems() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        let old = try ResultSet(path: try scratch.run(file).resultSet.path)
        let new = try ResultSet(path: try scratch.run(file, overrides: ["stages.centroid.with.subsets=12",
                                                                          "stages.centroid.with.evaluationPerClass=4"]).resultSet.path)
        let diff = try ResultDiff.compare(old, new)
        #expect(diff.parameters.map(\.path) == ["stages.centroid.with.evaluationPerClass", "stages.centroid.with.subsets"])
        #expect(diff.parameters.last?.old == .int(9) && diff.parameters.last?.new == .int(12))
        #expect(diff.keys.map(\.stage) == ["centroid", "correlation"])
        let subsets = try #require(diff.metrics.first { $0.metric == "centroid.subsets" })
        #expect(subsets.old == 9 && subsets.new == 12 && subsets.delta == 3 && subsets.verdict == "changed")
        #expect(diff.metrics.first { $0.metric == "summary.classes" }?.verdict == "same")
        let accuracy = try #require(diff.metrics.first { $0.metric == "centroid.accuracy_mean" })
        #expect(accuracy.tolerance == 0.05)
        #expect(accuracy.verdict == (abs(accuracy.delta ?? 1) <= 0.05 ? "within tolerance" : "beyond tolerance"))
        let items = try #require(diff.tables.first { $0.file == "centroid.subsets.csv" })
        #expect(items.itemsInBoth == 9)
        #expect(items.onlyInNew == ["s9-k1", "s10-k3", "s11-k10"])
        #expect(items.onlyInOld.isEmpty)
        #expect(items.changedItems.allSatisfy { $0.cells.map(\.column) == ["accuracy"] })

        let text = diff.text()
        #expect(text.contains("| stages.centroid.with.subsets            | 9   | 12  |"))
        #expect(text.contains("| centroid.subsets "))
        #expect(text.contains("only in new: s9-k1, s10-k3, s11-k10"))
        let decoded = try JSONDecoder().decode(ResultDiff.self, from: Data(try diff.json().utf8))
        #expect(decoded.metrics.map(\.metric) == diff.metrics.map(\.metric))
        #expect(decoded.metrics.map(\.verdict) == diff.metrics.map(\.verdict))
        #expect(decoded.tables.map(\.onlyInNew) == diff.tables.map(\.onlyInNew))
        #expect(diff.markdown().contains("## Metrics"))
    }

    @Test func verifyChecksExpectationsFromTheRecordOrFromAnotherSpec() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        let set = try ResultSet(path: try scratch.run(file).resultSet.path)
        let verification = Verification(set)
        #expect(verification.checks.count == 2)
        #expect(verification.passed)
        #expect(verification.text().contains("All 2 checked expectations met."))

        let strict = [Expectation(stage: "summary", metric: "classes", equals: 5, tolerance: 0.5),
                      Expectation(stage: "centroid", metric: "accuracy_mean", max: 0.1),
                      Expectation(stage: "centroid", metric: "missing", min: 0)]
        let failing = Verification(set, expectations: strict)
        #expect(!failing.passed)
        #expect(failing.checks.map(\.passed) == [false, false, false])
        #expect(failing.checks[0].reason == "4 differs from 5 by more than 0.5")
        #expect(failing.checks[2].reason == "the result set has no metric centroid.missing")
        #expect(failing.text().contains("3 of 3 checked expectations not met."))

        let partial = Verification(try ResultSet(path: try scratch.run(file, options: RunOptions(until: "summary")).resultSet.path))
        #expect(partial.passed)
        #expect(partial.checks.map(\.skipped) == partial.checks.map { $0.expectation.stage != "summary" })
        #expect(partial.checks.filter(\.skipped).count == 1)
        #expect(partial.text().contains("skipped: the run stopped at --until summary"))
    }

    @Test func gcKeepsWhatResultSetsReferenceAndRemovesTheRest() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        _ = try scratch.run(file)
        let second = try scratch.run(file, overrides: ["stages.correlation.with.resamples=70"])
        try FileManager.default.removeItem(at: second.resultSet)

        let dry = try CacheCollector.collect(scratch.workspace, dryRun: true)
        #expect(dry.report.removed.map(\.kind) == ["correlate"])
        #expect(dry.report.removed.first?.key == second.record.stage("correlation")?.key)
        #expect(try scratch.workspace.store.status().count == 13)

        do {
            let lock = try RunLock.shared(scratch.workspace.runLock)
            #expect(throws: PipelineError.self) { try CacheCollector.collect(scratch.workspace, dryRun: false) }
            withExtendedLifetime(lock) {}
        }

        let done = try CacheCollector.collect(scratch.workspace, dryRun: false)
        #expect(done.report.removed.count == 1)
        #expect(done.report.kept.count == 12, "3 stage artifacts and 9 items")
        #expect(try scratch.run(file).record.stages.allSatisfy { $0.cache == .hit })
    }

    @Test func csvReadsQuotedFieldsBack() {
        let table = CSVTable(parsing: "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",3\r\nlast,,\n")
        #expect(table.columns == ["a", "b", "c"])
        #expect(table.rows == [["x, y", "say \"hi\"", "3"], ["last", "", ""]])
    }

    @Test func theCachePathIsRecordedRelativeToTheWorkingDirectory() {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        #expect(PipelineRunner.displayPath(here.appendingPathComponent(".smash/cache")) == ".smash/cache")
        #expect(PipelineRunner.displayPath(URL(fileURLWithPath: "/elsewhere/cache")) == "/elsewhere/cache")
    }
}
