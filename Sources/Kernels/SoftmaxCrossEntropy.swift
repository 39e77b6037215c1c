import Foundation

/// Log-softmax followed by the negative log-likelihood of integer labels.

/// For `rows` rows of `classes` logits, writes log-probabilities into `logProbabilities` and returns
/// the mean of −log p(label) over the rows. Labels must lie in `0..<classes`.
public func softmaxCrossEntropyForward(_ logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                                       logProbabilities: UnsafeMutablePointer<Float>,
                                       rows: Int, classes: Int) -> Float {
    var total: Double = 0
    for r in 0..<rows {
        let z = logits + r &* classes, out = logProbabilities + r &* classes
        var top = z[0]
        for j in 1..<classes { top = max(top, z[j]) }
        var expSum: Float = 0
        for j in 0..<classes { expSum += expf(z[j] - top) }
        let logNormaliser = top + logf(expSum)
        for j in 0..<classes { out[j] = z[j] - logNormaliser }
        total -= Double(out[Int(labels[r])])
    }
    return Float(total / Double(rows))
}

/// dlogits += dLoss/rows · (softmax − onehot(label)), the gradient of the mean loss scaled by
/// `dLoss`.
public func softmaxCrossEntropyBackward(_ logProbabilities: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                                        dLoss: Float, _ dlogits: UnsafeMutablePointer<Float>,
                                        rows: Int, classes: Int) {
    let scale = dLoss / Float(rows)
    for r in 0..<rows {
        let lp = logProbabilities + r &* classes, out = dlogits + r &* classes
        for j in 0..<classes { out[j] += scale * expf(lp[j]) }
        out[Int(labels[r])] -= scale
    }
}
