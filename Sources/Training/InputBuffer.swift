import Autodiff
import DatasetIO

/// Input tensors reused from batch to batch: one per batch size seen (the full batches and a
/// smaller last one), refilled in place, so a step allocates no input memory.
final class InputBuffer {
    private var tensors: [Int: Tensor] = [:]

    /// The images of `batch` as an NCHW tensor. The tensor is overwritten by the next call for a
    /// batch of the same size.
    func tensor(for batch: Batch) -> Tensor {
        let shape = batch.shape
        let tensor = tensors[batch.count] ?? Tensor(uninitializedShape: [batch.count, shape.channels, shape.height, shape.width])
        tensors[batch.count] = tensor
        batch.images.withUnsafeBufferPointer { images in
            if let base = images.baseAddress { tensor.data.update(from: base, count: min(tensor.count, images.count)) }
        }
        return tensor
    }
}
