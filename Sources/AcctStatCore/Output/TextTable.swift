/// Aligned columns for people: text left, numbers right.
///
/// When a width limit is given, columns with the lowest priority are dropped until the table
/// fits; the first column is then cut with `…` if it still does not. Cells may hold ANSI colour
/// codes, which take no width.
public struct TextTable {
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    /// Higher stays longer when space is short; defaults to keeping columns from the left.
    public var priorities: [Int]
    public var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment], priorities: [Int]? = nil) {
        self.headers = headers
        self.alignments = alignments
        self.priorities = priorities ?? headers.indices.map { headers.count - $0 }
    }

    public func rendered(width limit: Int? = nil) -> String {
        var kept = Array(headers.indices)
        func widths(_ columns: [Int]) -> [Int: Int] {
            Dictionary(uniqueKeysWithValues: columns.map { column in
                (column, ([headers[column]] + rows.map { $0[column] }).map(\.visibleCount).max() ?? 0)
            })
        }
        var columnWidths = widths(kept)
        func total() -> Int { kept.map { columnWidths[$0]! }.reduce(0, +) + 2 * max(0, kept.count - 1) }
        if let limit {
            while total() > limit, kept.count > 1,
                  let drop = kept.dropFirst().min(by: { priorities[$0] < priorities[$1] }) {
                kept.removeAll { $0 == drop }
            }
            if total() > limit, let first = kept.first {
                columnWidths[first] = max(4, columnWidths[first]! - (total() - limit))
            }
        }
        let layout = Layout(columns: kept, widths: columnWidths, alignments: alignments)
        return layout.line(headers) + rows.map(layout.line).joined()
    }

    /// The columns a table shows, their widths and alignments: writes the table's lines, so a
    /// table of rows measured beforehand can be written a row at a time.
    struct Layout {
        var columns: [Int]
        var widths: [Int: Int]
        var alignments: [Alignment]

        /// A line of `cells` (every column's, in order), each padded to its width or cut with `…`.
        func line(_ cells: [String]) -> String {
            columns.map { column in
                var cell = cells[column]
                let width = widths[column]!
                if cell.visibleCount > width { cell = String(cell.prefix(width - 1)) + "…" }
                let padding = String(repeating: " ", count: width - cell.visibleCount)
                return alignments[column] == .left ? cell + padding : padding + cell
            }.joined(separator: "  ").trimmingTrailingSpaces + "\n"
        }
    }
}

extension String {
    /// Characters that take a column on a terminal: ANSI colour sequences take none.
    var visibleCount: Int {
        var count = 0
        var inEscape = false
        for character in self {
            if character == "\u{1B}" { inEscape = true; continue }
            if inEscape { if character == "m" { inEscape = false }; continue }
            count += 1
        }
        return count
    }

    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
