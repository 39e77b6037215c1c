/// The transforms of image planes to spectra and back for `FourierConv2D.swift`, by fast
/// Fourier transforms (`ColumnFFT`) vectorised across planes: a block of `blockPlanes` planes is
/// transposed to [row][column][plane], so that each value holds one value of every plane,
/// transformed along the width, then along the height, within a core's caches; only the
/// spectrum goes to memory. Two real rows make one complex transform along the width (one as the real part, the
/// next as the imaginary part), taken apart by the spectra's conjugate symmetry. (Dense
/// transform matrices applied as OpenBLAS products took several times the multiply-adds and
/// streamed a work buffer the size of the spectrum through memory twice.)

/// Planes transformed together: one block of `ColumnFFT` columns.
private let blockPlanes = ColumnFFT.blockColumns

/// The transforms between planes of `height` x `width` (inputs, outputs, their gradients) and
/// their spectra on a grid.
struct FourierPlaneTransform: Sendable {
    let lengthY: Int
    let lengthX: Int
    let halfX: Int
    let height: Int
    let width: Int

    init(_ grid: FourierGrid, height: Int, width: Int) {
        (lengthY, lengthX, halfX) = (grid.lengthY, grid.lengthX, grid.halfX)
        self.height = height
        self.width = width
    }

    /// Transforms the `count` planes at `planes` into `spectrum` ([f2][re/im][f1][plane]).
    func forward(_ planes: UnsafePointer<Float>, count: Int, into spectrum: UnsafeMutablePointer<Float>) {
        let (ly, lx, kx2, h, w, b) = (lengthY, lengthX, halfX, height, width, blockPlanes)
        let (alongX, alongY) = (ColumnFFT.cached(length: lx, inverse: false), ColumnFFT.cached(length: ly, inverse: false))
        let (source, output) = (SharedPointer(planes), SharedPointer(spectrum))
        let (rowsFloats, planeFloats, lineFloats) = (2 * kx2 * ly * b, h * lx * b, 2 * lx * b)
        let floats = rowsFloats + planeFloats + lineFloats + lx * b + max(alongX.scratchCount, alongY.applyScratchCount)
        forEachBlock(count, work: h * alongX.multiplyAdds / 2 + kx2 * alongY.multiplyAdds, floats: floats) { first, planes, buffer in
            // The width transforms' results as [f2][re/im][row][plane], rows from `height` on
            // zero; the planes as [row][column][plane], columns from `width` on zero (each row a
            // complex transform's input); a row's spectrum; a row of zeros.
            let rows = buffer, transposed = buffer + rowsFloats
            let lineSpectrum = ComplexMatrix(real: transposed + planeFloats, imaginary: transposed + planeFloats + lx * b, rowStride: b)
            let zeros = lineSpectrum.real + lineFloats, scratch = zeros + lx * b
            setZero(zeros, count: lx * b)
            for part in 0..<2 * kx2 { setZero(rows + (part * ly + h) * b, count: (ly - h) * b) }
            transpose(source.pointer + first * h * w, planes: planes, rows: h, width: w, rowLength: lx, into: transposed)
            for row in stride(from: 0, to: h, by: 2) {
                let paired = row + 1 < h
                let line = ComplexMatrix(real: transposed + row * lx * b, imaginary: paired ? transposed + (row + 1) * lx * b : zeros, rowStride: b)
                alongX.transform(line, into: lineSpectrum, vectors: ColumnFFT.blockVectors, scratch: scratch)
                // Z = X + iX′ gives X[f] = (Z[f] + conj Z[−f]) / 2 and X′[f] = (Z[f] − conj Z[−f]) / 2i.
                let half = SIMD8<Float>(repeating: 0.5)
                for f in 0..<kx2 {
                    let (at, twin) = (f * b, (lx - f) % lx * b)
                    let real = rows + 2 * f * ly * b, imaginary = real + ly * b
                    for lane in stride(from: 0, to: b, by: 8) {
                        let (zr, zi) = (loadVector(lineSpectrum.real + at + lane), loadVector(lineSpectrum.imaginary + at + lane))
                        let (tr, ti) = (loadVector(lineSpectrum.real + twin + lane), loadVector(lineSpectrum.imaginary + twin + lane))
                        storeVector((zr + tr) * half, real + row * b + lane)
                        storeVector((zi - ti) * half, imaginary + row * b + lane)
                        if paired {
                            storeVector((zi + ti) * half, real + (row + 1) * b + lane)
                            storeVector((tr - zr) * half, imaginary + (row + 1) * b + lane)
                        }
                    }
                }
            }
            for f2 in 0..<kx2 {
                let frequencies = ComplexMatrix(real: output.pointer + 2 * f2 * ly * count + first,
                                                imaginary: output.pointer + (2 * f2 + 1) * ly * count + first, rowStride: count)
                alongY.apply(ComplexMatrix(real: rows + 2 * f2 * ly * b, imaginary: rows + (2 * f2 + 1) * ly * b, rowStride: b),
                             inputRows: ly, into: frequencies, outputRows: ly, columns: planes, scratch: scratch)
            }
        }
    }

