import NN

extension Trainer {
    /// The run's state after the last finished epoch (or at the start).
    public func checkpoint() -> TrainingCheckpoint {
        TrainingCheckpoint(epoch: completedEpochs, step: step, position: iterator.position,
                           trainExamples: data.train.count,
                           settings: configuration.settings.map { TrainingCheckpoint.Setting(name: $0.name, value: $0.value) },
                           model: StateDict(model.state), optimizer: StateDict(optimizer.state), history: history)
    }

    /// Continues from `checkpoint`: loads the model's and optimiser's tensors, the step count, the
    /// iterator position and the history.
    /// - Parameter path: where the checkpoint came from, for error messages.
    /// - Throws: `TrainingError.checkpointSettingMismatch` naming the first setting that differs
    ///   (the training set size included), or `.checkpointTensorMismatch` naming the tensor and
    ///   both shapes when the checkpoint belongs to another architecture. Settings are checked
    ///   before anything is loaded.
    public func restore(_ checkpoint: TrainingCheckpoint, from path: String) throws {
        let saved = Dictionary(checkpoint.settings.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let current = configuration.settings
        for (name, value) in current where saved[name] != value {
            throw TrainingError.checkpointSettingMismatch(path: path, name: name, checkpoint: saved[name] ?? "nothing", run: value)
        }
        let names = Set(current.map(\.name))
        if let extra = checkpoint.settings.first(where: { !names.contains($0.name) }) {
            throw TrainingError.checkpointSettingMismatch(path: path, name: extra.name, checkpoint: extra.value, run: "nothing")
        }
        guard checkpoint.trainExamples == data.train.count else {
            throw TrainingError.checkpointSettingMismatch(path: path, name: "training examples",
                                                          checkpoint: "\(checkpoint.trainExamples)", run: "\(data.train.count)")
        }
        guard checkpoint.epoch == checkpoint.history.epochs.count, checkpoint.epoch <= configuration.epochs,
              checkpoint.step == checkpoint.epoch * batchesPerEpoch else {
            throw TrainingError.unreadableCheckpoint(path: path, reason: "epoch \(checkpoint.epoch), step \(checkpoint.step) and "
                + "\(checkpoint.history.epochs.count) history records do not agree with \(batchesPerEpoch) batches per epoch")
        }
        do {
            try checkpoint.model.load(into: model.state)
        } catch {
            throw TrainingError.checkpointTensorMismatch(path: path, part: "model", reason: error.description)
        }
        do {
            try checkpoint.optimizer.load(into: optimizer.state)
        } catch {
            throw TrainingError.checkpointTensorMismatch(path: path, part: "optimizer", reason: error.description)
        }
        do {
            try iterator.seek(to: checkpoint.position)
        } catch {
            throw TrainingError.unreadableCheckpoint(path: path, reason: error.description)
        }
        step = checkpoint.step
        history = checkpoint.history
    }
}
