import Autodiff
import DatasetIO
import NN

/// Error and loss of a classifier over a whole split, in evaluation mode (batch norm uses its
/// running statistics) and without recording a tape.
struct Evaluator {
    /// Examples per forward pass.
    let batchSize: Int
    /// Reused input tensors.
    let inputs: InputBuffer

    /// Evaluates `model` on every example of `dataset`, in dataset order.
    func evaluate(_ model: any Classifier, on dataset: Dataset) throws -> Evaluation {
        var iterator = try BatchIterator(dataset: dataset, batchSize: batchSize, seed: 0, shuffle: false)
        var batch = iterator.makeBatch()
        var lossSum = 0.0
        var wrong = 0
        while iterator.next(into: &batch) {
            let logits = try model(inputs.tensor(for: batch), training: false)
            lossSum += Double(try logits.softmaxCrossEntropy(labels: batch.labels).scalar) * Double(batch.count)
            wrong += try logits.mistakes(labels: batch.labels)
        }
        let count = Double(max(dataset.count, 1))
        return Evaluation(error: Double(wrong) / count, loss: lossSum / count, examples: dataset.count)
    }
}
