/// The stages of a pipeline as a dependency graph: each stage points at the stages it needs.
public struct StageGraph: Sendable {
    /// Every stage in an order where each comes after all it needs; among stages that are ready
    /// together, the spec's order.
    public let order: [String]
    private let needs: [String: [String]]

    /// A graph of `stages` (name and needs, in spec order); every need must name a stage.
    /// - Returns: the graph, or the first cycle found (its stages in order, the first repeated).
    static func build(_ stages: [(name: String, needs: [String])]) -> Result<StageGraph, Cycle> {
        let needs = Dictionary(stages.map { ($0.name, $0.needs) }, uniquingKeysWith: { first, _ in first })
        if let cycle = findCycle(stages.map(\.name), needs) { return .failure(cycle) }
        var order: [String] = []
        var placed = Set<String>()
        var progressed = true
        while progressed {
            progressed = false
            for stage in stages where !placed.contains(stage.name) && stage.needs.allSatisfy(placed.contains) {
                order.append(stage.name)
                placed.insert(stage.name)
                progressed = true
            }
        }
        return .success(StageGraph(order: order, needs: needs))
    }

    /// A cycle of `needs`.
    struct Cycle: Error {
        let stages: [String]
    }

    /// The stages `stage` needs.
    public func needs(of stage: String) -> [String] { needs[stage] ?? [] }

    /// Every stage `stage` needs, directly or through others.
    public func ancestors(of stage: String) -> Set<String> {
        var found = Set<String>()
        var pending = needs(of: stage)
        while let next = pending.popLast() {
            if found.insert(next).inserted { pending += needs(of: next) }
        }
        return found
    }

    /// Every stage that needs `stage`, directly or through others.
    public func descendants(of stage: String) -> Set<String> {
        Set(order.filter { ancestors(of: $0).contains(stage) })
    }

    /// Depth-first search for a back edge; the cycle it closes, in order.
    private static func findCycle(_ names: [String], _ needs: [String: [String]]) -> Cycle? {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        func visit(_ stage: String) -> Cycle? {
            switch marks[stage] {
            case .done: return nil
            case .visiting:
                let start = path.firstIndex(of: stage) ?? 0
                return Cycle(stages: Array(path[start...]) + [stage])
            case nil: break
            }
            marks[stage] = .visiting
            path.append(stage)
            for need in needs[stage] ?? [] {
                if let cycle = visit(need) { return cycle }
            }
            path.removeLast()
            marks[stage] = .done
            return nil
        }
        for name in names {
            if let cycle = visit(name) { return cycle }
        }
        return nil
    }
}
