import Autodiff
import NN
import Randomness

/// A WRN training step (SGD, Nesterov momentum 0.9, weight decay 5e-4) on random 1x28x28 images.
public func measureWideResNetStep(depth: Int = 16, widenFactor: Int = 2, batch: Int = 128,
                                  repetitions: Int, clock: BenchmarkClock = .wall) throws -> BenchmarkRecord {
    var generator = SeededGenerator(seed: 0)
    let network = try WideResNet(WideResNetConfiguration(depth: depth, widenFactor: widenFactor, inputChannels: 1, classes: 10),
                                 using: &generator)
    let sgd = SGD([ParameterGroup(network.parameters, weightDecay: 5e-4)], learningRate: 0.1, momentum: 0.9, nesterov: true)
    let x = Tensor.randomNormal(shape: [batch, 1, 28, 28], using: &generator)
    let labels = (0..<batch).map { _ in Int32(generator.int(below: 10)) }
    let ms = try medianMilliseconds(repetitions: repetitions, clock: clock) {
        let tape = Tape()
        let loss = try tape.record { try network(x, training: true).softmaxCrossEntropy(labels: labels) }
        try tape.backward(from: loss)
        sgd.step()
        sgd.clearGradients()
    }
    return BenchmarkRecord(name: "wrn\(depth)_\(widenFactor)_train_step_b\(batch)", ms: ms,
                           imagesPerSecond: Double(batch) / ms * 1e3)
}

/// The reference's DenseNet HyperNet (3x3 dense blocks of 8/10/4 layers, growth 10, halving 3x3
/// compressions, LeakyReLU 0.02, bias-free, 1x1 output), forward and backward of the mean square
/// of its output on a `[1, 92, 8, 224]` encoding.
public func measureHyperNetStep(inChannels: Int = 92, outChannels: Int = 128, rows: Int = 8, width: Int = 224,
                                repetitions: Int, clock: BenchmarkClock = .wall) throws -> BenchmarkRecord {
    var generator = SeededGenerator(seed: 0)
    let stem = try Conv2d(inChannels: inChannels, outChannels: 7, kernel: 3, using: &generator)
    var channels = inChannels + 7
    var blocks: [[Conv2d]] = [], squeezes: [Conv2d] = []
    let layers = [8, 10, 4]
    for (index, count) in layers.enumerated() {
        var convs: [Conv2d] = []
        for _ in 0..<count {
            convs.append(try Conv2d(inChannels: channels, outChannels: 10, kernel: 3, using: &generator))
            channels += 10
        }
        blocks.append(convs)
        if index < layers.count - 1 {
            squeezes.append(try Conv2d(inChannels: channels, outChannels: channels / 2, kernel: 3, using: &generator))
            channels /= 2
        }
    }
    let output = try Conv2d(inChannels: channels, outChannels: outChannels, kernel: 1, using: &generator)
    let code = Tensor.randomNormal(shape: [1, inChannels, rows, width], using: &generator)
    let ms = try medianMilliseconds(repetitions: repetitions, clock: clock) {
        let tape = Tape()
        let loss = try tape.record {
            var x = try Tensor.concatChannels([code, stem(code)])
            for (index, convs) in blocks.enumerated() {
                for conv in convs { x = try Tensor.concatChannels([x, conv(x.leakyReLU(slope: 0.02))]) }
                if index < squeezes.count { x = try squeezes[index](x.leakyReLU(slope: 0.02)) }
            }
            return try output(x.leakyReLU(slope: 0.02)).meanSquare()
        }
        try tape.backward(from: loss)
    }
    return BenchmarkRecord(name: "hypernet_fwd_bwd_\(rows)x\(width)", ms: ms)
}
