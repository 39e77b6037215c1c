import DatasetIO
import Foundation

/// The dataset a stage reads: its descriptor, files and fingerprint, loaded on first use and
/// shared by every stage of the run that reads the same dataset.
public final class StageDataset {
    /// The catalog name.
    public let name: String
    /// What the descriptor declares.
    public let descriptor: DatasetDescriptor
    /// Where the files are.
    public let files: DatasetFiles
    /// SHA-256 over the files' names and digests; part of the key of every stage that reads it.
    public let fingerprint: String
    private var loaded: LoadedDataset?
    private var splitCache: [SplitOptions: DataSplits] = [:]

    init(name: String, descriptor: DatasetDescriptor, files: DatasetFiles, fingerprint: String) {
        self.name = name
        self.descriptor = descriptor
        self.files = files
        self.fingerprint = fingerprint
    }

    /// The whole dataset, read once per run.
    public func load() throws(DatasetError) -> LoadedDataset {
        if let loaded { return loaded }
        let dataset = try files.load()
        loaded = dataset
        return dataset
    }

    /// The descriptor's split options (normalisation, test hold-out) with `validation` training
    /// images held out at random under `seed`, and, when `trainPerClass` is positive, only the
    /// first that many training images of each class: what the training stages share.
    public func trainingSplit(seed: UInt64, validation: Int, trainPerClass: Int) -> SplitOptions {
        var options = descriptor.splitOptions(seed: seed)
        options.validationCount = validation
        options.trainPerClass = trainPerClass > 0 ? trainPerClass : nil
        return options
    }

    /// Train, validation and test splits, computed once per run and options. Without
    /// `options`, the descriptor's default split sizes with `seed` and no normalisation.
    public func splits(_ options: SplitOptions? = nil, seed: UInt64 = 0) throws(DatasetError) -> DataSplits {
        var defaults = descriptor.splitOptions(seed: seed)
        defaults.normalize = false
        let options = options ?? defaults
        if let cached = splitCache[options] { return cached }
        let splits = try load().splits(options)
        splitCache[options] = splits
        return splits
    }
}

/// Resolves catalog names to `StageDataset`s, once per name per run.
final class DatasetProvider {
    private let workspace: Workspace
    private var resolved: [String: Result<StageDataset, DatasetError>] = [:]

    init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// The dataset `name`, its files located and fingerprinted.
    func dataset(_ name: String) -> Result<StageDataset, DatasetError> {
        if let known = resolved[name] { return known }
        let result = Result { () throws(DatasetError) -> StageDataset in
            let descriptor = try workspace.catalog.descriptor(named: name)
            let files = try descriptor.resolve(environment: workspace.environment)
            let fingerprint = try files.fingerprint(memo: workspace.fingerprintMemo)
            return StageDataset(name: name, descriptor: descriptor, files: files, fingerprint: fingerprint)
        }
        resolved[name] = result
        return result
    }

    /// The dataset of `stage`, or `datasetUnavailable` naming the stage.
    func dataset(for stage: StageSpec) throws(PipelineError) -> StageDataset? {
        guard let name = stage.dataset else { return nil }
        switch dataset(name) {
        case .success(let dataset): return dataset
        case .failure(let error): throw .datasetUnavailable(stage: stage.name, dataset: name, reason: error.description)
        }
    }
}
