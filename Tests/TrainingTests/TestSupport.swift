import Autodiff
import DatasetIO
import Foundation
import NN
import Randomness
@testable import Training

/// A folder under the system's temporary directory, removed when the value is released.
final class TemporaryFolder {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("training-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A checkpoint folder inside this folder.
    func checkpoints(_ name: String) -> CheckpointFolder { CheckpointFolder(url.appendingPathComponent(name)) }
}

/// Small labelled image sets built in memory.
enum Synthetic {
    /// `count` images of `side` x `side`, `classes` classes: each class has a random prototype,
    /// and each image is its class's prototype plus Gaussian noise. Labels cycle through classes.
    static func images(count: Int, classes: Int, side: Int = 8, noise: Float = 0.5, seed: UInt64 = 1,
                       classNames: Int? = nil) throws -> Dataset {
        var generator = SeededGenerator(seed: seed)
        let pixels = side * side
        let prototypes = (0..<classes).map { _ in (0..<pixels).map { _ in generator.normal() } }
        var images = [Float](), labels = [Int32]()
        for index in 0..<count {
            let label = index % classes
            images += prototypes[label].map { $0 + noise * generator.normal() }
            labels.append(Int32(label))
        }
        return try Dataset(images: images, labels: labels, shape: ImageShape(channels: 1, height: side, width: side),
                           classNames: (0..<(classNames ?? classes)).map { "class \($0)" }, source: "synthetic")
    }

    /// A dataset from explicit images (flattened) and labels.
    static func dataset(_ images: [Float], labels: [Int32], shape: ImageShape, classes: Int) throws -> Dataset {
        try Dataset(images: images, labels: labels, shape: shape, classNames: (0..<classes).map { "class \($0)" },
                    source: "hand-made")
    }

    /// A WRN-10-1 for 1-channel images.
    static func wideResNet(classes: Int, widenFactor: Int = 1, seed: UInt64 = 7) throws -> WideResNet {
        var generator = SeededGenerator(seed: seed)
        return try WideResNet(WideResNetConfiguration(depth: 10, widenFactor: widenFactor, inputChannels: 1, classes: classes),
                              using: &generator)
    }
}

/// Logits = W·x + b on the flattened image: small enough to follow by hand.
final class LinearProbe: Classifier {
    let weight: Tensor
    let bias: Tensor

    init(weight: [Float], bias: [Float], features: Int) throws {
        self.weight = try Tensor(shape: [bias.count, features], values: weight, requiresGrad: true)
        self.bias = try Tensor(shape: [bias.count], values: bias, requiresGrad: true)
    }

    var parameters: [NamedTensor] { [NamedTensor("weight", weight), NamedTensor("bias", bias)] }

    func callAsFunction(_ x: Tensor, training: Bool) throws -> Tensor {
        try x.reshaped([x.shape[0], x.count / x.shape[0]]).linear(weight: weight, bias: bias)
    }
}

/// Thrown by a callback to stop a run, as a kill would.
struct StopRequested: Error {}