    /// Writes (or adds, with `accumulate`) the planes of the `count` spectra at `spectrum`
    /// ([f2][re/im][f1][plane]) to `planes`: only the rows and columns the convolution produces.
    func inverse(_ spectrum: UnsafePointer<Float>, count: Int, into planes: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let (ly, lx, kx2, h, w, b) = (lengthY, lengthX, halfX, height, width, blockPlanes)
        let (alongX, alongY) = (ColumnFFT.cached(length: lx, inverse: true), ColumnFFT.cached(length: ly, inverse: true))
        let (source, output) = (SharedPointer(spectrum), SharedPointer(planes))
        let scale = 1 / Float(ly * lx)
        let (rowsFloats, lineFloats, planeFloats) = (2 * kx2 * ly * b, 2 * lx * b, h * w * b)
        let floats = rowsFloats + 2 * lineFloats + planeFloats + max(alongX.scratchCount, alongY.applyScratchCount)
        forEachBlock(count, work: kx2 * alongY.multiplyAdds + h * alongX.multiplyAdds / 2, floats: floats) { first, planes, buffer in
            // The height transforms' results as [f2][re/im][row][plane]; a pair of rows' full
            // spectra as [f2][plane], and their transform back; the planes as [row][column][plane].
            let rows = buffer, transposed = buffer + rowsFloats + 2 * lineFloats, scratch = transposed + planeFloats
            let line = ComplexMatrix(real: buffer + rowsFloats, imaginary: buffer + rowsFloats + lx * b, rowStride: b)
            let values = ComplexMatrix(real: line.real + lineFloats, imaginary: line.imaginary + lineFloats, rowStride: b)
            let spectra = UnsafeMutablePointer(mutating: source.pointer) + first
            for f2 in 0..<kx2 {
                let frequencies = ComplexMatrix(real: spectra + 2 * f2 * ly * count, imaginary: spectra + (2 * f2 + 1) * ly * count, rowStride: count)
                alongY.apply(frequencies, inputRows: ly, into: ComplexMatrix(real: rows + 2 * f2 * ly * b, imaginary: rows + (2 * f2 + 1) * ly * b,
                                                                            rowStride: b),
                             outputRows: ly, columns: planes, scratch: scratch)
            }
            let zero = SIMD8<Float>()
            for row in stride(from: 0, to: h, by: 2) {
                let paired = row + 1 < h
                // Z = Y + iY′ over all L2 width frequencies, Y[−f] = conj Y[f]; the frequencies
                // without a twin (0, and L2/2 for even L2) are real.
                for f in 0..<lx {
                    let (kept, conjugate) = f < kx2 ? (f, false) : (lx - f, true)
                    let real = rows + 2 * kept * ly * b, imaginary = real + ly * b
                    let realOnly = kept == 0 || 2 * kept == lx
                    for lane in stride(from: 0, to: b, by: 8) {
                        let (yr, y2r) = (loadVector(real + row * b + lane), paired ? loadVector(real + (row + 1) * b + lane) : zero)
                        var (yi, y2i) = (loadVector(imaginary + row * b + lane), paired ? loadVector(imaginary + (row + 1) * b + lane) : zero)
                        if realOnly { (yi, y2i) = (zero, zero) } else if conjugate { (yi, y2i) = (-yi, -y2i) }
                        storeVector(yr - y2i, line.real + f * b + lane)
                        storeVector(yi + y2r, line.imaginary + f * b + lane)
                    }
                }
                alongX.transform(line, into: values, vectors: ColumnFFT.blockVectors, scratch: scratch)
                copyRow(values.real, to: transposed + row * w * b, count: w * b)
                if paired { copyRow(values.imaginary, to: transposed + (row + 1) * w * b, count: w * b) }
            }
            transpose(transposed, planes: planes, values: h * w, scale: scale, into: output.pointer + first * h * w, accumulate: accumulate)
        }
    }
}

