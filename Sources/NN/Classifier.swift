import Autodiff

/// A network that maps an NCHW batch to class logits `[batch, classes]`.
///
/// Trainers and evaluators work with any classifier: Wide ResNets, networks derived from SMASH
/// architectures, and anything a user builds from layers.
public protocol Classifier: Layer {
    /// Class logits for `x`. In `training` mode batch norm uses batch statistics and updates its
    /// running averages; otherwise it uses the running averages.
    func callAsFunction(_ x: Tensor, training: Bool) throws -> Tensor
}
