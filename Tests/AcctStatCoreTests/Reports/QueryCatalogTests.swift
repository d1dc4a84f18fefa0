import Foundation
import Testing
@testable import AcctStatCore

@Suite struct QueryCatalogTests {
    static var files: [URL] {
        (try? FileManager.default.contentsOfDirectory(at: packageRoot.appendingPathComponent("queries"), includingPropertiesForKeys: nil))?
            .filter { $0.pathExtension == "sql" } ?? []
    }

    /// queries/ is the single source of truth; the binary carries a copy made by scripts/embed-queries.
    @Test func embeddedQueriesMatchTheFiles() throws {
        #expect(Self.files.count == QueryCatalog.all.count)
        for file in Self.files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(QueryCatalog.all[file.deletingPathExtension().lastPathComponent] == text.trimmingCharacters(in: .newlines),
                    "\(file.lastPathComponent) changed: run scripts/embed-queries")
        }
        let providers = try String(contentsOf: packageRoot.appendingPathComponent("data/providers.txt"), encoding: .utf8)
        #expect(EmbeddedQueries.providers == providers.trimmingCharacters(in: .newlines), "run scripts/embed-queries")
    }

    /// Every report query prepares against the migrated schema, so a broken report fails here, not for a user.
    @Test func everyQueryPreparesAgainstTheSchema() throws {
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("db.sqlite"))
        var nulls: [String: SQLValue] = ["from": .integer(0), "to": .integer(1), "now": .integer(0), "domain": .null,
                                         "signing_domain": .null, "selector": .null, "vmta": .null, "mta": .null, "types": .null,
                                         "pass": .integer(1), "unknown": .integer(8), "reply": .integer(2), "minute_first": .null, "minute_end": .null,
                                         "filter": .text("selector"), "value": .text("s1"), "reporter": .null, "header_from": .null,
                                         "first_hour": .integer(0), "end_hour": .integer(3600), "delivered": .integer(1), "horizon": .integer(604_800)]
        let plan = WindowPlan(window: TimeWindow(from: 90, to: 7290), minutesFrom: 0)
        for window in ["day", "previous", "week", "window"] { nulls.merge(plan.sqlArguments(window)) { $1 } }
        for (name, sql) in QueryCatalog.all {
            let code = sql.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n")
            let used = nulls.filter { code.contains(":" + $0.key) }
            let positional = code.filter { $0 == "?" }.count
            #expect(throws: Never.self, "\(name)") {
                if positional > 0 {
                    _ = try store.query(sql, arguments: Array(repeating: .integer(0), count: positional))
                } else {
                    _ = try store.query(sql, named: used)
                }
            }
        }
    }

    @Test func everyQueryOpensWithAHeaderComment() {
        for (name, sql) in QueryCatalog.all {
            #expect(sql.hasPrefix("-- \(name):"), "\(name).sql must open with '-- \(name): what it answers'")
        }
    }
}
