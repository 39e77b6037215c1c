import Kernels

extension Tensor {
    /// The mean cross-entropy between the softmax of `[rows, classes]` logits and integer labels,
    /// as a one-element tensor.
    /// - Throws: `TensorError` if the logits are not rank 2, the label count differs from the rows,
    ///   or a label is outside `0..<classes`.
    public func softmaxCrossEntropy(labels: [Int32]) throws -> Tensor {
        try expectRank(2, "softmaxCrossEntropy")
        let (rows, classes) = (shape[0], shape[1])
        guard rows > 0, classes > 0 else {
            throw TensorError.invalidArgument(operation: "softmaxCrossEntropy", message: "logits \(shape) are empty")
        }
        guard labels.count == rows else {
            throw TensorError.shapeMismatch(operation: "softmaxCrossEntropy labels for logits \(shape)", expected: [rows], found: [labels.count])
        }
        if let bad = labels.first(where: { $0 < 0 || Int($0) >= classes }) {
            throw TensorError.invalidArgument(operation: "softmaxCrossEntropy", message: "label \(bad) is outside 0..<\(classes)")
        }
        let logProbabilities = Tensor(uninitializedShape: shape)
        let out = Tensor.result(shape: [1], of: self)
        out.data[0] = labels.withUnsafeBufferPointer { l in
            softmaxCrossEntropyForward(data, labels: l.baseAddress!, logProbabilities: logProbabilities.data,
                                       rows: rows, classes: classes)
        }
        out.recordBackward(from: self) { dy, dx in
            labels.withUnsafeBufferPointer { l in
                softmaxCrossEntropyBackward(logProbabilities.data, labels: l.baseAddress!, dLoss: dy[0],
                                            dx, rows: rows, classes: classes)
            }
        }
        return out
    }

    /// How many rows of these `[rows, classes]` logits have their largest entry elsewhere than at
    /// the row's label.
    public func mistakes(labels: [Int32]) throws -> Int {
        zip(try argmaxRows(), labels).reduce(0) { $0 + ($1.0 == Int($1.1) ? 0 : 1) }
    }

    /// The index of the largest element of each row of a `[rows, columns]` tensor.
    public func argmaxRows() throws -> [Int] {
        try expectRank(2, "argmaxRows")
        let columns = shape[1]
        return (0..<shape[0]).map { r in
            let row = data + r * columns
            var best = 0
            for j in 1..<max(columns, 1) where row[j] > row[best] { best = j }
            return best
        }
    }
}
