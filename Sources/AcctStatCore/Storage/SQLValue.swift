/// A value read from the database, independent of the backend.
public enum SQLValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .real(let value): Int64(value)
        case .text(let value): Int64(value)
        case .null: nil
        }
    }

    public var string: String? {
        switch self {
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): value
        case .null: nil
        }
    }
}

/// The rows of a query, with their column names.
public struct QueryResult: Sendable {
    public var columns: [String]
    public var rows: [[SQLValue]]
}

/// One streamed row, read by column index; valid only while the callback runs.
public protocol RowReader {
    /// The column as an integer; 0 for NULL.
    func int(_ index: Int) -> Int64
    func string(_ index: Int) -> String?
    /// The column's UTF-8 text, nil for NULL; like the row, valid only while the callback runs.
    func text(_ index: Int) -> UnsafeRawBufferPointer?
}

/// A row of values already read (PostgreSQL's), as a ``RowReader``.
final class ValuesRow: RowReader {
    private let values: [SQLValue]
    /// The UTF-8 copies ``text(_:)`` handed out, freed with the row.
    private var texts: [UnsafeMutableRawBufferPointer] = []

    init(values: [SQLValue]) { self.values = values }

    deinit { for text in texts { text.deallocate() } }

    func int(_ index: Int) -> Int64 { values[index].int ?? 0 }
    func string(_ index: Int) -> String? { values[index].string }

    func text(_ index: Int) -> UnsafeRawBufferPointer? {
        guard let string = values[index].string else { return nil }
        let bytes = Array(string.utf8)
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        copy.copyBytes(from: bytes)
        texts.append(copy)
        return UnsafeRawBufferPointer(rebasing: copy[0..<bytes.count])
    }
}
