import Foundation
import Testing
@testable import Pipeline

@Suite struct ProgressTests {
    @Test func aLineShowsTheBarCountsTimesAndFigures() {
        let line = ProgressLine(stage: "centroid", completed: 30, total: 120, elapsed: 65, remaining: 195,
                                figures: ["loss": 0.53212, "accuracy": 0.8])
        #expect(line.render(barWidth: 8) == "centroid      [##......]  30/120   25%  1:05 elapsed  3:15 left  accuracy=0.8  loss=0.5321")
    }

    @Test func aFinishedLineShowsNoTimeLeft() {
        let line = ProgressLine(stage: "s", completed: 4, total: 4, elapsed: 3725, remaining: 0, figures: [:])
        #expect(line.render(barWidth: 4, nameWidth: 1) == "s  [####]  4/4  100%  1:02:05 elapsed")
    }

    @Test func theTimeLeftFollowsTheRecentPace() {
        var window = RateWindow()
        #expect(window.remaining(total: 10) == nil)
        window.record(time: 0, completed: 0)
        window.record(time: 2, completed: 4)
        #expect(window.remaining(total: 10) == 3)
        for step in 1...40 { window.record(time: 2 + Double(step), completed: 4 + step) }
        #expect(window.remaining(total: 54) == 10)
    }

    @Test func plainLinesAreRateLimitedButTheLastIsAlwaysShown() throws {
        let pipe = Pipe()
        let display = ProgressDisplay(mode: .lines, output: pipe.fileHandleForWriting, lineInterval: 3600)
        let progress = display.begin("stage")
        for done in 1...50 { progress.update(completed: done, total: 50) }
        display.message("done")
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].contains("1/50"))
        #expect(lines[1].contains("50/50"))
        #expect(lines[2] == "done")
    }

    @Test func interactiveBarsRedrawInPlace() throws {
        let pipe = Pipe()
        let display = ProgressDisplay(mode: .interactive, output: pipe.fileHandleForWriting)
        let progress = display.begin("stage")
        progress.update(completed: 5, total: 5)
        display.message("hello")
        display.end("stage")
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("\u{1B}[1F\u{1B}[J"))
        #expect(text.contains("hello\n"))
        #expect(text.contains("5/5"))
    }

    @Test func interactiveBarsAreCutToTheTerminalWidth() throws {
        let pipe = Pipe()
        let display = ProgressDisplay(mode: .interactive, output: pipe.fileHandleForWriting, columns: 30)
        display.begin("stage").update(completed: 1, total: 2, figures: ["loss": 1])
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text == "\u{1B}[2K" + "stage         [############..\n")
    }
}
