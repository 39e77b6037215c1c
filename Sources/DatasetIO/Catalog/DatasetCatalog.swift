import Foundation

/// The dataset descriptors of a folder (`Datasets/` at the repository root by default), by name.
///
/// ```swift
/// let catalog = DatasetCatalog()                      // ./Datasets
/// let fashion = try catalog.descriptor(named: "fashion-mnist")
/// let data = try fashion.resolve().load()
/// ```
public struct DatasetCatalog: Sendable {
    /// The folder searched when none is given, relative to the working directory.
    public static let defaultFolder = "Datasets"

    /// The folder holding `<name>.yaml` descriptors.
    public let folder: String

    /// A catalog over `folder`.
    public init(folder: String = DatasetCatalog.defaultFolder) {
        self.folder = folder
    }

    /// The names of all descriptors, sorted.
    /// - Throws: `.missingFile` when the folder does not exist.
    public func names() throws(DatasetError) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw .missingFile(path: folder, providedBy: "the smash-swift repository (run from its root or pass the catalog folder)")
        }
        return entries.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The path of the descriptor named `name`.
    public func path(of name: String) -> String {
        (folder as NSString).appendingPathComponent("\(name).yaml")
    }

    /// Reads and validates the descriptor named `name`.
    /// - Throws: `.unknownDataset` listing the known names, or `.invalidDescriptor`.
    public func descriptor(named name: String) throws(DatasetError) -> DatasetDescriptor {
        let known = try names()
        guard known.contains(name) else { throw .unknownDataset(name: name, folder: folder, known: known) }
        let file = path(of: name)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .unreadable(path: file, reason: "it could not be opened")
        }
        return try DatasetDescriptor.parse(yaml: String(decoding: data, as: UTF8.self), path: file)
    }

    /// Every descriptor, in name order.
    public func descriptors() throws(DatasetError) -> [DatasetDescriptor] {
        var all = [DatasetDescriptor]()
        for name in try names() { all.append(try descriptor(named: name)) }
        return all
    }
}
