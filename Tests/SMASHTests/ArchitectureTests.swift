import Autodiff
import Foundation
import Randomness
import Testing
@testable import SMASH

/// Canonical JSON and hashes, validity rules, costs and renderings of architectures.
@Suite struct ArchitectureTests {
    @Test func canonicalJSONRoundTripsAndHashIsStable() throws {
        let architecture = Tiny.architecture
        try architecture.validate()
        let json = architecture.canonicalJSON
        let decoded = try Architecture.decode(json: Data(json.utf8))
        #expect(decoded == architecture)
        #expect(decoded.canonicalJSON == json)
        #expect(!json.contains(" ") && !json.contains("\n"))
        #expect(architecture.hash == "\(architecture.hash)" && architecture.hash.count == 64)
        // Pinned: any change to the canonical form or the hash changes every cache key.
        #expect(architecture.hash == "849bf5f84509844930ffb42c80f375a9901a603f70724bb21781a8876cd5cbf6")
        let pretty = try JSONEncoder().encode(architecture)
        #expect(try Architecture.decode(json: pretty).hash == architecture.hash)
    }

    @Test(arguments: SearchSpace.presetNames)
    func sampledArchitecturesRoundTrip(name: String) throws {
        let sampler = try ArchitectureSampler(space: try SearchSpace.preset(named: name))
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<20 {
            let architecture = sampler.sample(using: &generator)
            let decoded = try Architecture.decode(json: Data(architecture.canonicalJSON.utf8))
            #expect(decoded == architecture && decoded.hash == architecture.hash)
        }
    }

    /// Each broken rule is reported with the path of the offending element.
    @Test func invalidArchitecturesNameTheElement() {
        func path(_ edit: (inout Architecture) -> Void) -> String? {
            var architecture = Tiny.architecture
            edit(&architecture)
            do {
                try architecture.validate()
                return nil
            } catch .invalidArchitecture(let path, _) {
                return path
            } catch {
                return "\(error)"
            }
        }
        #expect(path { $0.blocks[0].ops[0].reads = [0, 3] } == "blocks[0].ops[0].reads")  // bank 3 not yet written
        #expect(path { $0.blocks[0].ops[0].reads = [0] } == "blocks[0].ops[0].reads")  // one 2-channel bank is half a column
        #expect(path { $0.blocks[0].ops[0].reads = [1, 0] } == "blocks[0].ops[0].reads")
        #expect(path { $0.blocks[0].ops[1].width = 5 } == "blocks[0].ops[1].width")  // beyond Nmax / N = 4
        #expect(path { $0.blocks[1].ops[0].width = 3 } == "blocks[1].ops[0].width")  // not a multiple of the bank size
        #expect(path { $0.blocks[0].ops[0].writes = [3] } == "blocks[0].ops[0].writes")  // gap: bank 2 is empty
        #expect(path { $0.blocks[0].ops[1].writes = [0] } == "blocks[0].ops[1].writes")  // 2 chunks need 2 banks
        #expect(path { $0.blocks[0].ops[0].writes = [8] } == "blocks[0].ops[0].writes")  // beyond the 16-channel cap
        #expect(path { $0.blocks[1].bankSize = 3 } == "blocks[1].bankSize")
        #expect(path { $0.blocks[0].ops[0].convs = [Tiny.conv(3, groups: 1)] } == "blocks[0].ops[0].convs[0].dilation.y")
        #expect(path { $0.blocks[0].ops[0].convs = [ConvSpec(kernel: 5, dilation: 1, groups: 1)] } == "blocks[0].ops[0].convs[0].kernel.y")
        #expect(path { $0.blocks[0].ops[0].convs = [Tiny.conv(1, groups: 4)] } == "blocks[0].ops[0].convs[0].groups")
        #expect(path { $0.blocks[0].ops[0].convs = [] } == "blocks[0].ops[0].convs")
        #expect(path { $0.blocks.removeLast() } == "blocks")
        #expect(path { _ in } == nil)
    }

