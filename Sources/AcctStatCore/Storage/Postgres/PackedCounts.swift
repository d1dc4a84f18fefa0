import NIOCore
import PostgresNIO

/// `queries/report.sql`'s rows as PostgreSQL sends them to the reports: one row per hour, its
/// rows' other columns in one two-dimensional array (a row of ``columns`` per record row). The
/// rows are the same; a week's report reads some 600,000 of them, and each row costs
/// postgres-nio more to take in than its dozens of bytes of data do, so they travel packed and
/// are unpacked here (``PackedCountsRow``). One array of arrays costs the server less than an
/// array per column (170 ms against 230 ms for half a week of the 90-day benchmark).
enum PackedCounts {
    /// report.sql's columns after `hour`, in its order.
    static let columns = ["rcpt_domain_id", "signing_domain_id", "selector_id", "vmta_id", "count", "codes", "mta_id"]

    /// `reportSQL` (report.sql, over either counts table) packed by hour.
    static func sql(_ reportSQL: String) -> String {
        "SELECT hour, array_agg(ARRAY[\(columns.joined(separator: ", "))]) FROM (\n\(unordered(reportSQL))) AS report GROUP BY hour ORDER BY hour"
    }

    /// `reportSQL`'s counts summed over their hours, one row per key, packed in chunks of keys
    /// (by recipient domain) that each give the first hour they were summed from. For totals,
    /// which never look at a row's hour: a week's totals are a tenth of its rows.
    static func totalsSQL(_ reportSQL: String) -> String {
        let keys = columns.filter { $0 != "count" }.joined(separator: ", ")
        let summed = columns.map { $0 == "count" ? "SUM(count)::bigint AS count" : $0 }.joined(separator: ", ")
        return """
            SELECT MIN(hour), array_agg(ARRAY[\(columns.joined(separator: ", "))]) FROM (
            SELECT MIN(hour) AS hour, \(summed) FROM (\n\(unordered(reportSQL))) AS report GROUP BY \(keys)
            ) AS totals GROUP BY rcpt_domain_id % \(totalsChunks)
            """
    }

    /// How many chunks a window's totals come in: a chunk's array holds a 64th of its keys.
    static let totalsChunks = 64

    /// report.sql without its final `ORDER BY`.
    private static func unordered(_ reportSQL: String) -> String {
        let ordered = "ORDER BY c.hour"
        precondition(reportSQL.hasSuffix(ordered + "\n") || reportSQL.hasSuffix(ordered), "queries/report.sql ends with '\(ordered)'")
        return reportSQL.components(separatedBy: ordered).dropLast().joined(separator: ordered)
    }

    /// One hour's rows, as its packed row holds them.
    struct Hour: Sendable {
        var hour: Int64 = 0
        /// Row after row, each ``columns``' values.
        var values: [Int64] = []
        var rows: Int { values.count / PackedCounts.columns.count }

        init() {}

        init(_ row: PostgresRow) throws {
            var cells = row.makeIterator()
            guard let first = cells.next(), let second = cells.next() else { throw StoreError("a packed report row without its two columns") }
            hour = try first.decode(Int64.self)
            values = try PostgresArray.integers(second)
            guard values.count % PackedCounts.columns.count == 0 else {
                throw StoreError("a packed report row of \(values.count) values, not rows of \(PackedCounts.columns.count)")
            }
        }
    }
}

/// One row of a packed hour, as a ``RowReader`` of report.sql's columns (integers all).
final class PackedCountsRow: RowReader {
    var hour = PackedCounts.Hour()
    var index = 0

    func int(_ column: Int) -> Int64 {
        column == 0 ? hour.hour : hour.values[index * PackedCounts.columns.count + column - 1]
    }
    func string(_ column: Int) -> String? { String(int(column)) }
    /// Integers only: report.sql has no text column.
    func text(_ column: Int) -> UnsafeRawBufferPointer? { nil }
}

/// PostgreSQL arrays in its binary format: dimensions, flags, element type, then length and
/// lower bound per dimension, then each element's length (-1 for NULL) and bytes, in row-major order,
/// all integers big-endian. Read in place through a raw pointer: a `ByteBuffer` slice per element
/// cost a retain and a release each, half of a week's report on the client.
enum PostgresArray {
    /// Each element's bytes (nil for NULL), of an array of any dimensions.
    static func forEachElement(_ cell: PostgresCell, _ body: (UnsafeRawBufferPointer?) throws -> Void) throws {
        guard let bytes = cell.bytes else { return }
        let malformed = StoreError("a packed column is not an array (\(cell.dataType), \(cell.format))")
        guard cell.format == .binary else { throw malformed }
        try bytes.withUnsafeReadableBytes { raw in
            var offset = 0
            func integer() throws -> Int32 {
                guard offset + 4 <= raw.count else { throw malformed }
                defer { offset += 4 }
                return Int32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
            }
            let dimensions = try integer()
            guard (0...6).contains(dimensions) else { throw malformed }
            _ = try integer()   // flags
            _ = try integer()   // element type
            var count = dimensions == 0 ? 0 : 1
            for _ in 0..<dimensions {
                let length = try integer()
                guard length >= 0 else { throw malformed }
                _ = try integer()   // lower bound
                count *= Int(length)
            }
            for _ in 0..<count {
                let length = try integer()
                if length < 0 {
                    try body(nil)
                    continue
                }
                guard offset + Int(length) <= raw.count else { throw malformed }
                try body(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + Int(length)]))
                offset += Int(length)
            }
        }
    }

    /// An integer array's elements (NULL as 0, as ``RowReader/int(_:)`` reads NULL).
    static func integers(_ cell: PostgresCell) throws -> [Int64] {
        var values: [Int64] = []
        try forEachElement(cell) { element in
            guard let element else { return values.append(0) }
            switch element.count {
            case 8: values.append(Int64(bigEndian: element.loadUnaligned(as: Int64.self)))
            case 4: values.append(Int64(Int32(bigEndian: element.loadUnaligned(as: Int32.self))))
            case 2: values.append(Int64(Int16(bigEndian: element.loadUnaligned(as: Int16.self))))
            default: throw StoreError("a packed column holds an integer of \(element.count) bytes")
            }
        }
        return values
    }

    /// A text array's elements (NULL as nil).
    static func texts(_ cell: PostgresCell) throws -> [String?] {
        var values: [String?] = []
        try forEachElement(cell) { element in
            values.append(element.map { String(decoding: $0, as: UTF8.self) })
        }
        return values
    }
}
