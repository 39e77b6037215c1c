import Autodiff
import Testing

/// Convolutions that keep their weights' spectra between calls (`ConvolutionMemos`).
@Suite struct ConvolutionMemoTests {
    /// A 7x7 convolution the Fourier path runs.
    let weight = randomTensor([36, 34, 7, 7], seed: 21)
    let padding = Pair(3, 3)

    @Test func memoisedConvolutionsGiveTheSameValuesForAnyBatch() throws {
        let memos = ConvolutionMemos<String>()
        let memo = memos.memo("a")
        #expect(memos.memo("a") === memo && memos.memo("b") !== memo)
        for (batch, seed) in [(4, 22), (4, 23), (1, 24)] {
            let x = randomTensor([batch, 34, 9, 10], seed: UInt64(seed))
            let expected = try x.conv2d(weight, padding: padding).values
            #expect(try close(x.conv2d(weight, padding: padding, memo: memo).values, expected), "batch \(batch)")
        }
        #expect(memos.floatCount > weight.count)
    }

    /// Other weights in the same memo replace the kept spectra instead of reusing them.
    @Test func changedWeightsAreTransformedAgain() throws {
        let memos = ConvolutionMemos<Int>()
        let x = randomTensor([4, 34, 9, 10], seed: 25)
        _ = try x.conv2d(weight, padding: padding, memo: memos.memo(0))
        let held = memos.floatCount
        let other = randomTensor(weight.shape, seed: 26)
        #expect(try close(x.conv2d(other, padding: padding, memo: memos.memo(0)).values, x.conv2d(other, padding: padding).values))
        #expect(memos.floatCount == held)
        try checkGradients([x, other]) { t in try t[0].conv2d(t[1], padding: padding, memo: memos.memo(1)) }
    }

    /// Past the limit nothing is kept, and the values are the same.
    @Test func memosStayWithinTheirLimit() throws {
        let memos = ConvolutionMemos<Int>(floatLimit: weight.count)
        let x = randomTensor([4, 34, 9, 10], seed: 27)
        #expect(try close(x.conv2d(weight, padding: padding, memo: memos.memo(0)).values, x.conv2d(weight, padding: padding).values))
        #expect(memos.floatCount == 0)
    }

    /// Equal up to rounding: with the kernel's spectra at hand the Fourier path may run a
    /// convolution that another path runs without them.
    private func close(_ values: [Float], _ expected: [Float]) -> Bool {
        let scale = max(1, expected.map { abs($0) }.max() ?? 0)
        return values.count == expected.count && zip(values, expected).allSatisfy { abs($0 - $1) <= 1e-5 * scale }
    }
}
