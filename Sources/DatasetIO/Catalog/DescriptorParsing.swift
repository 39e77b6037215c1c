import Foundation
import Yams

extension DatasetDescriptor {
    /// Keys each mapping of a descriptor may hold; any other key is reported as a likely typo.
    private static let knownKeys: [String: [String]] = [
        "": CodingKeys.allCases.map(\.stringValue),
        "provider": ["package", "download", "note"],
        "location": ["folder", "subfolder"],
        "shape": ["channels", "height", "width"],
        "examples": ["train", "test"],
        "splits": ["validation", "test"],
    ]

    /// Parses and validates the YAML text of a descriptor read from `path` (used in messages).
    /// - Throws: `.invalidDescriptor` naming the field and, when known, its line.
    public static func parse(yaml: String, path: String) throws(DatasetError) -> DatasetDescriptor {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw DatasetError.invalidDescriptor(path: path, field: "(document)", line: nil, reason: "is empty")
            }
            root = node
        } catch let error as DatasetError {
            throw error
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _),
                let YamlError.composer(_, problem, mark, _) {
            throw .invalidDescriptor(path: path, field: "(syntax)", line: mark.line, reason: "is not valid YAML: \(problem)")
        } catch {
            throw .invalidDescriptor(path: path, field: "(syntax)", line: nil, reason: "is not valid YAML: \(error)")
        }
        try checkKeys(root, path: path, field: "")
        let descriptor: DatasetDescriptor
        do {
            descriptor = try YAMLDecoder().decode(DatasetDescriptor.self, from: root)
        } catch let error as DecodingError {
            throw describe(error, root: root, path: path)
        } catch {
            throw .invalidDescriptor(path: path, field: "(document)", line: nil, reason: "could not be decoded: \(error)")
        }
        try descriptor.validate(path: path, root: root)
        return descriptor
    }

    /// Rejects keys outside `knownKeys`, recursing into the sections it lists.
    private static func checkKeys(_ node: Node, path: String, field: String) throws(DatasetError) {
        guard case .mapping(let mapping) = node, let allowed = knownKeys[field] else { return }
        for (key, value) in mapping {
            let name = key.string ?? "\(key)"
            let child = field.isEmpty ? name : "\(field).\(name)"
            guard allowed.contains(name) else {
                throw .invalidDescriptor(path: path, field: child, line: key.mark?.line,
                                         reason: "is not a known key (expected one of: \(allowed.joined(separator: ", ")))")
            }
            try checkKeys(value, path: path, field: child)
        }
    }

    /// Turns a decoding error into a descriptor error at the deepest node its coding path reaches.
    private static func describe(_ error: DecodingError, root: Node, path: String) -> DatasetError {
        let (context, reason): (DecodingError.Context, String) = switch error {
        case .typeMismatch(let type, let context): (context, "must be of type \(type)")
        case .valueNotFound(let type, let context): (context, "must hold a value of type \(type)")
        case .keyNotFound(let key, let context): (context, "is missing the required key '\(key.stringValue)'")
        case .dataCorrupted(let context): (context, "is invalid: \(context.debugDescription)")
        @unknown default: (DecodingError.Context(codingPath: [], debugDescription: ""), "is invalid")
        }
        var node = root
        var field = [String]()
        for key in context.codingPath {
            if let index = key.intValue, case .sequence(let sequence) = node, index < sequence.count {
                node = sequence[index]
                field.append("[\(index)]")
            } else if let child = node[key.stringValue] {
                node = child
                field.append(key.stringValue)
            } else {
                break
            }
        }
        let name = field.isEmpty ? "(document)" : field.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        return .invalidDescriptor(path: path, field: name, line: node.mark?.line, reason: reason)
    }

    /// Checks cross-field rules the types cannot express.
    private func validate(path: String, root: Node) throws(DatasetError) {
        func fail(_ field: String, _ reason: String) -> DatasetError {
            let parts = field.split(separator: ".").map(String.init)
            var node: Node? = root
            for part in parts { node = node?[part] }
            return .invalidDescriptor(path: path, field: field, line: (node ?? root).mark?.line, reason: reason)
        }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        guard name == stem else { throw fail("name", "is '\(name)' but the file is named \(stem).yaml") }
        let required = format.requiredRoles
        let allowed = required + format.optionalRoles
        for role in required where files[role] == nil {
            throw fail("files", "must name the '\(role)' file(s) for format \(format.rawValue)")
        }
        for (role, list) in files {
            guard allowed.contains(role) else {
                throw fail("files.\(role)", "is not a file role of format \(format.rawValue) (expected one of: \(allowed.joined(separator: ", ")))")
            }
            guard !list.names.isEmpty, list.names.allSatisfy({ !$0.isEmpty }) else { throw fail("files.\(role)", "must name at least one file") }
            guard list.names.count == 1 || format.multiFileRoles.contains(role) else {
                throw fail("files.\(role)", "must name exactly one file for format \(format.rawValue)")
            }
        }
        let limit = Int(Int32.max)  // keeps every size product the readers form far from overflow
        for (field, value) in [("shape.channels", shape.channels), ("shape.height", shape.height), ("shape.width", shape.width),
                               ("examples.train", examples.train), ("examples.test", examples.test ?? 1),
                               ("splits.validation", splits.validation), ("splits.test", splits.test ?? 0)] where value > limit {
            throw fail(field, "is \(value), more than the supported \(limit)")
        }
        guard shape.channels > 0, shape.height > 0, shape.width > 0 else { throw fail("shape", "must be positive, not \(shape)") }
        if let fixed = format.fixedShape, fixed != shape {
            throw fail("shape", "is \(shape) but format \(format.rawValue) holds \(fixed) images")
        }
        guard !classes.isEmpty else { throw fail("classes", "must list at least one class name") }
        guard labels == nil || format == .cifar100 else { throw fail("labels", "applies to format cifar100 only") }
        if labels == .coarse, coarseClasses?.isEmpty ?? true {
            throw fail("coarse-classes", "must list the superclass names when labels is coarse")
        }
        guard examples.train > 0 else { throw fail("examples.train", "must be positive, not \(examples.train)") }
        if let test = examples.test, test <= 0 { throw fail("examples.test", "must be positive, not \(test)") }
        guard splits.validation >= 0, splits.validation + (splits.test ?? 0) < examples.train else {
            throw fail("splits", "must hold out fewer than the \(examples.train) training examples")
        }
        if format == .digitsCSV, (splits.test ?? 0) <= 0 {
            throw fail("splits.test", "must be positive: format digits-csv has no official test set")
        }
    }
}
