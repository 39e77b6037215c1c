import Foundation
import Testing
@testable import Artifacts

@Suite struct HDF5RoundTripTests {
    /// Writes `values` with each shape (ranks 0 to 4), reopens the file and compares.
    private func roundTrip<T: HDF5Numeric & Equatable>(_ make: (Int) -> T) throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("numbers.h5")
            let shapes: [[Int]] = [[], [5], [2, 3], [2, 3, 4], [1, 2, 3, 2], [0], [3, 0]]
            let file = try HDF5File.create(at: url)
            for (index, shape) in shapes.enumerated() {
                try file.root.write("rank\(shape.count)/case\(index)", (0..<shape.reduce(1, *)).map(make), shape: shape)
            }
            try file.close()
            let reopened = try HDF5File.open(at: url)
            for (index, shape) in shapes.enumerated() {
                let array = try reopened.root.read("rank\(shape.count)/case\(index)", as: T.self)
                #expect(array.shape == shape)
                #expect(array.values == (0..<shape.reduce(1, *)).map(make))
                let info = try reopened.root.datasetInfo("rank\(shape.count)/case\(index)")
                #expect(info.elementType == T.hdf5ElementType)
                #expect(info.count == shape.reduce(1, *))
            }
        }
    }

    @Test func float32OfEveryRank() throws { try roundTrip { Float($0) * 0.25 - 1.5 } }
    @Test func float64OfEveryRank() throws { try roundTrip { Double($0) / 3 } }
    @Test func int64OfEveryRank() throws { try roundTrip { Int64($0) * 1_000_000_007 - 5 } }
    @Test func int32OfEveryRank() throws { try roundTrip { Int32($0) - 7 } }
    @Test func uint8OfEveryRank() throws { try roundTrip { UInt8($0 % 256) } }

    @Test func stringsOfSeveralRanks() throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("strings.h5")
            let words = ["alpha", "", "ünïcødé ✓", "a,b \"quoted\"", "x", "y"]
            let file = try HDF5File.create(at: url)
            try file.root.write("flat", words)
            try file.root.write("grid", words, shape: [2, 3])
            try file.root.write("one", ["just one"], shape: [])
            try file.close()
            let reopened = try HDF5File.open(at: url)
            #expect(try reopened.root.read("flat", as: String.self) == HDF5Array(shape: [6], values: words))
            #expect(try reopened.root.read("grid", as: String.self) == HDF5Array(shape: [2, 3], values: words))
            #expect(try reopened.root.read("one", as: String.self) == HDF5Array(shape: [], values: ["just one"]))
            #expect(try reopened.root.datasetInfo("grid").elementType == .string)
        }
    }

    @Test func floatDatasetsAreChunkedWithFletcher32ByDefault() throws {
        try withTemporaryFolder { folder in
            let file = try HDF5File.create(at: folder.appendingPathComponent("chunks.h5"))
            let big = (0..<(600 * 1000)).map { Float($0 % 97) }
            try file.root.write("big", big, shape: [600, 1000])
            try file.root.write("ints", [Int64](1...10))
            try file.root.write("checkedInts", [Int32](1...10), options: HDF5DatasetOptions(checksum: true))
            try file.root.write("custom", [Double](repeating: 1, count: 12), shape: [3, 4],
                                options: HDF5DatasetOptions(checksum: false, chunkShape: [1, 4]))
            try file.root.write("scalar", [Float(2.5)], shape: [])

            let bigInfo = try file.root.datasetInfo("big")
            #expect(bigInfo.hasChecksum)
            let chunk = try #require(bigInfo.chunkShape)
            #expect(chunk.reduce(4, *) <= 1 << 20)
            #expect(try file.root.read("big", as: Float.self).values == big)

            #expect(try file.root.datasetInfo("ints") == HDF5DatasetInfo(path: "/ints", shape: [10], elementType: .int64,
                                                                          chunkShape: nil, hasChecksum: false))
            #expect(try file.root.datasetInfo("checkedInts").hasChecksum)
            let custom = try file.root.datasetInfo("custom")
            #expect(custom.chunkShape == [1, 4] && !custom.hasChecksum)
            let scalar = try file.root.datasetInfo("scalar")
            #expect(scalar.chunkShape == nil && !scalar.hasChecksum)
        }
    }

    @Test func attributesOfEveryKindOnGroupsAndDatasets() throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("attributes.h5")
            let values: [String: HDF5AttributeValue] = [
                "text": .string("héllo"), "empty": .string(""), "count": .int(-42), "rate": .double(0.125),
                "tags": .strings(["a", "b c"]), "sizes": .ints([1, 2, 3]), "losses": .doubles([0.5, 0.25]),
            ]
            let file = try HDF5File.create(at: url)
            let group = try file.root.createGroup("model/layers")
            try group.write("weight", [Float](repeating: 0.5, count: 6), shape: [2, 3])
            for (name, value) in values {
                try group.attributes.set(name, value)
                try group.attributes(of: "weight").set(name, value)
            }
            try group.attributes.set("count", .int(7))  // replaces
            try file.close()

            let reopened = try HDF5File.open(at: url)
            let layers = try reopened.root.group("model/layers")
            #expect(try layers.attributes.names() == values.keys.sorted())
            #expect(try layers.attributes.int("count") == 7)
            #expect(try layers.attributes.string("text") == "héllo")
            #expect(try layers.attributes.double("rate") == 0.125)
            for (name, value) in values {
                #expect(try layers.attributes(of: "weight").value(name) == value)
            }
            #expect(try layers.attributes.value("absent") == nil)
            #expect(throws: ArtifactError.typeMismatch(file: url.path, object: "/model/layers@text",
                                                       expected: "an integer", found: "a string")) {
                try layers.attributes.int("text")
            }
        }
    }

    @Test func nestedGroupsAndMemberListing() throws {
        try withTemporaryFolder { folder in
            let file = try HDF5File.create(at: folder.appendingPathComponent("groups.h5"))
            try file.root.write("a/b/c/values", [Int32(1), 2])
            let b = try file.root.createGroup("a/b")
            _ = try b.createGroup("empty")
            try b.write("names", ["x"])
            #expect(try file.root.members() == [HDF5Member(name: "a", kind: .group)])
            #expect(try b.members() == [HDF5Member(name: "c", kind: .group), HDF5Member(name: "empty", kind: .group),
                                        HDF5Member(name: "names", kind: .dataset)])
            #expect(try b.group("c").read("values", as: Int32.self).values == [1, 2])
            #expect(try b.read("/a/b/c/values", as: Int32.self).values == [1, 2])
            #expect(try file.root.contains("a/b/empty"))
            #expect(try !file.root.contains("a/x/y"))
            #expect(try b.group("empty").members().isEmpty)
        }
    }

    @Test func errorsNameTheFileTheObjectAndTheCall() throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("errors.h5")
            let path = url.path
            let file = try HDF5File.create(at: url)
            try file.root.write("x", [Float(1), 2])
            #expect(throws: ArtifactError.alreadyExists(file: path, object: "/x")) { try file.root.write("x", [Float(3)]) }
            #expect(throws: ArtifactError.shapeMismatch(file: path, object: "/y", shape: [2, 2], count: 3)) {
                try file.root.write("y", [Float(1), 2, 3], shape: [2, 2])
            }
            #expect(throws: ArtifactError.typeMismatch(file: path, object: "/x", expected: "float64", found: "float32")) {
                try file.root.read("x", as: Double.self)
            }
            #expect(throws: ArtifactError.notFound(file: path, object: "/missing")) { try file.root.read("missing", as: Float.self) }
            #expect(throws: ArtifactError.typeMismatch(file: path, object: "/x", expected: "a group", found: "a dataset")) {
                try file.root.group("x")
            }
            #expect(throws: ArtifactError.self) { try file.root.write("../up", [Float(1)]) }
            try file.close()
            #expect(throws: ArtifactError.fileClosed(file: path)) { try file.root.members() }

            let readOnly = try HDF5File.open(at: url)
            do throws(ArtifactError) {
                try readOnly.root.write("z", [Float(1)])
                Issue.record("writing to a read-only file succeeded")
            } catch {
                guard case .hdf5(let call, let file, let object, let reason) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(call == "H5Dcreate2" && file == path && object == "/z" && !reason.isEmpty)
                #expect(error.description.contains("H5Dcreate2") && error.description.contains(path))
            }
            #expect(throws: ArtifactError.self) { try HDF5File.open(at: folder.appendingPathComponent("none.h5")) }
        }
    }
}
