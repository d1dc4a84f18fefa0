/// The formats of the commands that print one table: aligned text, CSV or JSON.
public enum TableFormat: String, CaseIterable, Sendable {
    case table, csv, json
}
