/// A scatter plot with an optional least-squares line, e.g. SMASH score against true error.
///
/// ```swift
/// let chart = ScatterChart(points: zip(scores, errors).map { ScatterChart.Point(x: $0, y: $1) },
///                          titles: ChartTitles(title: "SMASH score vs error", xLabel: "score", yLabel: "error"))
/// try chart.svg().write(to: url, atomically: true, encoding: .utf8)
/// ```
/// Each point is a `circle` of class `point`; the fit line has class `fit`.
public struct ScatterChart: Sendable {
    /// One marker, with an optional text beside it.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var label: String?

        public init(x: Double, y: Double, label: String? = nil) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    /// The markers; points with a non-finite coordinate are left out.
    public var points: [Point]
    /// Title and axis labels.
    public var titles: ChartTitles
    /// Whether to draw the least-squares line and its equation (needs two distinct x values).
    public var showsFitLine: Bool
    /// Size in pixels.
    public var width: Double
    public var height: Double

    public init(points: [Point], titles: ChartTitles = ChartTitles(), showsFitLine: Bool = true,
                width: Double = 640, height: Double = 440) {
        self.points = points
        self.titles = titles
        self.showsFitLine = showsFitLine
        self.width = width
        self.height = height
    }

    /// The chart as an SVG document.
    public func svg() -> String {
        let shown = points.filter { $0.x.isFinite && $0.y.isFinite }
        let xs = shown.map(\.x), ys = shown.map(\.y)
        let frame = ChartFrame(width: width, height: height,
                               xScale: NiceScale(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1),
                               yScale: NiceScale(minimum: ys.min() ?? 0, maximum: ys.max() ?? 1))
        var svg = SVGDocument(width: width, height: height)
        frame.drawAxes(titles, into: &svg)
        if showsFitLine, let fit = try? LineFit(xs, ys), let xScale = frame.xScale {
            svg.beginGroup([("class", "fit-line"), ("clip-path", "url(#plot-area)")])
            svg.line(frame.x(xScale.lower), frame.y(fit.predict(xScale.lower)), frame.x(xScale.upper),
                     frame.y(fit.predict(xScale.upper)), class: "fit", stroke: chartPalette[2], width: 1.5, dashed: true)
            svg.endGroup()
            let equation = "y = \(format(fit.slope)) x \(fit.intercept < 0 ? "−" : "+") \(format(abs(fit.intercept))), "
                + "r² = \(format(fit.rSquared))"
            svg.text(equation, x: frame.plotRight - 4, y: frame.top + 14, class: "fit-equation", anchor: "end", size: 11)
        }
        svg.beginGroup([("class", "points"), ("fill", chartPalette[0]), ("fill-opacity", "0.75")])
        for point in shown {
            svg.add("circle", [("class", "point"), ("cx", number(frame.x(point.x))), ("cy", number(frame.y(point.y))), ("r", "3.5")])
        }
        svg.endGroup()
        svg.beginGroup([("class", "point-labels"), ("fill", "#444")])
        for point in shown {
            guard let label = point.label else { continue }
            svg.text(label, x: frame.x(point.x) + 5, y: frame.y(point.y) - 5, class: "point-label", anchor: "start", size: 9)
        }
        svg.endGroup()
        return svg.render()
    }

    /// Four significant digits.
    private func format(_ value: Double) -> String {
        String(format: "%.4g", value)
    }
}
