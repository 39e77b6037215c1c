import Foundation

/// Axis bounds and ticks at "nice" numbers: multiples of 1, 2 or 5 times a power of ten.
///
/// `NiceScale(minimum: 0.13, maximum: 0.87)` gives ticks 0, 0.2, 0.4, 0.6, 0.8, 1 labelled with
/// one decimal.
public struct NiceScale: Sendable, Equatable {
    /// First tick, at or below the data minimum.
    public let lower: Double
    /// Last tick, at or above the data maximum.
    public let upper: Double
    /// Distance between ticks.
    public let step: Double

    /// A scale covering `minimum...maximum` with the smallest nice step that splits it into at
    /// most `maxIntervals` intervals (one more tick). A zero-width range is widened around its
    /// value; non-finite bounds give 0...1.
    public init(minimum: Double, maximum: Double, maxIntervals: Int = 6) {
        var low = min(minimum, maximum), high = max(minimum, maximum)
        if !low.isFinite || !high.isFinite { (low, high) = (0, 1) }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let intervals = Double(max(1, maxIntervals))
        let base = pow(10, log10((high - low) / intervals).rounded(.down))
        let candidates = [1.0, 2, 5, 10, 20, 50].map { $0 * base }
        let step = candidates.first { (high / $0).rounded(.up) - (low / $0).rounded(.down) <= intervals } ?? 100 * base
        self.step = step
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
    }

    /// The tick values from `lower` to `upper`.
    public var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// Decimals needed to tell ticks apart.
    public var decimals: Int { max(0, -Int(log10(step).rounded(.down))) }

    /// `value` printed with the scale's decimals.
    public func label(_ value: Double) -> String {
        let text = String(format: "%.\(decimals)f", value)
        return Double(text) == 0 ? String(format: "%.\(decimals)f", 0.0) : text  // no "-0"
    }
}
