/// The reports' SQL, one query per file in `queries/`, embedded at build time.
public enum QueryCatalog {
    /// The query named after its file (`export` is `queries/export.sql`).
    public static func sql(_ name: String) -> String {
        guard let sql = EmbeddedQueries.sql[name] else {
            preconditionFailure("queries/\(name).sql is not embedded; run scripts/embed-queries")
        }
        return sql
    }

    /// The query named after its file, reading `table` where the file reads `FROM original` (once):
    /// the same columns from another table or view (report.sql over `other_signatures`, export.sql
    /// over `signature_counts_named`).
    static func sql(_ name: String, reading table: String, insteadOf original: String) -> String {
        let sql = sql(name)
        precondition(sql.components(separatedBy: "FROM \(original) ").count == 2, "queries/\(name).sql reads FROM \(original) once")
        return sql.replacingOccurrences(of: "FROM \(original) ", with: "FROM \(table) ")
    }

    /// Every embedded query by name.
    public static var all: [String: String] { EmbeddedQueries.sql }
}
