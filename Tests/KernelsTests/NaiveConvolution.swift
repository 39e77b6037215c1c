import Kernels

/// Direct-loop convolution, the reference the fast kernels are checked against.
func naiveConv2d(_ x: [Float], _ w: [Float], _ g: ConvGeometry) -> [Float] {
    var y = [Float](repeating: 0, count: g.outputCount)
    let (cinG, coutG) = (g.groupInChannels, g.groupOutChannels)
    for n in 0..<g.batch {
        for co in 0..<g.outChannels {
            let group = co / coutG
            for oh in 0..<g.outHeight {
                for ow in 0..<g.outWidth {
                    var total: Float = 0
                    for ci in 0..<cinG {
                        let c = group * cinG + ci
                        for ki in 0..<g.kernelHeight {
                            let ih = oh * g.strideY - g.padY + ki * g.dilationY
                            guard ih >= 0, ih < g.height else { continue }
                            for kj in 0..<g.kernelWidth {
                                let iw = ow * g.strideX - g.padX + kj * g.dilationX
                                guard iw >= 0, iw < g.width else { continue }
                                let xv = x[((n * g.inChannels + c) * g.height + ih) * g.width + iw]
                                let wv = w[((co * cinG + ci) * g.kernelHeight + ki) * g.kernelWidth + kj]
                                total += xv * wv
                            }
                        }
                    }
                    y[((n * g.outChannels + co) * g.outHeight + oh) * g.outWidth + ow] = total
                }
            }
        }
    }
    return y
}

/// Direct-loop weight gradient: dw[o][i][ki][kj] = Σ dy[n][o][oh][ow] · x[n][i′][ih][iw] over the
/// positions where the tap reads inside the input.
func naiveConv2dWeightGradient(_ x: [Float], _ dy: [Float], _ g: ConvGeometry) -> [Float] {
    var dw = [Float](repeating: 0, count: g.weightCount)
    let (cinG, coutG) = (g.groupInChannels, g.groupOutChannels)
    for n in 0..<g.batch {
        for co in 0..<g.outChannels {
            for ci in 0..<cinG {
                let c = co / coutG * cinG + ci
                for ki in 0..<g.kernelHeight {
                    for kj in 0..<g.kernelWidth {
                        var total: Float = 0
                        for oh in 0..<g.outHeight {
                            let ih = oh * g.strideY - g.padY + ki * g.dilationY
                            guard ih >= 0, ih < g.height else { continue }
                            for ow in 0..<g.outWidth {
                                let iw = ow * g.strideX - g.padX + kj * g.dilationX
                                guard iw >= 0, iw < g.width else { continue }
                                total += dy[((n * g.outChannels + co) * g.outHeight + oh) * g.outWidth + ow]
                                    * x[((n * g.inChannels + c) * g.height + ih) * g.width + iw]
                            }
                        }
                        dw[((co * cinG + ci) * g.kernelHeight + ki) * g.kernelWidth + kj] += total
                    }
                }
            }
        }
    }
    return dw
}

