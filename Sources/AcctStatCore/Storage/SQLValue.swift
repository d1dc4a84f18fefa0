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
