import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Reports

/// Parses `svg` as XML (failing the test when it is not well-formed) and returns its root.
private func parse(_ svg: String) throws -> XMLElement {
    let document = try XMLDocument(xmlString: svg, options: [])
    return try #require(document.rootElement())
}

/// Elements anywhere below `root` named `name` whose `class` attribute is `className`.
private func elements(_ root: XMLElement, _ name: String, class className: String) throws -> [XMLNode] {
    try root.nodes(forXPath: "//*[local-name()='\(name)'][@class='\(className)']")
}

@Suite struct ChartTests {
    @Test func niceTicks() {
        let unit = NiceScale(minimum: 0.13, maximum: 0.87)
        #expect(unit.ticks.map(unit.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let wide = NiceScale(minimum: -3.2, maximum: 97)
        #expect(wide.lower == -20 && wide.upper == 100 && wide.step == 20)
        #expect(wide.ticks.map(wide.label) == ["-20", "0", "20", "40", "60", "80", "100"])
        let tiny = NiceScale(minimum: 0.0012, maximum: 0.0047)
        #expect(tiny.step == 0.001 && tiny.label(tiny.ticks[0]) == "0.001")
        let flat = NiceScale(minimum: 5, maximum: 5)
        #expect(flat.lower < 5 && flat.upper > 5)
        #expect(NiceScale(minimum: .nan, maximum: 3).ticks.count >= 2)
        #expect(NiceScale(minimum: -0.5, maximum: 0.5).label(-0.0000001) == "0.0")
    }

    @Test func scatterWithFitLineAndLabels() throws {
        let points = (0..<25).map { ScatterChart.Point(x: Double($0), y: 2 * Double($0) + Double($0 % 3), label: "a<\($0)>") }
            + [ScatterChart.Point(x: .nan, y: 1)]
        let chart = ScatterChart(points: points, titles: ChartTitles(title: "Score & error", xLabel: "SMASH score", yLabel: "error"))
        let root = try parse(chart.svg())
        #expect(root.name == "svg")
        #expect(try elements(root, "circle", class: "point").count == 25)
        #expect(try elements(root, "text", class: "point-label").count == 25)
        #expect(try elements(root, "line", class: "fit").count == 1)
        let equation = try #require(try elements(root, "text", class: "fit-equation").first?.stringValue)
        #expect(equation.hasPrefix("y = 2"))
        #expect(try elements(root, "text", class: "title").first?.stringValue == "Score & error")
        #expect(try !elements(root, "text", class: "tick-label").isEmpty)

        let bare = ScatterChart(points: [ScatterChart.Point(x: 1, y: 1)], showsFitLine: true)
        #expect(try elements(try parse(bare.svg()), "line", class: "fit").isEmpty)
    }

    @Test func lineChartWithLegend() throws {
        let chart = LineChart(series: [
            LineChart.Series(name: "train", values: [2.3, 1.2, 0.8, 0.6, 0.5]),
            LineChart.Series(name: "valid \"A\"", values: [2.4, 1.4, 1.0, .nan, 0.9]),
            LineChart.Series(name: "lr", x: [0, 2.5, 5], y: [0.1, 0.05, 0.001]),
        ], titles: ChartTitles(title: "Training", xLabel: "epoch", yLabel: "loss"))
        let root = try parse(chart.svg())
        let lines = try root.nodes(forXPath: "//*[local-name()='polyline'][@class='series']/@points")
        let counts = lines.compactMap(\.stringValue).map { $0.split(separator: " ").count }
        #expect(counts == [5, 4, 3])
        #expect(try elements(root, "g", class: "legend-entry").count == 3)
        #expect(try elements(root, "text", class: "legend-label").map(\.stringValue) == ["train", "valid \"A\"", "lr"])
    }

    @Test func barChartWithErrorBars() throws {
        let chart = BarChart(bars: [
            BarChart.Bar(label: "SMASH", value: 0.12, error: 0.01),
            BarChart.Bar(label: "random", value: 0.15, interval: 0.13...0.18),
            BarChart.Bar(label: "baseline", value: -0.02),
            BarChart.Bar(label: "broken", value: .infinity),
        ], titles: ChartTitles(title: "Error", yLabel: "test error"))
        let root = try parse(chart.svg())
        #expect(try elements(root, "rect", class: "bar").count == 3)
        #expect(try elements(root, "g", class: "error-bar").count == 2)
        #expect(try elements(root, "text", class: "bar-label").map(\.stringValue) == ["SMASH", "random", "baseline"])
        let many = BarChart(bars: (0..<12).map { BarChart.Bar(label: "arch-\($0)", value: Double($0)) })
        #expect(try elements(try parse(many.svg()), "rect", class: "bar").count == 12)
    }

    @Test func emptyChartsAreStillWellFormed() throws {
        _ = try parse(ScatterChart(points: []).svg())
        _ = try parse(LineChart(series: []).svg())
        _ = try parse(BarChart(bars: []).svg())
    }
}
