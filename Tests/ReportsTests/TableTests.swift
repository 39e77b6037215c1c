import Foundation
import Testing
@testable import Reports

@Suite struct TableTests {
    private func sampleTable() throws -> Table {
        var table = Table(columns: ["architecture", "score", "note"], alignments: [.left, .right, .center])
        try table.append(["arch-1", Table.cell(0.81234, decimals: 3), "plain"])
        try table.append(["arch|2", Table.cell(-1.5, decimals: 3), "two\nlines"])
        try table.append(["a, \"quoted\" name", Table.cell(.nan), " padded "])
        return table
    }

    @Test func markdownIsAlignedAndEscaped() throws {
        let expected = """
        | architecture     |  score |     note     |
        | ---------------- | -----: | :----------: |
        | arch-1           |  0.812 |    plain     |
        | arch\\|2          | -1.500 | two<br>lines |
        | a, "quoted" name |    NaN |    padded    |

        """
        #expect(try sampleTable().markdown() == expected)
    }

    @Test func csvQuotesWhatNeedsQuoting() throws {
        let expected = "architecture,score,note\narch-1,0.812,plain\narch|2,-1.500,\"two\nlines\"\n"
            + "\"a, \"\"quoted\"\" name\",NaN,\" padded \"\n"
        #expect(try sampleTable().csv() == expected)
    }

    @Test func pythonsCSVReaderReadsTheCellsBack() throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            print("SKIPPED CSV interoperability check: \(python) not found")
            return
        }
        let table = try sampleTable()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smash-table-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try table.csv().write(to: url, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))",
                             url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let rows = try JSONSerialization.jsonObject(with: data) as? [[String]]
        #expect(rows == [table.columns] + table.rows)
    }

    @Test func rowsMustMatchTheColumns() {
        var table = Table(columns: ["a", "b"])
        #expect(throws: ReportError.invalidParameter(name: "table row", value: "3 cells", expected: "2 cells, one per column")) {
            try table.append(["1", "2", "3"])
        }
        #expect(table.alignments == [.left, .left])
        #expect(Table.cell(.infinity) == "inf" && Table.cell(2, decimals: 0) == "2")
    }
}
