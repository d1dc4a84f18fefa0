import NIOCore
import PostgresNIO

/// `queries/report.sql`'s rows as PostgreSQL sends them to the reports: one row per hour, each of
/// report.sql's other columns an array of the hour's values. The rows are the same; a week's
/// report reads some 600,000 of them, and each row costs postgres-nio more to take in than its
/// dozens of bytes of data do, so they travel packed and are unpacked here (``PackedCountsRow``).
enum PackedCounts {
    /// report.sql's columns after `hour`, in its order.
    static let columns = ["rcpt_domain_id", "signing_domain_id", "selector_id", "vmta_id", "count", "codes", "mta_id"]

    /// `reportSQL` (report.sql, over either counts table) packed by hour.
    static func sql(_ reportSQL: String) -> String {
        let ordered = "ORDER BY c.hour"
        precondition(reportSQL.hasSuffix(ordered + "\n") || reportSQL.hasSuffix(ordered), "queries/report.sql ends with '\(ordered)'")
        let unordered = reportSQL.components(separatedBy: ordered).dropLast().joined(separator: ordered)
        return "SELECT hour, " + columns.map { "array_agg(\($0))" }.joined(separator: ", ")
            + " FROM (\n\(unordered)) AS report GROUP BY hour ORDER BY hour"
    }

    /// One hour's rows, as its packed row holds them.
    struct Hour: Sendable {
        var hour: Int64 = 0
        /// Per column of ``columns``, the hour's values, one per row.
        var columns: [[Int64]] = []
        var rows: Int { columns.first?.count ?? 0 }

        init() {}

        init(_ row: PostgresRow) throws {
            var cells = row.makeIterator()
            guard let first = cells.next() else { throw StoreError("a packed report row without columns") }
            hour = try first.decode(Int64.self)
            while let cell = cells.next() { columns.append(try Self.integers(cell)) }
            guard columns.count == PackedCounts.columns.count, Set(columns.map(\.count)).count == 1 else {
                throw StoreError("a packed report row of \(columns.count) columns of \(Set(columns.map(\.count)).sorted()) values")
            }
        }

        /// The elements of a one-dimensional integer array in PostgreSQL's binary format
        /// (dimensions, flags, element type, then length and lower bound per dimension, then each
        /// element's length and big-endian bytes); NULL elements as 0, as ``RowReader/int(_:)`` reads NULL.
        static func integers(_ cell: PostgresCell) throws -> [Int64] {
            guard var bytes = cell.bytes else { return [] }
            let malformed = StoreError("a packed report column is not an integer array (\(cell.dataType), \(cell.format))")
            guard cell.format == .binary, let dimensions = bytes.readInteger(as: Int32.self),
                  bytes.readInteger(as: Int32.self) != nil, bytes.readInteger(as: UInt32.self) != nil else { throw malformed }
            if dimensions == 0 { return [] }
            guard dimensions == 1, let count = bytes.readInteger(as: Int32.self), count >= 0, bytes.readInteger(as: Int32.self) != nil
            else { throw malformed }
            var values: [Int64] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count {
                switch bytes.readInteger(as: Int32.self) {
                case -1: values.append(0)
                case 8: values.append(bytes.readInteger(as: Int64.self) ?? 0)
                case 4: values.append(Int64(bytes.readInteger(as: Int32.self) ?? 0))
                case 2: values.append(Int64(bytes.readInteger(as: Int16.self) ?? 0))
                default: throw malformed
                }
            }
            return values
        }
    }
}

/// One row of a packed hour, as a ``RowReader`` of report.sql's columns (integers all).
final class PackedCountsRow: RowReader {
    var hour = PackedCounts.Hour()
    var index = 0

    func int(_ column: Int) -> Int64 { column == 0 ? hour.hour : hour.columns[column - 1][index] }
    func string(_ column: Int) -> String? { String(int(column)) }
    /// Integers only: report.sql has no text column.
    func text(_ column: Int) -> UnsafeRawBufferPointer? { nil }
}
