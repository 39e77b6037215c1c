import Foundation
import Testing
@testable import Artifacts

/// A fresh folder under the system's temporary directory, removed by the caller.
func makeTemporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("smash-artifacts-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body` with a fresh folder and removes the folder afterwards.
func withTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// Output and exit status of a finished program.
struct ProgramResult {
    let status: Int32
    let output: String
}

/// Runs `executable` with `arguments`, collecting stdout and stderr together.
func runProgram(_ executable: String, _ arguments: [String]) throws -> ProgramResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProgramResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
}

/// Metadata for test artifacts.
func testMetadata(kind: String = "score", key: String = "k0123abcd") -> ArtifactMetadata {
    ArtifactMetadata(kind: kind, key: key, parameters: #"{"epochs":3,"space":"v1-fmnist"}"#,
                     inputs: ["aaaa1111", "bbbb2222"], version: 2)
}
