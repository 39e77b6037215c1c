@testable import Kernels
import Foundation
import Randomness
import Testing

@Suite struct ColumnFFTTests {
    /// Every length up to 50 with no prime factor above 5 (radices 4, 2, 3 and 5 mixed), forward
    /// and inverse, against the defining sum in Double: full blocks, a partial vector, input
    /// rows cut short (the rest read as zeros) and output rows cut short, in matrices wider than
    /// the block (other columns untouched).
    @Test(arguments: (1...50).filter(ColumnFFT.isSmooth))
    func matchesTheDefiningSum(_ length: Int) {
        var generator = SeededGenerator(seed: UInt64(length))
        for inverse in [false, true] {
            let fft = ColumnFFT(length: length, inverse: inverse)
            for (columns, inputRows, outputRows) in [(32, length, length), (13, max(1, length - 3), length), (8, length, max(1, length / 2))] {
                let stride = columns + 5
                let input = (0..<2 * length * stride).map { _ in generator.normal() }
                var output = [Float](repeating: 7, count: 2 * length * stride)
                input.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { y in
                        let source = UnsafeMutablePointer(mutating: x.baseAddress!) + 1
                        let a = ComplexMatrix(real: source, imaginary: source + length * stride, rowStride: stride)
                        let b = ComplexMatrix(real: y.baseAddress! + 1, imaginary: y.baseAddress! + 1 + length * stride, rowStride: stride)
                        withScratch(fft.applyScratchCount) { scratch in
                            fft.apply(a, inputRows: inputRows, into: b, outputRows: outputRows, columns: columns, scratch: scratch)
                        }
                    }
                }
                var worst = 0.0
                for column in 0..<stride {
                    for f in 0..<length {
                        let written = column >= 1 && column <= columns && f < outputRows
                        let (re, im) = (output[f * stride + column], output[(length + f) * stride + column])
                        guard written else {
                            #expect(re == 7 && im == 7, "length \(length) row \(f) column \(column) was written")
                            continue
                        }
                        var (sumRe, sumIm) = (0.0, 0.0)
                        for h in 0..<inputRows {
                            let angle = (inverse ? 1.0 : -1.0) * 2 * Double.pi * Double(f * h % length) / Double(length)
                            let (xr, xi) = (Double(input[h * stride + column]), Double(input[(length + h) * stride + column]))
                            sumRe += xr * cos(angle) - xi * sin(angle)
                            sumIm += xr * sin(angle) + xi * cos(angle)
                        }
                        worst = max(worst, abs(Double(re) - sumRe), abs(Double(im) - sumIm))
                    }
                }
                #expect(worst < 1e-5 * Double(length), "length \(length) inverse \(inverse) columns \(columns): error \(worst)")
            }
        }
    }

    @Test func smoothLengthsHaveOnlyFactorsTwoThreeAndFive() {
        #expect((30...50).map { ColumnFFT.smoothLength(atLeast: $0) }.allSatisfy { ColumnFFT.radices(of: $0).allSatisfy { $0 <= 5 } })
        #expect([33, 35, 37, 41, 7, 11].map { ColumnFFT.smoothLength(atLeast: $0) } == [36, 36, 40, 45, 8, 12])
        #expect(ColumnFFT.radices(of: 360) == [4, 2, 3, 3, 5])
    }
}
