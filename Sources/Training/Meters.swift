/// Running sums of one epoch's training steps.
struct EpochTotals {
    private(set) var lossSum = 0.0
    private(set) var wrong = 0
    private(set) var examples = 0
    /// Seconds spent in training steps (batch preparation included, evaluation not).
    var trainingSeconds = 0.0

    /// Adds a batch of `count` examples with mean loss `loss` and `wrong` mistakes.
    mutating func add(loss: Float, wrong: Int, count: Int) {
        lossSum += Double(loss) * Double(count)
        self.wrong += wrong
        examples += count
    }

    /// Mean loss per example so far.
    var meanLoss: Double { lossSum / Double(max(examples, 1)) }
    /// Fraction of examples misclassified so far.
    var error: Double { Double(wrong) / Double(max(examples, 1)) }
    /// Training examples per second so far.
    var imagesPerSecond: Double { trainingSeconds > 0 ? Double(examples) / trainingSeconds : 0 }
}

/// Speed over all steps of one `train` call, for the remaining-time estimate.
struct SpeedMeter {
    private var remainingSteps: Int
    private var steps = 0
    private var images = 0
    private var seconds = 0.0

    init(remainingSteps: Int) {
        self.remainingSteps = remainingSteps
    }

    mutating func record(images: Int, seconds: Double) {
        steps += 1
        remainingSteps -= 1
        self.images += images
        self.seconds += seconds
    }

    /// Training images per second over the steps recorded.
    var imagesPerSecond: Double { seconds > 0 ? Double(images) / seconds : 0 }
    /// Seconds the remaining steps take at the speed so far.
    var etaSeconds: Double { steps > 0 ? seconds / Double(steps) * Double(max(remainingSteps, 0)) : 0 }
}
