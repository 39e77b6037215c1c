import Artifacts
import Foundation

/// A readable listing of an HDF5 artifact: its `smash.*` identity, every group and dataset with
/// attributes, element type, shape, storage and first values. Opens the file read-only and
/// takes no lock.
public enum ArtifactDump {
    /// The listing of the file at `path`, showing up to `values` first values per dataset.
    public static func describe(_ path: String, values: Int = 6) throws(PipelineError) -> String {
        do {
            let file = try HDF5File.open(at: URL(fileURLWithPath: path))
            defer { try? file.close() }
            var lines = [path]
            let complete = try file.root.attributes.value(ArtifactMetadata.Attribute.complete) == .int(1)
            lines.append(complete ? "complete (completion mark present)" : "INCOMPLETE: no completion mark; the cache never serves it")
            try describeGroup(file.root, depth: 0, values: values, into: &lines)
            return lines.joined(separator: "\n") + "\n"
        } catch {
            throw .cache(error)
        }
    }

    private static func describeGroup(_ group: HDF5Group, depth: Int, values: Int, into lines: inout [String]) throws(ArtifactError) {
        let indent = String(repeating: "  ", count: depth)
        lines.append("\(indent)\(group.path)")
        try describeAttributes(group.attributes, indent: indent + "  ", into: &lines)
        guard depth < 32 else { return }
        for member in try group.members() {
            switch member.kind {
            case .group:
                try describeGroup(try group.group(member.name), depth: depth + 1, values: values, into: &lines)
            case .dataset:
                let info = try group.datasetInfo(member.name)
                let type = info.elementType?.description ?? "unsupported type"
                let storage = info.chunkShape.map { "chunked \($0)\(info.hasChecksum ? ", fletcher32" : "")" } ?? "contiguous"
                lines.append("\(indent)  \(info.path)  \(type) \(info.shape)  \(storage)")
                lines.append("\(indent)    values: \(try firstValues(group, member.name, info, limit: values))")
                try describeAttributes(try group.attributes(of: member.name), indent: indent + "    ", into: &lines)
            case .other:
                lines.append("\(indent)  \(member.name)  (not a group or dataset)")
            }
        }
    }

    private static func describeAttributes(_ attributes: HDF5Attributes, indent: String, into lines: inout [String]) throws(ArtifactError) {
        for name in try attributes.names() {
            let value = try attributes.value(name).map(\.description) ?? ""
            let shown = value.count > 160 ? String(value.prefix(157)) + "..." : value
            lines.append("\(indent)@\(name) = \(shown.replacingOccurrences(of: "\n", with: "\\n"))")
        }
    }

    private static func firstValues(_ group: HDF5Group, _ name: String, _ info: HDF5DatasetInfo,
                                    limit: Int) throws(ArtifactError) -> String {
        let shown: [String]
        switch info.elementType {
        case .float32?: shown = try group.read(name, as: Float.self).values.prefix(limit).map { String($0) }
        case .float64?: shown = try group.read(name, as: Double.self).values.prefix(limit).map { String($0) }
        case .int64?: shown = try group.read(name, as: Int64.self).values.prefix(limit).map { String($0) }
        case .int32?: shown = try group.read(name, as: Int32.self).values.prefix(limit).map { String($0) }
        case .uint8?: shown = try group.read(name, as: UInt8.self).values.prefix(limit).map { String($0) }
        case .string?:
            shown = try group.read(name, as: String.self).values.prefix(limit).map { text in
                let flat = text.replacingOccurrences(of: "\n", with: "\\n")
                return "\"" + (flat.count > 60 ? String(flat.prefix(57)) + "..." : flat) + "\""
            }
        case nil: return "(not readable)"
        }
        return shown.joined(separator: ", ") + (info.count > limit ? ", ... (\(info.count) values)" : "")
    }
}
