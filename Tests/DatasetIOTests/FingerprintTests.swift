import Foundation
import Hashing
import Testing
@testable import DatasetIO

@Suite struct FingerprintTests {
    let folder = TemporaryFolder()

    @Test func digestsAreSHA256OfTheBytes() throws {
        let path = folder.write("a.bin", Array("abc".utf8))
        let memo = FingerprintMemo(path: folder.file("memo/fingerprints.json"))
        #expect(try memo.digests(of: [path]) == ["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"])
        #expect(FileManager.default.fileExists(atPath: memo.path))
        let expected = SHA256.hex(of: "a.bin ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n")
        #expect(try memo.fingerprint(of: [path]) == expected)
    }

    @Test func memoisedDigestsAreReusedWhileSizeAndTimeMatch() throws {
        let path = folder.write("b.bin", [1, 2, 3])
        let memo = FingerprintMemo(path: folder.file("memo.json"))
        let real = try memo.digests(of: [path])
        // Plant a fake digest for the same size and time: a memoised answer must come back unchanged.
        let text = try String(contentsOfFile: memo.path, encoding: .utf8).replacingOccurrences(of: real[0], with: "feed")
        try text.write(toFile: memo.path, atomically: true, encoding: .utf8)
        #expect(try memo.digests(of: [path]) == ["feed"])
        // A changed file (other size) is hashed again.
        folder.write("b.bin", [1, 2, 3, 4])
        #expect(try memo.digests(of: [path]) == [SHA256.hex(of: [1, 2, 3, 4])])
    }

    @Test func corruptMemoIsIgnoredAndRewritten() throws {
        let path = folder.write("c.bin", [9])
        let memo = FingerprintMemo(path: folder.write("memo.json", text: "{ not json"))
        #expect(try memo.digests(of: [path]) == [SHA256.hex(of: [9])])
        let data = try Data(contentsOf: URL(fileURLWithPath: memo.path))
        #expect(try JSONSerialization.jsonObject(with: data) is [String: Any])
    }

    @Test func fingerprintDependsOnContentNotFolder() throws {
        let memo = FingerprintMemo(path: folder.file("memo.json"))
        let one = folder.write("x/data.bin", [1, 2])
        let two = folder.write("y/data.bin", [1, 2])
        let three = folder.write("z/data.bin", [1, 3])
        #expect(try memo.fingerprint(of: [one]) == memo.fingerprint(of: [two]))
        #expect(try memo.fingerprint(of: [one]) != memo.fingerprint(of: [three]))
        #expect(throws: DatasetError.missingFile(path: folder.file("none"), providedBy: nil)) {
            try memo.fingerprint(of: [folder.file("none")])
        }
    }

    @Test func defaultMemoLocation() {
        #expect(FingerprintMemo.defaultPath(environment: [:]) == ".smash/dataset-fingerprints.json")
        #expect(FingerprintMemo.defaultPath(environment: ["SMASH_CACHE": "/tmp/s/cache"]) == "/tmp/s/dataset-fingerprints.json")
    }
}
