/// The differences between two key documents of one stage, as readable reasons:
/// `stages.train.with.epochs changed: 10 → 20`, `upstream 'pool' changed (1a2b… → 3c4d…)`.
struct KeyDocumentChanges {
    let stage: String
    let old: JSONValue
    let new: JSONValue

    func describe() -> [String] {
        guard case .object(let before) = old, case .object(let after) = new else { return [] }
        var reasons: [String] = []
        if let was = before["kind"], let now = after["kind"], !was.sameValue(as: now) {
            reasons.append("stage kind changed: \(was) → \(now)")
        } else if let was = before["version"], let now = after["version"], !was.sameValue(as: now) {
            reasons.append("stage kind version changed: \(was) → \(now)")
        }
        reasons += changes(before["parameters"], after["parameters"], path: "stages.\(stage).with")
        reasons += inputChanges(before["inputs"], after["inputs"])
        reasons += datasetChanges(before["dataset"], after["dataset"])
        if let was = before["seed"], let now = after["seed"], !was.sameValue(as: now) {
            reasons.append("seed changed: \(was) → \(now)")
        }
        return reasons
    }

    /// Changed, added and removed members of two objects, recursively, as `path: old → new`.
    private func changes(_ old: JSONValue?, _ new: JSONValue?, path: String) -> [String] {
        guard case .object(let before)? = old, case .object(let after)? = new else {
            switch (old, new) {
            case (nil, nil): return []
            case let (was?, now?) where was.sameValue(as: now): return []
            case let (was?, now?): return ["\(path) changed: \(was.canonical) → \(now.canonical)"]
            case let (nil, now?): return ["\(path) added: \(now.canonical)"]
            case let (was?, nil): return ["\(path) removed (was \(was.canonical))"]
            }
        }
        return Set(before.keys).union(after.keys).sorted().flatMap { key in
            changes(before[key], after[key], path: "\(path).\(key)")
        }
    }

    private func inputChanges(_ old: JSONValue?, _ new: JSONValue?) -> [String] {
        guard case .object(let before)? = old, case .object(let after)? = new else { return [] }
        var reasons: [String] = []
        if Set(before.keys) != Set(after.keys) {
            reasons.append("needs changed: [\(before.keys.sorted().joined(separator: ", "))] → [\(after.keys.sorted().joined(separator: ", "))]")
        }
        for name in after.keys.sorted() {
            guard let was = before[name], let now = after[name], !was.sameValue(as: now) else { continue }
            reasons.append("upstream '\(name)' changed (\(was.description.prefix(12)) → \(now.description.prefix(12)))")
        }
        return reasons
    }

    private func datasetChanges(_ old: JSONValue?, _ new: JSONValue?) -> [String] {
        guard case .object(let before)? = old, case .object(let after)? = new else {
            return old == nil && new == nil ? [] : ["dataset changed: \(old?.canonical ?? "none") → \(new?.canonical ?? "none")"]
        }
        if let was = before["name"], let now = after["name"], !was.sameValue(as: now) {
            return ["dataset changed: \(was) → \(now)"]
        }
        if let was = before["fingerprint"], let now = after["fingerprint"], !was.sameValue(as: now) {
            return ["dataset '\(after["name"]?.description ?? "?")' files changed (fingerprint \(was.description.prefix(12)) → "
                    + "\(now.description.prefix(12)))"]
        }
        return []
    }
}
