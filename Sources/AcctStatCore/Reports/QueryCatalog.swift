/// The reports' SQL, one query per file in `queries/`, embedded at build time.
public enum QueryCatalog {
    /// The query named after its file (`export` is `queries/export.sql`).
    public static func sql(_ name: String) -> String {
        guard let sql = EmbeddedQueries.sql[name] else {
            preconditionFailure("queries/\(name).sql is not embedded; run scripts/embed-queries")
        }
        return sql
    }

    /// Every embedded query by name.
    public static var all: [String: String] { EmbeddedQueries.sql }
}
