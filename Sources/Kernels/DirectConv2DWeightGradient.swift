/// The weight gradient of a direct convolution (`DirectConv2D.swift`): for each (input channel,
/// kernel row), eight output channels' gradients as one vector times up to eight kernel columns
/// of padded input, summed over a run of samples in registers.

/// dw += the weight gradient, for a geometry `plan` accepts.
func directConv2dBackwardWeight(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                                _ plan: DirectConvPlan) {
    let g = plan.geometry
    let perSample = g.groupInChannels * plan.paddedPlane + plan.outputPlane * DirectConvPlan.lanes
    let runSize = max(1, min(g.batch, DirectConvPlan.targetRunFloats / perSample))
    let (xs, dys) = (SharedPointer(x), SharedPointer(dy))
    runAccumulatingWeights(Parallelism.split(count: g.batch), work: g.multiplyAdds, into: dw, count: g.weightCount) { range, target in
        guard let target else { return }
        withZeroedScratch(runSize * g.groupInChannels * plan.paddedPlane) { padded in
            withScratch(runSize * plan.outputPlane * DirectConvPlan.lanes) { gradients in
                for group in 0..<g.groups {
                    for run in sampleRuns(range, size: runSize) {
                        weightGradientRun(xs.pointer, dys.pointer, target, plan, group: group, run: run,
                                          padded: padded, gradients: gradients)
                    }
                }
            }
        }
    }
}

/// Adds one group's weight gradient over a run of samples: pads the run's inputs, then for each
/// block of output channels transposes their gradients to [sample][pixel][lanes] and sweeps every
/// (input channel, kernel row) over the run with the kernel columns in registers.
private func weightGradientRun(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                               _ plan: DirectConvPlan, group: Int, run: Range<Int>,
                               padded: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>) {
    let g = plan.geometry
    let (cin, lanes, plane) = (g.groupInChannels, DirectConvPlan.lanes, plan.outputPlane)
    let first = group * cin
    for (slot, n) in run.enumerated() {
        plan.pad(x, sample: n, channels: first ..< first + cin, into: padded + slot * cin * plan.paddedPlane)
    }
    let columnChunks = stride(from: 0, to: g.kernelWidth, by: lanes).map { $0 ..< min($0 + lanes, g.kernelWidth) }
    for block in plan.channelBlocks(of: lanes) {
        let outFirst = group * g.groupOutChannels + block.lowerBound
        gradients.initialize(repeating: 0, count: run.count * plane * lanes)
        for (slot, n) in run.enumerated() {
            for (lane, c) in (outFirst ..< outFirst + block.count).enumerated() {
                let src = dy + (n * g.outChannels + c) * plane, dst = gradients + slot * plane * lanes + lane
                for p in 0..<plane { dst[p &* lanes] = src[p] }
            }
        }
        for i in 0..<cin {
            for ki in 0..<g.kernelHeight {
                for columns in columnChunks {
                    let target = dw + (outFirst * cin + i) * g.kernelHeight * g.kernelWidth + ki * g.kernelWidth + columns.lowerBound
                    weightColumns(columns.count, padded, gradients, target, plan, run: run.count, channel: i,
                                  kernelRow: ki, firstColumn: columns.lowerBound, outputChannels: block.count)
                }
            }
        }
    }
}

