import CHDF5

/// How a numeric dataset is stored.
///
/// A dataset is chunked when it has a checksum or an explicit chunk shape. Scalar (rank 0) and
/// empty datasets are always stored contiguously, without a checksum.
public struct HDF5DatasetOptions: Sendable, Equatable {
    /// Fletcher32 checksum per chunk, verified by HDF5 on every read. `nil`: on for float data.
    public var checksum: Bool?
    /// Chunk extent per dimension. `nil`: chosen so that a chunk holds at most 1 MiB.
    public var chunkShape: [Int]?

    /// Options with the given overrides; the defaults suit tensors and table columns.
    public init(checksum: Bool? = nil, chunkShape: [Int]? = nil) {
        self.checksum = checksum
        self.chunkShape = chunkShape
    }
}

/// What a dataset holds, without reading its values.
public struct HDF5DatasetInfo: Sendable, Equatable {
    /// Absolute path of the dataset.
    public let path: String
    /// Extent per dimension; `[]` for a scalar dataset.
    public let shape: [Int]
    /// The element type, or nil when it is one this module does not read.
    public let elementType: HDF5ElementType?
    /// Chunk extent per dimension, or nil for contiguous storage.
    public let chunkShape: [Int]?
    /// Whether the Fletcher32 checksum filter is on.
    public let hasChecksum: Bool
    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
}

extension HDF5Group {
    /// Writes a numeric dataset of any rank. `shape` defaults to `[values.count]`; `[]` writes a scalar.
    public func write<T: HDF5Numeric>(_ name: String, _ values: [T], shape: [Int]? = nil,
                                      options: HDF5DatasetOptions = HDF5DatasetOptions()) throws(ArtifactError) {
        let target = try absolute(name)
        let shape = shape ?? [values.count]
        let layout = try chunkLayout(target, shape: shape, elementSize: MemoryLayout<T>.stride,
                                     checksum: options.checksum ?? T.hdf5ElementType.isFloatingPoint,
                                     chunkShape: options.chunkShape)
        let type = nativeType(T.hdf5ElementType)
        try values.withRawPointer { pointer throws(ArtifactError) in
            try createDataset(target, type: type, shape: shape, count: values.count, layout: layout, data: pointer)
        }
    }

    /// Writes a dataset of variable-length UTF-8 strings (no checksum: HDF5 cannot filter them).
    public func write(_ name: String, _ strings: [String], shape: [Int]? = nil) throws(ArtifactError) {
        let target = try absolute(name)
        try HDF5Library.run { () throws(ArtifactError) in
            let type = try makeStringType(site(target))
            defer { H5Tclose(type) }
            try withCStringPointers(strings) { pointers throws(ArtifactError) in
                try createDataset(target, type: type, shape: shape ?? [strings.count], count: strings.count,
                                  layout: nil, data: pointers)
            }
        }
    }

    /// Reads a numeric dataset stored with exactly the element type of `T`.
    public func read<T: HDF5Numeric>(_ name: String, as type: T.Type = T.self) throws(ArtifactError) -> HDF5Array<T> {
        let info = try datasetInfo(name)
        try expect(info, T.hdf5ElementType)
        var values = [T](repeating: .zero, count: info.count)
        try values.withMutableRawPointer { pointer throws(ArtifactError) in
            try readDataset(info.path, memoryType: nativeType(T.hdf5ElementType), into: pointer)
        }
        return HDF5Array(shape: info.shape, values: values)
    }

