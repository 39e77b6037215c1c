import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Progress of running stages on standard error: on a terminal, one bar per running stage,
/// redrawn in place with messages scrolling above; otherwise plain lines, one per stage at most
/// every few seconds; or nothing.
public final class ProgressDisplay: @unchecked Sendable {
    /// How progress is shown.
    public enum Mode: Sendable {
        /// Bars redrawn in place (a terminal).
        case interactive
        /// Plain lines (a log file or pipe).
        case lines
        /// Nothing.
        case silent
    }

    /// The display mode.
    public let mode: Mode
    /// The terminal's width in columns; interactive bars are cut to fit, as a wrapped bar could
    /// not be redrawn in place.
    public let columns: Int
    private let output: FileHandle
    private let lineInterval: Double
    private let lock = NSLock()
    private let start = Date()
    private var bars: [String: ProgressLine] = [:]
    private var barOrder: [String] = []
    private var drawnLines = 0
    private var lastDraw = -1.0
    private var lastLine: [String: Double] = [:]

    /// A display writing to `output`; `lineInterval` is the least time between two plain lines
    /// of one stage.
    public init(mode: Mode, output: FileHandle = .standardError, lineInterval: Double = 5, columns: Int = 80) {
        self.mode = mode
        self.columns = max(20, columns)
        self.output = output
        self.lineInterval = lineInterval
    }

    /// Bars on standard error when it is a terminal, plain lines otherwise.
    public static func standardError() -> ProgressDisplay {
        guard isatty(STDERR_FILENO) == 1 else { return ProgressDisplay(mode: .lines) }
        var size = winsize()
        let columns = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        return ProgressDisplay(mode: .interactive, columns: columns)
    }

    /// Prints a line above the bars.
    public func message(_ text: String) {
        lock.withLock {
            switch mode {
            case .silent: return
            case .lines: write(text + "\n")
            case .interactive:
                write(clearBars() + text + "\n")
                drawnLines = 0
                redraw(force: true)
            }
        }
    }

    /// Starts a bar for `stage`.
    func begin(_ stage: String) -> StageProgress {
        lock.withLock {
            if bars[stage] == nil { barOrder.append(stage) }
            bars[stage] = ProgressLine(stage: stage, completed: 0, total: 0, elapsed: 0, remaining: nil, figures: [:])
        }
        return StageProgress(stage: stage, display: self)
    }

    /// Removes the bar of `stage`.
    func end(_ stage: String) {
        lock.withLock {
            bars[stage] = nil
            barOrder.removeAll { $0 == stage }
            if mode == .interactive {
                write(clearBars())
                drawnLines = 0
                redraw(force: true)
            }
        }
    }

    /// Records progress of `stage` and shows it when due.
    func update(_ stage: String, completed: Int, total: Int, figures: [String: Double], startedAt: Double, window: RateWindow) {
        lock.withLock {
            let now = Date().timeIntervalSince(start)
            let line = ProgressLine(stage: stage, completed: completed, total: total, elapsed: now - startedAt,
                                    remaining: window.remaining(total: total), figures: figures)
            bars[stage] = line
            switch mode {
            case .silent: return
            case .interactive: redraw(force: completed >= total)
            case .lines:
                guard completed >= total || now - (lastLine[stage] ?? -Double.infinity) >= lineInterval else { return }
                lastLine[stage] = now
                write(line.render() + "\n")
            }
        }
    }

    /// Seconds since the display was made.
    var now: Double { Date().timeIntervalSince(start) }

    /// Redraws every bar at most ten times a second (always with `force`). Caller holds the lock.
    private func redraw(force: Bool) {
        let now = Date().timeIntervalSince(start)
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        let lines = barOrder.compactMap { bars[$0]?.render() }.map { String($0.prefix(columns - 1)) }
        write(clearBars() + lines.map { "\u{1B}[2K" + $0 + "\n" }.joined())
        drawnLines = lines.count
    }

    /// The escape codes that move up over the drawn bars and clear them. Caller holds the lock.
    private func clearBars() -> String {
        drawnLines > 0 ? "\u{1B}[\(drawnLines)F\u{1B}[J" : ""
    }

    private func write(_ text: String) {
        output.write(Data(text.utf8))
    }
}

/// A stage's handle on its progress bar: how far it is and its own live figures.
///
/// ```swift
/// context.progress.update(completed: epoch, total: epochs, figures: ["loss": loss, "accuracy": accuracy])
/// ```
public final class StageProgress: @unchecked Sendable {
    private let stage: String
    private let display: ProgressDisplay
    private let startedAt: Double
    private let lock = NSLock()
    private var window = RateWindow()

    init(stage: String, display: ProgressDisplay) {
        self.stage = stage
        self.display = display
        startedAt = display.now
    }

    /// Reports that `completed` of `total` units (items, batches, epochs) are done, with live
    /// figures shown next to the bar. Cheap enough to call after every unit.
    public func update(completed: Int, total: Int, figures: [String: Double] = [:]) {
        let window = lock.withLock { () -> RateWindow in
            self.window.record(time: display.now, completed: completed)
            return self.window
        }
        display.update(stage, completed: completed, total: total, figures: figures, startedAt: startedAt, window: window)
    }

    /// Prints a message above the bars, prefixed with the stage's name.
    public func note(_ message: String) {
        display.message("\(stage): \(message)")
    }
}
