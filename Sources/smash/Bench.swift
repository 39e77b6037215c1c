import ArgumentParser
import Benchmarks
import Foundation
import Kernels

/// `smash bench`: kernel and training-step throughput, comparable with the PyTorch reference.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure kernel and training-step throughput.",
        discussion: """
            Times the convolution shapes, a WRN-16-2 training step (batch 128, 1x28x28) and the \
            HyperNet forward and backward pass, under the names the PyTorch reference script uses, \
            so that the two JSON files can be compared as speed ratios measured in one sitting; \
            Fourier forward passes with kept kernel spectra on scoring's shapes and weight \
            gradients alone on the training step's shapes (wgrad_*); then SMASH steps, epochs, \
            scoring and resulting-network training for the Fashion-MNIST presets, and with a \
            filter naming "ref" the authors' default configuration.

            Examples:
              smash bench --threads 1,2 --json ours.json
              smash bench --quick
              smash bench --filter smash_step_ref --threads 2
            """)

    @Option(help: "Comma-separated thread counts to measure with.")
    var threads: String = "1,2"

    @Option(help: "Timed repetitions per workload (median reported).")
    var reps: Int = 10

    @Flag(help: "Fewer repetitions and no WRN step: a smoke run of a few seconds.")
    var quick = false

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(help: "Run only the workloads whose name contains this text.")
    var filter: String?

    @Option(help: "wall (default; comparable with the reference) or cpu (process CPU time: steadier on a busy machine, summed over threads).")
    var clock: BenchmarkClock = .wall

    func run() throws {
        let counts = try threads.split(separator: ",").map { part -> Int in
            guard let count = Int(part.trimmingCharacters(in: .whitespaces)), count > 0 else {
                throw ValidationError("--threads expects positive integers separated by commas, found '\(part)'")
            }
            return count
        }
        let repetitions = quick ? 3 : reps
        var report = BenchmarkReport(engine: "smash-swift (OpenBLAS)")
        for count in counts {
            Parallelism.setThreads(count)
            var records: [BenchmarkRecord] = []
            for workload in ConvolutionWorkload.all where selected(workload.name) {
                records += try workload.measure(repetitions: repetitions, clock: clock)
                printRecords(records.suffix(2), threads: count)
            }
            for workload in KeptSpectraWorkload.all where selected(workload.name) {
                guard let record = workload.measure(repetitions: repetitions, clock: clock) else { continue }
                records.append(record)
                printRecords(records.suffix(1), threads: count)
            }
            for workload in WeightGradientWorkload.all where selected(workload.name) {
                records.append(workload.measure(repetitions: repetitions, clock: clock))
                printRecords(records.suffix(1), threads: count)
            }
            if !quick && selected("wrn16_2_train_step_b128") {
                records.append(try measureWideResNetStep(repetitions: max(3, repetitions / 2), clock: clock))
                printRecords(records.suffix(1), threads: count)
            }
            if selected("hypernet_fwd_bwd_8x224") {
                records.append(try measureHyperNetStep(repetitions: repetitions, clock: clock))
                printRecords(records.suffix(1), threads: count)
            }
            try SmashWorkload.measureAll(quick: quick, reference: filter?.contains("ref") == true, clock: clock, selected: selected) {
                records.append($0)
                printRecords(records.suffix(1), threads: count)
            }
            report.runs["threads=\(count)"] = records
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let url = URL(fileURLWithPath: json)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(report).write(to: url, options: .atomic)
            print("wrote \(json)")
        }
    }

    private func selected(_ name: String) -> Bool {
        filter.map { name.contains($0) } ?? true
    }

    private func printRecords(_ records: ArraySlice<BenchmarkRecord>, threads: Int) {
        for record in records {
            var line = "threads=\(threads)  \(record.name.padding(toLength: 34, withPad: " ", startingAt: 0))"
                + String(format: " %9.2f ms", record.ms)
            if let gflops = record.gflops { line += String(format: "  gflops=%.1f", gflops) }
            if let rate = record.imagesPerSecond { line += String(format: "  images_per_s=%.1f", rate) }
            print(line)
        }
    }
}

extension BenchmarkClock: ExpressibleByArgument {}
