import Artifacts

/// Stores a `StageResult` in the `/result` group of a stage's artifact and reads it back.
///
/// Layout (readable with h5py): `/result/metrics` holds one float attribute per metric;
/// `/result/markdown` a scalar string; `/result/charts/<name>` a scalar string of SVG;
/// `/result/tables/<name>` one dataset per column named by its index (`0`, `1`, ...) with the
/// column's name as attribute `name`, the group listing `columns` and, if any, `item_column`.
/// `/result@item_namespaces` lists the namespaces of the stage's item entries, so that a result
/// set that reuses the stage keeps them from `gc`.
enum ResultStorage {
    /// The group of the stage's own data, next to `/result`.
    static let dataGroup = "data"
    static let resultGroup = "result"

    /// Writes `result` under `/result` of `root`.
    static func write(_ result: StageResult, itemNamespaces: [String], to root: HDF5Group) throws(ArtifactError) {
        let group = try root.createGroup(resultGroup)
        try group.attributes.set("item_namespaces", .strings(itemNamespaces))
        let metrics = try group.createGroup("metrics")
        for (name, value) in result.metrics { try metrics.attributes.set(name, .double(value)) }
        try group.write("markdown", [result.markdown], shape: [])
        let charts = try group.createGroup("charts")
        for chart in result.charts { try charts.write(chart.name, [chart.svg], shape: []) }
        let tables = try group.createGroup("tables")
        for table in result.tables {
            let tableGroup = try tables.createGroup(table.name)
            try tableGroup.attributes.set("columns", .strings(table.columns.map(\.name)))
            if let itemColumn = table.itemColumn { try tableGroup.attributes.set("item_column", .string(itemColumn)) }
            for (index, column) in table.columns.enumerated() {
                switch column.values {
                case .numbers(let values): try tableGroup.write(String(index), values)
                case .texts(let values): try tableGroup.write(String(index), values)
                }
                try tableGroup.attributes(of: String(index)).set("name", .string(column.name))
            }
        }
    }

    /// Reads the result stored under `/result` of `root`.
    static func read(from root: HDF5Group) throws(PipelineError) -> StageResult {
        do {
            let group = try root.group(resultGroup)
            var result = StageResult()
            let metrics = try group.group("metrics")
            for name in try metrics.attributes.names() { result.metrics[name] = try metrics.attributes.double(name) }
            result.markdown = try group.read("markdown", as: String.self).values.first ?? ""
            let charts = try group.group("charts")
            for member in try charts.members() {
                result.charts.append(ResultChart(name: member.name, svg: try charts.read(member.name, as: String.self).values.first ?? ""))
            }
            let tables = try group.group("tables")
            for member in try tables.members() {
                result.tables.append(try readTable(try tables.group(member.name), name: member.name))
            }
            return result
        } catch let error as ArtifactError {
            throw .cache(error)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw .invalidResultSet(path: root.file.url.path, reason: "\(error)")
        }
    }

    /// The item namespaces stored with the result (none for artifacts without them).
    static func itemNamespaces(in root: HDF5Group) -> [String] {
        guard let group = try? root.group(resultGroup), case .strings(let namespaces)? = try? group.attributes.value("item_namespaces") else {
            return []
        }
        return namespaces
    }

    private static func readTable(_ group: HDF5Group, name: String) throws -> ResultTable {
        guard case .strings(let names)? = try group.attributes.value("columns") else {
            throw ArtifactError.notFound(file: group.file.url.path, object: "\(group.path)@columns")
        }
        var columns: [ResultColumn] = []
        for (index, columnName) in names.enumerated() {
            let info = try group.datasetInfo(String(index))
            if info.elementType == .string {
                columns.append(ResultColumn(columnName, texts: try group.read(String(index), as: String.self).values))
            } else {
                columns.append(ResultColumn(columnName, numbers: try group.read(String(index), as: Double.self).values))
            }
        }
        let itemColumn: String? = if case .string(let column)? = try group.attributes.value("item_column") { column } else { nil }
        return try ResultTable(name: name, itemColumn: itemColumn, columns: columns)
    }
}
