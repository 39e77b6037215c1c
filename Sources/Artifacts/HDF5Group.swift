import CHDF5

/// What a member of a group is.
public enum HDF5ObjectKind: String, Sendable {
    case group, dataset
    /// A named datatype or anything else this module does not write.
    case other
}

/// One entry of a group's listing.
public struct HDF5Member: Sendable, Equatable {
    /// The link name inside the group.
    public let name: String
    /// What the link points to.
    public let kind: HDF5ObjectKind
}

/// A group inside an open file, addressed by its absolute path.
///
/// Names passed to a group's methods are relative to it and may be nested (`"layers/0/weight"`);
/// a leading `/` makes them absolute. Creating a dataset or group creates missing intermediate
/// groups. Datasets are in `HDF5Dataset.swift`, attributes in `HDF5Attributes.swift`.
public struct HDF5Group {
    /// The file the group belongs to; the group keeps it alive.
    public let file: HDF5File
    /// The absolute path of the group, `/` for the root.
    public let path: String

    init(file: HDF5File, path: String) {
        self.file = file
        self.path = path
    }

    /// The attributes of this group.
    public var attributes: HDF5Attributes { HDF5Attributes(file: file, path: path) }

    /// The attributes of the member `name` (a dataset or a group).
    public func attributes(of name: String) throws(ArtifactError) -> HDF5Attributes {
        let target = try absolute(name)
        guard try contains(target) else { throw .notFound(file: file.url.path, object: target) }
        return HDF5Attributes(file: file, path: target)
    }

    /// Opens the existing subgroup at `name`.
    public func group(_ name: String) throws(ArtifactError) -> HDF5Group {
        let target = try absolute(name)
        let kind = try HDF5Library.run { () throws(ArtifactError) in try objectKind(target) }
        guard kind == .group else {
            throw .typeMismatch(file: file.url.path, object: target, expected: "a group", found: "a \(kind)")
        }
        return HDF5Group(file: file, path: target)
    }

    /// Creates the subgroup at `name` with any missing parents; returns it if it already exists.
    public func createGroup(_ name: String) throws(ArtifactError) -> HDF5Group {
        let target = try absolute(name)
        if try contains(target) { return try group(target) }
        try HDF5Library.run { () throws(ArtifactError) in
            let site = site(target)
            let links = try linkCreationList(site)
            defer { H5Pclose(links) }
            let id = try site.check(H5Gcreate2(try file.identifier(), target, links, smash_h5p_default(),
                                               smash_h5p_default()), "H5Gcreate2")
            H5Gclose(id)
        }
        return HDF5Group(file: file, path: target)
    }

    /// Whether a link exists at `name` (every intermediate group included).
    public func contains(_ name: String) throws(ArtifactError) -> Bool {
        let target = try absolute(name)
        return try HDF5Library.run { () throws(ArtifactError) -> Bool in
            let id = try file.identifier()
            var prefix = ""
            for component in target.split(separator: "/") {
                prefix += "/" + component
                guard try site(prefix).truth(H5Lexists(id, prefix, smash_h5p_default()), "H5Lexists") else {
                    return false
                }
            }
            return true
        }
    }

    /// The members of this group in name order.
    public func members() throws(ArtifactError) -> [HDF5Member] {
        try HDF5Library.run { () throws(ArtifactError) -> [HDF5Member] in
            let site = site(path)
            let group = try site.check(H5Gopen2(try file.identifier(), path, smash_h5p_default()), "H5Gopen2")
            defer { H5Gclose(group) }
            var info = H5G_info_t()
            try site.check(H5Gget_info(group, &info), "H5Gget_info")
            var members: [HDF5Member] = []
            for index in 0..<info.nlinks {
                let length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, smash_h5p_default())
                guard length >= 0 else { throw site.failure("H5Lget_name_by_idx") }
                var buffer = [CChar](repeating: 0, count: length + 1)
                guard H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, length + 1,
                                         smash_h5p_default()) >= 0 else { throw site.failure("H5Lget_name_by_idx") }
                let name = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                members.append(HDF5Member(name: name, kind: try objectKind(join(path, name))))
            }
            return members
        }
    }

    /// The absolute path of `name` relative to this group.
    func absolute(_ name: String) throws(ArtifactError) -> String {
        let components = name.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.isEmpty, !components.contains(where: { $0 == "." || $0 == ".." }) else {
            throw .invalidArgument(name: "object name", value: name,
                                   reason: "expected one or more '/'-separated names, without '.' or '..'")
        }
        return join(name.hasPrefix("/") ? "/" : path, components.joined(separator: "/"))
    }

    /// Error context for an object of this file.
    func site(_ object: String) -> HDF5Site {
        HDF5Site(file: file.url.path, object: object)
    }

    /// What the object at the absolute path `target` is; `notFound` when there is none.
    private func objectKind(_ target: String) throws(ArtifactError) -> HDF5ObjectKind {
        guard try contains(target) else { throw .notFound(file: file.url.path, object: target) }
        let site = site(target)
        let object = try site.check(H5Oopen(try file.identifier(), target, smash_h5p_default()), "H5Oopen")
        defer { H5Oclose(object) }
        switch H5Iget_type(object) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return .other
        }
    }

    private func join(_ base: String, _ name: String) -> String {
        base.hasSuffix("/") ? base + name : base + "/" + name
    }
}

/// Link-creation properties that create missing intermediate groups; close with `H5Pclose`.
func linkCreationList(_ site: HDF5Site) throws(ArtifactError) -> hid_t {
    let links = try site.check(H5Pcreate(smash_h5p_link_create()), "H5Pcreate(link create)")
    guard H5Pset_create_intermediate_group(links, 1) >= 0 else {
        let error = site.failure("H5Pset_create_intermediate_group")
        H5Pclose(links)
        throw error
    }
    return links
}
