import Foundation

/// Complex fast Fourier transforms down the columns of a matrix, many columns at once: the
/// transforms of a Fourier convolution's planes (`FourierPlaneTransforms.swift`), where each
/// row holds one value of every plane, so planes fill a vector (`WideVector`) and every butterfly
/// is vectorised across planes. (On a 36-row grid a dense transform matrix takes 36 complex
/// multiply-adds per value; the radix-4, 3, 3 stages here take under 4.)
///
/// The stages follow Stockham's self-sorting form: stage s with radix R reads rows j + r·L/R,
/// turns them by the twiddles of j mod Ns (Ns the product of the earlier radices), takes their
/// R-point transform and writes it to rows (j / Ns)·Ns·R + j mod Ns + q·Ns, so the output comes
/// out in natural order without a bit-reversal pass. Lengths have prime factors 2, 3 and 5 only
/// (`smoothLength`); each radix's stage is specialised, so a butterfly's values stay in registers.
struct ColumnFFT: Sendable {
    /// Columns transformed together: four 8-float vectors (two 16-float ones), so that a 48-row
    /// transform's buffers stay within a core's first-level cache.
    static let blockColumns = 32

    /// The vectors (`WideVector`) of a block: four of eight floats or two of sixteen. A plain
    /// constant, read once per transform.
    static let blockVectors = blockColumns / WideVector.scalarCount

    let length: Int
    /// The exponent's sign: −1 for the forward transform, +1 for the inverse (unscaled).
    let sign: Float
    private let stages: [Stage]
    private let twiddles: Twiddles

    private struct Stage: Sendable {
        let radix: Int
        /// Ns: the product of the earlier stages' radices.
        let span: Int
        /// Where the stage's twiddles start in `twiddles`.
        let firstTwiddle: Int
    }

    /// Each stage's e^(sign·2πi·r·k/(Ns·R)) for k in 0..<Ns and r in 1..<R, at
    /// [firstTwiddle + k·(R − 1) + r − 1], in memory of their own, so that a transform touches
    /// no reference counts. Written once when built, only read afterwards.
    private final class Twiddles: @unchecked Sendable {
        let real: UnsafeMutablePointer<Float>
        let imaginary: UnsafeMutablePointer<Float>

        init(real: [Float], imaginary: [Float]) {
            self.real = .allocate(capacity: real.count)
            self.imaginary = .allocate(capacity: imaginary.count)
            self.real.initialize(from: real, count: real.count)
            self.imaginary.initialize(from: imaginary, count: imaginary.count)
        }

        deinit {
            real.deallocate()
            imaginary.deallocate()
        }
    }

    private static let cache = TransformCache<Int, ColumnFFT>()

    /// The transform of `length` rows, forward (e^(−2πi·f·h/L)) or `inverse` (e^(+2πi·f·h/L),
    /// without the 1/L scale), built once per length and direction.
    static func cached(length: Int, inverse: Bool) -> ColumnFFT {
        cache.value(inverse ? -length : length) { ColumnFFT(length: length, inverse: inverse) }
    }

    /// The transform of `length` rows, which must have no prime factor above 5.
    init(length: Int, inverse: Bool) {
        precondition(length >= 1 && Self.isSmooth(length), "a transform length has prime factors 2, 3 and 5 only")
        self.length = length
        sign = inverse ? 1 : -1
        var stages: [Stage] = [], span = 1
        var twiddleReal: [Float] = [], twiddleImaginary: [Float] = []
        for radix in Self.radices(of: length) {
            stages.append(Stage(radix: radix, span: span, firstTwiddle: twiddleReal.count))
            for k in 0..<span {
                for r in 1..<radix {
                    let angle = Double(sign) * 2 * Double.pi * Double(r * k) / Double(span * radix)
                    twiddleReal.append(Float(cos(angle)))
                    twiddleImaginary.append(Float(sin(angle)))
                }
            }
            span *= radix
        }
        self.stages = stages
        twiddles = Twiddles(real: twiddleReal, imaginary: twiddleImaginary)
    }

    /// The radices of `length`'s stages: fours first, then a two, threes, fives and any other
    /// prime factors (which `isSmooth` rejects).
    static func radices(of length: Int) -> [Int] {
        var rest = length, radices: [Int] = []
        while rest % 4 == 0 { radices.append(4); rest /= 4 }
        var factor = 2
        while rest > 1 {
            while rest % factor == 0 { radices.append(factor); rest /= factor }
            factor += 1
        }
        return radices
    }

    /// Whether `length` has no prime factor above 5.
    static func isSmooth(_ length: Int) -> Bool { radices(of: length).allSatisfy { $0 <= 5 } }

    /// The smallest length of at least `minimum` whose prime factors are 2, 3 and 5 only.
    static func smoothLength(atLeast minimum: Int) -> Int {
        var length = max(1, minimum)
        while !isSmooth(length) { length += 1 }
        return length
    }

