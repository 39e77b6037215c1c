import Testing
@testable import Training

@Suite struct ReporterTests {
    let progress = TrainingProgress(epoch: 2, epochs: 4, batch: 5, batchesPerEpoch: 10, loss: 0.51234, error: 0.125,
                                    learningRate: 0.05, imagesPerSecond: 612.4, etaSeconds: 3725)

    @Test func progressFractionCountsFinishedEpochs() {
        #expect(progress.fraction == 15.0 / 40.0)
    }

    @Test func progressLineShowsBarFiguresAndRemainingTime() {
        let line = TextReporter.describe(progress)
        #expect(line.hasPrefix("[=========>              ]  37.5%"), "\(line)")
        #expect(line.contains("epoch 2/4  batch 5/10  loss 0.5123  err 12.50%  612 img/s  ETA 1h02m"), "\(line)")
    }

    @Test func durationsReadNaturally() {
        #expect(TextReporter.duration(42) == "42s")
        #expect(TextReporter.duration(425) == "7m05s")
        #expect(TextReporter.duration(7980) == "2h13m")
    }

    @Test func logReporterPrintsProgressAtIntervalsAndEveryEpoch() throws {
        var output: [String] = []
        let reporter = TextReporter(interactive: false, interval: 3600) { output.append($0) }
        let callbacks = reporter.callbacks
        try callbacks.onBatch?(progress)
        try callbacks.onBatch?(progress)  // within the interval: not printed
        let record = EpochRecord(epoch: 2, trainLoss: 0.5, trainError: 0.1, validation: Evaluation(error: 0.2, loss: 0.6, examples: 10),
                                 test: nil, learningRate: 0.05, imagesPerSecond: 600, seconds: 12.5)
        try callbacks.onEpoch?(record, 4)
        #expect(output.count == 2)
        #expect(output[1] == "epoch 2/4  train loss 0.5000 err 10.00%  val loss 0.6000 err 20.00%  lr 0.05000  600.0 img/s  12.5 s\n")
    }
}
