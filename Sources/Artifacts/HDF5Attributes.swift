import CHDF5

/// A value of an HDF5 attribute: a scalar or a small one-dimensional array.
public enum HDF5AttributeValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case double(Double)
    case strings([String])
    case ints([Int64])
    case doubles([Double])

    public var description: String {
        switch self {
        case .string(let value): return value
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .strings(let values): return "\(values)"
        case .ints(let values): return "\(values)"
        case .doubles(let values): return "\(values)"
        }
    }

    /// The type name shown in errors.
    var typeName: String {
        switch self {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a double"
        case .strings: return "a string array"
        case .ints: return "an integer array"
        case .doubles: return "a double array"
        }
    }
}

/// The attributes of one group or dataset.
///
/// Strings are stored as variable-length UTF-8, integers as 64-bit signed, reals as 64-bit
/// floats; arrays are one-dimensional. Setting an attribute replaces any previous value.
public struct HDF5Attributes {
    /// The file the object belongs to; the view keeps it alive.
    public let file: HDF5File
    /// Absolute path of the object the attributes belong to.
    public let path: String

    init(file: HDF5File, path: String) {
        self.file = file
        self.path = path
    }

    /// Sets (or replaces) the attribute `name`.
    public func set(_ name: String, _ value: HDF5AttributeValue) throws(ArtifactError) {
        try withObject { object, site throws(ArtifactError) in
            if try site.truth(H5Aexists(object, name), "H5Aexists") {
                try site.check(H5Adelete(object, name), "H5Adelete")
            }
            switch value {
            case .string(let string): try create(name, object, site, shape: [], strings: [string])
            case .strings(let strings): try create(name, object, site, shape: [strings.count], strings: strings)
            case .int(let int): try create(name, object, site, shape: [], numbers: [int])
            case .ints(let ints): try create(name, object, site, shape: [ints.count], numbers: ints)
            case .double(let double): try create(name, object, site, shape: [], numbers: [double])
            case .doubles(let doubles): try create(name, object, site, shape: [doubles.count], numbers: doubles)
            }
        }
    }

    /// The value of the attribute `name`, or nil when the object has no such attribute.
    public func value(_ name: String) throws(ArtifactError) -> HDF5AttributeValue? {
        try withObject { object, site throws(ArtifactError) -> HDF5AttributeValue? in
            guard try site.truth(H5Aexists(object, name), "H5Aexists") else { return nil }
            let attribute = try site.check(H5Aopen(object, name, smash_h5p_default()), "H5Aopen")
            defer { H5Aclose(attribute) }
            let space = try site.check(H5Aget_space(attribute), "H5Aget_space")
            defer { H5Sclose(space) }
            let type = try site.check(H5Aget_type(attribute), "H5Aget_type")
            defer { H5Tclose(type) }
            let isScalar = try dataspaceShape(space, site).isEmpty
            let count = Int(H5Sget_simple_extent_npoints(space))
            switch H5Tget_class(type) {
            case H5T_STRING:
                let strings = try readStrings(attribute, type, count, site, name)
                return isScalar ? .string(strings.first ?? "") : .strings(strings)
            case H5T_INTEGER:
                let ints: [Int64] = try readNumbers(attribute, count, site)
                return isScalar ? .int(ints.first ?? 0) : .ints(ints)
            case H5T_FLOAT:
                let doubles: [Double] = try readNumbers(attribute, count, site)
                return isScalar ? .double(doubles.first ?? 0) : .doubles(doubles)
            default:
                throw .typeMismatch(file: site.file, object: "\(path)@\(name)",
                                    expected: "a string, integer or float attribute", found: "another HDF5 type class")
            }
        }
    }

