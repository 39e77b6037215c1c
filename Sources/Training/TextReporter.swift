import Foundation

/// Plain-text progress for the command line: a progress line with the remaining time (redrawn in
/// place on a terminal, printed now and then in a log file) and one line per finished epoch.
public final class TextReporter {
    private let write: (String) -> Void
    private let interactive: Bool
    private let interval: Double
    private var lastDrawn: ContinuousClock.Instant?
    private var lineOpen = false

    /// A reporter writing to `write`. On a terminal (`interactive`) the progress line is redrawn at
    /// most every `interval` seconds; otherwise a progress line is printed every `interval` seconds.
    public init(interactive: Bool, interval: Double? = nil, write: @escaping (String) -> Void) {
        self.interactive = interactive
        self.interval = interval ?? (interactive ? 0.25 : 60)
        self.write = write
    }

    /// A reporter on standard output, interactive when it is a terminal.
    public static func standardOutput() -> TextReporter {
        TextReporter(interactive: isatty(STDOUT_FILENO) != 0) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Callbacks that report to this reporter.
    public var callbacks: TrainingCallbacks {
        TrainingCallbacks(
            onStart: { [self] start, epochs in
                if start > 0 { line("resuming after epoch \(start) of \(epochs)") }
            },
            onBatch: { [self] progress in batch(progress) },
            onEpoch: { [self] record, epochs in line(record.line(of: epochs)) })
    }

    /// Prints a whole line, closing an open progress line first.
    public func line(_ text: String) {
        if lineOpen { write("\r\u{1B}[2K") }
        lineOpen = false
        write(text + "\n")
    }

    private func batch(_ progress: TrainingProgress) {
        let now = ContinuousClock.now
        let last = progress.batch == progress.batchesPerEpoch && progress.epoch == progress.epochs
        if let lastDrawn, seconds(now - lastDrawn) < interval, !last { return }
        lastDrawn = now
        let text = TextReporter.describe(progress)
        if interactive {
            write("\r\u{1B}[2K" + text)
            lineOpen = true
        } else {
            write(text + "\n")
        }
    }

    /// `[=====>    ]  45.2%  epoch 3/15  batch 190/430  loss 0.3124  err 11.20%  612 img/s  ETA 1h02m`.
    public static func describe(_ progress: TrainingProgress) -> String {
        let width = 24
        let filled = Int((progress.fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            + String(repeating: " ", count: max(0, width - filled - 1))
        return String(format: "[%@] %5.1f%%  epoch %d/%d  batch %d/%d  loss %.4f  err %.2f%%  %.0f img/s  ETA %@",
                      bar, 100 * progress.fraction, progress.epoch, progress.epochs, progress.batch, progress.batchesPerEpoch,
                      progress.loss, 100 * progress.error, progress.imagesPerSecond, duration(progress.etaSeconds))
    }

    /// `42s`, `7m05s` or `2h13m`.
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60)
    }
}