    /// Reads a dataset of variable-length strings.
    public func read(_ name: String, as type: String.Type) throws(ArtifactError) -> HDF5Array<String> {
        let info = try datasetInfo(name)
        try expect(info, .string)
        return try HDF5Library.run { () throws(ArtifactError) -> HDF5Array<String> in
            let memoryType = try makeStringType(site(info.path))
            defer { H5Tclose(memoryType) }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: info.count)
            try pointers.withMutableRawPointer { pointer throws(ArtifactError) in
                try readDataset(info.path, memoryType: memoryType, into: pointer)
            }
            return HDF5Array(shape: info.shape, values: takeCStrings(pointers))
        }
    }

    /// Shape, element type and storage of the dataset at `name`.
    public func datasetInfo(_ name: String) throws(ArtifactError) -> HDF5DatasetInfo {
        let target = try absolute(name)
        guard try contains(target) else { throw .notFound(file: file.url.path, object: target) }
        return try HDF5Library.run { () throws(ArtifactError) -> HDF5DatasetInfo in
            let site = site(target)
            let dataset = try site.check(H5Dopen2(try file.identifier(), target, smash_h5p_default()), "H5Dopen2")
            defer { H5Dclose(dataset) }
            let space = try site.check(H5Dget_space(dataset), "H5Dget_space")
            defer { H5Sclose(space) }
            let type = try site.check(H5Dget_type(dataset), "H5Dget_type")
            defer { H5Tclose(type) }
            let creation = try site.check(H5Dget_create_plist(dataset), "H5Dget_create_plist")
            defer { H5Pclose(creation) }
            let shape = try dataspaceShape(space, site)
            var chunk: [Int]?
            if H5Pget_layout(creation) == H5D_CHUNKED {
                var dims = [hsize_t](repeating: 0, count: shape.count)
                try site.check(H5Pget_chunk(creation, Int32(shape.count), &dims), "H5Pget_chunk")
                chunk = dims.map { Int($0) }
            }
            let filters = H5Pget_nfilters(creation)
            try site.check(filters, "H5Pget_nfilters")
            let checksum = (0..<UInt32(filters)).contains { index in
                var flags: UInt32 = 0, valueCount = 0, config: UInt32 = 0
                return H5Pget_filter2(creation, index, &flags, &valueCount, nil, 0, nil, &config) == H5Z_FILTER_FLETCHER32
            }
            return HDF5DatasetInfo(path: target, shape: shape, elementType: HDF5ElementType(hdf5Type: type),
                                   chunkShape: chunk, hasChecksum: checksum)
        }
    }

    /// Reads every value of the dataset at the absolute path `target` in its native type and drops
    /// them; fails when HDF5 cannot read the data (a checksum mismatch among others).
    func readAllValues(_ target: String) throws(ArtifactError) {
        try HDF5Library.run { () throws(ArtifactError) in
            let site = site(target)
            let dataset = try site.check(H5Dopen2(try file.identifier(), target, smash_h5p_default()), "H5Dopen2")
            defer { H5Dclose(dataset) }
            let stored = try site.check(H5Dget_type(dataset), "H5Dget_type")
            defer { H5Tclose(stored) }
            let memoryType = try site.check(H5Tget_native_type(stored, H5T_DIR_DEFAULT), "H5Tget_native_type")
            defer { H5Tclose(memoryType) }
            let space = try site.check(H5Dget_space(dataset), "H5Dget_space")
            defer { H5Sclose(space) }
            let points = H5Sget_simple_extent_npoints(space)
            guard points > 0 else { return }
            var buffer = [UInt8](repeating: 0, count: Int(points) * H5Tget_size(memoryType))
            try buffer.withMutableRawPointer { pointer throws(ArtifactError) in
                let status = H5Dread(dataset, memoryType, smash_h5s_all(), smash_h5s_all(), smash_h5p_default(), pointer)
                try site.check(status, "H5Dread")
                if H5Tdetect_class(memoryType, H5T_VLEN) > 0 || H5Tis_variable_str(memoryType) > 0 {
                    H5Dvlen_reclaim(memoryType, space, smash_h5p_default(), pointer)
                }
            }
        }
    }

    private func expect(_ info: HDF5DatasetInfo, _ type: HDF5ElementType) throws(ArtifactError) {
        guard info.elementType == type else {
            throw .typeMismatch(file: file.url.path, object: info.path, expected: type.rawValue,
                                found: info.elementType?.rawValue ?? "an unsupported type")
        }
    }

    /// The chunk shape for a new dataset, or nil for contiguous storage.
    private func chunkLayout(_ target: String, shape: [Int], elementSize: Int, checksum: Bool,
                             chunkShape: [Int]?) throws(ArtifactError) -> (chunk: [Int], checksum: Bool)? {
        guard !shape.isEmpty, !shape.contains(0), checksum || chunkShape != nil else { return nil }
        guard let chunk = chunkShape else { return (automaticChunk(shape, elementSize: elementSize), checksum) }
        guard chunk.count == shape.count, zip(chunk, shape).allSatisfy({ $0 >= 1 && $0 <= $1 }) else {
            throw .invalidArgument(name: "chunk shape", value: "\(chunk)",
                                   reason: "expected \(shape.count) extents, each from 1 to the dataset's \(shape)")
        }
        return (chunk, checksum)
    }

    /// Halves the largest extent until a chunk holds at most 1 MiB.
    private func automaticChunk(_ shape: [Int], elementSize: Int) -> [Int] {
        var chunk = shape
        while chunk.reduce(elementSize, *) > 1 << 20, let largest = chunk.indices.max(by: { chunk[$0] < chunk[$1] }),
              chunk[largest] > 1 {
            chunk[largest] = (chunk[largest] + 1) / 2
        }
        return chunk
    }

    private func createDataset(_ target: String, type: hid_t, shape: [Int], count: Int,
                               layout: (chunk: [Int], checksum: Bool)?, data: UnsafeRawPointer?) throws(ArtifactError) {
        guard shape.reduce(1, *) == count else {
            throw .shapeMismatch(file: file.url.path, object: target, shape: shape, count: count)
        }
        guard try !contains(target) else { throw .alreadyExists(file: file.url.path, object: target) }
        try HDF5Library.run { () throws(ArtifactError) in
            let site = site(target)
            let space = try makeDataspace(shape, site)
            defer { H5Sclose(space) }
            let creation = try site.check(H5Pcreate(smash_h5p_dataset_create()), "H5Pcreate(dataset create)")
            defer { H5Pclose(creation) }
            if let layout {
                var dims = layout.chunk.map { hsize_t($0) }
                try site.check(H5Pset_chunk(creation, Int32(dims.count), &dims), "H5Pset_chunk")
                if layout.checksum { try site.check(H5Pset_fletcher32(creation), "H5Pset_fletcher32") }
            }
            let links = try linkCreationList(site)
            defer { H5Pclose(links) }
            let dataset = try site.check(H5Dcreate2(try file.identifier(), target, type, space, links, creation,
                                                    smash_h5p_default()), "H5Dcreate2")
            defer { H5Dclose(dataset) }
            guard count > 0 else { return }
            try site.check(H5Dwrite(dataset, type, smash_h5s_all(), smash_h5s_all(), smash_h5p_default(), data), "H5Dwrite")
        }
    }

    private func readDataset(_ target: String, memoryType: hid_t, into buffer: UnsafeMutableRawPointer?) throws(ArtifactError) {
        try HDF5Library.run { () throws(ArtifactError) in
            let site = site(target)
            let dataset = try site.check(H5Dopen2(try file.identifier(), target, smash_h5p_default()), "H5Dopen2")
            defer { H5Dclose(dataset) }
            guard let buffer else { return }
            try site.check(H5Dread(dataset, memoryType, smash_h5s_all(), smash_h5s_all(), smash_h5p_default(), buffer), "H5Dread")
        }
    }
}
