@testable import Kernels
import Randomness
import Testing

@Suite struct ConvolutionTests {
    func random(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in generator.normal() }
    }

    @Test(arguments: convCases)
    func forwardMatchesDirectLoops(_ g: ConvGeometry) throws {
        try g.validate()
        var generator = SeededGenerator(seed: 1)
        let x = random(g.inputCount, &generator), w = random(g.weightCount, &generator)
        let reference = naiveConv2d(x, w, g)
        for threads in [1, 2] {
            var y = [Float](repeating: .nan, count: g.outputCount)
            Parallelism.withThreads(threads) {
                x.withUnsafeBufferPointer { xp in
                    w.withUnsafeBufferPointer { wp in
                        y.withUnsafeMutableBufferPointer { yp in
                            conv2dForward(xp.baseAddress!, wp.baseAddress!, yp.baseAddress!, g)
                        }
                    }
                }
            }
            // Rounding grows with the values: relative to the largest output (Fourier
            // transforms round at about 1e-6 of it, summing loops at 1e-7).
            let scale = max(1, reference.map { abs($0) }.max() ?? 0)
            let worst = (zip(y, reference).map { abs($0 - $1) }.max() ?? 0) / scale
            #expect(worst < 2e-5, "\(g), \(threads) threads: max relative error \(worst)")
        }
    }

    /// The backward kernels are adjoints of the forward one: ⟨dy, conv(x, w)⟩ equals
    /// ⟨dx, x⟩ for dx = backwardData(w, dy), and ⟨dw, w⟩ for dw = backwardWeight(x, dy).
    @Test(arguments: convCases, [1, 2])
    func backwardIsTheAdjointOfForward(_ g: ConvGeometry, threads: Int) {
        var generator = SeededGenerator(seed: 2)
        let x = random(g.inputCount, &generator), w = random(g.weightCount, &generator)
        let dy = random(g.outputCount, &generator)
        let y = naiveConv2d(x, w, g)
        let outer = zip(dy, y).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        let scale = max(1, abs(outer))
        // The gradients accumulate into what the buffers hold.
        let (dx0, dw0) = (random(g.inputCount, &generator), random(g.weightCount, &generator))
        var (dx, dw) = (dx0, dw0)
        Parallelism.withThreads(threads) {
            x.withUnsafeBufferPointer { xp in
                w.withUnsafeBufferPointer { wp in
                    dy.withUnsafeBufferPointer { dyp in
                        dx.withUnsafeMutableBufferPointer { dxp in
                            conv2dBackwardData(wp.baseAddress!, dyp.baseAddress!, dxp.baseAddress!, g)
                        }
                        dw.withUnsafeMutableBufferPointer { dwp in
                            conv2dBackwardWeight(xp.baseAddress!, dyp.baseAddress!, dwp.baseAddress!, g)
                        }
                    }
                }
            }
        }
        let viaX = zip(zip(dx, dx0), x).reduce(0.0) { $0 + Double(($1.0.0 - $1.0.1) * $1.1) }
        let viaW = zip(zip(dw, dw0), w).reduce(0.0) { $0 + Double(($1.0.0 - $1.0.1) * $1.1) }
        #expect(abs(outer - viaX) / scale < 1e-4, "\(g): data adjoint \(viaX) vs \(outer)")
        #expect(abs(outer - viaW) / scale < 1e-4, "\(g): weight adjoint \(viaW) vs \(outer)")
    }

    /// The in-place 1x1 kernel on every 1x1 case it takes equals the reference loops, and with
    /// `relu` their positive part.
    @Test(arguments: convCases.filter(\.readsChannelsInPlace), [false, true])
    func pointwiseMatchesDirectLoops(_ g: ConvGeometry, relu: Bool) {
        var generator = SeededGenerator(seed: 4)
        let x = random(g.inputCount, &generator), w = random(g.weightCount, &generator)
        let reference = naiveConv2d(x, w, g).map { relu ? max($0, 0) : $0 }
        for threads in [1, 2] {
            var y = [Float](repeating: .nan, count: g.outputCount)
            Parallelism.withThreads(threads) {
                x.withUnsafeBufferPointer { xp in
                    let rows = ChannelRows(concatenating: [(xp.baseAddress!, g.inChannels)], plane: g.height * g.width)
                    y.withUnsafeMutableBufferPointer { conv2dForward(rows, w, $0.baseAddress!, g, relu: relu) }
                }
            }
            let worst = zip(y, reference).map { abs($0 - $1) }.max() ?? .nan
            #expect(worst < 1e-5, "\(g), \(threads) threads, relu \(relu): max error \(worst)")
        }
    }

    /// With `accumulate`, the in-place 1x1 kernel adds the convolution (activated with `relu`)
    /// to what the output holds.
    @Test(arguments: [false, true])
    func pointwiseAccumulates(relu: Bool) {
        let g = ConvGeometry(batch: 3, inChannels: 8, outChannels: 14, height: 9, width: 7, kernelHeight: 1, kernelWidth: 1, groups: 2)
        var generator = SeededGenerator(seed: 8)
        let x = random(g.inputCount, &generator), w = random(g.weightCount, &generator), y0 = random(g.outputCount, &generator)
        let expected = zip(y0, naiveConv2d(x, w, g)).map { $0 + (relu ? max($1, 0) : $1) }
        var y = y0
        Parallelism.withThreads(2) {
            x.withUnsafeBufferPointer { xp in
                let rows = ChannelRows(concatenating: [(xp.baseAddress!, g.inChannels)], plane: g.height * g.width)
                guard let plan = PointwisePlan(g) else { return }
                y.withUnsafeMutableBufferPointer { pointwiseConv2dForward(rows, w, $0.baseAddress!, plan, relu: relu, accumulate: true) }
            }
        }
        let worst = zip(y, expected).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst < 1e-5, "relu \(relu): max error \(worst)")
    }

    /// A 1x1 convolution reading the channels of several buffers in place (one of them twice)
    /// equals the convolution of their concatenation, and with `relu` its positive part.
    @Test(arguments: [1, 2], [false, true])
    func pointwiseReadsAConcatenationInPlace(threads: Int, relu: Bool) {
        var generator = SeededGenerator(seed: 3)
        let (batch, plane) = (2, 5 * 11)
        let a = random(batch * 3 * plane, &generator), b = random(batch * 2 * plane, &generator)
        let g = ConvGeometry(batch: batch, inChannels: 8, outChannels: 6, height: 5, width: 11, kernelHeight: 1, kernelWidth: 1)
        let w = random(g.weightCount, &generator)
        var joined = [Float]()
        for n in 0..<batch {
            let sampleOfA = Array(a[n * 3 * plane ..< (n + 1) * 3 * plane])
            joined += sampleOfA
            joined += b[n * 2 * plane ..< (n + 1) * 2 * plane]
            joined += sampleOfA
        }
        let reference = naiveConv2d(joined, w, g).map { relu ? max($0, 0) : $0 }
        var y = [Float](repeating: .nan, count: g.outputCount)
        Parallelism.withThreads(threads) {
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    let rows = ChannelRows(concatenating: [(ap.baseAddress!, 3), (bp.baseAddress!, 2), (ap.baseAddress!, 3)], plane: plane)
                    y.withUnsafeMutableBufferPointer { conv2dForward(rows, w, $0.baseAddress!, g, relu: relu) }
                }
            }
        }
        let worst = zip(y, reference).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst < 1e-5, "\(threads) threads, relu \(relu): max error \(worst)")
        #expect(!relu || y.contains(0), "some outputs are negative before the ReLU")
    }

    /// The weight gradient of a 1x1 convolution reading its channels in place (one buffer twice)
    /// equals the reference on the joined channels, added to what dw holds: a plane in panels
    /// and a partial vector, and one where each sample makes a block of its own.
    @Test(arguments: [(2, 5, 11, 3, 2, 6), (3, 30, 30, 24, 16, 20)], [1, 2])
    func pointwiseWeightGradientReadsAConcatenationInPlace(_ shape: (Int, Int, Int, Int, Int, Int), threads: Int) {
        let (batch, height, width, aChannels, bChannels, outChannels) = shape
        var generator = SeededGenerator(seed: 5)
        let plane = height * width
        let a = random(batch * aChannels * plane, &generator), b = random(batch * bChannels * plane, &generator)
        let g = ConvGeometry(batch: batch, inChannels: 2 * aChannels + bChannels, outChannels: outChannels, height: height,
                             width: width, kernelHeight: 1, kernelWidth: 1)
        var joined = [Float]()
        for n in 0..<batch {
            let sampleOfA = Array(a[n * aChannels * plane ..< (n + 1) * aChannels * plane])
            joined += sampleOfA + b[n * bChannels * plane ..< (n + 1) * bChannels * plane] + sampleOfA
        }
        let dy = random(g.outputCount, &generator), dw0 = random(g.weightCount, &generator)
        let reference = zip(naiveConv2dWeightGradient(joined, dy, g), dw0).map { $0 + $1 }
        var dw = dw0
        Parallelism.withThreads(threads) {
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    let rows = ChannelRows(concatenating: [(ap.baseAddress!, aChannels), (bp.baseAddress!, bChannels),
                                                           (ap.baseAddress!, aChannels)], plane: plane)
                    dw.withUnsafeMutableBufferPointer { conv2dBackwardWeight(rows, dy, $0.baseAddress!, g) }
                }
            }
        }
        let scale = max(1, reference.map { abs($0) }.max() ?? 0)
        let worst = (zip(dw, reference).map { abs($0 - $1) }.max() ?? .nan) / scale
        #expect(worst < 1e-5, "\(g), \(threads) threads: max relative error \(worst)")
    }

    @Test func validOutputRangeMatchesBruteForce() {
        for stride in 1...3 {
            for pad in 0...4 {
                for offset in 0...8 {
                    for input in 1...9 {
                        let out = 12
                        let expected = (0..<out).filter { o in (0..<input).contains(o * stride - pad + offset) }
                        let range = validOutputRange(out: out, input: input, pad: pad, offset: offset, stride: stride)
                        #expect(Array(range) == expected, "stride \(stride) pad \(pad) offset \(offset) input \(input)")
                    }
                }
            }
        }
    }

    @Test func invalidGeometriesAreRejected() {
        let badGroups = ConvGeometry(batch: 1, inChannels: 6, outChannels: 4, height: 5, width: 5,
                                     kernelHeight: 3, kernelWidth: 3, groups: 4)
        #expect(throws: KernelError.self) { try badGroups.validate() }
        let tooBig = ConvGeometry(batch: 1, inChannels: 2, outChannels: 2, height: 4, width: 4,
                                  kernelHeight: 3, kernelWidth: 3, dilationY: 3, dilationX: 3)
        #expect(throws: KernelError.self) { try tooBig.validate() }
    }
}
