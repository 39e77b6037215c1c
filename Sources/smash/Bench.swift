import ArgumentParser

/// `smash bench`: kernel and training-step throughput.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure kernel and training-step throughput.")

    func run() throws {}
}
