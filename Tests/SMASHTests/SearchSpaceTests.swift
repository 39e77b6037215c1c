import Foundation
import Testing
@testable import SMASH

/// Presets, flat JSON and field-by-field overrides of search spaces.
@Suite struct SearchSpaceTests {
    @Test(arguments: SearchSpace.presetNames)
    func presetsAreValidAndRoundTrip(name: String) throws {
        let space = try SearchSpace.preset(named: name)
        try space.validate()
        let json = try JSONEncoder().encode(space)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["unit"] != nil && object["blockBudgetChannels"] != nil && object["skeleton"] == nil)
        #expect(try JSONDecoder().decode(SearchSpace.self, from: json) == space)
    }

    @Test func paperValues() throws {
        let v1 = SearchSpace.v1CIFAR.skeleton, v2 = SearchSpace.v2CIFAR.skeleton
        #expect(v1.unit == 6 && v1.maxWidth == 42 && v1.depthCompression == 3 && v1.bottleneck == .fixed && v1.bottleneckRatio == 4)
        #expect(v1.blockMaxChannels.allSatisfy { $0 / v1.unit == 240 } && v1.kernelSizes == [3] && v1.groupChoices == [1])
        #expect(v2.unit == 8 && v2.maxWidth == 64 && v2.kernelSizes == [3, 5, 7] && v2.groupChoices == [1, 2, 4, 8])
        #expect(v2.dilations(kernel: 3) == [1, 2, 3, 4] && v2.dilations(kernel: 5) == [1, 2] && v2.dilations(kernel: 7) == [1])
        #expect(v2.bottleneckWidth(inputs: 24, outputs: 16) == 24 && v2.bottleneckWidth(inputs: 100, outputs: 16) == 32)
    }

    @Test func overridesReplaceFieldsOneByOne() throws {
        let space = try SearchSpace.v1FashionMNIST.overriding(json: Data(#"{"maxDilation": 2, "blockBudgetChannels": [32, 64, 96]}"#.utf8))
        #expect(space.skeleton.maxDilation == 2 && space.blockBudgetChannels == [32, 64, 96])
        #expect(space.skeleton.unit == SearchSpace.v1FashionMNIST.skeleton.unit && space.name == "v1-fmnist")
    }

    @Test func badOverridesNameTheField() {
        func failure(_ json: String) -> (field: String, message: String)? {
            do {
                _ = try SearchSpace.v2FashionMNIST.overriding(json: Data(json.utf8))
                return nil
            } catch .invalidSpace(let field, _, _) {
                return (field, "")
            } catch {
                return ("?", error.description)
            }
        }
        #expect(failure(#"{"maxDilatoin": 2}"#)?.field == "maxDilatoin")
        #expect(failure(#"{"unit": "four"}"#)?.field == "unit")
        #expect(failure(#"{"unit": 3}"#)?.field == "maxWidth")  // 16 is not a multiple of 3
        #expect(failure(#"{"groupChoices": [1, 3]}"#)?.field == "groupChoices")
        #expect(failure(#"{"kernelSizes": [4]}"#)?.field == "kernelSizes")
        #expect(failure(#"{"blockMaxChannels": [8, 96, 128]}"#)?.field == "blockMaxChannels")
        #expect(failure(#"{"minBudgetFraction": 0}"#)?.field == "minBudgetFraction")
        #expect(failure(#"{"maxBudgetFraction": 0.1}"#)?.field == "maxBudgetFraction")
        #expect(failure(#"{"opConfigurations": [{"active": [false, true, false, false], "weight": 1}]}"#)?.field == "opConfigurations")
        #expect(failure(#"{"blockBudgetChannels": [32]}"#)?.field == "blockBudgetChannels")
        #expect(failure("[1]")?.field == "(overrides)")
        do {
            _ = try SearchSpace.v2FashionMNIST.overriding(json: Data(#"{"maxDilatoin": 2}"#.utf8))
        } catch {
            #expect(error.description.contains("did you mean 'maxDilation'"))
        }
        #expect(throws: SMASHError.self) { try SearchSpace.preset(named: "v3-fmnist") }
    }
}
