import CHDF5

/// The element types this module reads and writes.
public enum HDF5ElementType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float32, float64, int64, int32, uint8
    /// Variable-length UTF-8 strings (h5py reads them as `str`).
    case string

    /// Whether checksums are on by default for datasets of this type.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    public var description: String { rawValue }

    /// The type of a stored dataset or attribute, or nil when it is none of the supported ones.
    init?(hdf5Type type: hid_t) {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT where size == 4: self = .float32
        case H5T_FLOAT where size == 8: self = .float64
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) == H5T_SGN_2
            switch (size, signed) {
            case (8, true): self = .int64
            case (4, true): self = .int32
            case (1, false): self = .uint8
            default: return nil
            }
        case H5T_STRING where H5Tis_variable_str(type) > 0: self = .string
        default: return nil
        }
    }
}

/// Numbers stored as HDF5 datasets and attributes with their native in-memory layout. The five
/// conforming types are `Float`, `Double`, `Int64`, `Int32` and `UInt8`.
public protocol HDF5Numeric: BitwiseCopyable, Numeric, Sendable {
    /// The HDF5 element type of this Swift type.
    static var hdf5ElementType: HDF5ElementType { get }
}

extension Float: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .float32 } }
extension Double: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .float64 } }
extension Int64: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .int64 } }
extension Int32: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .int32 } }
extension UInt8: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .uint8 } }

/// An n-dimensional array read from a dataset: the values in row-major (C) order and the shape.
/// Rank 0 (a scalar dataset) has shape `[]` and one value.
public struct HDF5Array<Element: Sendable>: Sendable {
    /// Extent of each dimension, slowest-varying first.
    public let shape: [Int]
    /// `shape.reduce(1, *)` values in row-major order.
    public let values: [Element]
}

extension HDF5Array: Equatable where Element: Equatable {}

/// Identifier of the native HDF5 type of a numeric element type; the library owns it, so it is
/// never closed. Strings map to the C string base type, from which `makeStringType` derives.
func nativeType(_ type: HDF5ElementType) -> hid_t {
    switch type {
    case .float32: return smash_h5t_native_float()
    case .float64: return smash_h5t_native_double()
    case .int64: return smash_h5t_native_int64()
    case .int32: return smash_h5t_native_int32()
    case .uint8: return smash_h5t_native_uint8()
    case .string: return smash_h5t_c_s1()
    }
}

/// A new variable-length UTF-8 string type; the caller closes it with `H5Tclose`.
func makeStringType(_ site: HDF5Site) throws(ArtifactError) -> hid_t {
    let type = try site.check(H5Tcopy(smash_h5t_c_s1()), "H5Tcopy")
    guard H5Tset_size(type, smash_h5t_variable()) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0 else {
        let error = site.failure("H5Tset_size/H5Tset_cset")
        H5Tclose(type)
        throw error
    }
    return type
}

/// A new dataspace for `shape` (scalar for `[]`); the caller closes it with `H5Sclose`.
func makeDataspace(_ shape: [Int], _ site: HDF5Site) throws(ArtifactError) -> hid_t {
    guard let negative = shape.first(where: { $0 < 0 }) else {
        if shape.isEmpty { return try site.check(H5Screate(H5S_SCALAR), "H5Screate") }
        var dims = shape.map { hsize_t($0) }
        return try site.check(H5Screate_simple(Int32(shape.count), &dims, nil), "H5Screate_simple")
    }
    throw .invalidArgument(name: "shape", value: "\(shape)", reason: "extent \(negative) is negative")
}

/// The shape of a dataspace (`[]` for a scalar one).
func dataspaceShape(_ space: hid_t, _ site: HDF5Site) throws(ArtifactError) -> [Int] {
    let rank = H5Sget_simple_extent_ndims(space)
    try site.check(rank, "H5Sget_simple_extent_ndims")
    guard rank > 0 else { return [] }
    var dims = [hsize_t](repeating: 0, count: Int(rank))
    try site.check(H5Sget_simple_extent_dims(space, &dims, nil), "H5Sget_simple_extent_dims")
    return dims.map { Int($0) }
}

/// Copies `strings` into one NUL-separated buffer and calls `body` with a pointer per string,
/// the layout HDF5 expects for writing variable-length strings. Strings stop at an embedded NUL.
func withCStringPointers<R>(_ strings: [String],
                            _ body: (UnsafeRawPointer?) throws(ArtifactError) -> R) throws(ArtifactError) -> R {
    var bytes: [CChar] = []
    var offsets: [Int] = []
    for string in strings {
        offsets.append(bytes.count)
        bytes.append(contentsOf: string.utf8CString)
    }
    return try bytes.withUnsafeBufferPointer { buffer in
        Result { () throws(ArtifactError) -> R in
            guard let base = buffer.baseAddress else { return try body(nil) }
            let pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
            return try pointers.withRawPointer(body)
        }
    }.get()
}

extension Array where Element: BitwiseCopyable {
    /// `withUnsafeBytes` for bodies that throw `ArtifactError` (the standard one rethrows untyped errors).
    func withRawPointer<R>(_ body: (UnsafeRawPointer?) throws(ArtifactError) -> R) throws(ArtifactError) -> R {
        try withUnsafeBytes { bytes in Result { () throws(ArtifactError) -> R in try body(bytes.baseAddress) } }.get()
    }

    /// `withUnsafeMutableBytes` for bodies that throw `ArtifactError`.
    mutating func withMutableRawPointer<R>(
        _ body: (UnsafeMutableRawPointer?) throws(ArtifactError) -> R
    ) throws(ArtifactError) -> R {
        try withUnsafeMutableBytes { bytes in
            Result { () throws(ArtifactError) -> R in try body(bytes.baseAddress) }
        }.get()
    }
}

/// Turns the pointers HDF5 filled in for variable-length strings into Swift strings and frees them.
func takeCStrings(_ pointers: [UnsafeMutablePointer<CChar>?]) -> [String] {
    pointers.map { pointer in
        guard let pointer else { return "" }
        defer { H5free_memory(pointer) }
        return String(cString: pointer)
    }
}