    /// Multiply-adds (a flop each) of one column's transform of `length` rows: about 5·L·log2(L) flops.
    static func multiplyAdds(length: Int) -> Int { Int(5 * Double(length) * log2(Double(max(length, 2)))) }

    var multiplyAdds: Int { Self.multiplyAdds(length: length) }

    /// Floats of the scratch `transform` needs: two complex buffers of L x `blockColumns`.
    var scratchCount: Int { 4 * length * Self.blockColumns }
    /// Floats of the scratch `apply` needs: `transform`'s and a staged input and output.
    var applyScratchCount: Int { 2 * scratchCount }

    /// Transforms `columns` (at most `blockColumns`) adjacent columns of `input`, whose rows
    /// from `inputRows` on are taken as zeros, into the first `outputRows` rows of `output`.
    /// Only the columns given are read and written. Where rows are cut short or the columns end
    /// inside a vector, the input or the output passes through `scratch` (`applyScratchCount` floats).
    func apply(_ input: ComplexMatrix, inputRows: Int, into output: ComplexMatrix, outputRows: Int, columns: Int,
               scratch: UnsafeMutablePointer<Float>) {
        precondition(columns <= Self.blockColumns, "a block has at most \(Self.blockColumns) columns")
        let (block, lanes) = (Self.blockColumns, WideVector.scalarCount)
        let vectors = (columns &+ lanes &- 1) / lanes
        let stageIn = inputRows < length || columns % lanes != 0, stageOut = outputRows < length || columns % lanes != 0
        let staged = ComplexMatrix(real: scratch + scratchCount, imaginary: scratch + (scratchCount &+ length &* block), rowStride: block)
        let result = ComplexMatrix(real: staged.real + 2 &* length &* block, imaginary: staged.imaginary + 2 &* length &* block,
                                   rowStride: block)
        if stageIn {
            for row in 0..<length {
                let (real, imaginary) = (staged.real + row &* block, staged.imaginary + row &* block)
                let copied = row < inputRows ? columns : 0
                if copied > 0 {
                    copyRow(input.real + row &* input.rowStride, to: real, count: copied)
                    copyRow(input.imaginary + row &* input.rowStride, to: imaginary, count: copied)
                }
                for c in copied..<vectors &* lanes { (real[c], imaginary[c]) = (0, 0) }
            }
        }
        transform(stageIn ? staged : input, into: stageOut ? result : output, vectors: vectors, scratch: scratch)
        if stageOut {
            for row in 0..<min(outputRows, length) {
                copyRow(result.real + row &* block, to: output.real + row &* output.rowStride, count: columns)
                copyRow(result.imaginary + row &* block, to: output.imaginary + row &* output.rowStride, count: columns)
            }
        }
    }

    /// Transforms the first `vectors` vectors (`WideVector`s) of columns of all L rows of
    /// `source` into all L rows of `destination`, which must not overlap it, using `scratch`
    /// (`scratchCount` floats).
    func transform(_ source: ComplexMatrix, into destination: ComplexMatrix, vectors: Int, scratch: UnsafeMutablePointer<Float>) {
        let count = length &* Self.blockColumns
        var input = source
        for index in stages.indices {
            let stage = stages[index]
            let buffer = scratch + (index % 2) &* 2 &* count
            let output = index == stages.count &- 1 ? destination
                : ComplexMatrix(real: buffer, imaginary: buffer + count, rowStride: Self.blockColumns)
            switch stage.radix {
            case 2: run(stage, input, output, vectors: vectors, as: InlineArray<2, WideVector>.self)
            case 3: run(stage, input, output, vectors: vectors, as: InlineArray<3, WideVector>.self)
            case 4: run(stage, input, output, vectors: vectors, as: InlineArray<4, WideVector>.self)
            default: run(stage, input, output, vectors: vectors, as: InlineArray<5, WideVector>.self)
            }
            input = output
        }
        if stages.isEmpty {
            for v in 0..<vectors {
                let lane = v &* WideVector.scalarCount
                storeWide(loadWide(source.real + lane), destination.real + lane)
                storeWide(loadWide(source.imaginary + lane), destination.imaginary + lane)
            }
        }
    }

