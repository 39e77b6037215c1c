import Autodiff
import Kernels
import Randomness

/// The convolution shapes of the PyTorch reference, by name: padding keeps the spatial size.
public struct ConvolutionWorkload: Sendable {
    public var name: String
    public var batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int
    public var kernel: Pair, dilation: Pair, groups: Int

    public static let all: [ConvolutionWorkload] = [
        .init(name: "conv3x3_c32_28", batch: 50, inChannels: 32, outChannels: 32, height: 28, width: 28, kernel: 3, dilation: 1, groups: 1),
        .init(name: "conv3x3_d2_c32_28", batch: 50, inChannels: 32, outChannels: 32, height: 28, width: 28, kernel: 3, dilation: 2, groups: 1),
        .init(name: "conv3x3_d3_g4_c64_14", batch: 50, inChannels: 64, outChannels: 64, height: 14, width: 14, kernel: 3, dilation: 3, groups: 4),
        .init(name: "conv5x5_g2_c48_14", batch: 50, inChannels: 48, outChannels: 48, height: 14, width: 14, kernel: 5, dilation: 1, groups: 2),
        .init(name: "conv7x3_d12_c32_28", batch: 50, inChannels: 32, outChannels: 32, height: 28, width: 28, kernel: Pair(7, 3), dilation: Pair(1, 2), groups: 1),
        .init(name: "conv7x7_g8_c64_7", batch: 50, inChannels: 64, outChannels: 64, height: 7, width: 7, kernel: 7, dilation: 1, groups: 8),
        .init(name: "conv1x1_c192to64_28", batch: 50, inChannels: 192, outChannels: 64, height: 28, width: 28, kernel: 1, dilation: 1, groups: 1),
        .init(name: "conv1x1_c256to128_7", batch: 50, inChannels: 256, outChannels: 128, height: 7, width: 7, kernel: 1, dilation: 1, groups: 1),
        .init(name: "stem3x3_c1to64_28", batch: 50, inChannels: 1, outChannels: 64, height: 28, width: 28, kernel: 3, dilation: 1, groups: 1),
    ]

    /// Forward multiply-adds, times two.
    public var forwardFlops: Double {
        2 * Double(batch * outChannels * height * width * (inChannels / groups) * kernel.y * kernel.x)
    }

    /// Times the forward pass alone and forward plus backward (input and weight gradients, output
    /// gradient of ones), as the reference does.
    public func measure(repetitions: Int, clock: BenchmarkClock = .wall) throws -> [BenchmarkRecord] {
        var generator = SeededGenerator(seed: 0)
        let x = Tensor.randomNormal(shape: [batch, inChannels, height, width], using: &generator, requiresGrad: true)
        let w = Tensor.randomNormal(shape: [outChannels, inChannels / groups, kernel.y, kernel.x], using: &generator,
                                    requiresGrad: true)
        let padding = Tensor.samePadding(kernel: kernel, dilation: dilation)
        let forward = try medianMilliseconds(repetitions: repetitions, clock: clock) {
            _ = try x.conv2d(w, padding: padding, dilation: dilation, groups: groups)
        }
        let ones = [Float](repeating: 1, count: batch * outChannels * height * width)
        let forwardBackward = try medianMilliseconds(repetitions: repetitions, clock: clock) {
            let tape = Tape()
            let y = try tape.record { try x.conv2d(w, padding: padding, dilation: dilation, groups: groups) }
            try tape.backward(from: y, gradient: ones)
        }
        return [
            BenchmarkRecord(name: "\(name).fwd", ms: forward, gflops: forwardFlops / forward / 1e6),
            BenchmarkRecord(name: "\(name).fwd_bwd", ms: forwardBackward, gflops: 3 * forwardFlops / forwardBackward / 1e6),
        ]
    }
}

/// Forward passes with kept kernel spectra (`KernelSpectra`), as scoring runs its Fourier
/// convolutions: a pass of 25 images on shapes of the reference configuration's 32x32 block.
public struct KeptSpectraWorkload: Sendable {
    public var name: String
    public var geometry: ConvGeometry

    public static let all: [KeptSpectraWorkload] = [
        .init(name: "kept_spectra_7x7_c96to48_32", inChannels: 96, outChannels: 48, kernel: Pair(7, 7), dilation: Pair(1, 1), groups: 1),
        .init(name: "kept_spectra_3x5_d2_g2_c128to64_32", inChannels: 128, outChannels: 64, kernel: Pair(3, 5), dilation: Pair(2, 1), groups: 2),
        .init(name: "kept_spectra_7x7_g4_c48to48_32", inChannels: 48, outChannels: 48, kernel: Pair(7, 7), dilation: Pair(1, 1), groups: 4),
    ]

