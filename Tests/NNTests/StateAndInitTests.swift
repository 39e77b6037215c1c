import Autodiff
import NN
import Randomness
import Testing

@Suite struct StateAndInitTests {
    @Test func orthogonalInitGivesOrthonormalRows() {
        var generator = SeededGenerator(seed: 1)
        for shape in [[4, 3, 2, 1], [12, 3, 1, 1], [5, 5]] {
            let w = Tensor(shape: shape)
            Initializer.orthogonal(w, using: &generator)
            let rows = shape[0], columns = w.count / rows
            let matrix = (0..<rows).map { r in (0..<columns).map { Double(w.data[r * columns + $0]) } }
            // Fewer rows than columns: rows orthonormal; otherwise columns orthonormal.
            let vectors = rows <= columns ? matrix : (0..<columns).map { c in matrix.map { $0[c] } }
            for i in vectors.indices {
                for j in vectors.indices {
                    let dot = zip(vectors[i], vectors[j]).reduce(0) { $0 + $1.0 * $1.1 }
                    #expect(abs(dot - (i == j ? 1 : 0)) < 1e-5, "shape \(shape) vectors \(i),\(j)")
                }
            }
        }
    }

    @Test func heNormalHasTheRightScale() {
        var generator = SeededGenerator(seed: 2)
        let w = Tensor(shape: [64, 32, 3, 3])
        Initializer.heNormal(w, using: &generator)
        let variance = w.values.reduce(0) { $0 + Double($1 * $1) } / Double(w.count)
        #expect(abs(variance - 2.0 / 288) / (2.0 / 288) < 0.05)
    }

    @Test func stateDictRoundTripAndErrors() throws {
        var generator = SeededGenerator(seed: 3)
        let layer = try Conv2d(inChannels: 2, outChannels: 3, kernel: 3, using: &generator)
        let bn = BatchNorm2d(channels: 3)
        let state = layer.state.prefixed("conv") + bn.state.prefixed("bn")
        let saved = StateDict(state)
        let other = try Conv2d(inChannels: 2, outChannels: 3, kernel: 3, using: &generator)
        #expect(other.weight.values != layer.weight.values)
        try saved.load(into: other.state.prefixed("conv") + BatchNorm2d(channels: 3).state.prefixed("bn"))
        #expect(other.weight.values == layer.weight.values)
        #expect(throws: StateDictError.missing(name: "conv.weight")) {
            try StateDict(bn.state.prefixed("bn")).load(into: state)
        }
        let wrongShape = try Conv2d(inChannels: 2, outChannels: 4, kernel: 3, using: &generator)
        #expect(throws: StateDictError.shapeMismatch(name: "conv.weight", expected: [4, 2, 3, 3], found: [3, 2, 3, 3])) {
            try StateDict(layer.state.prefixed("conv")).load(into: wrongShape.state.prefixed("conv"))
        }
        #expect(throws: StateDictError.unexpected(name: "bn.weight")) {
            try saved.load(into: layer.state.prefixed("conv"))
        }
    }

    @Test func badLayerArgumentsThrow() {
        var generator = SeededGenerator(seed: 4)
        #expect(throws: TensorError.self) { try Conv2d(inChannels: 3, outChannels: 4, kernel: 3, groups: 2, using: &generator) }
        #expect(throws: TensorError.self) { try Linear(inFeatures: 0, outFeatures: 4, using: &generator) }
    }
}
