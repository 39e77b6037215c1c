import Foundation
import Testing
@testable import Artifacts

@Suite struct ArtifactStoreTests {
    /// Float values whose bytes are easy to find in the file.
    private let marker = (0..<4096).map { Float($0) * 0.001 + 1234.5 }

    private func writeArtifact(_ store: ArtifactStore, key: String = "k0123abcd") throws -> Artifact {
        let writer = try store.writer(testMetadata(key: key))
        try writer.root.write("scores", marker)
        try writer.root.write("tables/ids", ["arch-1", "arch-2"])
        return try writer.commit(seconds: 1.5)
    }

    @Test func commitWritesRootAttributesAndLeavesNoTemporaryFile() throws {
        try withTemporaryFolder { folder in
            let store = ArtifactStore(root: folder)
            let before = Date().addingTimeInterval(-1)
            let artifact = try writeArtifact(store)
            let meta = artifact.metadata
            #expect(meta.kind == "score" && meta.key == "k0123abcd" && meta.version == 2)
            #expect(meta.parameters == #"{"epochs":3,"space":"v1-fmnist"}"#)
            #expect(meta.inputs == ["aaaa1111", "bbbb2222"])
            #expect(meta.seconds == 1.5 && meta.isComplete)
            #expect(meta.created > before && meta.created < Date().addingTimeInterval(1))
            let attributes = artifact.root.attributes
            #expect(try attributes.string("smash.inputs") == #"["aaaa1111","bbbb2222"]"#)
            #expect(try attributes.int("smash.complete") == 1)
            #expect(try attributes.string("smash.created").hasSuffix("Z"))
            #expect(artifact.url == folder.appendingPathComponent("score/k0123abcd.h5"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("score").path).sorted()
                    == ["k0123abcd.h5", "k0123abcd.lock"])
            try artifact.close()

            let served = try #require(try store.lookup(kind: "score", key: "k0123abcd"))
            #expect(try served.root.read("scores", as: Float.self).values == marker)
            #expect(try store.lookup(kind: "score", key: "other") == nil)
            #expect(try store.entry(kind: "score", key: "k0123abcd")?.state == .complete)
        }
    }

    @Test func flippedDataBytesMakeTheArtifactCorrupt() throws {
        try withTemporaryFolder { folder in
            let store = ArtifactStore(root: folder)
            let url = try writeArtifact(store).url
            var bytes = try Data(contentsOf: url)
            let pattern = marker.prefix(8).withUnsafeBytes { Data($0) }
            let start = try #require(bytes.range(of: pattern)).lowerBound
            bytes[start + 1000] ^= 0xff
            try bytes.write(to: url)

            #expect(try store.lookup(kind: "score", key: "k0123abcd") == nil)
            let entry = try #require(try store.entry(kind: "score", key: "k0123abcd"))
            #expect(entry.state == .corrupt)
            #expect(entry.detail?.contains("/scores") == true)
            #expect(entry.detail?.lowercased().contains("checksum") == true)
            #expect(try store.entry(kind: "score", key: "k0123abcd", verifyData: false)?.state == .complete)
        }
    }

    @Test func aFileWithoutCompletionMarkIsNotServed() throws {
        try withTemporaryFolder { folder in
            let store = ArtifactStore(root: folder)
            let url = try store.url(kind: "score", key: "half")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let file = try HDF5File.create(at: url)
            try testMetadata(key: "half").writeIdentity(to: file.root)
            try file.root.write("scores", [Float(1)])
            try file.close()

            #expect(try store.lookup(kind: "score", key: "half") == nil)
            let entry = try #require(try store.entry(kind: "score", key: "half"))
            #expect(entry.state == .incomplete)
            #expect(entry.detail?.contains("smash.complete") == true)
        }
    }

    @Test func anArtifactRenamedToAnotherKeyIsCorrupt() throws {
        try withTemporaryFolder { folder in
            let store = ArtifactStore(root: folder)
            let url = try writeArtifact(store).url
            try FileManager.default.moveItem(at: url, to: try store.url(kind: "score", key: "stolen"))
            #expect(try store.lookup(kind: "score", key: "stolen") == nil)
            #expect(try store.entry(kind: "score", key: "stolen")?.detail == "holds score/k0123abcd, not score/stolen")
        }
    }

    @Test func theLockStopsASecondWriter() throws {
        try withTemporaryFolder { folder in
            let store = ArtifactStore(root: folder)
            let first = try store.writer(testMetadata())
            let lockFile = folder.appendingPathComponent("score/k0123abcd.lock").path
            #expect(throws: ArtifactError.locked(kind: "score", key: "k0123abcd", lockFile: lockFile)) {
                try store.writer(testMetadata())
            }
            #expect(throws: ArtifactError.lockTimeout(kind: "score", key: "k0123abcd", lockFile: lockFile, seconds: 0.2)) {
                try store.writer(testMetadata(), lock: .wait(seconds: 0.2))
            }
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/flock") {
                let other = try runProgram("/usr/bin/flock", ["--nonblock", lockFile, "true"])
                #expect(other.status != 0, "another process took a held lock")
            }
            #expect(try store.lookup(kind: "score", key: "k0123abcd") == nil, "readers do not wait for the lock")
            first.abandon()
            let second = try store.writer(testMetadata(), lock: .wait(seconds: 1))
            try second.commit()
            #expect(throws: ArtifactError.writerFinished(kind: "score", key: "k0123abcd")) { try second.commit() }
        }
    }

    @Test func abandonedWritersRemoveTheirTemporaryFile() throws {
        try withTemporaryFolder { folder in
            let store = ArtifactStore(root: folder)
            do {
                let writer = try store.writer(testMetadata())
                try writer.root.write("x", [Float(1)])
                #expect(try store.status().map(\.state) == [.temporary])
            }
            #expect(try store.status().isEmpty)
            #expect(try store.writer(testMetadata()).metadata.key == "k0123abcd", "the lock was released")
        }
    }

    @Test func statusAndGarbageCollectionWithDryRun() throws {
        try withTemporaryFolder { folder in
            let store = ArtifactStore(root: folder)
            _ = try writeArtifact(store, key: "keep")
            _ = try writeArtifact(store, key: "drop")
            let namespace = "ns01"
            for item in ["a1", "a2"] { _ = try writeArtifact(store, key: try ArtifactStore.itemKey(namespace: namespace, item: item)) }
            let abandoned = folder.appendingPathComponent("score/.gone.999999.tmp.h5")
            try Data("partial".utf8).write(to: abandoned)
            let running = try store.writer(testMetadata(key: "busy"))

            let status = try store.status()
            #expect(status.map(\.key) == ["busy", "drop", "gone", "keep", "ns01.a1", "ns01.a2"])
            #expect(status.map(\.state) == [.temporary, .complete, .temporary, .complete, .complete, .complete])
            #expect(status[4].namespace == "ns01" && status[4].item == "a1" && status[2].namespace == nil)

            let dry = try store.gc(keeping: ["keep", namespace], dryRun: true)
            #expect(dry.dryRun)
            #expect(dry.removed.map(\.key) == ["drop", "gone"])
            #expect(dry.kept.map(\.key) == ["keep", "ns01.a1", "ns01.a2"])
            #expect(dry.inUse.map(\.key) == ["busy"])
            #expect(dry.freedBytes == dry.removed.reduce(0) { $0 + $1.bytes } && dry.freedBytes > 0)
            #expect(try store.status() == status, "a dry run changes nothing")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("score/gone.lock").path))

            let real = try store.gc(keeping: ["keep", namespace], dryRun: false)
            #expect(real.removed.map(\.key) == dry.removed.map(\.key))
            #expect(try store.status().map(\.key) == ["busy", "keep", "ns01.a1", "ns01.a2"])
            #expect(!real.removedLockFiles.contains { $0.lastPathComponent == "busy.lock" })
            #expect(real.removedLockFiles.contains { $0.lastPathComponent == "drop.lock" })
            try running.commit()
            #expect(try store.gc(keeping: [], dryRun: false).removed.count == 4)
            #expect(try store.status().isEmpty)
        }
    }

    @Test func namesAreValidated() throws {
        let store = ArtifactStore(root: URL(fileURLWithPath: "/nonexistent"))
        #expect(throws: ArtifactError.self) { try store.url(kind: "Score", key: "k") }
        #expect(throws: ArtifactError.self) { try store.url(kind: "score", key: "../k") }
        #expect(throws: ArtifactError.self) { try store.url(kind: "score", key: "a.b.c") }
        #expect(throws: ArtifactError.self) { try ArtifactStore.itemKey(namespace: "n.s", item: "a") }
        #expect(try ArtifactStore.itemKey(namespace: "ns", item: "arch-7") == "ns.arch-7")
        #expect(try store.status().isEmpty)
        #expect(throws: ArtifactError.invalidArgument(name: "parameters", value: "[1, 2]", reason: "expected a JSON object")) {
            try store.writer(ArtifactMetadata(kind: "score", key: "k", parameters: "[1, 2]"))
        }
    }

    @Test func standardStoreHonoursSmashCache() {
        let cwd = URL(fileURLWithPath: "/tmp/project", isDirectory: true)
        #expect(ArtifactStore.standard(environment: [:], workingDirectory: cwd).root.path == "/tmp/project/.smash/cache")
        #expect(ArtifactStore.standard(environment: ["SMASH_CACHE": "/data/cache"], workingDirectory: cwd).root.path
                == "/data/cache")
        #expect(ArtifactStore.standard(environment: ["SMASH_CACHE": "shared"], workingDirectory: cwd).root.path
                == "/tmp/project/shared")
    }
}
