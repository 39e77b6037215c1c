/// Everything that can stop a training run: bad settings, unusable data, a checkpoint that does not
/// fit, a diverged loss, or a file that could not be written.
///
/// Each case carries what a user needs to fix the input; `description` reads as one sentence.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A setting is out of range. `name` is the setting, `reason` says what is allowed.
    case invalidSetting(name: String, value: String, reason: String)
    /// A data split holds no examples.
    case emptySplit(split: String)
    /// A split's images do not have the shape of the training images.
    case splitShapeMismatch(split: String, expected: String, found: String)
    /// A label of a split is not a class the model predicts.
    case labelOutOfRange(split: String, index: Int, label: Int, classes: Int)
    /// The model could not classify one image of the data (wrong input channels or size, or logits
    /// that are not `[batch, classes]`).
    case modelRejectsInput(shape: String, reason: String)
    /// The loss became NaN or infinite. `epoch` and `batch` count from 1.
    case nonFiniteLoss(epoch: Int, batch: Int, value: Float)
    /// A checkpoint was made with another setting than the run resuming it.
    case checkpointSettingMismatch(path: String, name: String, checkpoint: String, run: String)
    /// A checkpoint's tensors do not fit the model or optimiser (a different architecture).
    case checkpointTensorMismatch(path: String, part: String, reason: String)
    /// A checkpoint file is not one this module wrote, or is damaged.
    case unreadableCheckpoint(path: String, reason: String)
    /// A file could not be written, synced, renamed or read.
    case io(operation: String, path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidSetting(name, value, reason):
            return "Training setting \(name) = \(value) is invalid: it \(reason)."
        case let .emptySplit(split):
            return "The \(split) split holds no examples; give it at least one."
        case let .splitShapeMismatch(split, expected, found):
            return "The \(split) split holds images of shape \(found), but the training images are \(expected)."
        case let .labelOutOfRange(split, index, label, classes):
            return "Example \(index) of the \(split) split has label \(label), but the model predicts only classes 0..<\(classes)."
        case let .modelRejectsInput(shape, reason):
            return "The model cannot classify images of shape \(shape): \(reason)."
        case let .nonFiniteLoss(epoch, batch, value):
            return "The training loss became \(value) at epoch \(epoch), batch \(batch); lower the learning rate or check the data."
        case let .checkpointSettingMismatch(path, name, checkpoint, run):
            return "Checkpoint \(path) was made with \(name) = \(checkpoint), but this run has \(run); use another checkpoint folder or the original setting."
        case let .checkpointTensorMismatch(path, part, reason):
            return "Checkpoint \(path) does not fit this \(part): \(reason)."
        case let .unreadableCheckpoint(path, reason):
            return "Checkpoint \(path) could not be read: \(reason)."
        case let .io(operation, path, reason):
            return "Could not \(operation) \(path): \(reason)."
        }
    }
}
