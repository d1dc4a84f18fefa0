import Testing
@testable import AcctStatCore

@Suite struct StoreLocationTests {
    @Test func aPathIsSQLiteAndAURLIsPostgreSQL() throws {
        #expect(try StoreLocation("/var/lib/acctstat/acctstat.sqlite") == .sqlite(path: "/var/lib/acctstat/acctstat.sqlite"))
        guard case .postgres(let target) = try StoreLocation("postgresql://acct:p%40ss@db.example:6432/fleet?sslmode=require",
                                                               environment: [:]) else {
            Issue.record("not PostgreSQL")
            return
        }
        #expect(target.user == "acct" && target.password == "p@ss" && target.host == "db.example" && target.port == 6432)
        #expect(target.database == "fleet" && target.sslMode == "require")
        #expect(target.description == "postgres://acct@db.example:6432/fleet")
    }

    @Test func thePasswordComesFromTheURLThenPGPASSWORDThenPgpass() throws {
        let dir = TemporaryDirectory()
        dir.write("pgpass", "# comment\nother:5432:*:acct:nope\ndb.example:5432:fleet:acct:from\\:file\n*:*:*:*:fallback\n")
        func password(_ url: String, _ environment: [String: String]) throws -> String? {
            try PostgresTarget(url: url, environment: environment).password
        }
        let file = ["PGPASSFILE": dir.file("pgpass")]
        #expect(try password("postgres://acct:inurl@db.example/fleet", file.merging(["PGPASSWORD": "env"]) { $1 }) == "inurl")
        #expect(try password("postgres://acct@db.example/fleet", file.merging(["PGPASSWORD": "env"]) { $1 }) == "env")
        #expect(try password("postgres://acct@db.example/fleet", file) == "from:file")
        #expect(try password("postgres://acct@db.example:5433/fleet", file) == "fallback")
        #expect(try password("postgres://acct@db.example/fleet", [:]) == nil)
    }

    @Test func aBadURLSaysWhatIsMissingWithoutThePassword() {
        for (url, message) in [("postgres://u:s3cret@/fleet", "names no host"), ("postgres://u:s3cret@h", "names no database"),
                               ("postgres://u@h/db?sslmode=maybe", "sslmode takes"), ("postgres://u@h/db?timeout=3", "not supported")] {
            #expect(throws: StoreError.self) { try StoreLocation(url, environment: [:]) }
            do {
                _ = try StoreLocation(url, environment: [:])
            } catch {
                #expect("\(error)".contains(message) && !"\(error)".contains("s3cret"), "\(error)")
            }
        }
    }

    @Test func sqliteParametersBecomePostgresOnes() throws {
        let (sql, binds) = try PostgresValues.translate(
            "SELECT ':x', a FROM t WHERE a = :x AND b = :y AND (:z IS NULL OR c = :z) -- :w\nAND d = :x",
            named: ["x": .integer(1), "y": .text("b"), "z": .null])
        #expect(sql == "SELECT ':x', a FROM t WHERE a = $1 AND b = $2 AND (NULL IS NULL OR c = NULL) -- :w\nAND d = $1")
        #expect(binds.count == 2)
        #expect(throws: StoreError.self) { try PostgresValues.translate("SELECT :missing") }
        #expect(try PostgresValues.translate("SELECT ? + ?", positional: [.integer(1), .integer(2)]).0 == "SELECT $1 + $2")
    }

    @Test func statementsSplitOutsideQuotesAndFunctionBodies() {
        let sql = "CREATE TABLE a (x TEXT DEFAULT ';');\nCREATE FUNCTION f() RETURNS INT LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\n-- a; comment\nSELECT 1"
        #expect(PostgresConnectionBridge.statements(sql).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } == [
            "CREATE TABLE a (x TEXT DEFAULT ';')",
            "CREATE FUNCTION f() RETURNS INT LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$",
            "-- a; comment\nSELECT 1",
        ])
    }

    @Test func monthlyPartitionsCoverWholeUTCMonths() {
        for (instant, month, start) in [(Int64(0), 0, Int64(0)), (1_796_083_199, 682, 1_793_491_200), (1_796_083_200, 683, 1_796_083_200),
                                        (951_782_400, 361, 949_363_200), (-1, -1, -2_678_400)] {
            #expect(PostgresSchema.month(of: instant) == month, "\(instant)")
            #expect(PostgresSchema.epoch(ofMonth: month) == start, "\(month)")
        }
        #expect(PostgresSchema.partitionDDL(table: "counts", month: 683)
                == "CREATE TABLE IF NOT EXISTS counts_2026_12 PARTITION OF counts FOR VALUES FROM (1796083200) TO (1798761600)")
    }
}
