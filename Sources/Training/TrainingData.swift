import DatasetIO

/// The splits a run trains and evaluates on: a training split, and optionally a validation and a
/// test split, all with images of one shape.
public struct TrainingData: Sendable {
    /// The examples the optimiser sees.
    public var train: Dataset
    /// Held-out examples evaluated after every epoch, if any.
    public var validation: Dataset?
    /// The test examples, evaluated at the end (and every epoch when configured), if any.
    public var test: Dataset?

    /// Splits given one by one.
    public init(train: Dataset, validation: Dataset? = nil, test: Dataset? = nil) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// The train, validation and test splits of a dataset.
    public init(_ splits: DataSplits) {
        self.init(train: splits.train, validation: splits.validation, test: splits.test)
    }

    /// The splits present, with their names, training first.
    var named: [(name: String, dataset: Dataset)] {
        [("train", train)] + [("validation", validation), ("test", test)].compactMap { name, dataset in
            dataset.map { (name, $0) }
        }
    }

    /// Throws unless every split present holds examples of the training images' shape.
    func validate() throws(TrainingError) {
        for (name, dataset) in named {
            guard dataset.count > 0 else { throw .emptySplit(split: name) }
            guard dataset.shape == train.shape else {
                throw .splitShapeMismatch(split: name, expected: train.shape.description, found: dataset.shape.description)
            }
        }
    }

    /// Throws for the first label, in any split, that is not below `classes`.
    func checkLabels(classes: Int) throws(TrainingError) {
        for (name, dataset) in named {
            if let index = dataset.labels.firstIndex(where: { Int($0) >= classes || $0 < 0 }) {
                throw .labelOutOfRange(split: name, index: index, label: Int(dataset.labels[index]), classes: classes)
            }
        }
    }
}
