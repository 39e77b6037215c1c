import Randomness

/// How the Markov chain proposes its next architecture.
public enum SearchGuidance: Codable, Sendable, Hashable {
    /// One random perturbation per step (paper App. C).
    case random
    /// Among `candidates` random perturbations, the one whose encoding the architecture gradient
    /// dE/dc predicts to lower the loss most (paper Sec. 4.2).
    case gradient(candidates: Int)
}

/// The schedule of the search of paper App. C.
public struct SearchOptions: Codable, Sendable, Hashable {
    /// Random architectures scored first (500 in the paper).
    public var randomCount: Int
    /// Perturbations of the best random architecture (100).
    public var perturbationCount: Int
    /// Markov-chain steps from the best so far, accepting only improvements (100).
    public var markovSteps: Int
    /// Chance that one element is redrawn in a perturbation (5%).
    public var probability: Double
    /// How the Markov chain picks its proposals.
    public var guidance: SearchGuidance
    /// The seed of every random draw of the search.
    public var seed: UInt64

    public init(randomCount: Int = 500, perturbationCount: Int = 100, markovSteps: Int = 100, probability: Double = 0.05,
                guidance: SearchGuidance = .random, seed: UInt64 = 0) {
        self.randomCount = randomCount
        self.perturbationCount = perturbationCount
        self.markovSteps = markovSteps
        self.probability = probability
        self.guidance = guidance
        self.seed = seed
    }

    /// Throws the first out-of-range option.
    public func validate() throws(SMASHError) {
        guard randomCount >= 1, perturbationCount >= 0, markovSteps >= 0 else {
            throw .invalidOption(name: "randomCount/perturbationCount/markovSteps", found: "\(randomCount)/\(perturbationCount)/\(markovSteps)",
                                 expected: "at least 1 random architecture and no negative counts")
        }
        if case .gradient(let candidates) = guidance, candidates < 1 {
            throw .invalidOption(name: "guidance.candidates", found: "\(candidates)", expected: "at least 1")
        }
    }
}

/// One scored architecture of a search.
public struct SearchEntry: Codable, Sendable, Hashable {
    /// The part of the search an entry belongs to.
    public enum Phase: String, Codable, Sendable { case random, perturbation, markov }
    public var phase: Phase
    public var architecture: Architecture
    public var score: SmashScore
    /// Whether it became the Markov chain's new base.
    public var accepted: Bool
}

/// The search of paper App. C: score random architectures, then perturbations of the best of
/// them (the base stays fixed), then a Markov chain from the best so far that moves only to
/// strictly better perturbations (lower error, ties broken by lower loss).
public struct ArchitectureSearch {
    public let sampler: ArchitectureSampler
    public let perturber: Perturber
    public let options: SearchOptions

    /// A search over `space` on the schedule of `options`.
    public init(space: SearchSpace, options: SearchOptions) throws(SMASHError) {
        try options.validate()
        sampler = try ArchitectureSampler(space: space)
        perturber = try Perturber(space: space, probability: options.probability)
        self.options = options
    }

    /// Runs the search with `score` as the SMASH score; `propose` picks the Markov chain's
    /// candidate from random perturbations of the base (defaults to the first). `progress` sees
    /// every entry as it is scored. Returns every entry in order; the best is `best(of:)`.
    public func run(score: (Architecture) throws -> SmashScore,
                    propose: (_ base: Architecture, _ candidates: [Architecture]) throws -> Architecture = { $1[0] },
                    progress: (SearchEntry) -> Void = { _ in }) throws -> [SearchEntry] {
        var entries: [SearchEntry] = []
        func record(_ phase: SearchEntry.Phase, _ architecture: Architecture, accepted: Bool = false) throws -> SearchEntry {
            let entry = SearchEntry(phase: phase, architecture: architecture, score: try score(architecture), accepted: accepted)
            entries.append(entry)
            progress(entry)
            return entry
        }
        let root = SeededGenerator(seed: options.seed)
        for index in 0..<options.randomCount {
            var generator = root.derived("random \(index)")
            _ = try record(.random, sampler.sample(using: &generator))
        }
        guard let randomBest = ArchitectureSearch.best(of: entries) else { return entries }
        for index in 0..<options.perturbationCount {
            var generator = root.derived("perturbation \(index)")
            _ = try record(.perturbation, perturber.perturb(randomBest.architecture, using: &generator))
        }
        guard var base = ArchitectureSearch.best(of: entries) else { return entries }
        let count: Int
        if case .gradient(let candidates) = options.guidance { count = candidates } else { count = 1 }
        for index in 0..<options.markovSteps {
            var generator = root.derived("markov \(index)")
            let candidates = (0..<count).map { _ in perturber.perturb(base.architecture, using: &generator) }
            var entry = try record(.markov, try propose(base.architecture, candidates))
            if ArchitectureSearch.isBetter(entry.score, than: base.score) {
                entry.accepted = true
                entries[entries.count - 1] = entry
                base = entry
            }
        }
        return entries
    }

    /// Whether `a` improves on `b`: lower error, or equal error and lower loss.
    public static func isBetter(_ a: SmashScore, than b: SmashScore) -> Bool {
        a.error < b.error || (a.error == b.error && a.loss < b.loss)
    }

    /// The entry with the best score (the first among equals).
    public static func best(of entries: [SearchEntry]) -> SearchEntry? {
        entries.reduce(nil) { best, entry in best.map { isBetter(entry.score, than: $0.score) ? entry : $0 } ?? entry }
    }
}