    init(name: String, inChannels: Int, outChannels: Int, kernel: Pair, dilation: Pair, groups: Int) {
        self.name = name
        geometry = .samePadded(batch: 25, inChannels: inChannels, outChannels: outChannels, size: 32, kernel: kernel,
                               dilation: dilation, groups: groups)
    }

    /// Times one forward pass with spectra kept beforehand; nil where this build's Fourier path
    /// does not take the shape (its cost model depends on the vector width).
    public func measure(repetitions: Int, clock: BenchmarkClock = .wall) -> BenchmarkRecord? {
        var generator = SeededGenerator(seed: 0)
        let (x, w) = (randomValues(geometry.inputCount, &generator), randomValues(geometry.weightCount, &generator))
        guard let spectra = KernelSpectra(w, geometry) else { return nil }
        var y = [Float](repeating: 0, count: geometry.outputCount)
        let ms = medianMilliseconds(repetitions: repetitions, clock: clock) { spectra.forward(x, &y, geometry) }
        return geometry.record(name, ms: ms)
    }
}

/// Weight gradients alone, on shapes of the reference configuration's training step (batch 50):
/// generated 1x1 convolutions and grouped, dilated 3x3 ones, for kernel work on their own.
public struct WeightGradientWorkload: Sendable {
    public var name: String
    public var geometry: ConvGeometry

    public static let all: [WeightGradientWorkload] = [
        .init(name: "wgrad_1x1_c48to48_32", inChannels: 48, outChannels: 48, size: 32, kernel: 1, dilation: 1, groups: 1),
        .init(name: "wgrad_1x1_c96to96_32", inChannels: 96, outChannels: 96, size: 32, kernel: 1, dilation: 1, groups: 1),
        .init(name: "wgrad_1x1_c160to96_32", inChannels: 160, outChannels: 96, size: 32, kernel: 1, dilation: 1, groups: 1),
        .init(name: "wgrad_1x1_c64to64_16", inChannels: 64, outChannels: 64, size: 16, kernel: 1, dilation: 1, groups: 1),
        .init(name: "wgrad_1x1_c112to112_8", inChannels: 112, outChannels: 112, size: 8, kernel: 1, dilation: 1, groups: 1),
        .init(name: "wgrad_3x3_d13_g4_c48to48_32", inChannels: 48, outChannels: 48, size: 32, kernel: 3,
              dilation: Pair(1, 3), groups: 4),
        .init(name: "wgrad_3x3_d22_g2_c64to64_32", inChannels: 64, outChannels: 64, size: 32, kernel: 3,
              dilation: 2, groups: 2),
        .init(name: "wgrad_3x3_d31_g2_c64to64_16", inChannels: 64, outChannels: 64, size: 16, kernel: 3,
              dilation: Pair(3, 1), groups: 2),
    ]

    init(name: String, inChannels: Int, outChannels: Int, size: Int, kernel: Int, dilation: Pair, groups: Int) {
        self.name = name
        geometry = .samePadded(batch: 50, inChannels: inChannels, outChannels: outChannels, size: size, kernel: Pair(kernel, kernel),
                               dilation: dilation, groups: groups)
    }

    /// Times one weight gradient (input and output gradient random).
    public func measure(repetitions: Int, clock: BenchmarkClock = .wall) -> BenchmarkRecord {
        var generator = SeededGenerator(seed: 0)
        let (x, dy) = (randomValues(geometry.inputCount, &generator), randomValues(geometry.outputCount, &generator))
        var dw = [Float](repeating: 0, count: geometry.weightCount)
        let ms = medianMilliseconds(repetitions: repetitions, clock: clock) { conv2dBackwardWeight(x, dy, &dw, geometry) }
        return geometry.record(name, ms: ms)
    }
}

extension ConvGeometry {
    /// A stride-1 convolution of `size` x `size` planes whose padding keeps their size.
    static func samePadded(batch: Int, inChannels: Int, outChannels: Int, size: Int, kernel: Pair, dilation: Pair,
                           groups: Int) -> ConvGeometry {
        let padding = Tensor.samePadding(kernel: kernel, dilation: dilation)
        return ConvGeometry(batch: batch, inChannels: inChannels, outChannels: outChannels, height: size, width: size,
                            kernelHeight: kernel.y, kernelWidth: kernel.x, padY: padding.y, padX: padding.x,
                            dilationY: dilation.y, dilationX: dilation.x, groups: groups)
    }

    /// A record of `ms` for one pass of this convolution's multiply-adds.
    func record(_ name: String, ms: Double) -> BenchmarkRecord {
        BenchmarkRecord(name: name, ms: ms, gflops: 2 * Double(multiplyAdds) / ms / 1e6)
    }
}

/// `count` standard normal values.
private func randomValues(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
    (0..<count).map { _ in generator.normal() }
}
