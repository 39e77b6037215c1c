import DatasetIO
import Autodiff

/// Which split of a dataset a stage reads, with the descriptor's default split sizes.
enum DatasetSplit: String, ParameterChoice {
    case train, validation, test

    /// The split of `splits` this names.
    func select(from splits: DataSplits) -> Dataset {
        switch self {
        case .train: return splits.train
        case .validation: return splits.validation
        case .test: return splits.test
        }
    }
}

extension Dataset {
    /// The images as a `[count, pixels]` matrix.
    func imageMatrix() throws -> Tensor {
        try Tensor(shape: [count, shape.pixelCount], values: images)
    }

    /// The indices of each class's examples, in file order, indexed by label.
    func indicesByClass() -> [[Int]] {
        var byClass = [[Int]](repeating: [], count: classCount)
        for (index, label) in labels.enumerated() { byClass[Int(label)].append(index) }
        return byClass
    }
}
