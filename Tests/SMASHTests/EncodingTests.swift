import Autodiff
import Randomness
import Testing
@testable import SMASH

/// The encoding tensor c: its layout, exact contents for a hand-made architecture, the
/// round trip through the decoder, and where each op's generated weights come from.
@Suite struct EncodingTests {
    let encoder = ArchitectureEncoder(skeleton: Tiny.skeleton)

    func value(_ c: Tensor, _ field: EncodingField, _ index: Int, row: Int, column: Int) -> Float {
        let channel = encoder.layout.ranges[field]!.lowerBound + index
        return c.data[(channel * c.shape[2] + row) * c.shape[3] + column]
    }

    @Test func layoutOfTheTinySkeleton() {
        let layout = encoder.layout
        // 8 banks (16 channels / 2-channel banks) for reads and writes, 2 blocks, G in 1...4,
        // dilation 1–2 per axis, groups 1 or 2; one kernel size, so no kernel field.
        #expect(layout.fields.map(\.description) == ["read", "write", "block", "width", "conv0.dilation.y", "conv0.dilation.x", "conv0.groups"])
        #expect(layout.channels == 8 + 8 + 2 + 4 + 2 + 2 + 2)
        #expect(layout.rows == 4)
        // The authors' defaults (N 8, 256-channel cap, 3 blocks, k 8, dilation ≤ 3, 3 kernel sizes,
        // 4 group counts) give their 91 channels, and 143 with the op array (REFERENCE-NOTES §4).
        var reference = SearchSpace.v2CIFAR.skeleton
        reference.maxDilation = 3
        reference.structure = .single
        #expect(EncodingLayout(skeleton: reference).channels == 91)
        reference.structure = .array
        #expect(EncodingLayout(skeleton: reference).channels == 143)
        let v2 = EncodingLayout(skeleton: SearchSpace.v2CIFAR.skeleton)
        #expect(v2.ranges[.active]?.count == 4)
        #expect(v2.channels == 32 + 32 + 3 + 8 + 4 + 4 * (4 + 4 + 3 + 3 + 4))
    }

    @Test func handMadeArchitectureIsEncodedExactly() throws {
        let architecture = Tiny.architecture
        let geometry = architecture.geometry
        #expect(geometry.map(\.columns) == [0..<1, 1..<2, 2..<3, 3..<5])
        #expect(geometry.map(\.bottleneck) == [4, 8, 8, 16])
        #expect(geometry.map(\.rows) == [1, 2, 2, 4])
        let c = try encoder.encode(architecture)
        #expect(c.shape == [1, encoder.layout.channels, 4, 5])
        // Op 1 of block 0 reads banks 1 and 2 (one column holds both), writes 0 and 3, G = 2,
        // dilation 2 on both axes, 2 groups; its 1x1 has 8 outputs = 2 rows of 4.
        for row in 0..<2 {
            #expect(value(c, .read, 1, row: row, column: 1) == 1 && value(c, .read, 2, row: row, column: 1) == 1)
            #expect(value(c, .read, 0, row: row, column: 1) == -1)
            #expect(value(c, .write, 0, row: row, column: 1) == 1 && value(c, .write, 3, row: row, column: 1) == 1)
            #expect(value(c, .write, 2, row: row, column: 1) == -1)
            #expect(value(c, .block, 0, row: row, column: 1) == 1 && value(c, .block, 1, row: row, column: 1) == -1)
            #expect(value(c, .width, 1, row: row, column: 1) == 1 && value(c, .width, 0, row: row, column: 1) == -1)
            #expect(value(c, .dilation(conv: 0, axis: "y"), 1, row: row, column: 1) == 1)
            #expect(value(c, .groups(conv: 0), 1, row: row, column: 1) == 1 && value(c, .groups(conv: 0), 0, row: row, column: 1) == -1)
        }
        #expect(value(c, .width, 1, row: 2, column: 1) == -1)  // rows beyond the op's 1x1 outputs stay off
        // Op 0 of block 0: dilation (1, 2), one group, one row.
        #expect(value(c, .dilation(conv: 0, axis: "y"), 0, row: 0, column: 0) == 1)
        #expect(value(c, .dilation(conv: 0, axis: "x"), 1, row: 0, column: 0) == 1)
        #expect(value(c, .groups(conv: 0), 0, row: 0, column: 0) == 1)
        #expect(value(c, .width, 0, row: 1, column: 0) == -1)
        // Op 1 of block 1 reads 4-channel banks 0 and 1: one column each.
        #expect(value(c, .read, 0, row: 0, column: 3) == 1 && value(c, .read, 1, row: 0, column: 3) == -1)
        #expect(value(c, .read, 1, row: 3, column: 4) == 1 && value(c, .read, 0, row: 3, column: 4) == -1)
        #expect(value(c, .block, 1, row: 3, column: 4) == 1)
        #expect(c.values.allSatisfy { $0 == 1 || $0 == -1 })
    }

