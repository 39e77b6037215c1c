/// Bars with optional error bars, e.g. mean error per method with a confidence interval.
///
/// Each bar is a `rect` of class `bar`; each error bar a group of class `error-bar`.
public struct BarChart: Sendable {
    /// One bar.
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        /// Bottom and top of the error bar, nil for none.
        public var interval: ClosedRange<Double>?

        /// A bar with a symmetric error (a standard error, say).
        public init(label: String, value: Double, error: Double? = nil) {
            self.init(label: label, value: value, interval: error.map { (value - abs($0))...(value + abs($0)) })
        }

        /// A bar with any interval (a bootstrap confidence interval, say).
        public init(label: String, value: Double, interval: ClosedRange<Double>?) {
            self.label = label
            self.value = value
            self.interval = interval
        }
    }

    /// The bars, left to right; bars with a non-finite value are left out.
    public var bars: [Bar]
    /// Title and axis labels.
    public var titles: ChartTitles
    /// Size in pixels.
    public var width: Double
    public var height: Double

    public init(bars: [Bar], titles: ChartTitles = ChartTitles(), width: Double = 640, height: Double = 440) {
        self.bars = bars
        self.titles = titles
        self.width = width
        self.height = height
    }

    /// The chart as an SVG document. The value axis always includes zero.
    public func svg() -> String {
        let shown = bars.filter { $0.value.isFinite }
        let extents = shown.flatMap { [$0.value, $0.interval?.lowerBound, $0.interval?.upperBound].compactMap { $0 } }
            .filter(\.isFinite) + [0]
        let frame = ChartFrame(width: width, height: height, xScale: nil,
                               yScale: NiceScale(minimum: extents.min() ?? 0, maximum: extents.max() ?? 1))
        var svg = SVGDocument(width: width, height: height)
        frame.drawAxes(titles, into: &svg)
        let slot = (frame.plotRight - frame.left) / Double(max(1, shown.count))
        let rotateLabels = shown.count > 8
        for (index, bar) in shown.enumerated() {
            let center = frame.left + slot * (Double(index) + 0.5)
            let top = frame.y(max(bar.value, 0)), base = frame.y(min(bar.value, 0))
            svg.add("rect", [("class", "bar"), ("x", number(center - slot * 0.35)), ("y", number(top)),
                             ("width", number(slot * 0.7)), ("height", number(base - top)),
                             ("fill", chartPalette[index % chartPalette.count])])
            if let interval = bar.interval, interval.lowerBound.isFinite, interval.upperBound.isFinite {
                let low = frame.y(interval.lowerBound), high = frame.y(interval.upperBound), cap = slot * 0.12
                svg.beginGroup([("class", "error-bar")])
                svg.line(center, low, center, high, class: "error-line", width: 1.3)
                svg.line(center - cap, low, center + cap, low, class: "error-cap", width: 1.3)
                svg.line(center - cap, high, center + cap, high, class: "error-cap", width: 1.3)
                svg.endGroup()
            }
            svg.text(bar.label, x: center, y: frame.plotBottom + 18, class: "bar-label", anchor: rotateLabels ? "end" : "middle",
                     size: 11, rotate: rotateLabels ? -35 : nil)
        }
        return svg.render()
    }
}
