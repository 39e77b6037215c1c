/// The on-disk formats DatasetIO reads.
public enum DatasetFormat: String, Codable, Sendable, Hashable, CaseIterable {
    /// Gzipped or plain IDX: `train-images`, `train-labels`, `test-images`, `test-labels`.
    case idx
    /// scikit-learn's digits CSV: `data` (no official test set).
    case digitsCSV = "digits-csv"
    /// CIFAR-10 binary: `train` (the five batches), `test`.
    case cifar10
    /// CIFAR-100 binary: `train`, `test`.
    case cifar100
    /// STL-10 binary: `train-images`, `train-labels`, `test-images`, `test-labels`, optional `folds`.
    case stl10

    /// File roles a descriptor of this format must name, and roles it may name.
    var requiredRoles: [String] {
        switch self {
        case .idx, .stl10: ["train-images", "train-labels", "test-images", "test-labels"]
        case .digitsCSV: ["data"]
        case .cifar10, .cifar100: ["train", "test"]
        }
    }

    var optionalRoles: [String] { self == .stl10 ? ["folds"] : [] }

    /// The role whose files hold the training images (named in errors about the training set).
    var trainRole: String {
        switch self {
        case .idx, .stl10: "train-images"
        case .digitsCSV: "data"
        case .cifar10, .cifar100: "train"
        }
    }

    /// The role whose files hold the official test images.
    var testRole: String { self == .cifar10 || self == .cifar100 ? "test" : "test-images" }

    /// Roles that may list several files, read and concatenated in order.
    var multiFileRoles: [String] { self == .cifar10 || self == .cifar100 ? ["train", "test"] : [] }

    /// The image shape the format implies, when it fixes one.
    var fixedShape: ImageShape? {
        switch self {
        case .idx: nil
        case .digitsCSV: DigitsCSV.shape
        case .cifar10, .cifar100: CIFAR.shape
        case .stl10: STL10.shape
        }
    }
}

/// What a `Datasets/<name>.yaml` file declares: format, where the files are and who provides
/// them, image shape, example counts, classes, normalisation and default split sizes.
public struct DatasetDescriptor: Codable, Sendable, Hashable {
    /// Who provides the files, for "missing file" messages and `smash datasets`.
    public struct Provider: Codable, Sendable, Hashable {
        /// A Debian package that installs the files, if any.
        public var package: String?
        /// A URL to download them from, if any.
        public var download: String?
        /// How to get the files from the package or download (extraction steps, scripts).
        public var note: String?
    }

    /// Where the files are.
    public struct Location: Codable, Sendable, Hashable {
        /// The folder used when the environment does not override it.
        public var folder: String?
        /// The folder under `$SMASH_DATA` that holds this dataset's files.
        public var subfolder: String
    }

    /// Declared example counts, checked when the data is read.
    public struct Examples: Codable, Sendable, Hashable {
        /// Training examples (all examples for a dataset without a test set).
        public var train: Int
        /// Official test examples, if the dataset has a test set.
        public var test: Int?
    }

    /// Default split sizes for pipelines.
    public struct Splits: Codable, Sendable, Hashable {
        /// Training examples held out at random for validation.
        public var validation: Int
        /// Examples held out at random as a test set when there is no official one.
        public var test: Int?
    }

    /// How images are normalised before training.
    public enum Normalization: String, Codable, Sendable, Hashable {
        /// Per-channel mean and std computed on the training split.
        case perChannel = "per-channel"
        /// Pixels stay in [0, 1].
        case none
    }

    /// The environment variable whose folder, when set, is searched before `location.folder`.
    public static let dataEnvironmentVariable = "SMASH_DATA"

    /// The dataset's name; must match the descriptor's file name.
    public var name: String
    /// One line saying what the data is.
    public var description: String
    /// The on-disk format.
    public var format: DatasetFormat
    /// Who provides the files.
    public var provider: Provider
    /// Where the files are.
    public var location: Location
    /// File role (e.g. `train-images`) to one file name or a list of names, relative to the folder.
    public var files: [String: FileList]
    /// The shape of every image.
    public var shape: ImageShape
    /// Declared example counts.
    public var examples: Examples
    /// Class names, indexed by label.
    public var classes: [String]
    /// CIFAR-100 only: the 20 superclass names, used when `labels` is `coarse`.
    public var coarseClasses: [String]?
    /// CIFAR-100 only: which label set to use (`fine` when absent).
    public var labels: CIFAR.LabelGranularity?
    /// How images are normalised.
    public var normalization: Normalization
    /// Default split sizes.
    public var splits: Splits

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, format, provider, location, files, shape, examples, classes
        case coarseClasses = "coarse-classes"
        case labels, normalization, splits
    }

    /// The class names labels refer to, after choosing CIFAR-100's label set.
    public var effectiveClassNames: [String] {
        labels == .coarse ? coarseClasses ?? [] : classes
    }

    /// Split options from the descriptor's defaults, for a given seed.
    public func splitOptions(seed: UInt64) -> SplitOptions {
        SplitOptions(validationCount: splits.validation, testHoldoutCount: splits.test ?? 0, seed: seed,
                     normalize: normalization == .perChannel)
    }
}

/// One file name or a list of them; YAML may write either.
public struct FileList: Codable, Sendable, Hashable {
    /// The file names, in reading order.
    public var names: [String]

    /// A list of file names.
    public init(_ names: [String]) { self.names = names }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            names = [one]
        } else {
            names = try container.decode([String].self)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if names.count == 1 { try container.encode(names[0]) } else { try container.encode(names) }
    }
}
