import Foundation

/// A minimal SVG writer: elements are appended as text and `render()` wraps them in the root
/// element. Text and attribute values are escaped, numbers printed with at most two decimals.
struct SVGDocument {
    let width: Double
    let height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Appends an element: `attributes` in the given order, `text` as escaped content.
    mutating func add(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        let rendered = attributes.map { " \($0.0)=\"\(SVGDocument.escape($0.1))\"" }.joined()
        if let text {
            elements.append("<\(name)\(rendered)>\(SVGDocument.escape(text))</\(name)>")
        } else {
            elements.append("<\(name)\(rendered)/>")
        }
    }

    /// Opens a group; close it with `endGroup()`.
    mutating func beginGroup(_ attributes: [(String, String)]) {
        elements.append("<g" + attributes.map { " \($0.0)=\"\(SVGDocument.escape($0.1))\"" }.joined() + ">")
    }

    mutating func endGroup() { elements.append("</g>") }

    /// Defines a rectangular clip path that elements reference with `clip-path="url(#id)"`.
    mutating func clipRectangle(id: String, x: Double, y: Double, width: Double, height: Double) {
        elements.append("<clipPath id=\"\(SVGDocument.escape(id))\"><rect x=\"\(number(x))\" y=\"\(number(y))\" "
            + "width=\"\(number(width))\" height=\"\(number(height))\"/></clipPath>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class name: String,
                       stroke: String = "#333", width: Double = 1, dashed: Bool = false) {
        var attributes = [("class", name), ("x1", number(x1)), ("y1", number(y1)), ("x2", number(x2)), ("y2", number(y2)),
                          ("stroke", stroke), ("stroke-width", number(width))]
        if dashed { attributes.append(("stroke-dasharray", "6 4")) }
        add("line", attributes)
    }

    mutating func text(_ content: String, x: Double, y: Double, class name: String, anchor: String = "middle",
                       size: Double = 12, rotate: Double? = nil) {
        guard !content.isEmpty else { return }
        var attributes = [("class", name), ("x", number(x)), ("y", number(y)), ("text-anchor", anchor),
                          ("font-size", number(size))]
        if let rotate { attributes.append(("transform", "rotate(\(number(rotate)) \(number(x)) \(number(y)))")) }
        add("text", attributes, text: content)
    }

    /// The complete document.
    func render() -> String {
        let header = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(width))\" height=\"\(number(height))\" "
            + "viewBox=\"0 0 \(number(width)) \(number(height))\" font-family=\"Helvetica, Arial, sans-serif\">"
        let background = "<rect class=\"background\" width=\"100%\" height=\"100%\" fill=\"white\"/>"
        return ([header, background] + elements + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    /// XML escaping for text and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// A coordinate with at most two decimals and no trailing zeros.
func number(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    return String(format: "%.2f", rounded).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
}

/// Ten distinguishable colours (Tableau 10) for series and bars.
let chartPalette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
