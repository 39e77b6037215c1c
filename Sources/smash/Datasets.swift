import ArgumentParser
import DatasetIO
import Foundation

/// `smash datasets`: the datasets the catalog describes, and a full read of one to check it.
struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the known datasets, or read one fully to check it.",
        discussion: """
            Datasets are described by the YAML files of the catalog folder (./Datasets by default).
            Their files are looked up under $SMASH_DATA/<subfolder> first, then in the descriptor's folder.

            Examples:
              smash datasets
              smash datasets check fashion-mnist
              SMASH_DATA=~/data smash datasets check cifar10
            """,
        subcommands: [List.self, Check.self],
        defaultSubcommand: List.self
    )

    /// Options every `datasets` verb shares.
    struct Options: ParsableArguments {
        @Option(help: "The folder of dataset descriptors.")
        var catalog: String = DatasetCatalog.defaultFolder
    }

    /// `smash datasets [list]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every described dataset: format, shape, counts, whether present, size and fingerprint.")

        @OptionGroup var options: Options

        @Flag(help: "Skip hashing the files (the fingerprint column stays empty).")
        var noFingerprint = false

        func run() throws {
            try reportingErrors { () throws(DatasetError) in
                let catalog = DatasetCatalog(folder: options.catalog)
                var rows = [["NAME", "FORMAT", "SHAPE", "TRAIN", "TEST", "STATUS", "SIZE", "FINGERPRINT"]]
                var missing = [String]()
                for descriptor in try catalog.descriptors() {
                    let files = descriptor.locate()
                    var fingerprint = files == nil ? "-" : ""
                    if let files, !noFingerprint { fingerprint = String(try files.fingerprint().prefix(16)) }
                    rows.append([descriptor.name, descriptor.format.rawValue, descriptor.shape.description,
                                 "\(descriptor.examples.train)", descriptor.examples.test.map { "\($0)" } ?? "-",
                                 files == nil ? "missing" : "present", files.map { megabytes($0.diskSize()) } ?? "-",
                                 fingerprint])
                    if files == nil { missing.append("\(descriptor.name): provided by \(descriptor.providerHint)") }
                }
                print(table(rows))
                if !missing.isEmpty { print("\nMissing:\n" + missing.map { "  " + $0 }.joined(separator: "\n")) }
            }
        }
    }

    /// `smash datasets check NAME`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a dataset fully, validating every file, and report counts per class.")

        @Argument(help: "The dataset name, as in Datasets/<name>.yaml.")
        var name: String

        @OptionGroup var options: Options

        func run() throws {
            try reportingErrors { () throws(DatasetError) in
                let descriptor = try DatasetCatalog(folder: options.catalog).descriptor(named: name)
                let files = try descriptor.resolve()
                let clock = ContinuousClock()
                let start = clock.now
                let loaded = try files.load()
                let seconds = (clock.now - start).components
                let elapsed = Double(seconds.seconds) + Double(seconds.attoseconds) * 1e-18
                print("\(descriptor.name): \(descriptor.description)")
                print("read from \(files.folder) in \(String(format: "%.3f", elapsed)) s")
                print("fingerprint \(try files.fingerprint())")
                var splits = [("train", loaded.train)]
                if let test = loaded.test { splits.append(("test", test)) }
                for (label, dataset) in splits {
                    let low = dataset.images.min() ?? 0, high = dataset.images.max() ?? 0
                    print("\(label): \(dataset.count) images of \(dataset.shape), pixels in [\(low), \(high)]")
                }
                if let folds = loaded.folds { print("folds: \(folds.count), sizes \(folds.map(\.count))") }
                var rows = [["LABEL", "CLASS"] + splits.map { $0.0.uppercased() }]
                let counts = splits.map { $0.1.classCounts() }
                for (label, className) in loaded.train.classNames.enumerated() {
                    rows.append(["\(label)", className] + counts.map { "\($0[label])" })
                }
                print(table(rows))
            }
        }
    }
}

/// Runs `body`, printing a dataset error as one line on standard error and exiting non-zero.
private func reportingErrors(_ body: () throws(DatasetError) -> Void) throws {
    do {
        try body()
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// `bytes` as megabytes with one decimal.
private func megabytes(_ bytes: Int) -> String {
    String(format: "%.1f MB", Double(bytes) / 1_000_000)
}

/// Left-aligned columns separated by two spaces.
private func table(_ rows: [[String]]) -> String {
    let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
}
