import Foundation

/// Facts about this machine and code for `run.json`.
enum MachineInfo {
    /// Cores, operating system, compiler and host name.
    static func current() -> MachineRecord {
        let info = ProcessInfo.processInfo
        return MachineRecord(cores: info.activeProcessorCount, operatingSystem: info.operatingSystemVersionString,
                             swift: compilerVersion, host: info.hostName)
    }

    /// The compiler version this code was built with, to the minor version.
    static var compilerVersion: String {
        #if compiler(>=7.0)
        return "7.0 or newer"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// `git describe --always --dirty` in `folder`, or nil when git or the repository is missing.
    static func codeVersion(in folder: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path, "describe", "--always", "--dirty"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
