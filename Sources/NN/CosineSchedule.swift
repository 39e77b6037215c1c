import Foundation

/// Cosine annealing per iteration: lr(t) = min + ½(base − min)(1 + cos(π·t/T)), for t in 0...T.
public struct CosineSchedule: Sendable, Codable, Equatable {
    public var baseLearningRate: Float
    public var minimumLearningRate: Float
    public var totalSteps: Int

    public init(baseLearningRate: Float, totalSteps: Int, minimumLearningRate: Float = 0) {
        self.baseLearningRate = baseLearningRate
        self.totalSteps = max(totalSteps, 1)
        self.minimumLearningRate = minimumLearningRate
    }

    /// The learning rate at step `t` (clamped to the schedule's end).
    public func learningRate(atStep t: Int) -> Float {
        let progress = Double(min(max(t, 0), totalSteps)) / Double(totalSteps)
        let cosine = Float(0.5 * (1 + cos(Double.pi * progress)))
        return minimumLearningRate + (baseLearningRate - minimumLearningRate) * cosine
    }
}