    /// One stage of radix R: for every j in 0..<L/R, rows j + r·L/R turned by the twiddles of
    /// j mod Ns and transformed, to rows (j / Ns)·Ns·R + j mod Ns + q·Ns.
    @inline(__always)
    private func run<let R: Int>(_ stage: Stage, _ input: ComplexMatrix, _ output: ComplexMatrix, vectors: Int,
                                 as _: InlineArray<R, WideVector>.Type) {
        let (span, stride) = (stage.span, length / R)
        let (inputStride, outputStride) = (input.rowStride, output.rowStride)
        let twiddleReal = twiddles.real + stage.firstTwiddle, twiddleImaginary = twiddles.imaginary + stage.firstTwiddle
        for j in 0..<stride {
            let k = j % span
            let outputBase = (j / span) &* span &* R &+ k
            var (turnRe, turnIm) = (InlineArray<R, WideVector>(repeating: .zero), InlineArray<R, WideVector>(repeating: .zero))
            for r in 1..<R {
                turnRe[r] = WideVector(repeating: twiddleReal[k &* (R &- 1) &+ r &- 1])
                turnIm[r] = WideVector(repeating: twiddleImaginary[k &* (R &- 1) &+ r &- 1])
            }
            for v in 0..<vectors {
                let lane = v &* WideVector.scalarCount
                var (re, im) = (InlineArray<R, WideVector>(repeating: .zero), InlineArray<R, WideVector>(repeating: .zero))
                for r in 0..<R {
                    let offset = (j &+ r &* stride) &* inputStride &+ lane
                    (re[r], im[r]) = (loadWide(input.real + offset), loadWide(input.imaginary + offset))
                }
                if span > 1 {
                    for r in 1..<R {
                        let (c, s) = (turnRe[r], turnIm[r])
                        (re[r], im[r]) = (re[r] * c - im[r] * s, re[r] * s + im[r] * c)
                    }
                }
                butterfly(&re, &im)
                for q in 0..<R {
                    let offset = (outputBase &+ q &* span) &* outputStride &+ lane
                    storeWide(re[q], output.real + offset)
                    storeWide(im[q], output.imaginary + offset)
                }
            }
        }
    }

    /// The R-point transform X[q] = Σ_r x[r]·e^(sign·2πi·q·r/R) of the values in place, R in 2...5.
    @inline(__always)
    private func butterfly<let R: Int>(_ re: inout InlineArray<R, WideVector>, _ im: inout InlineArray<R, WideVector>) {
        let s = WideVector(repeating: sign)
        switch R {
        case 2:
            (re[0], re[1]) = (re[0] + re[1], re[0] - re[1])
            (im[0], im[1]) = (im[0] + im[1], im[0] - im[1])
        case 3:
            let half = WideVector(repeating: 0.5), root = WideVector(repeating: Float(3.0.squareRoot() / 2)) * s
            let (tr, ti) = (re[1] + re[2], im[1] + im[2])
            let (mr, mi) = (re[0] - half * tr, im[0] - half * ti)
            // (x1 − x2)·sign·i·√3/2.
            let (dr, di) = ((im[2] - im[1]) * root, (re[1] - re[2]) * root)
            (re[0], im[0]) = (re[0] + tr, im[0] + ti)
            (re[1], im[1], re[2], im[2]) = (mr + dr, mi + di, mr - dr, mi - di)
        case 4:
            let (ar, ai, br, bi) = (re[0] + re[2], im[0] + im[2], re[0] - re[2], im[0] - im[2])
            let (cr, ci, dr, di) = (re[1] + re[3], im[1] + im[3], re[1] - re[3], im[1] - im[3])
            // (x1 − x3)·sign·i.
            let (er, ei) = (-di * s, dr * s)
            (re[0], im[0], re[2], im[2]) = (ar + cr, ai + ci, ar - cr, ai - ci)
            (re[1], im[1], re[3], im[3]) = (br + er, bi + ei, br - er, bi - ei)
        default:
            let c1 = WideVector(repeating: Float(cos(2 * Double.pi / 5))), c2 = WideVector(repeating: Float(cos(4 * Double.pi / 5)))
            let s1 = WideVector(repeating: Float(sin(2 * Double.pi / 5))) * s, s2 = WideVector(repeating: Float(sin(4 * Double.pi / 5))) * s
            let (t1r, t1i, t2r, t2i) = (re[1] + re[4], im[1] + im[4], re[2] + re[3], im[2] + im[3])
            let (t3r, t3i, t4r, t4i) = (re[1] - re[4], im[1] - im[4], re[2] - re[3], im[2] - im[3])
            let (a1r, a1i) = (re[0] + c1 * t1r + c2 * t2r, im[0] + c1 * t1i + c2 * t2i)
            let (a2r, a2i) = (re[0] + c2 * t1r + c1 * t2r, im[0] + c2 * t1i + c1 * t2i)
            // i·(s1·t3 + s2·t4) and i·(s2·t3 − s1·t4), the sign folded into s1 and s2.
            let (b1r, b1i) = (-(s1 * t3i + s2 * t4i), s1 * t3r + s2 * t4r)
            let (b2r, b2i) = (-(s2 * t3i - s1 * t4i), s2 * t3r - s1 * t4r)
            (re[0], im[0]) = (re[0] + t1r + t2r, im[0] + t1i + t2i)
            (re[1], im[1], re[4], im[4]) = (a1r + b1r, a1i + b1i, a1r - b1r, a1i - b1i)
            (re[2], im[2], re[3], im[3]) = (a2r + b2r, a2i + b2i, a2r - b2r, a2i - b2i)
        }
    }
}
