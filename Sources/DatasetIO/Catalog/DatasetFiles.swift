import Foundation

/// A descriptor together with the folder where all of its files were found.
public struct DatasetFiles: Sendable {
    /// What the files hold.
    public let descriptor: DatasetDescriptor
    /// The folder the files are in.
    public let folder: String
    /// Full paths by file role, in the descriptor's order within each role.
    public let paths: [String: [String]]

    /// Every path, roles in alphabetical order.
    public var allPaths: [String] {
        paths.keys.sorted().flatMap { paths[$0] ?? [] }
    }

    /// The paths of `role`; empty when the descriptor names none.
    public func paths(_ role: String) -> [String] { paths[role] ?? [] }

    /// Total size of the files on disk, in bytes.
    public func diskSize() -> Int {
        allPaths.reduce(0) { total, path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }
}

extension DatasetDescriptor {
    /// Folders searched in order: `$SMASH_DATA/<subfolder>` when the variable is set, then `location.folder`.
    public func candidateFolders(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var folders = [String]()
        if let root = environment[Self.dataEnvironmentVariable], !root.isEmpty {
            folders.append((root as NSString).appendingPathComponent(location.subfolder))
        }
        if let folder = location.folder { folders.append(folder) }
        return folders
    }

    /// Who provides the files, as a phrase for "missing file" messages.
    public var providerHint: String {
        var ways = [String]()
        if let package = provider.package { ways.append("the Debian package \(package) (apt-get install \(package))") }
        if let download = provider.download { ways.append("the download \(download)") }
        var hint = ways.isEmpty ? "no known package" : ways.joined(separator: " or ")
        if let note = provider.note { hint += " (\(note))" }
        return hint + "; or set \(Self.dataEnvironmentVariable) to a folder holding \(location.subfolder)/"
    }

    /// The files in the first candidate folder that holds all of them, or `nil` when none does.
    public func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> DatasetFiles? {
        for folder in candidateFolders(environment: environment) {
            let files = filesIn(folder)
            if files.allPaths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { return files }
        }
        return nil
    }

    /// Like `locate`, but says which file is missing and who provides it.
    /// - Throws: `.missingFile` for the first missing file of the first candidate folder.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(DatasetError) -> DatasetFiles {
        if let files = locate(environment: environment) { return files }
        let folders = candidateFolders(environment: environment)
        guard let first = folders.first else {
            throw .missingFile(path: "$\(Self.dataEnvironmentVariable)/\(location.subfolder)", providedBy: providerHint)
        }
        let missing = filesIn(first).allPaths.first { !FileManager.default.fileExists(atPath: $0) } ?? first
        throw .missingFile(path: missing, providedBy: providerHint)
    }

    private func filesIn(_ folder: String) -> DatasetFiles {
        let paths = files.mapValues { list in list.names.map { (folder as NSString).appendingPathComponent($0) } }
        return DatasetFiles(descriptor: self, folder: folder, paths: paths)
    }
}

/// A dataset read in full: the training set, the official test set when there is one, and the
/// predefined folds when the format has them (STL-10).
public struct LoadedDataset: Sendable {
    /// The whole training set, in file order.
    public var train: Dataset
    /// The official test set; `nil` for the digits.
    public var test: Dataset?
    /// Indices into `train`, one array per predefined fold.
    public var folds: [[Int]]?

    /// Train, validation and test splits with the given options.
    public func splits(_ options: SplitOptions) throws(DatasetError) -> DataSplits {
        try DataSplits(training: train, test: test, options: options)
    }
}

extension DatasetFiles {
    /// Reads every file and checks shapes and counts against the descriptor.
    /// - Throws: any reader error, `.shapeMismatch` or `.unexpectedCount`.
    public func load() throws(DatasetError) -> LoadedDataset {
        let names = descriptor.effectiveClassNames
        let train: Dataset
        var test: Dataset?
        var folds: [[Int]]?
        switch descriptor.format {
        case .idx:
            train = try IDX.dataset(images: one("train-images"), labels: one("train-labels"), classNames: names)
            test = try IDX.dataset(images: one("test-images"), labels: one("test-labels"), classNames: names)
        case .digitsCSV:
            train = try DigitsCSV.dataset(one("data"), classNames: names)
        case .cifar10, .cifar100:
            let variant: CIFAR.Variant = descriptor.format == .cifar10 ? .cifar10 : .cifar100(descriptor.labels ?? .fine)
            train = try CIFAR.dataset(files: paths("train"), variant: variant, classNames: names,
                                      expectedCounts: perFile(descriptor.examples.train, paths("train").count))
            test = try CIFAR.dataset(files: paths("test"), variant: variant, classNames: names,
                                     expectedCounts: descriptor.examples.test.flatMap { perFile($0, paths("test").count) })
        case .stl10:
            train = try STL10.dataset(images: one("train-images"), labels: one("train-labels"), classNames: names)
            test = try STL10.dataset(images: one("test-images"), labels: one("test-labels"), classNames: names)
            if let path = paths("folds").first { folds = try STL10.readFolds(path, trainCount: train.count) }
        }
        let format = descriptor.format
        try check(train, role: format.trainRole, expected: descriptor.examples.train)
        if let test, let expected = descriptor.examples.test { try check(test, role: format.testRole, expected: expected) }
        return LoadedDataset(train: train, test: test, folds: folds)
    }

    private func one(_ role: String) -> String { paths(role).first ?? folder }

    /// `total` split evenly over `files` files, or `nil` when it does not divide.
    private func perFile(_ total: Int, _ files: Int) -> [Int]? {
        files > 0 && total % files == 0 ? Array(repeating: total / files, count: files) : nil
    }

    private func check(_ dataset: Dataset, role: String, expected: Int) throws(DatasetError) {
        let path = paths(role).joined(separator: " + ")
        guard dataset.shape == descriptor.shape else {
            throw .shapeMismatch(path: path, expected: descriptor.shape.description, found: dataset.shape.description)
        }
        guard dataset.count == expected else { throw .unexpectedCount(path: path, expected: expected, found: dataset.count) }
    }
}
