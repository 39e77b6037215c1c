import Autodiff
import Randomness
import Testing

/// Checks the analytic gradients of `f` with respect to each of `inputs` against central finite
/// differences of L = Σ f(inputs) · R for a fixed random R.
///
/// The analytic pass records `f` on copies of the inputs that require gradients; the numeric pass
/// perturbs the originals, unrecorded. At most `samples` elements per input are probed.
func checkGradients(_ inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 2e-2, samples: Int = 30,
                    seed: UInt64 = 7, sourceLocation: SourceLocation = #_sourceLocation,
                    _ f: ([Tensor]) throws -> Tensor) throws {
    var generator = SeededGenerator(seed: seed)
    let tape = Tape()
    let taped = inputs.map { $0.detached(requiresGrad: true) }
    let output = try tape.record { try f(taped) }
    let weights = (0..<output.count).map { _ in generator.normal() }
    try tape.backward(from: output, gradient: weights)

    func objective() throws -> Double {
        let out = try f(inputs)
        return zip(out.values, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    for (index, input) in inputs.enumerated() {
        let analytic = taped[index].gradValues
        let probes = input.count <= samples ? Array(0..<input.count) : (0..<samples).map { _ in generator.int(below: input.count) }
        for i in probes {
            let saved = input.data[i]
            input.data[i] = saved + step
            let plus = try objective()
            input.data[i] = saved - step
            let minus = try objective()
            input.data[i] = saved
            let numeric = (plus - minus) / (2 * Double(step))
            let error = abs(numeric - Double(analytic[i])) / max(1, abs(numeric), abs(Double(analytic[i])))
            #expect(error < tolerance, "input \(index) element \(i): analytic \(analytic[i]) vs numeric \(numeric)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// A random tensor whose elements stay at least `margin` away from zero, so that kinks of ReLU
/// and friends are not straddled by finite differences.
func randomTensor(_ shape: [Int], seed: UInt64, margin: Float = 0) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let tensor = Tensor.randomNormal(shape: shape, using: &generator)
    for i in 0..<tensor.count where abs(tensor.data[i]) < margin {
        tensor.data[i] = tensor.data[i] < 0 ? -margin - tensor.data[i] : margin + tensor.data[i]
    }
    return tensor
}