/// Calls `body(first, planes, buffer)` for consecutive blocks of at most `blockPlanes` of
/// `count` planes, split over the threads when `work` multiply-adds per plane make a large
/// product, with a buffer of `floats` floats of its own (pooled: a block's buffer outgrows
/// what a thread's stack should hold).
private func forEachBlock(_ count: Int, work: Int, floats: Int, _ body: @Sendable (Int, Int, UnsafeMutablePointer<Float>) -> Void) {
    let blocks = (count + blockPlanes - 1) / blockPlanes
    let parts = Parallelism.productParts(work: count * work) > 1 ? Parallelism.split(count: blocks) : [0..<blocks]
    Parallelism.run(parts) { _, range in
        withPooledScratch(floats) { buffer in
            for block in range {
                let first = block * blockPlanes
                body(first, min(blockPlanes, count - first), buffer)
            }
        }
    }
}

/// `planes` planes of `rows` x `width` values to [row][column][plane] in `transposed`, rows
/// `rowLength` columns long (columns from `width` on zero, and so are planes past `planes`).
/// Eight planes by eight columns at a time go through registers (`forEachTransposedLine`).
private func transpose(_ source: UnsafePointer<Float>, planes: Int, rows: Int, width: Int, rowLength: Int,
                       into transposed: UnsafeMutablePointer<Float>) {
    if planes < blockPlanes {
        setZero(transposed, count: rows * rowLength * blockPlanes)
    } else {
        for row in 0..<rows { setZero(transposed + (row * rowLength + width) * blockPlanes, count: (rowLength - width) * blockPlanes) }
    }
    let (planeCount, fullColumns) = (rows * width, width & ~7)
    for first in stride(from: 0, to: planes, by: 8) {
        let count = min(8, planes - first)
        for row in 0..<rows {
            let values = source + first * planeCount + row * width
            let target = transposed + row * rowLength * blockPlanes + first
            if count == 8 {
                for column in stride(from: 0, to: fullColumns, by: 8) {
                    forEachTransposedLine(values + column, stride: planeCount) { j, line in
                        storeVector(line, target + (column + j) * blockPlanes)
                    }
                }
            }
            for column in (count == 8 ? fullColumns : 0)..<width {
                for k in 0..<count { target[column * blockPlanes + k] = values[k * planeCount + column] }
            }
        }
    }
}

/// [value][plane] values of `transposed` times `scale`, written (or added, with `accumulate`)
/// to `planes` planes of `values` values each, eight planes by eight values at a time through
/// registers.
private func transpose(_ transposed: UnsafePointer<Float>, planes: Int, values: Int, scale: Float, into target: UnsafeMutablePointer<Float>,
                       accumulate: Bool) {
    let (fullValues, factor) = (values & ~7, SIMD8<Float>(repeating: scale))
    for first in stride(from: 0, to: planes, by: 8) {
        let count = min(8, planes - first)
        let output = target + first * values
        if count == 8 {
            for value in stride(from: 0, to: fullValues, by: 8) {
                forEachTransposedLine(transposed + value * blockPlanes + first, stride: blockPlanes) { k, line in
                    let destination = output + k * values + value
                    storeVector(accumulate ? loadVector(destination) + factor * line : factor * line, destination)
                }
            }
        }
        for k in 0..<count {
            let plane = output + k * values
            for i in (count == 8 ? fullValues : 0)..<values {
                let term = scale * transposed[i * blockPlanes + first + k]
                plane[i] = accumulate ? plane[i] + term : term
            }
        }
    }
}

/// Calls `body(j, line)` for j in 0..<8 with the eight vectors of eight floats at `p`,
/// `p + stride`, ... transposed: lane k of line j is float j of the vector at `p + k·stride`.
@inline(__always)
private func forEachTransposedLine(_ p: UnsafePointer<Float>, stride: Int, _ body: (Int, SIMD8<Float>) -> Void) {
    let (a, b, c, d) = (loadVector(p), loadVector(p + stride), loadVector(p + 2 * stride), loadVector(p + 3 * stride))
    let (e, f, g, h) = (loadVector(p + 4 * stride), loadVector(p + 5 * stride), loadVector(p + 6 * stride), loadVector(p + 7 * stride))
    for j in 0..<8 { body(j, SIMD8(a[j], b[j], c[j], d[j], e[j], f[j], g[j], h[j])) }
}