private func weightColumns(_ count: Int, _ padded: UnsafePointer<Float>, _ gradients: UnsafePointer<Float>,
                           _ dw: UnsafeMutablePointer<Float>, _ plan: DirectConvPlan, run: Int, channel: Int,
                           kernelRow: Int, firstColumn: Int, outputChannels: Int) {
    let window = WeightWindow(plan: plan, run: run, channel: channel, kernelRow: kernelRow, firstColumn: firstColumn)
    let sums = switch count {
    case 8: weightColumns(ColumnCount<8>(), padded, gradients, window)
    case 7: weightColumns(ColumnCount<7>(), padded, gradients, window)
    case 6: weightColumns(ColumnCount<6>(), padded, gradients, window)
    case 5: weightColumns(ColumnCount<5>(), padded, gradients, window)
    case 4: weightColumns(ColumnCount<4>(), padded, gradients, window)
    case 3: weightColumns(ColumnCount<3>(), padded, gradients, window)
    case 2: weightColumns(ColumnCount<2>(), padded, gradients, window)
    default: weightColumns(ColumnCount<1>(), padded, gradients, window)
    }
    // Column k's lane o is the gradient of dw[o][channel][kernelRow][firstColumn + k].
    for k in 0..<count {
        let column = sums[k]
        for lane in 0..<outputChannels { dw[lane &* plan.geometry.groupPatchSize &+ k] += column[lane] }
    }
}

/// Where one (input channel, kernel row, run of kernel columns) sweep of a run of samples reads.
private struct WeightWindow {
    let plan: DirectConvPlan
    let run: Int
    let channel: Int
    let kernelRow: Int
    let firstColumn: Int
}

/// A number of kernel columns as a generic constant, so that each count compiles to its own loop.
struct ColumnCount<let count: Int> {}

/// The gradients of `columns` kernel columns, one vector over output channels each; each count
/// is its own specialised loop, so the accumulators stay in registers.
private func weightColumns<let columns: Int>(_ shape: ColumnCount<columns>, _ padded: UnsafePointer<Float>,
                                             _ gradients: UnsafePointer<Float>, _ window: WeightWindow) -> WeightTile {
    let plan = window.plan, g = plan.geometry
    let (lanes, width, dx) = (DirectConvPlan.lanes, plan.paddedWidth, g.dilationX)
    let rowShift = window.kernelRow &* g.dilationY
    var acc = WeightTile()
    for slot in 0..<window.run {
        let planeStart = padded + ((slot &* g.groupInChannels &+ window.channel) &* plan.paddedPlane &+ window.firstColumn &* dx)
        let sampleGradients = gradients + slot &* plan.outputPlane &* lanes
        for oh in 0..<g.outHeight {
            let row = planeStart + (oh &+ rowShift) &* width
            let rowGradients = sampleGradients + oh &* g.outWidth &* lanes
            for ow in 0..<g.outWidth {
                acc.add(loadVector(rowGradients + ow &* lanes), timesEach: row + ow, stride: dx, columns: columns)
            }
        }
    }
    return acc
}

/// The weight gradient's accumulators: eight kernel columns, each a vector over output
/// channels, indexed by a count that specialisation makes constant.
struct WeightTile {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>(), a7 = SIMD8<Float>()

    subscript(k: Int) -> SIMD8<Float> {
        switch k {
        case 0: a0
        case 1: a1
        case 2: a2
        case 3: a3
        case 4: a4
        case 5: a5
        case 6: a6
        default: a7
        }
    }

    /// a_k += v · s[k·stride] for k < columns.
    @inline(__always)
    mutating func add(_ v: SIMD8<Float>, timesEach s: UnsafePointer<Float>, stride: Int, columns: Int) {
        a0 = multiplyAdd(a0, v, SIMD8(repeating: s[0]))
        if columns > 1 { a1 = multiplyAdd(a1, v, SIMD8(repeating: s[stride])) }
        if columns > 2 { a2 = multiplyAdd(a2, v, SIMD8(repeating: s[2 &* stride])) }
        if columns > 3 { a3 = multiplyAdd(a3, v, SIMD8(repeating: s[3 &* stride])) }
        if columns > 4 { a4 = multiplyAdd(a4, v, SIMD8(repeating: s[4 &* stride])) }
        if columns > 5 { a5 = multiplyAdd(a5, v, SIMD8(repeating: s[5 &* stride])) }
        if columns > 6 { a6 = multiplyAdd(a6, v, SIMD8(repeating: s[6 &* stride])) }
        if columns > 7 { a7 = multiplyAdd(a7, v, SIMD8(repeating: s[7 &* stride])) }
    }
}
