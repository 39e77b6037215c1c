import ArgumentParser
import Pipeline
import SMASH

/// `smash architecture FILE`: an architecture as the paper draws it, as Graphviz DOT, or as its
/// canonical JSON, with its size.
struct ArchitectureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "architecture",
        abstract: "Render architectures from a JSON file or a stage artifact as text, Graphviz DOT or canonical JSON.",
        discussion: """
            FILE is a JSON architecture (or an array of them) or the artifact of a sample, score,
            select or perturb stage. Ids are the first 12 hex digits of the SHA-256 of the canonical JSON.
            Examples:
              smash architecture .smash/cache/perturb/<key>.h5
              smash architecture .smash/cache/score/<key>.h5 --id 3fa9 --format dot | dot -Tsvg > arch.svg
              smash architecture best.json --input 3,32,32,100
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, dot, json
    }

    @Argument(help: "A .json architecture file or a stage artifact (.h5).")
    var file: String

    @Option(help: "Only architectures whose id starts with this prefix.")
    var id = ""

    @Option(help: "text (the paper's figures), dot (Graphviz) or json (canonical).")
    var format = Format.text

    @Option(help: "The input the size is given for: channels,height,width,classes.")
    var input = "1,28,28,10"

    func run() throws {
        let values = input.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 4, values.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--input '\(input)' is not channels,height,width,classes (four positive integers)")
        }
        let size = NetworkInput(channels: values[0], height: values[1], width: values[2], classes: values[3])
        let found = try reportingPipelineErrors { () throws(PipelineError) in try ArchitectureListing.read(file, idPrefix: id) }
        for (index, entry) in found.enumerated() {
            switch format {
            case .json:
                print(entry.architecture.canonicalJSON)
            case .dot:
                print(try entry.architecture.renderDOT(), terminator: "")
            case .text:
                if index > 0 { print() }
                let cost = try entry.architecture.cost(for: size)
                print("architecture \(entry.id): \(entry.architecture.opCount) ops, \(cost.parameters) parameters, "
                      + "\(cost.multiplyAdds) multiply-adds per \(values[0])x\(values[1])x\(values[2]) image")
                print(try entry.architecture.renderText(), terminator: "")
            }
        }
    }
}