    /// The names of all attributes, in name order.
    public func names() throws(ArtifactError) -> [String] {
        try withObject { object, site throws(ArtifactError) -> [String] in
            var names: [String] = []
            let status = withUnsafeMutablePointer(to: &names) { collected in
                H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, client in
                    guard let name, let client else { return -1 }
                    client.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                    return 0
                }, collected)
            }
            try site.check(status, "H5Aiterate2")
            return names
        }
    }

    /// The scalar string attribute `name`.
    public func string(_ name: String) throws(ArtifactError) -> String {
        guard case .string(let value) = try required(name) else { throw mismatch(name, "a string") }
        return value
    }

    /// The scalar integer attribute `name`.
    public func int(_ name: String) throws(ArtifactError) -> Int64 {
        guard case .int(let value) = try required(name) else { throw mismatch(name, "an integer") }
        return value
    }

    /// The scalar real attribute `name`.
    public func double(_ name: String) throws(ArtifactError) -> Double {
        guard case .double(let value) = try required(name) else { throw mismatch(name, "a double") }
        return value
    }

    private func required(_ name: String) throws(ArtifactError) -> HDF5AttributeValue {
        guard let value = try value(name) else { throw .notFound(file: file.url.path, object: "\(path)@\(name)") }
        return value
    }

    private func mismatch(_ name: String, _ expected: String) -> ArtifactError {
        let found = (try? value(name))??.typeName ?? "nothing"
        return .typeMismatch(file: file.url.path, object: "\(path)@\(name)", expected: expected, found: found)
    }

    private func withObject<T>(_ body: (hid_t, HDF5Site) throws(ArtifactError) -> T) throws(ArtifactError) -> T {
        try HDF5Library.run { () throws(ArtifactError) -> T in
            let site = HDF5Site(file: file.url.path, object: path)
            let object = try site.check(H5Oopen(try file.identifier(), path, smash_h5p_default()), "H5Oopen")
            defer { H5Oclose(object) }
            return try body(object, site)
        }
    }

    private func create(_ name: String, _ object: hid_t, _ site: HDF5Site, shape: [Int],
                        strings: [String]) throws(ArtifactError) {
        let type = try makeStringType(site)
        defer { H5Tclose(type) }
        try withCStringPointers(strings) { pointers throws(ArtifactError) in
            try create(name, object, site, shape: shape, type: type, data: pointers)
        }
    }

    private func create<T: HDF5Numeric>(_ name: String, _ object: hid_t, _ site: HDF5Site, shape: [Int],
                                        numbers: [T]) throws(ArtifactError) {
        try numbers.withRawPointer { pointer throws(ArtifactError) in
            try create(name, object, site, shape: shape, type: nativeType(T.hdf5ElementType), data: pointer)
        }
    }

    private func create(_ name: String, _ object: hid_t, _ site: HDF5Site, shape: [Int], type: hid_t,
                        data: UnsafeRawPointer?) throws(ArtifactError) {
        let space = try makeDataspace(shape, site)
        defer { H5Sclose(space) }
        let attribute = try site.check(H5Acreate2(object, name, type, space, smash_h5p_default(), smash_h5p_default()),
                                       "H5Acreate2(\(name))")
        defer { H5Aclose(attribute) }
        guard let data, shape.reduce(1, *) > 0 else { return }
        try site.check(H5Awrite(attribute, type, data), "H5Awrite(\(name))")
    }

    private func readNumbers<T: HDF5Numeric>(_ attribute: hid_t, _ count: Int, _ site: HDF5Site) throws(ArtifactError) -> [T] {
        var values = [T](repeating: .zero, count: count)
        guard count > 0 else { return values }
        try values.withMutableRawPointer { pointer throws(ArtifactError) in
            try site.check(H5Aread(attribute, nativeType(T.hdf5ElementType), pointer), "H5Aread")
        }
        return values
    }

    private func readStrings(_ attribute: hid_t, _ stored: hid_t, _ count: Int, _ site: HDF5Site,
                             _ name: String) throws(ArtifactError) -> [String] {
        guard H5Tis_variable_str(stored) > 0 else {
            throw .typeMismatch(file: site.file, object: "\(path)@\(name)", expected: "a variable-length string",
                                found: "a fixed-length string")
        }
        let type = try makeStringType(site)
        defer { H5Tclose(type) }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        guard count > 0 else { return [] }
        try pointers.withMutableRawPointer { pointer throws(ArtifactError) in
            try site.check(H5Aread(attribute, type, pointer), "H5Aread")
        }
        return takeCStrings(pointers)
    }
}
