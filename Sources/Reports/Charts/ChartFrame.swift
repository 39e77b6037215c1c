/// Titles shared by every chart.
public struct ChartTitles: Sendable, Equatable {
    /// Shown above the plot.
    public var title: String
    /// Shown under the horizontal axis.
    public var xLabel: String
    /// Shown beside the vertical axis.
    public var yLabel: String

    public init(title: String = "", xLabel: String = "", yLabel: String = "") {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }
}

/// The plot area of a chart: maps data to pixels and draws the title, axes, ticks and grid.
struct ChartFrame {
    let width: Double
    let height: Double
    /// Horizontal scale, nil when the chart draws its own categorical axis.
    let xScale: NiceScale?
    let yScale: NiceScale
    let left = 72.0, top = 44.0, bottom = 64.0
    let right: Double

    var plotRight: Double { width - right }
    var plotBottom: Double { height - bottom }

    init(width: Double, height: Double, xScale: NiceScale?, yScale: NiceScale, rightMargin: Double = 24) {
        self.width = width
        self.height = height
        self.xScale = xScale
        self.yScale = yScale
        right = rightMargin
    }

    /// Pixel column of the data value `value` (needs `xScale`).
    func x(_ value: Double) -> Double {
        guard let xScale else { return left }
        return left + (value - xScale.lower) / (xScale.upper - xScale.lower) * (plotRight - left)
    }

    /// Pixel row of the data value `value`.
    func y(_ value: Double) -> Double {
        plotBottom - (value - yScale.lower) / (yScale.upper - yScale.lower) * (plotBottom - top)
    }

    /// Draws the titles, the grid with tick labels and the axis lines, and defines the clip
    /// path `plot-area` that keeps lines inside the plot.
    func drawAxes(_ titles: ChartTitles, into svg: inout SVGDocument) {
        svg.clipRectangle(id: "plot-area", x: left, y: top, width: plotRight - left, height: plotBottom - top)
        svg.beginGroup([("class", "y-axis")])
        for tick in yScale.ticks {
            svg.line(left, y(tick), plotRight, y(tick), class: "grid", stroke: "#e5e5e5")
            svg.text(yScale.label(tick), x: left - 8, y: y(tick) + 4, class: "tick-label", anchor: "end", size: 11)
        }
        svg.endGroup()
        if let xScale {
            svg.beginGroup([("class", "x-axis")])
            for tick in xScale.ticks {
                svg.line(x(tick), plotBottom, x(tick), plotBottom + 5, class: "tick")
                svg.text(xScale.label(tick), x: x(tick), y: plotBottom + 19, class: "tick-label", size: 11)
            }
            svg.endGroup()
        }
        svg.line(left, plotBottom, plotRight, plotBottom, class: "axis")
        svg.line(left, top, left, plotBottom, class: "axis")
        svg.text(titles.title, x: width / 2, y: 24, class: "title", size: 15)
        svg.text(titles.xLabel, x: (left + plotRight) / 2, y: height - 18, class: "axis-label", size: 13)
        svg.text(titles.yLabel, x: 18, y: (top + plotBottom) / 2, class: "axis-label", size: 13, rotate: -90)
    }
}
