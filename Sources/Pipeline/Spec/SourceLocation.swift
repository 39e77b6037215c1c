/// Where a value of a pipeline spec was written: a file with line and column, or a command-line
/// argument such as `--set stages.train.with.epochs=3` (no line or column).
public struct SourceLocation: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The file path, or the command-line argument the value came from.
    public var source: String
    /// 1-based line, when the value came from a file.
    public var line: Int?
    /// 1-based column, when the value came from a file.
    public var column: Int?

    /// A location in a file.
    public init(file: String, line: Int, column: Int) {
        source = file
        self.line = line
        self.column = column
    }

    /// A location that is a whole file or argument, without a position.
    public init(source: String) {
        self.source = source
        line = nil
        column = nil
    }

    /// `file:line:column`, or the source alone.
    public var description: String {
        guard let line else { return source }
        guard let column else { return "\(source):\(line)" }
        return "\(source):\(line):\(column)"
    }
}