    @Test func badFilesGiveErrorsNotTraps() throws {
        let valid = Tiny.architecture.canonicalJSON
        let cases: [(String, String)] = [
            ("not json", "could not be read"),
            ("{}", "missing field"),
            (valid.replacingOccurrences(of: "\"unit\":2", with: "\"unit\":0"), "unit"),
            (valid.replacingOccurrences(of: "\"unit\":2", with: "\"unit\":\"two\""), "unit"),
            (valid.replacingOccurrences(of: "\"bottleneckRatio\":2", with: "\"bottleneckRatio\":9223372036854775807"), "bottleneckRatio"),
            (valid.replacingOccurrences(of: "\"maxWidth\":8", with: "\"maxWidth\":9223372036854775807"), "maxWidth"),
            (valid.replacingOccurrences(of: "\"groups\":1", with: "\"groups\":0"), "groups"),
            (valid.replacingOccurrences(of: "\"reads\":[0,1]", with: "\"reads\":[-1,1]"), "reads"),
            (valid.replacingOccurrences(of: "\"width\":1", with: "\"width\":-4"), "width"),
            (valid.replacingOccurrences(of: "\"bankSize\":1", with: "\"bankSize\":0"), "bankSize"),
            (valid.replacingOccurrences(of: "\"structure\":\"single\"", with: "\"structure\":\"triple\""), "structure"),
        ]
        for (json, fragment) in cases {
            #expect(throws: SMASHError.self) { try Architecture.decode(json: Data(json.utf8)) }
            do {
                _ = try Architecture.decode(json: Data(json.utf8))
            } catch {
                #expect(error.description.contains(fragment), "\(error.description)")
            }
        }
    }

    @Test func costMatchesTheResultingNetwork() throws {
        let input = NetworkInput(channels: 1, height: 8, width: 8, classes: 3)
        var generator = SeededGenerator(seed: 4)
        let network = try ResultingNetwork(architecture: Tiny.architecture, input: input, using: &generator)
        #expect(try Tiny.architecture.cost(for: input).parameters == network.parameterCount)
        let sampler = try ArchitectureSampler(space: .v2FashionMNIST)
        let fashion = NetworkInput(channels: 1, height: 28, width: 28, classes: 10)
        for _ in 0..<5 {
            let architecture = sampler.sample(using: &generator)
            let resulting = try ResultingNetwork(architecture: architecture, input: fashion, using: &generator)
            #expect(try architecture.cost(for: fashion).parameters == resulting.parameterCount)
        }
        // Stem 1·4·9 = 36 MACs per pixel over 64 pixels, then the first op's 1x1 (4 → 4) and 3x3 (4 → 2).
        #expect(try Tiny.architecture.cost(for: input).multiplyAdds > 36 * 64 + (16 + 72) * 64)
        var broken = Tiny.architecture
        broken.blocks.append(broken.blocks[0])
        #expect(throws: SMASHError.self) { try broken.cost(for: input) }
        #expect(throws: SMASHError.self) { try broken.renderText() }
        #expect(throws: SMASHError.self) { try broken.renderDOT() }
    }

    @Test func rendersLikeThePaperFigures() throws {
        let text = try Tiny.architecture.renderText()
        #expect(text.hasPrefix("stem"))
        #expect(text.contains("N: 2, d: [1, 2], groups: 1\n  read: [0, 1], write: [2]"))
        #expect(text.contains("N: 8, d: [2, 1], groups: 1"))
        #expect(text.contains("trans0 (8 -> 8 channels)"))
        #expect(text.contains("output (12 channels)"))
        var v2 = Tiny.architecture
        v2.skeleton.structure = .array
        for block in v2.blocks.indices {
            for op in v2.blocks[block].ops.indices { v2.blocks[block].ops[op].convs += [nil, nil, nil] }
        }
        v2.blocks[0].ops[0].convs = [Tiny.conv(1, groups: 1), nil, Tiny.conv(Pair(2, 1), groups: 2), nil]
        #expect(try v2.renderText().contains("N: 2, op: [1, 0, 1, 0], groups: [1, X, 2, X]\nks: [[3, 3], X, [3, 3], X]\nd: [[1, 1], X, [2, 1], X]"))
        let dot = try Tiny.architecture.renderDOT()
        #expect(dot.hasPrefix("digraph architecture {"))
        #expect(dot.contains("b0_m1 -> b0_op1;"))
        #expect(dot.contains("b0_op1 -> b0_m0 [label=\"+\"];"))
        #expect(dot.contains("b0_op1 -> b0_m3 [label=\"=\"];"))
        #expect(dot.contains("b1_m2 -> output;"))
        #expect(dot.contains("stem -> b0_m1;"))
    }
}
