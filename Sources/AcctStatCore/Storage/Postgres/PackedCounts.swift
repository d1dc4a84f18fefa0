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
        let ordered = "ORDER BY c.hour"
        precondition(reportSQL.hasSuffix(ordered + "\n") || reportSQL.hasSuffix(ordered), "queries/report.sql ends with '\(ordered)'")
        let unordered = reportSQL.components(separatedBy: ordered).dropLast().joined(separator: ordered)
        return "SELECT hour, array_agg(ARRAY[\(columns.joined(separator: ", "))]) FROM (\n\(unordered)) AS report GROUP BY hour ORDER BY hour"
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
/// lower bound per dimension, then each element's length (-1 for NULL) and bytes, in row-major order.
enum PostgresArray {
    /// Each element's bytes (nil for NULL), of an array of any dimensions.
    static func forEachElement(_ cell: PostgresCell, _ body: (ByteBuffer?) throws -> Void) throws {
        guard var bytes = cell.bytes else { return }
        let malformed = StoreError("a packed column is not an array (\(cell.dataType), \(cell.format))")
        guard cell.format == .binary, let dimensions = bytes.readInteger(as: Int32.self), (0...6).contains(dimensions),
              bytes.readInteger(as: Int32.self) != nil, bytes.readInteger(as: UInt32.self) != nil else { throw malformed }
        var count = dimensions == 0 ? 0 : 1
        for _ in 0..<dimensions {
            guard let length = bytes.readInteger(as: Int32.self), length >= 0, bytes.readInteger(as: Int32.self) != nil else { throw malformed }
            count *= Int(length)
        }
        for _ in 0..<count {
            guard let length = bytes.readInteger(as: Int32.self) else { throw malformed }
            if length < 0 {
                try body(nil)
                continue
            }
            guard let element = bytes.readSlice(length: Int(length)) else { throw malformed }
            try body(element)
        }
    }

    /// An integer array's elements (NULL as 0, as ``RowReader/int(_:)`` reads NULL).
    static func integers(_ cell: PostgresCell) throws -> [Int64] {
        var values: [Int64] = []
        try forEachElement(cell) { element in
            guard var element else { return values.append(0) }
            switch element.readableBytes {
            case 8: values.append(element.readInteger(as: Int64.self)!)
            case 4: values.append(Int64(element.readInteger(as: Int32.self)!))
            case 2: values.append(Int64(element.readInteger(as: Int16.self)!))
            default: throw StoreError("a packed column holds an integer of \(element.readableBytes) bytes")
            }
        }
        return values
    }

    /// A text array's elements (NULL as nil).
    static func texts(_ cell: PostgresCell) throws -> [String?] {
        var values: [String?] = []
        try forEachElement(cell) { element in
            values.append(element.map { String(decoding: $0.readableBytesView, as: UTF8.self) })
        }
        return values
    }
}