/// Convolution geometries covering the cases the kernels must handle: dilation 2–3, groups 2–8,
/// kh ≠ kw, stride 2, batch > 1, pointwise, and single samples.
let convCases: [ConvGeometry] = [
    ConvGeometry(batch: 3, inChannels: 4, outChannels: 6, height: 7, width: 6, kernelHeight: 3, kernelWidth: 3,
                 padY: 1, padX: 1),
    ConvGeometry(batch: 2, inChannels: 4, outChannels: 4, height: 9, width: 8, kernelHeight: 3, kernelWidth: 5,
                 padY: 2, padX: 4, dilationY: 2, dilationX: 2, groups: 2),
    ConvGeometry(batch: 2, inChannels: 8, outChannels: 8, height: 10, width: 11, kernelHeight: 5, kernelWidth: 3,
                 strideY: 2, strideX: 2, padY: 3, padX: 1, dilationY: 3, dilationX: 1, groups: 8),
    ConvGeometry(batch: 4, inChannels: 6, outChannels: 3, height: 5, width: 5, kernelHeight: 1, kernelWidth: 1),
    ConvGeometry(batch: 1, inChannels: 6, outChannels: 4, height: 5, width: 7, kernelHeight: 1, kernelWidth: 1),
    ConvGeometry(batch: 2, inChannels: 6, outChannels: 6, height: 8, width: 8, kernelHeight: 1, kernelWidth: 1,
                 strideY: 2, strideX: 2, groups: 3),
    ConvGeometry(batch: 3, inChannels: 4, outChannels: 8, height: 6, width: 9, kernelHeight: 7, kernelWidth: 3,
                 strideY: 1, strideX: 2, padY: 3, padX: 0, dilationY: 1, dilationX: 3, groups: 4),
    ConvGeometry(batch: 40, inChannels: 2, outChannels: 2, height: 3, width: 3, kernelHeight: 3, kernelWidth: 3,
                 padY: 1, padX: 1),
    ConvGeometry(batch: 3, inChannels: 32, outChannels: 16, height: 12, width: 10, kernelHeight: 3, kernelWidth: 5,
                 padY: 2, padX: 4, dilationY: 2, dilationX: 2, groups: 2),
    ConvGeometry(batch: 2, inChannels: 16, outChannels: 8, height: 9, width: 9, kernelHeight: 3, kernelWidth: 3,
                 padY: 0, padX: 1),
    // Enough input channels per group that they are unfolded in several chunks.
    ConvGeometry(batch: 2, inChannels: 128, outChannels: 4, height: 16, width: 16, kernelHeight: 3, kernelWidth: 3,
                 padY: 1, padX: 1, groups: 2),
    ConvGeometry(batch: 1, inChannels: 64, outChannels: 4, height: 16, width: 16, kernelHeight: 1, kernelWidth: 1),
    // Direct kernels: twelve output channels (a block of eight and one of four), nine kernel
    // columns (two register sweeps), rows of 19 (a partial vector), and padding beyond the
    // kernel's reach (im2col computes that input gradient).
    ConvGeometry(batch: 5, inChannels: 6, outChannels: 12, height: 5, width: 19, kernelHeight: 1, kernelWidth: 9,
                 padY: 0, padX: 4),
    ConvGeometry(batch: 3, inChannels: 3, outChannels: 3, height: 6, width: 6, kernelHeight: 3, kernelWidth: 3,
                 padY: 3, padX: 3),
    // A 7x7 kernel: its weight gradient sweeps windows of 3, 2 and 2 kernel rows by 4 and 3 columns.
    ConvGeometry(batch: 2, inChannels: 8, outChannels: 8, height: 9, width: 10, kernelHeight: 7, kernelWidth: 7,
                 padY: 3, padX: 3, groups: 2),
    // A batch of one with more input than output channels: on two threads each (group, block)
    // slice is cut into parts of its output vectors.
    ConvGeometry(batch: 1, inChannels: 40, outChannels: 6, height: 6, width: 13, kernelHeight: 3, kernelWidth: 3,
                 padY: 1, padX: 1),
    // 1x1 convolutions for the in-place kernel: two groups of seven output channels (a block of
    // four and one of three) over 63 pixels (two panels and a partial one); a batch of one whose
    // 143 pixels are cut into chunks of one panel for two threads.
    ConvGeometry(batch: 3, inChannels: 8, outChannels: 14, height: 9, width: 7, kernelHeight: 1, kernelWidth: 1, groups: 2),
    ConvGeometry(batch: 1, inChannels: 20, outChannels: 6, height: 11, width: 13, kernelHeight: 1, kernelWidth: 1),
    // Winograd: an odd output size in part of one vector of tiles; eleven tile columns (a full
    // vector and a partial one) over runs of several samples; no padding (its input gradient
    // pads by two) and padding beyond the kernel's reach.
    ConvGeometry(batch: 3, inChannels: 16, outChannels: 16, height: 9, width: 7, kernelHeight: 3, kernelWidth: 3,
                 padY: 1, padX: 1),
    ConvGeometry(batch: 5, inChannels: 16, outChannels: 24, height: 6, width: 22, kernelHeight: 3, kernelWidth: 3,
                 padY: 1, padX: 1),
    ConvGeometry(batch: 2, inChannels: 17, outChannels: 16, height: 8, width: 9, kernelHeight: 3, kernelWidth: 3),
    ConvGeometry(batch: 2, inChannels: 16, outChannels: 16, height: 5, width: 5, kernelHeight: 3, kernelWidth: 3,
                 padY: 3, padX: 2),
    // Winograd at a batch of one with enough work that its 16 products split over the threads.
    ConvGeometry(batch: 1, inChannels: 48, outChannels: 48, height: 24, width: 24, kernelHeight: 3, kernelWidth: 3,
                 padY: 1, padX: 1),
] + fourierCases

/// A convolution the dispatcher sends to the Fourier kernels (`fourierCasesUseTheFourierPlan`
/// checks it), its input gradient too: a 7x7 kernel on more than 32 channels, and odd and even
/// grids (9 + 3 = 12 high, 10 + 3 = 13 wide).
let fourierCases: [ConvGeometry] = [
    ConvGeometry(batch: 4, inChannels: 34, outChannels: 36, height: 9, width: 10, kernelHeight: 7, kernelWidth: 7,
                 padY: 3, padX: 3),
]
