import Foundation

/// One line of progress: `name  [#####.....]  120/300  40%  0:04 elapsed  0:06 left  loss=0.53`.
struct ProgressLine {
    var stage: String
    var completed: Int
    var total: Int
    var elapsed: Double
    /// Seconds left, when a rate is known.
    var remaining: Double?
    var figures: [String: Double]

    /// The line, the bar `barWidth` characters wide.
    func render(barWidth: Int = 24, nameWidth: Int = 12) -> String {
        let fraction = total > 0 ? min(1, max(0, Double(completed) / Double(total))) : 0
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
        var parts = [stage.padding(toLength: max(nameWidth, stage.count), withPad: " ", startingAt: 0), "[\(bar)]",
                     "\(completed)/\(total)", String(format: "%3.0f%%", fraction * 100), "\(Self.clock(elapsed)) elapsed"]
        if let remaining, completed < total { parts.append("\(Self.clock(remaining)) left") }
        parts += figures.keys.sorted().compactMap { name in figures[name].map { "\(name)=\(Self.figure($0))" } }
        return parts.joined(separator: "  ")
    }

    /// `m:ss`, or `h:mm:ss` from an hour on.
    static func clock(_ seconds: Double) -> String {
        let total = Int(max(0, seconds.isFinite ? seconds : 0).rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }

    /// A live figure with four significant digits.
    static func figure(_ value: Double) -> String {
        String(format: "%.4g", value)
    }
}

/// Estimates the time left from the recent pace: completions over the last 30 seconds.
struct RateWindow {
    private var samples: [(time: Double, completed: Int)] = []

    /// Records that `completed` units were done at `time` (seconds).
    mutating func record(time: Double, completed: Int) {
        samples.append((time, completed))
        while samples.count > 2, let first = samples.first, time - first.time > 30 { samples.removeFirst() }
        if samples.count > 200 { samples.removeFirst(samples.count - 200) }
    }

    /// Seconds until `total` at the recent pace, nil until the pace is known.
    func remaining(total: Int) -> Double? {
        guard let first = samples.first, let last = samples.last, last.completed > first.completed, last.time > first.time else {
            return nil
        }
        let rate = Double(last.completed - first.completed) / (last.time - first.time)
        return Double(max(0, total - last.completed)) / rate
    }
}
