import Foundation
import Testing
@testable import Pipeline

@Suite struct JSONValueTests {
    @Test func canonicalTextSortsKeysAndHasNoWhitespace() {
        let value = JSONValue.object(["b": .int(2), "a": .array([.bool(true), .null, .string("x")]), "B": .double(0.5)])
        #expect(value.canonical == #"{"B":0.5,"a":[true,null,"x"],"b":2}"#)
    }

    @Test func realsKeepAFractionOrExponentAndIntegersDoNot() {
        #expect(JSONValue.double(1).canonical == "1.0")
        #expect(JSONValue.int(1).canonical == "1")
        #expect(JSONValue.double(1e-5).canonical == "1e-05")
        #expect(JSONValue.double(0.1).canonical == "0.1")
        #expect(JSONValue.double(-2.5e20).canonical == "-2.5e+20")
    }

    @Test func stringsUseMinimalEscapes() {
        #expect(JSONValue.string("a\"b\\c\nd\u{1}é").canonical == #""a\"b\\c\nd\u0001é""#)
    }

    @Test func canonicalTextIsValidJSONThatReadsBack() throws {
        let value = JSONValue.object(["k": .array([.double(0.25), .int(-3), .string("t\u{7}"), .object([:])])])
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(value.canonical.utf8))
        #expect(decoded == value)
    }

    @Test func sameValueTreatsEqualIntegersAndRealsAsEqual() {
        #expect(JSONValue.int(3).sameValue(as: .double(3)))
        #expect(!JSONValue.int(3).sameValue(as: .double(3.5)))
        #expect(JSONValue.object(["a": .array([.int(1)])]).sameValue(as: .object(["a": .array([.double(1)])])))
        #expect(!JSONValue.object(["a": .int(1)]).sameValue(as: .object(["b": .int(1)])))
        #expect(!JSONValue.string("1").sameValue(as: .int(1)))
    }
}
