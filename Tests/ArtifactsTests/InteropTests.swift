import Foundation
import Testing
@testable import Artifacts

/// Debian's h5py is visible only to the system interpreter, not to a pyenv `python3` shim.
private let systemPython = "/usr/bin/python3"
private let h5dump = "/usr/bin/h5dump"

/// Whether `/usr/bin/python3` can import h5py; prints a visible notice when it cannot.
private let h5pyAvailable: Bool = {
    let available = FileManager.default.isExecutableFile(atPath: systemPython)
        && (try? runProgram(systemPython, ["-c", "import h5py"]).status) == 0
    if !available {
        print("SKIPPED h5py interoperability test: \(systemPython) cannot import h5py (install python3-h5py; `make test` does)")
    }
    return available
}()

private let h5dumpAvailable: Bool = {
    let available = FileManager.default.isExecutableFile(atPath: h5dump)
    if !available { print("SKIPPED h5dump test: \(h5dump) not found (install hdf5-tools)") }
    return available
}()

/// Reads an artifact and prints what the Swift test checks, as JSON.
private let readerScript = """
import json, sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    a = f.attrs
    w = f["model/weights"]
    print(json.dumps({
        "kind": a["smash.kind"], "key": a["smash.key"], "params": json.loads(a["smash.params"]),
        "inputs": json.loads(a["smash.inputs"]), "version": int(a["smash.version"]),
        "created": a["smash.created"], "seconds": float(a["smash.seconds"]), "complete": int(a["smash.complete"]),
        "shape": list(w.shape), "dtype": str(w.dtype), "fletcher32": bool(w.fletcher32),
        "weights": [float(v) for v in w[()].ravel()], "ids": [int(v) for v in f["ids"][()]],
        "names": list(f["names"].asstr()[()]), "unit": w.attrs["unit"], "scale": float(w.attrs["scale"]),
        "sizes": [int(v) for v in w.attrs["sizes"]],
    }))
"""

@Suite struct InteropTests {
    private func writeSample(_ store: ArtifactStore) throws -> Artifact {
        let writer = try store.writer(testMetadata())
        try writer.root.write("model/weights", (0..<12).map { Float($0) / 4 }, shape: [3, 4])
        try writer.root.attributes(of: "model/weights").set("unit", .string("µm"))
        try writer.root.attributes(of: "model/weights").set("scale", .double(0.5))
        try writer.root.attributes(of: "model/weights").set("sizes", .ints([3, 4]))
        try writer.root.write("ids", [Int64(7), 8, 9])
        try writer.root.write("names", ["conv", "pool", "ünï"])
        return try writer.commit(seconds: 2.25)
    }

    @Test(.enabled(if: h5pyAvailable, "python3-h5py is not installed for /usr/bin/python3"))
    func h5pyReadsAttributesAndValues() throws {
        try withTemporaryFolder { folder in
            let artifact = try writeSample(ArtifactStore(root: folder))
            try artifact.close()
            let result = try runProgram(systemPython, ["-c", readerScript, artifact.url.path])
            try #require(result.status == 0, "h5py failed: \(result.output)")
            let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
            let json = try #require(object as? [String: Any])
            #expect(json["kind"] as? String == "score")
            #expect(json["key"] as? String == "k0123abcd")
            #expect((json["params"] as? [String: Any])?["epochs"] as? Int == 3)
            #expect(json["inputs"] as? [String] == ["aaaa1111", "bbbb2222"])
            #expect(json["version"] as? Int == 2)
            #expect(json["seconds"] as? Double == 2.25)
            #expect(json["complete"] as? Int == 1)
            #expect((json["created"] as? String)?.hasSuffix("Z") == true)
            #expect(json["shape"] as? [Int] == [3, 4])
            #expect(json["dtype"] as? String == "float32")
            #expect(json["fletcher32"] as? Bool == true)
            #expect(json["weights"] as? [Double] == (0..<12).map { Double($0) / 4 })
            #expect(json["ids"] as? [Int] == [7, 8, 9])
            #expect(json["names"] as? [String] == ["conv", "pool", "ünï"])
            #expect(json["unit"] as? String == "µm")
            #expect(json["scale"] as? Double == 0.5)
            #expect(json["sizes"] as? [Int] == [3, 4])
        }
    }

    @Test(.enabled(if: h5dumpAvailable, "h5dump (hdf5-tools) is not installed"))
    func h5dumpReadsTheHeader() throws {
        try withTemporaryFolder { folder in
            let artifact = try writeSample(ArtifactStore(root: folder))
            try artifact.close()
            let result = try runProgram(h5dump, ["-H", artifact.url.path])
            #expect(result.status == 0, "h5dump failed: \(result.output)")
            for expected in ["smash.kind", "smash.complete", "H5T_IEEE_F32LE", "DATASET \"weights\"", "( 3, 4 )"] {
                #expect(result.output.contains(expected), "h5dump -H lacks \(expected)")
            }
        }
    }
}