    @Test(arguments: SearchSpace.presetNames)
    func decodingRecoversTheEncodedFields(name: String) throws {
        let space = try SearchSpace.preset(named: name)
        let sampler = try ArchitectureSampler(space: space)
        let encoder = ArchitectureEncoder(skeleton: space.skeleton)
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<(name.hasSuffix("cifar") ? 10 : 40) {
            let architecture = sampler.sample(using: &generator)
            let decoded = try encoder.decode(encoder.encode(architecture), geometry: architecture.geometry)
            #expect(decoded == architecture.encodedOps)
        }
        let decoded = try self.encoder.decode(self.encoder.encode(Tiny.architecture), geometry: Tiny.architecture.geometry)
        #expect(decoded.map(\.bankSize) == [1, 1, 2, 2])
        #expect(decoded[3].writes == [0, 2])
    }

    /// The full matrix holds, for every output and input, the generated value `sourceIndex`
    /// names, for the reference configuration's layout (P = 8 outputs per row, D·N = 16).
    @Test func weightMatrixTakesEveryEntryFromItsSourceIndex() throws {
        var skeleton = SearchSpace.v2CIFAR.skeleton
        skeleton.bottleneck = .reference
        let layout = WeightLayout(skeleton: skeleton, columns: 37)
        let channels = WeightLayout.generatedChannels(skeleton)
        let generated = try Tensor(shape: [1, channels, skeleton.maxUnits, 37],
                                   values: (0 ..< channels * skeleton.maxUnits * 37).map(Float.init))
        let matrix = try layout.matrix(generated)
        let (outputs, inputs) = (layout.matrixShape[0], layout.matrixShape[1])
        #expect(matrix.shape == [outputs, inputs] && outputs > 1 && inputs > 1)
        var mismatches = 0
        for output in 0..<outputs {
            for input in 0..<inputs where matrix.data[output * inputs + input] != Float(layout.sourceIndex(output: output, input: input)) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    /// Each op's 1x1 weights come exactly from the HyperNet output locations where c describes
    /// that op, and each entry from the channel the layout names.
    @Test func generatedWeightsAreSlicedWhereTheEncodingSays() throws {
        let architecture = Tiny.architecture
        let layout = WeightLayout(skeleton: Tiny.skeleton, columns: architecture.encodingWidth)
        let channels = WeightLayout.generatedChannels(Tiny.skeleton)
        let (rows, columns, perColumn, perRow) = (4, architecture.encodingWidth, Tiny.skeleton.columnChannels, Tiny.skeleton.outputsPerRow)
        #expect(channels == perRow * perColumn && perRow == 4 && perColumn == 4)
        let generated = try Tensor(shape: [1, channels, rows, columns], values: (0 ..< channels * rows * columns).map(Float.init))
        let matrix = try layout.matrix(generated)
        #expect(matrix.shape == [16, 20])
        let c = try encoder.encode(architecture)
        for (opIndex, place) in architecture.geometry.enumerated() {
            let weight = try WeightLayout.opWeight(matrix, geometry: place)
            #expect(weight.shape == [place.bottleneck, place.inputChannels, 1, 1])
            var locations = Set<[Int]>()
            for output in 0..<place.bottleneck {
                for input in 0..<place.inputChannels {
                    let source = Int(weight.data[output * place.inputChannels + input])
                    let (channel, row, column) = (source / (rows * columns), source / columns % rows, source % columns)
                    let global = place.weightColumns.lowerBound + input
                    #expect(row * perRow + channel / perColumn == output && column * perColumn + channel % perColumn == global)
                    locations.insert([row, column])
                }
            }
            let described = Set((0..<rows).flatMap { row in (0..<columns).compactMap { column -> [Int]? in
                value(c, .width, architecture.encodedOps[opIndex].width - 1, row: row, column: column) == 1
                    && place.columns.contains(column) ? [row, column] : nil
            } })
            #expect(locations == described, "op \(opIndex)")
        }
    }

    @Test func corruptedEncodingsKeepTheShapeAndChangeTheirField() throws {
        let corrupter = try EncodingCorrupter(space: .v2FashionMNIST)
        var generator = SeededGenerator(seed: 8)
        let architecture = corrupter.sampler.sample(using: &generator)
        let encoder = corrupter.encoder
        let original = try encoder.encode(architecture)
        for corruption in EncodingCorruption.allCases {
            let corrupted = try corrupter.encoding(of: architecture, corruption: corruption, using: &generator)
            #expect(corrupted.shape == original.shape)
            #expect(corrupted.values != original.values, "\(corruption)")
            guard corruption != .otherArchitecture else { continue }
            let before = try encoder.decode(original, geometry: architecture.geometry)
            let after = try encoder.decode(corrupted, geometry: architecture.geometry)
            #expect(zip(before, after).allSatisfy { $0.width == $1.width && $0.block == $1.block && $0.reads.count == $1.reads.count })
            switch corruption {
            case .shuffledDilations:
                #expect(after.map(\.reads) == before.map(\.reads))
                #expect(after.flatMap { $0.convs.compactMap { $0?.dilation } }.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
                    == before.flatMap { $0.convs.compactMap { $0?.dilation } }.sorted { ($0.y, $0.x) < ($1.y, $1.x) })
            case .shuffledReads:
                #expect(after.map(\.convs) == before.map(\.convs) && after.map(\.reads) != before.map(\.reads))
            case .randomWrites:
                #expect(after.map(\.reads) == before.map(\.reads) && after.map(\.writes) != before.map(\.writes))
            case .otherArchitecture:
                break
            }
        }
    }
}
