import Foundation

/// Error rate and mean loss of a model on one split.
public struct Evaluation: Codable, Sendable, Hashable {
    /// The fraction of examples whose highest logit is not their label, in [0, 1].
    public var error: Double
    /// The mean softmax cross-entropy.
    public var loss: Double
    /// The number of examples evaluated.
    public var examples: Int

    /// Figures over `examples` examples.
    public init(error: Double, loss: Double, examples: Int) {
        self.error = error
        self.loss = loss
        self.examples = examples
    }
}

/// What one epoch did: training figures, held-out figures, learning rate and speed.
public struct EpochRecord: Codable, Sendable, Hashable {
    /// The epoch, from 1.
    public var epoch: Int
    /// Mean training loss over the epoch's batches (weighted by batch size).
    public var trainLoss: Double
    /// Training error over the epoch, in training mode and with augmentation.
    public var trainError: Double
    /// Validation figures after the epoch, when there is a validation split.
    public var validation: Evaluation?
    /// Test figures after the epoch, when asked for.
    public var test: Evaluation?
    /// The learning rate of the epoch's last step.
    public var learningRate: Double
    /// Training images per second (training steps only, not evaluation).
    public var imagesPerSecond: Double
    /// Wall-clock seconds of the epoch, evaluation included.
    public var seconds: Double

    /// A record with every figure given.
    public init(epoch: Int, trainLoss: Double, trainError: Double, validation: Evaluation?, test: Evaluation?,
                learningRate: Double, imagesPerSecond: Double, seconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainError = trainError
        self.validation = validation
        self.test = test
        self.learningRate = learningRate
        self.imagesPerSecond = imagesPerSecond
        self.seconds = seconds
    }

    /// One line for logs: `epoch 3/15  train loss 0.3124 err 11.20%  val loss 0.2811 err 10.10%  ...`.
    public func line(of epochs: Int) -> String {
        var parts = [String(format: "epoch %d/%d  train loss %.4f err %.2f%%", epoch, epochs, trainLoss, 100 * trainError)]
        if let validation { parts.append(String(format: "val loss %.4f err %.2f%%", validation.loss, 100 * validation.error)) }
        if let test { parts.append(String(format: "test loss %.4f err %.2f%%", test.loss, 100 * test.error)) }
        parts.append(String(format: "lr %.5f  %.1f img/s  %.1f s", learningRate, imagesPerSecond, seconds))
        return parts.joined(separator: "  ")
    }
}

/// The records of every epoch so far, as stored in checkpoints and `history.json`.
public struct TrainingHistory: Codable, Sendable, Hashable {
    /// One record per finished epoch, in order.
    public var epochs: [EpochRecord]

    /// A history of the given records (none by default).
    public init(epochs: [EpochRecord] = []) {
        self.epochs = epochs
    }

    /// How a NaN or infinite evaluation loss is written (JSON has no such numbers).
    private static let nonFinite = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    private static let nonFiniteDecoding = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// Pretty-printed JSON with sorted keys.
    public func json() throws(TrainingError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = TrainingHistory.nonFinite
        do {
            return try encoder.encode(self)
        } catch {
            throw .io(operation: "encode the history as JSON", path: "history.json", reason: "\(error)")
        }
    }

    /// The history encoded by `json()`.
    public static func decode(_ data: Data, path: String) throws(TrainingError) -> TrainingHistory {
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = TrainingHistory.nonFiniteDecoding
            return try decoder.decode(TrainingHistory.self, from: data)
        } catch {
            throw .unreadableCheckpoint(path: path, reason: "its history is not valid JSON (\(error))")
        }
    }
}
