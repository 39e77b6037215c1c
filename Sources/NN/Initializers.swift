import Autodiff
import Randomness

/// Weight initialisation schemes. All fill a tensor in place from a seeded generator.
public enum Initializer {
    /// He (Kaiming) normal: N(0, 2 / fanIn), where fanIn is the product of all axes but the first.
    public static func heNormal(_ tensor: Tensor, using generator: inout SeededGenerator) {
        let std = (2 / Float(fanIn(tensor))).squareRoot()
        for i in 0..<tensor.count { tensor.data[i] = std * generator.normal() }
    }

    /// Uniform in ±1/√fanIn (PyTorch's default for linear and convolution layers).
    public static func uniformFanIn(_ tensor: Tensor, fanIn: Int? = nil, using generator: inout SeededGenerator) {
        let bound = 1 / Float(fanIn ?? Initializer.fanIn(tensor)).squareRoot()
        for i in 0..<tensor.count { tensor.data[i] = generator.uniform(-bound, bound) }
    }

    /// Orthogonal: the tensor, viewed as a [first axis, rest] matrix, gets orthonormal rows (or
    /// columns, whichever are fewer), scaled by `gain`. Gram–Schmidt in Double on Gaussian draws.
    public static func orthogonal(_ tensor: Tensor, gain: Float = 1, using generator: inout SeededGenerator) {
        let rows = tensor.shape.first ?? 1
        let columns = tensor.count / max(rows, 1)
        guard rows > 0, columns > 0 else { return }
        let (vectors, length) = (min(rows, columns), max(rows, columns))
        var basis = [[Double]]()
        basis.reserveCapacity(vectors)
        while basis.count < vectors {
            var v = (0..<length).map { _ in Double(generator.normal()) }
            for _ in 0..<2 {  // twice, for numerical orthogonality
                for u in basis {
                    let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
                    for i in 0..<length { v[i] -= dot * u[i] }
                }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 1e-8 else { continue }
            basis.append(v.map { $0 / norm })
        }
        for r in 0..<rows {
            for c in 0..<columns {
                let value = rows <= columns ? basis[r][c] : basis[c][r]
                tensor.data[r * columns + c] = gain * Float(value)
            }
        }
    }

    /// Sets every element to `value`.
    public static func constant(_ tensor: Tensor, _ value: Float) {
        tensor.data.update(repeating: value, count: tensor.count)
    }

    /// The number of inputs feeding one output: the product of all axes but the first.
    public static func fanIn(_ tensor: Tensor) -> Int {
        max(1, tensor.shape.dropFirst().reduce(1, *))
    }
}
