import Hashing
import Testing

@Suite struct SHA256Tests {
    @Test func knownDigests() {
        #expect(SHA256.hex(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func incrementalEqualsOneShot() {
        var hasher = SHA256()
        hasher.update("ab")
        hasher.update("c")
        #expect(hasher.finalizeHex() == SHA256.hex(of: "abc"))
    }
}
