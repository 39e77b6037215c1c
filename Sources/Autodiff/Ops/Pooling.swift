import Kernels

extension Tensor {
    /// 2x2 average pooling with stride 2 over an NCHW tensor (an odd last row or column is dropped).
    public func avgPool2x2() throws -> Tensor {
        try expectRank(4, "avgPool2x2")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        guard h >= 2, w >= 2 else {
            throw TensorError.invalidArgument(operation: "avgPool2x2", message: "input \(shape) is smaller than 2x2")
        }
        let out = Tensor.result(shape: [n, c, h / 2, w / 2], of: self)
        avgPool2x2Forward(data, out.data, planes: n * c, height: h, width: w)
        // Even planes are covered by the windows: the adjoint writes a fresh gradient whole.
        let (dx, covers) = (gradientIfRequired, h % 2 == 0 && w % 2 == 0)
        out.recordBackward { dy in
            dx?.contribute { buffer, fresh in
                if fresh && !covers { setZero(buffer, count: n * c * h * w) }
                avgPool2x2Backward(dy, buffer, planes: n * c, height: h, width: w, overwrite: fresh && covers)
            }
        }
        return out
    }

    /// The mean over each channel's plane: [N, C, H, W] → [N, C].
    public func globalAvgPool() throws -> Tensor {
        try expectRank(4, "globalAvgPool")
        let planes = shape[0] * shape[1], planeSize = shape[2] * shape[3]
        let out = Tensor.result(shape: [shape[0], shape[1]], of: self)
        globalAvgPoolForward(data, out.data, planes: planes, planeSize: planeSize)
        out.recordBackward(from: self) { dy, dx in globalAvgPoolBackward(dy, dx, planes: planes, planeSize: planeSize) }
        return out
    }
}
