import Autodiff
import NN
import Randomness
import Testing

/// A small CNN built from the library's layers must learn a synthetic 10-class image task.
@Suite struct LearningTests {
    /// Ten smooth random 12x12 prototypes; each sample is its class's prototype, shifted by up to
    /// one pixel, plus Gaussian noise.
    struct SyntheticImages {
        let images: [Float]
        let labels: [Int32]
        static let side = 12

        init(count: Int, prototypes: [[Float]], noise: Float, generator: inout SeededGenerator) {
            let side = SyntheticImages.side
            var images = [Float](), labels = [Int32]()
            for i in 0..<count {
                let label = i % prototypes.count
                let (dy, dx) = (generator.int(in: -1...1), generator.int(in: -1...1))
                for y in 0..<side {
                    for x in 0..<side {
                        let (sy, sx) = (min(max(y + dy, 0), side - 1), min(max(x + dx, 0), side - 1))
                        images.append(prototypes[label][sy * side + sx] + noise * generator.normal())
                    }
                }
                labels.append(Int32(label))
            }
            self.images = images
            self.labels = labels
        }

        func batch(_ range: Range<Int>) throws -> (Tensor, [Int32]) {
            let size = SyntheticImages.side * SyntheticImages.side
            let x = try Tensor(shape: [range.count, 1, SyntheticImages.side, SyntheticImages.side],
                               values: Array(images[range.lowerBound * size ..< range.upperBound * size]))
            return (x, Array(labels[range]))
        }
    }

    final class SmallCNN: Layer {
        let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d, head: Linear

        init(using generator: inout SeededGenerator) throws {
            conv1 = try Conv2d(inChannels: 1, outChannels: 8, kernel: 3, using: &generator)
            bn1 = BatchNorm2d(channels: 8)
            conv2 = try Conv2d(inChannels: 8, outChannels: 16, kernel: 3, stride: 2, padding: 1, using: &generator)
            bn2 = BatchNorm2d(channels: 16)
            head = try Linear(inFeatures: 16 * 3 * 3, outFeatures: 10, using: &generator)
        }

        var parameters: [NamedTensor] {
            conv1.parameters.prefixed("conv1") + bn1.parameters.prefixed("bn1") + conv2.parameters.prefixed("conv2")
                + bn2.parameters.prefixed("bn2") + head.parameters.prefixed("head")
        }

        func logits(_ x: Tensor, training: Bool) throws -> Tensor {
            var h = try bn1(conv1(x), training: training).relu().avgPool2x2()  // 6x6
            h = try bn2(conv2(h), training: training).relu()  // 3x3
            return try head(h.reshaped([x.shape[0], 16 * 9]))
        }
    }

    /// A 3x3 box blur (edges clamped), rescaled to unit variance.
    func smoothed(_ image: [Float], side: Int) -> [Float] {
        var out = [Float](repeating: 0, count: image.count)
        for y in 0..<side {
            for x in 0..<side {
                var total: Float = 0
                for dy in -1...1 {
                    for dx in -1...1 { total += image[min(max(y + dy, 0), side - 1) * side + min(max(x + dx, 0), side - 1)] }
                }
                out[y * side + x] = total / 3
            }
        }
        return out
    }

    @Test func smallCNNLearnsSyntheticImages() throws {
        var generator = SeededGenerator(seed: 11)
        let side = SyntheticImages.side
        let prototypes = (0..<10).map { _ in smoothed((0..<side * side).map { _ in generator.normal() }, side: side) }
        let train = SyntheticImages(count: 500, prototypes: prototypes, noise: 1.0, generator: &generator)
        let test = SyntheticImages(count: 200, prototypes: prototypes, noise: 1.0, generator: &generator)
        let model = try SmallCNN(using: &generator)
        let adam = Adam([ParameterGroup(model.parameters)], learningRate: 3e-3)

        var losses: [Float] = []
        for _ in 0..<8 {
            for start in stride(from: 0, to: 500, by: 25) {
                let (x, labels) = try train.batch(start ..< start + 25)
                let tape = Tape()
                let loss = try tape.record { try model.logits(x, training: true).softmaxCrossEntropy(labels: labels) }
                try tape.backward(from: loss)
                adam.step()
                adam.clearGradients()
                losses.append(loss.scalar)
            }
        }
        let (x, labels) = try test.batch(0..<200)
        let predictions = try model.logits(x, training: false).argmaxRows()
        let accuracy = Double(zip(predictions, labels).filter { $0 == Int($1) }.count) / 200
        let early = losses.prefix(10).reduce(0, +) / 10, late = losses.suffix(10).reduce(0, +) / 10
        #expect(late < early / 4, "loss fell from \(early) to \(late)")
        #expect(accuracy >= 0.95, "test accuracy \(accuracy)")
    }
}
