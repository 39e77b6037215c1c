/// How `Dataset.resized` samples the source image.
public enum ResizeMethod: String, Codable, Sendable, Hashable, CaseIterable {
    /// The source pixel whose area contains the target pixel's centre.
    case nearest
    /// Linear interpolation between the four source pixels around the target pixel's centre
    /// (pixel centres aligned as in PyTorch's `align_corners=False`), edges clamped.
    case bilinear
}

extension Dataset {
    /// A copy with every channel plane resampled to `height` x `width`, e.g. 8x8 digits to 28x28.
    /// - Throws: `.invalidArgument` for a non-positive size.
    public func resized(height: Int, width: Int, method: ResizeMethod) throws(DatasetError) -> Dataset {
        guard height > 0, width > 0 else {
            throw .invalidArgument(name: "resize target", reason: "must be positive, not \(height)x\(width)")
        }
        let target = ImageShape(channels: shape.channels, height: height, width: width)
        let rows = samplingTaps(from: shape.height, to: height, method: method)
        let columns = samplingTaps(from: shape.width, to: width, method: method)
        let planes = count * shape.channels
        let out = [Float](unsafeUninitializedCapacity: planes * target.planeSize) { buffer, initialized in
            images.withUnsafeBufferPointer { source in
                guard let from = source.baseAddress, let to = buffer.baseAddress else { return }
                for plane in 0..<planes {
                    resizePlane(from + plane &* shape.planeSize, sourceWidth: shape.width,
                                to + plane &* target.planeSize, rows: rows, columns: columns)
                }
            }
            initialized = planes * target.planeSize
        }
        return Dataset(validated: out, labels: labels, shape: target, classNames: classNames,
                       source: "\(source), resized to \(height)x\(width) (\(method.rawValue))")
    }
}

/// For one axis: for each target coordinate, the two source coordinates and the weight of the second.
/// Nearest sampling uses weight 0.
struct SamplingTaps {
    var low: [Int]
    var high: [Int]
    var weight: [Float]
}

/// The taps that map `source` coordinates onto `target` coordinates along one axis.
func samplingTaps(from source: Int, to target: Int, method: ResizeMethod) -> SamplingTaps {
    var taps = SamplingTaps(low: [], high: [], weight: [])
    let scale = Double(source) / Double(target)
    for t in 0..<target {
        let centre = (Double(t) + 0.5) * scale  // the target pixel's centre in source coordinates
        switch method {
        case .nearest:
            let s = min(Int(centre.rounded(.down)), source - 1)
            taps.low.append(s)
            taps.high.append(s)
            taps.weight.append(0)
        case .bilinear:
            let position = min(max(centre - 0.5, 0), Double(source - 1))
            let low = Int(position.rounded(.down))
            taps.low.append(low)
            taps.high.append(min(low + 1, source - 1))
            taps.weight.append(Float(position - Double(low)))
        }
    }
    return taps
}

/// Resamples one plane with separable taps: a blend of two rows of a blend of two columns.
private func resizePlane(_ x: UnsafePointer<Float>, sourceWidth: Int, _ y: UnsafeMutablePointer<Float>,
                         rows: SamplingTaps, columns: SamplingTaps) {
    let width = columns.low.count
    for r in 0..<rows.low.count {
        let top = x + rows.low[r] &* sourceWidth
        let bottom = x + rows.high[r] &* sourceWidth
        let wy = rows.weight[r]
        let out = y + r &* width
        for c in 0..<width {
            let left = columns.low[c], right = columns.high[c], wx = columns.weight[c]
            let upper = top[left] + (top[right] - top[left]) * wx
            let lower = bottom[left] + (bottom[right] - bottom[left]) * wx
            out[c] = upper + (lower - upper) * wy
        }
    }
}
