/// Lines over a shared x axis with a legend, e.g. training curves of several runs.
///
/// Each series is a `polyline` of class `series` and one entry of the legend (class `legend-entry`).
public struct LineChart: Sendable {
    /// One named line.
    public struct Series: Sendable, Equatable {
        public var name: String
        /// x coordinates, same length as `y`.
        public var x: [Double]
        public var y: [Double]

        /// A series of explicit points; pairs with a non-finite coordinate are left out when drawing.
        public init(name: String, x: [Double], y: [Double]) {
            self.name = name
            self.x = x
            self.y = y
        }

        /// A series over x = 1, 2, 3, … (epochs, say).
        public init(name: String, values: [Double]) {
            self.init(name: name, x: values.indices.map { Double($0 + 1) }, y: values)
        }

        /// The drawable points.
        var points: [(x: Double, y: Double)] {
            zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }.map { (x: $0.0, y: $0.1) }
        }
    }

    /// The lines, drawn in palette order.
    public var series: [Series]
    /// Title and axis labels.
    public var titles: ChartTitles
    /// Size in pixels.
    public var width: Double
    public var height: Double

    public init(series: [Series], titles: ChartTitles = ChartTitles(), width: Double = 720, height: Double = 440) {
        self.series = series
        self.titles = titles
        self.width = width
        self.height = height
    }

    /// The chart as an SVG document.
    public func svg() -> String {
        let all = series.flatMap(\.points)
        let frame = ChartFrame(width: width, height: height,
                               xScale: NiceScale(minimum: all.map(\.x).min() ?? 0, maximum: all.map(\.x).max() ?? 1),
                               yScale: NiceScale(minimum: all.map(\.y).min() ?? 0, maximum: all.map(\.y).max() ?? 1),
                               rightMargin: 160)
        var svg = SVGDocument(width: width, height: height)
        frame.drawAxes(titles, into: &svg)
        svg.beginGroup([("class", "lines"), ("clip-path", "url(#plot-area)"), ("fill", "none"), ("stroke-width", "1.8")])
        for (index, line) in series.enumerated() {
            let coordinates = line.points.map { "\(number(frame.x($0.x))),\(number(frame.y($0.y)))" }
            svg.add("polyline", [("class", "series"), ("stroke", chartPalette[index % chartPalette.count]),
                                 ("points", coordinates.joined(separator: " "))])
        }
        svg.endGroup()
        svg.beginGroup([("class", "legend")])
        for (index, line) in series.enumerated() {
            let y = frame.top + 8 + Double(index) * 18
            svg.beginGroup([("class", "legend-entry")])
            svg.line(frame.plotRight + 12, y, frame.plotRight + 32, y, class: "legend-swatch",
                     stroke: chartPalette[index % chartPalette.count], width: 2.5)
            svg.text(line.name, x: frame.plotRight + 38, y: y + 4, class: "legend-label", anchor: "start", size: 11)
            svg.endGroup()
        }
        svg.endGroup()
        return svg.render()
    }
}
