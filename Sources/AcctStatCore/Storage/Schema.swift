import GRDB

/// The database schema, created and upgraded by numbered migrations.
///
/// A migration is never modified once it has shipped, and its SQL is literal: it never comes
/// from today's Swift types, whose cases may change (the stored codes it spells out are pinned
/// by ``StoredCode`` and `StoredCodeTests`).
///
/// The SQL is kept portable (no SQLite-only types in the model; `ON CONFLICT … DO UPDATE`
/// works in PostgreSQL too) so that a PostgreSQL backend can reuse it. Names are
/// dictionary-encoded in `names`; id 0 means unknown and has no row, so every key
/// column is NOT NULL and upserts work (NULLs never conflict). The views resolve names
/// back to text with NULL for unknown; reports and users query the views.
enum Schema {
    /// The migrations; a database written before schema v10 stores its rows under `upgradeMTA`
    /// (the host that upgrades it: they were written by one host, most likely this one).
    static func migrator(upgradeMTA: String = MTAName.local) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: counts, failures, ledger") { db in
            try db.execute(sql: """
                CREATE TABLE names (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    UNIQUE (kind, value)
                );
                CREATE TABLE counts (
                    hour INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    rcpt_domain_id INTEGER NOT NULL,
                    signing_domain_id INTEGER NOT NULL,
                    selector_id INTEGER NOT NULL,
                    result TEXT NOT NULL,
                    cause TEXT NOT NULL,
                    vmta_id INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (hour, type, rcpt_domain_id, signing_domain_id, selector_id, result, cause, vmta_id, source)
                ) WITHOUT ROWID;
                CREATE TABLE files (
                    id INTEGER PRIMARY KEY,
                    fingerprint TEXT NOT NULL,
                    head BLOB NOT NULL,
                    path TEXT NOT NULL,
                    compression TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    lines INTEGER NOT NULL,
                    records INTEGER NOT NULL,
                    header TEXT,
                    finished INTEGER NOT NULL,
                    end_state TEXT NOT NULL,
                    first_ingested INTEGER NOT NULL,
                    last_ingested INTEGER NOT NULL
                );
                CREATE INDEX files_by_fingerprint ON files (fingerprint);
                CREATE TABLE failures (
                    id INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    rcpt_domain_id INTEGER NOT NULL,
                    signing_domain_id INTEGER NOT NULL,
                    selector_id INTEGER NOT NULL,
                    result TEXT NOT NULL,
                    cause TEXT NOT NULL,
                    vmta_id INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    job_id TEXT,
                    dsn_status TEXT,
                    detail_id INTEGER NOT NULL,
                    file_id INTEGER NOT NULL REFERENCES files (id),
                    line INTEGER NOT NULL
                );
                CREATE INDEX failures_by_time ON failures (time);
                CREATE TABLE file_problems (
                    file_id INTEGER NOT NULL REFERENCES files (id),
                    kind TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (file_id, kind)
                );
                CREATE TABLE problem_samples (
                    id INTEGER PRIMARY KEY,
                    file_id INTEGER NOT NULL REFERENCES files (id),
                    kind TEXT NOT NULL,
                    line INTEGER,
                    message TEXT NOT NULL
                );
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    started INTEGER NOT NULL,
                    finished INTEGER NOT NULL,
                    files_read INTEGER NOT NULL,
                    records INTEGER NOT NULL,
                    errors INTEGER NOT NULL,
                    warnings INTEGER NOT NULL
                );
                CREATE VIEW counts_named AS
                SELECT c.hour, c.type, rd.value AS rcpt_domain, sd.value AS signing_domain, se.value AS selector,
                       c.result, NULLIF(c.cause, '') AS cause, vm.value AS vmta, c.source, c.count
                FROM counts c
                LEFT JOIN names rd ON rd.id = c.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = c.signing_domain_id
                LEFT JOIN names se ON se.id = c.selector_id
                LEFT JOIN names vm ON vm.id = c.vmta_id;
                CREATE VIEW failures_named AS
                SELECT f.id, f.time, f.type, rd.value AS rcpt_domain, sd.value AS signing_domain, se.value AS selector,
                       f.result, NULLIF(f.cause, '') AS cause, vm.value AS vmta, f.source, f.job_id, f.dsn_status,
                       dt.value AS detail, fl.path AS file, f.line
                FROM failures f
                LEFT JOIN names rd ON rd.id = f.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = f.signing_domain_id
                LEFT JOIN names se ON se.id = f.selector_id
                LEFT JOIN names vm ON vm.id = f.vmta_id
                LEFT JOIN names dt ON dt.id = f.detail_id
                LEFT JOIN files fl ON fl.id = f.file_id;
                """)
        }
        migrator.registerMigration("v2: newest record per file") { db in
            // The newest timeLogged seen, so `check --max-age` can tell a stalled ingest from a quiet one.
            try db.execute(sql: "ALTER TABLE files ADD COLUMN newest_record INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v3: where the signing domain and selector came from") { db in
            // key_source joins the counts key, so the table is rebuilt (a primary key cannot be altered).
            try db.execute(sql: """
                DROP VIEW counts_named;
                DROP VIEW failures_named;
                CREATE TABLE counts_v3 (
                    hour INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    rcpt_domain_id INTEGER NOT NULL,
                    signing_domain_id INTEGER NOT NULL,
                    selector_id INTEGER NOT NULL,
                    result TEXT NOT NULL,
                    cause TEXT NOT NULL,
                    vmta_id INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    key_source TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (hour, type, rcpt_domain_id, signing_domain_id, selector_id, result, cause, vmta_id, source, key_source)
                ) WITHOUT ROWID;
                INSERT INTO counts_v3
                SELECT hour, type, rcpt_domain_id, signing_domain_id, selector_id, result, cause, vmta_id, source,
                       CASE WHEN signing_domain_id <> 0 OR selector_id <> 0 THEN 'evidence' ELSE 'none' END, count
                FROM counts;
                DROP TABLE counts;
                ALTER TABLE counts_v3 RENAME TO counts;
                ALTER TABLE failures ADD COLUMN key_source TEXT NOT NULL DEFAULT 'none';
                UPDATE failures SET key_source = 'evidence' WHERE signing_domain_id <> 0 OR selector_id <> 0;
                ALTER TABLE runs ADD COLUMN config_path TEXT;
                ALTER TABLE runs ADD COLUMN config_fingerprint TEXT;
                CREATE VIEW counts_named AS
                SELECT c.hour, c.type, rd.value AS rcpt_domain, sd.value AS signing_domain, se.value AS selector,
                       c.result, NULLIF(c.cause, '') AS cause, vm.value AS vmta, c.source, c.key_source, c.count
                FROM counts c
                LEFT JOIN names rd ON rd.id = c.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = c.signing_domain_id
                LEFT JOIN names se ON se.id = c.selector_id
                LEFT JOIN names vm ON vm.id = c.vmta_id;
                CREATE VIEW failures_named AS
                SELECT f.id, f.time, f.type, rd.value AS rcpt_domain, sd.value AS signing_domain, se.value AS selector,
                       f.result, NULLIF(f.cause, '') AS cause, vm.value AS vmta, f.source, f.key_source, f.job_id, f.dsn_status,
                       dt.value AS detail, fl.path AS file, f.line
                FROM failures f
                LEFT JOIN names rd ON rd.id = f.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = f.signing_domain_id
                LEFT JOIN names se ON se.id = f.selector_id
                LEFT JOIN names vm ON vm.id = f.vmta_id
                LEFT JOIN names dt ON dt.id = f.detail_id
                LEFT JOIN files fl ON fl.id = f.file_id;
                """)
        }
        migrator.registerMigration("v4: integer codes in the counts key") { db in
            let columns = "hour, type, rcpt_domain_id, signing_domain_id, selector_id, result, cause, vmta_id, source, key_source"
            try db.execute(sql: """
                DROP VIEW counts_named;
                CREATE TABLE counts_v4 (
                    hour INTEGER NOT NULL,
                    type INTEGER NOT NULL,
                    rcpt_domain_id INTEGER NOT NULL,
                    signing_domain_id INTEGER NOT NULL,
                    selector_id INTEGER NOT NULL,
                    result INTEGER NOT NULL,
                    cause INTEGER NOT NULL,
                    vmta_id INTEGER NOT NULL,
                    source INTEGER NOT NULL,
                    key_source INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (\(columns))
                ) WITHOUT ROWID;
                INSERT INTO counts_v4 (\(columns), count)
                SELECT hour, CASE type WHEN 'd' THEN 1 WHEN 'b' THEN 2 WHEN 't' THEN 3 WHEN 'tq' THEN 4 WHEN 'r' THEN 5 WHEN 'f' THEN 6 WHEN 'rb' THEN 7 WHEN 'rs' THEN 8 ELSE 0 END, rcpt_domain_id, signing_domain_id, selector_id,
                       CASE result WHEN 'pass' THEN 1 WHEN 'fail' THEN 2 WHEN 'neutral' THEN 3 WHEN 'policy' THEN 4 WHEN 'temperror' THEN 5 WHEN 'permerror' THEN 6 WHEN 'none' THEN 7 WHEN 'unknown' THEN 8 ELSE 0 END, CASE cause WHEN 'body-hash' THEN 1 WHEN 'bad-signature' THEN 2 WHEN 'expired' THEN 3 WHEN 'no-key' THEN 4 WHEN 'revoked' THEN 5 WHEN 'weak-key' THEN 6 WHEN 'dns' THEN 7 WHEN 'syntax' THEN 8 WHEN 'unsigned' THEN 9 WHEN 'receiver-dkim' THEN 10 WHEN 'receiver-dmarc' THEN 11 WHEN 'receiver-auth' THEN 12 WHEN 'other' THEN 13 ELSE 0 END, vmta_id,
                       CASE source WHEN 'column' THEN 1 WHEN 'reply' THEN 2 WHEN 'none' THEN 3 ELSE 0 END, CASE key_source WHEN 'evidence' THEN 1 WHEN 'config' THEN 2 WHEN 'none' THEN 3 ELSE 0 END, count
                FROM counts;
                DROP TABLE counts;
                ALTER TABLE counts_v4 RENAME TO counts;
                CREATE VIEW counts_named AS
                SELECT c.hour, CASE c.type WHEN 1 THEN 'd' WHEN 2 THEN 'b' WHEN 3 THEN 't' WHEN 4 THEN 'tq' WHEN 5 THEN 'r' WHEN 6 THEN 'f' WHEN 7 THEN 'rb' WHEN 8 THEN 'rs' ELSE NULL END AS type, rd.value AS rcpt_domain, sd.value AS signing_domain,
                       se.value AS selector, CASE c.result WHEN 1 THEN 'pass' WHEN 2 THEN 'fail' WHEN 3 THEN 'neutral' WHEN 4 THEN 'policy' WHEN 5 THEN 'temperror' WHEN 6 THEN 'permerror' WHEN 7 THEN 'none' WHEN 8 THEN 'unknown' ELSE NULL END AS result, CASE c.cause WHEN 1 THEN 'body-hash' WHEN 2 THEN 'bad-signature' WHEN 3 THEN 'expired' WHEN 4 THEN 'no-key' WHEN 5 THEN 'revoked' WHEN 6 THEN 'weak-key' WHEN 7 THEN 'dns' WHEN 8 THEN 'syntax' WHEN 9 THEN 'unsigned' WHEN 10 THEN 'receiver-dkim' WHEN 11 THEN 'receiver-dmarc' WHEN 12 THEN 'receiver-auth' WHEN 13 THEN 'other' ELSE NULL END AS cause,
                       vm.value AS vmta, CASE c.source WHEN 1 THEN 'column' WHEN 2 THEN 'reply' WHEN 3 THEN 'none' ELSE NULL END AS source, CASE c.key_source WHEN 1 THEN 'evidence' WHEN 2 THEN 'config' WHEN 3 THEN 'none' ELSE NULL END AS key_source,
                       c.count
                FROM counts c
                LEFT JOIN names rd ON rd.id = c.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = c.signing_domain_id
                LEFT JOIN names se ON se.id = c.selector_id
                LEFT JOIN names vm ON vm.id = c.vmta_id;
                """)
        }
        migrator.registerMigration("v5: failures with integer codes, stored in time order") { db in
            // The same codes as counts: shorter rows, cheaper inserts; failures_named keeps the words.
            // Keyed by (time, file, line), one record's place, so the table itself is in time order:
            // report samples read a window sequentially, and an insert updates one B-tree, not two.
            try db.execute(sql: """
                DROP VIEW failures_named;
                DROP INDEX failures_by_time;
                CREATE TABLE failures_v5 (
                    time INTEGER NOT NULL,
                    type INTEGER NOT NULL,
                    rcpt_domain_id INTEGER NOT NULL,
                    signing_domain_id INTEGER NOT NULL,
                    selector_id INTEGER NOT NULL,
                    result INTEGER NOT NULL,
                    cause INTEGER NOT NULL,
                    vmta_id INTEGER NOT NULL,
                    source INTEGER NOT NULL,
                    key_source INTEGER NOT NULL,
                    job_id TEXT,
                    dsn_status TEXT,
                    detail_id INTEGER NOT NULL,
                    file_id INTEGER NOT NULL REFERENCES files (id),
                    line INTEGER NOT NULL,
                    PRIMARY KEY (time, file_id, line)
                ) WITHOUT ROWID;
                -- A record has one place, so the key is unique; OR IGNORE only guards an upgrade
                -- against a duplicate that an earlier bug could have left (it would be a double count).
                INSERT OR IGNORE INTO failures_v5
                SELECT time, CASE type WHEN 'd' THEN 1 WHEN 'b' THEN 2 WHEN 't' THEN 3 WHEN 'tq' THEN 4 WHEN 'r' THEN 5 WHEN 'f' THEN 6 WHEN 'rb' THEN 7 WHEN 'rs' THEN 8 ELSE 0 END, rcpt_domain_id, signing_domain_id, selector_id,
                       CASE result WHEN 'pass' THEN 1 WHEN 'fail' THEN 2 WHEN 'neutral' THEN 3 WHEN 'policy' THEN 4 WHEN 'temperror' THEN 5 WHEN 'permerror' THEN 6 WHEN 'none' THEN 7 WHEN 'unknown' THEN 8 ELSE 0 END, CASE cause WHEN 'body-hash' THEN 1 WHEN 'bad-signature' THEN 2 WHEN 'expired' THEN 3 WHEN 'no-key' THEN 4 WHEN 'revoked' THEN 5 WHEN 'weak-key' THEN 6 WHEN 'dns' THEN 7 WHEN 'syntax' THEN 8 WHEN 'unsigned' THEN 9 WHEN 'receiver-dkim' THEN 10 WHEN 'receiver-dmarc' THEN 11 WHEN 'receiver-auth' THEN 12 WHEN 'other' THEN 13 ELSE 0 END, vmta_id,
                       CASE source WHEN 'column' THEN 1 WHEN 'reply' THEN 2 WHEN 'none' THEN 3 ELSE 0 END, CASE key_source WHEN 'evidence' THEN 1 WHEN 'config' THEN 2 WHEN 'none' THEN 3 ELSE 0 END, job_id, dsn_status, detail_id, file_id, line
                FROM failures;
                DROP TABLE failures;
                ALTER TABLE failures_v5 RENAME TO failures;
                CREATE VIEW failures_named AS
                SELECT f.time, CASE f.type WHEN 1 THEN 'd' WHEN 2 THEN 'b' WHEN 3 THEN 't' WHEN 4 THEN 'tq' WHEN 5 THEN 'r' WHEN 6 THEN 'f' WHEN 7 THEN 'rb' WHEN 8 THEN 'rs' ELSE NULL END AS type, rd.value AS rcpt_domain, sd.value AS signing_domain,
                       se.value AS selector, CASE f.result WHEN 1 THEN 'pass' WHEN 2 THEN 'fail' WHEN 3 THEN 'neutral' WHEN 4 THEN 'policy' WHEN 5 THEN 'temperror' WHEN 6 THEN 'permerror' WHEN 7 THEN 'none' WHEN 8 THEN 'unknown' ELSE NULL END AS result, CASE f.cause WHEN 1 THEN 'body-hash' WHEN 2 THEN 'bad-signature' WHEN 3 THEN 'expired' WHEN 4 THEN 'no-key' WHEN 5 THEN 'revoked' WHEN 6 THEN 'weak-key' WHEN 7 THEN 'dns' WHEN 8 THEN 'syntax' WHEN 9 THEN 'unsigned' WHEN 10 THEN 'receiver-dkim' WHEN 11 THEN 'receiver-dmarc' WHEN 12 THEN 'receiver-auth' WHEN 13 THEN 'other' ELSE NULL END AS cause,
                       vm.value AS vmta, CASE f.source WHEN 1 THEN 'column' WHEN 2 THEN 'reply' WHEN 3 THEN 'none' ELSE NULL END AS source, CASE f.key_source WHEN 1 THEN 'evidence' WHEN 2 THEN 'config' WHEN 3 THEN 'none' ELSE NULL END AS key_source,
                       f.job_id, f.dsn_status, dt.value AS detail, fl.path AS file, f.line
                FROM failures f
                LEFT JOIN names rd ON rd.id = f.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = f.signing_domain_id
                LEFT JOIN names se ON se.id = f.selector_id
                LEFT JOIN names vm ON vm.id = f.vmta_id
                LEFT JOIN names dt ON dt.id = f.detail_id
                LEFT JOIN files fl ON fl.id = f.file_id;
                """)
        }
        migrator.registerMigration("v6: the five codes packed in one column") { db in
            // A report reads every row of its window, and SQLite's cost per row grows with its
            // columns: one `codes` column (``PackedCodes``) instead of five. Keyed by hour and
            // recipient domain first, the order the writer sorts a batch in.
            try db.execute(sql: """
                DROP VIEW counts_named;
                CREATE TABLE counts_v6 (
                    hour INTEGER NOT NULL,
                    rcpt_domain_id INTEGER NOT NULL,
                    codes INTEGER NOT NULL,
                    signing_domain_id INTEGER NOT NULL,
                    selector_id INTEGER NOT NULL,
                    vmta_id INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id)
                ) WITHOUT ROWID;
                INSERT INTO counts_v6 (hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, count)
                SELECT hour, rcpt_domain_id, type + 32 * (result + 32 * (cause + 32 * (source + 32 * (key_source)))), signing_domain_id, selector_id, vmta_id, count
                FROM counts ORDER BY hour, rcpt_domain_id;
                DROP TABLE counts;
                ALTER TABLE counts_v6 RENAME TO counts;
                CREATE VIEW counts_named AS
                SELECT c.hour, CASE c.codes % 32 WHEN 1 THEN 'd' WHEN 2 THEN 'b' WHEN 3 THEN 't' WHEN 4 THEN 'tq' WHEN 5 THEN 'r' WHEN 6 THEN 'f' WHEN 7 THEN 'rb' WHEN 8 THEN 'rs' ELSE NULL END AS type, rd.value AS rcpt_domain, sd.value AS signing_domain, se.value AS selector,
                CASE c.codes / 32 % 32 WHEN 1 THEN 'pass' WHEN 2 THEN 'fail' WHEN 3 THEN 'neutral' WHEN 4 THEN 'policy' WHEN 5 THEN 'temperror' WHEN 6 THEN 'permerror' WHEN 7 THEN 'none' WHEN 8 THEN 'unknown' ELSE NULL END AS result, CASE c.codes / 1024 % 32 WHEN 1 THEN 'body-hash' WHEN 2 THEN 'bad-signature' WHEN 3 THEN 'expired' WHEN 4 THEN 'no-key' WHEN 5 THEN 'revoked' WHEN 6 THEN 'weak-key' WHEN 7 THEN 'dns' WHEN 8 THEN 'syntax' WHEN 9 THEN 'unsigned' WHEN 10 THEN 'receiver-dkim' WHEN 11 THEN 'receiver-dmarc' WHEN 12 THEN 'receiver-auth' WHEN 13 THEN 'other' ELSE NULL END AS cause, vm.value AS vmta,
                CASE c.codes / 32768 % 32 WHEN 1 THEN 'column' WHEN 2 THEN 'reply' WHEN 3 THEN 'none' ELSE NULL END AS source, CASE c.codes / 1048576 % 32 WHEN 1 THEN 'evidence' WHEN 2 THEN 'config' WHEN 3 THEN 'none' ELSE NULL END AS key_source, c.count
                FROM counts c
                LEFT JOIN names rd ON rd.id = c.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = c.signing_domain_id
                LEFT JOIN names se ON se.id = c.selector_id
                LEFT JOIN names vm ON vm.id = c.vmta_id;

                DROP VIEW failures_named;
                CREATE TABLE failures_v6 (
                    time INTEGER NOT NULL,
                    codes INTEGER NOT NULL,
                    rcpt_domain_id INTEGER NOT NULL,
                    signing_domain_id INTEGER NOT NULL,
                    selector_id INTEGER NOT NULL,
                    vmta_id INTEGER NOT NULL,
                    job_id TEXT,
                    dsn_status TEXT,
                    detail_id INTEGER NOT NULL,
                    file_id INTEGER NOT NULL REFERENCES files (id),
                    line INTEGER NOT NULL,
                    PRIMARY KEY (time, file_id, line)
                ) WITHOUT ROWID;
                INSERT INTO failures_v6
                SELECT time, type + 32 * (result + 32 * (cause + 32 * (source + 32 * (key_source)))), rcpt_domain_id, signing_domain_id, selector_id, vmta_id,
                       job_id, dsn_status, detail_id, file_id, line
                FROM failures;
                DROP TABLE failures;
                ALTER TABLE failures_v6 RENAME TO failures;
                CREATE VIEW failures_named AS
                SELECT f.time, CASE f.codes % 32 WHEN 1 THEN 'd' WHEN 2 THEN 'b' WHEN 3 THEN 't' WHEN 4 THEN 'tq' WHEN 5 THEN 'r' WHEN 6 THEN 'f' WHEN 7 THEN 'rb' WHEN 8 THEN 'rs' ELSE NULL END AS type, rd.value AS rcpt_domain, sd.value AS signing_domain, se.value AS selector,
                CASE f.codes / 32 % 32 WHEN 1 THEN 'pass' WHEN 2 THEN 'fail' WHEN 3 THEN 'neutral' WHEN 4 THEN 'policy' WHEN 5 THEN 'temperror' WHEN 6 THEN 'permerror' WHEN 7 THEN 'none' WHEN 8 THEN 'unknown' ELSE NULL END AS result, CASE f.codes / 1024 % 32 WHEN 1 THEN 'body-hash' WHEN 2 THEN 'bad-signature' WHEN 3 THEN 'expired' WHEN 4 THEN 'no-key' WHEN 5 THEN 'revoked' WHEN 6 THEN 'weak-key' WHEN 7 THEN 'dns' WHEN 8 THEN 'syntax' WHEN 9 THEN 'unsigned' WHEN 10 THEN 'receiver-dkim' WHEN 11 THEN 'receiver-dmarc' WHEN 12 THEN 'receiver-auth' WHEN 13 THEN 'other' ELSE NULL END AS cause, vm.value AS vmta,
                CASE f.codes / 32768 % 32 WHEN 1 THEN 'column' WHEN 2 THEN 'reply' WHEN 3 THEN 'none' ELSE NULL END AS source, CASE f.codes / 1048576 % 32 WHEN 1 THEN 'evidence' WHEN 2 THEN 'config' WHEN 3 THEN 'none' ELSE NULL END AS key_source, f.job_id, f.dsn_status, dt.value AS detail, fl.path AS file, f.line
                FROM failures f
                LEFT JOIN names rd ON rd.id = f.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = f.signing_domain_id
                LEFT JOIN names se ON se.id = f.selector_id
                LEFT JOIN names vm ON vm.id = f.vmta_id
                LEFT JOIN names dt ON dt.id = f.detail_id
                LEFT JOIN files fl ON fl.id = f.file_id;
                """)
        }
        migrator.registerMigration("v7: minutes of recent counts, exact first and last seen") { db in
            // Windows exact to the minute: each counts row of an hour at or after store_state's
            // minute_counts_from (a whole hour) carries its records' minutes (``MinuteDetail``).
            // selector_seen keeps each signing key's first and last record to the second.
            // files.disk_bytes is a content's size on disk when last read, so a finished gzip that
            // has grown since (a member appended) is read on.
            // A database written before has neither: its first and last seen are its hours' (the
            // last capped at the newest record), and its minutes start with the hour after its newest.
            try db.execute(sql: """
                ALTER TABLE counts ADD COLUMN minutes BLOB;
                ALTER TABLE files ADD COLUMN disk_bytes INTEGER NOT NULL DEFAULT 0;
                DROP VIEW counts_named;
                CREATE VIEW counts_named AS
                SELECT c.hour, CASE c.codes % 32 WHEN 1 THEN 'd' WHEN 2 THEN 'b' WHEN 3 THEN 't' WHEN 4 THEN 'tq' WHEN 5 THEN 'r' WHEN 6 THEN 'f' WHEN 7 THEN 'rb' WHEN 8 THEN 'rs' ELSE NULL END AS type, rd.value AS rcpt_domain, sd.value AS signing_domain, se.value AS selector,
                CASE c.codes / 32 % 32 WHEN 1 THEN 'pass' WHEN 2 THEN 'fail' WHEN 3 THEN 'neutral' WHEN 4 THEN 'policy' WHEN 5 THEN 'temperror' WHEN 6 THEN 'permerror' WHEN 7 THEN 'none' WHEN 8 THEN 'unknown' ELSE NULL END AS result, CASE c.codes / 1024 % 32 WHEN 1 THEN 'body-hash' WHEN 2 THEN 'bad-signature' WHEN 3 THEN 'expired' WHEN 4 THEN 'no-key' WHEN 5 THEN 'revoked' WHEN 6 THEN 'weak-key' WHEN 7 THEN 'dns' WHEN 8 THEN 'syntax' WHEN 9 THEN 'unsigned' WHEN 10 THEN 'receiver-dkim' WHEN 11 THEN 'receiver-dmarc' WHEN 12 THEN 'receiver-auth' WHEN 13 THEN 'other' ELSE NULL END AS cause, vm.value AS vmta,
                CASE c.codes / 32768 % 32 WHEN 1 THEN 'column' WHEN 2 THEN 'reply' WHEN 3 THEN 'none' ELSE NULL END AS source, CASE c.codes / 1048576 % 32 WHEN 1 THEN 'evidence' WHEN 2 THEN 'config' WHEN 3 THEN 'none' ELSE NULL END AS key_source, c.count, c.minutes
                FROM counts c
                LEFT JOIN names rd ON rd.id = c.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = c.signing_domain_id
                LEFT JOIN names se ON se.id = c.selector_id
                LEFT JOIN names vm ON vm.id = c.vmta_id;
                CREATE TABLE selector_seen (
                    signing_domain_id INTEGER NOT NULL,
                    selector_id INTEGER NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    PRIMARY KEY (signing_domain_id, selector_id)
                ) WITHOUT ROWID;
                INSERT INTO selector_seen (signing_domain_id, selector_id, first_seen, last_seen)
                SELECT signing_domain_id, selector_id, MIN(hour),
                       MAX(MIN(MAX(hour) + 3599, (SELECT COALESCE(MAX(newest_record), 0) FROM files)), MIN(hour))
                FROM counts
                WHERE signing_domain_id <> 0 AND selector_id <> 0
                GROUP BY signing_domain_id, selector_id;
                CREATE TABLE store_state (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                INSERT INTO store_state (name, value)
                SELECT 'minute_counts_from', COALESCE((MAX(newest_record) / 3600 + 1) * 3600, 0) FROM files;
                """)
        }
        migrator.registerMigration("v8: other signatures' verdicts, the MX's provider") { db in
            // A record counts once in counts, under the verdict DMARC reads (a pass when any of its
            // signatures passed, else the first). Its other signatures' verdicts are counted here,
            // each under its own signing domain and selector, with the record's hour, type,
            // recipient and vmta: counts plus other_signatures is one row per signature verdict
            // (the signature_counts view), what the per-selector reports count. Most records carry
            // one signature, so this table stays small.
            // codes gains a sixth field, the provider of the receiving MX (MailboxHost), 0 for
            // none: rows written before keep their codes. The views name it mx_provider.
            try db.execute(sql: """
                CREATE TABLE other_signatures (
                    hour INTEGER NOT NULL,
                    rcpt_domain_id INTEGER NOT NULL,
                    codes INTEGER NOT NULL,
                    signing_domain_id INTEGER NOT NULL,
                    selector_id INTEGER NOT NULL,
                    vmta_id INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    minutes BLOB,
                    PRIMARY KEY (hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id)
                ) WITHOUT ROWID;
                CREATE VIEW signature_counts AS
                SELECT hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, count, minutes FROM counts
                UNION ALL
                SELECT hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, count, minutes FROM other_signatures;
                DROP VIEW counts_named;
                CREATE VIEW counts_named AS
                SELECT c.hour, CASE c.codes % 32 WHEN 1 THEN 'd' WHEN 2 THEN 'b' WHEN 3 THEN 't' WHEN 4 THEN 'tq' WHEN 5 THEN 'r' WHEN 6 THEN 'f' WHEN 7 THEN 'rb' WHEN 8 THEN 'rs' ELSE NULL END AS type, rd.value AS rcpt_domain, sd.value AS signing_domain, se.value AS selector,
                CASE c.codes / 32 % 32 WHEN 1 THEN 'pass' WHEN 2 THEN 'fail' WHEN 3 THEN 'neutral' WHEN 4 THEN 'policy' WHEN 5 THEN 'temperror' WHEN 6 THEN 'permerror' WHEN 7 THEN 'none' WHEN 8 THEN 'unknown' ELSE NULL END AS result, CASE c.codes / 1024 % 32 WHEN 1 THEN 'body-hash' WHEN 2 THEN 'bad-signature' WHEN 3 THEN 'expired' WHEN 4 THEN 'no-key' WHEN 5 THEN 'revoked' WHEN 6 THEN 'weak-key' WHEN 7 THEN 'dns' WHEN 8 THEN 'syntax' WHEN 9 THEN 'unsigned' WHEN 10 THEN 'receiver-dkim' WHEN 11 THEN 'receiver-dmarc' WHEN 12 THEN 'receiver-auth' WHEN 13 THEN 'other' ELSE NULL END AS cause, vm.value AS vmta,
                CASE c.codes / 32768 % 32 WHEN 1 THEN 'column' WHEN 2 THEN 'reply' WHEN 3 THEN 'none' ELSE NULL END AS source, CASE c.codes / 1048576 % 32 WHEN 1 THEN 'evidence' WHEN 2 THEN 'config' WHEN 3 THEN 'none' ELSE NULL END AS key_source,
                CASE c.codes / 33554432 % 32 WHEN 1 THEN 'Google' WHEN 2 THEN 'Microsoft' WHEN 3 THEN 'Yahoo' WHEN 4 THEN 'Apple' WHEN 5 THEN 'Zoho' WHEN 6 THEN 'Proton' WHEN 7 THEN 'Fastmail' WHEN 8 THEN 'Yandex' WHEN 9 THEN 'GMX/Web.de' WHEN 10 THEN 'Mail.ru' ELSE NULL END AS mx_provider, c.count, c.minutes
                FROM counts c
                LEFT JOIN names rd ON rd.id = c.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = c.signing_domain_id
                LEFT JOIN names se ON se.id = c.selector_id
                LEFT JOIN names vm ON vm.id = c.vmta_id;
                CREATE VIEW signature_counts_named AS
                SELECT c.hour, CASE c.codes % 32 WHEN 1 THEN 'd' WHEN 2 THEN 'b' WHEN 3 THEN 't' WHEN 4 THEN 'tq' WHEN 5 THEN 'r' WHEN 6 THEN 'f' WHEN 7 THEN 'rb' WHEN 8 THEN 'rs' ELSE NULL END AS type, rd.value AS rcpt_domain, sd.value AS signing_domain, se.value AS selector,
                CASE c.codes / 32 % 32 WHEN 1 THEN 'pass' WHEN 2 THEN 'fail' WHEN 3 THEN 'neutral' WHEN 4 THEN 'policy' WHEN 5 THEN 'temperror' WHEN 6 THEN 'permerror' WHEN 7 THEN 'none' WHEN 8 THEN 'unknown' ELSE NULL END AS result, CASE c.codes / 1024 % 32 WHEN 1 THEN 'body-hash' WHEN 2 THEN 'bad-signature' WHEN 3 THEN 'expired' WHEN 4 THEN 'no-key' WHEN 5 THEN 'revoked' WHEN 6 THEN 'weak-key' WHEN 7 THEN 'dns' WHEN 8 THEN 'syntax' WHEN 9 THEN 'unsigned' WHEN 10 THEN 'receiver-dkim' WHEN 11 THEN 'receiver-dmarc' WHEN 12 THEN 'receiver-auth' WHEN 13 THEN 'other' ELSE NULL END AS cause, vm.value AS vmta,
                CASE c.codes / 32768 % 32 WHEN 1 THEN 'column' WHEN 2 THEN 'reply' WHEN 3 THEN 'none' ELSE NULL END AS source, CASE c.codes / 1048576 % 32 WHEN 1 THEN 'evidence' WHEN 2 THEN 'config' WHEN 3 THEN 'none' ELSE NULL END AS key_source,
                CASE c.codes / 33554432 % 32 WHEN 1 THEN 'Google' WHEN 2 THEN 'Microsoft' WHEN 3 THEN 'Yahoo' WHEN 4 THEN 'Apple' WHEN 5 THEN 'Zoho' WHEN 6 THEN 'Proton' WHEN 7 THEN 'Fastmail' WHEN 8 THEN 'Yandex' WHEN 9 THEN 'GMX/Web.de' WHEN 10 THEN 'Mail.ru' ELSE NULL END AS mx_provider, c.count, c.minutes
                FROM signature_counts c
                LEFT JOIN names rd ON rd.id = c.rcpt_domain_id
                LEFT JOIN names sd ON sd.id = c.signing_domain_id
                LEFT JOIN names se ON se.id = c.selector_id
                LEFT JOIN names vm ON vm.id = c.vmta_id;
                """)
        }
        migrator.registerMigration("v9: DMARC aggregate reports, own source IPs") { db in
            // A report is stored once per (reporter, report_id), whatever file or mail brings it.
            // Its records and their DKIM signatures are kept as the receiver wrote them (text, not
            // name ids: a day brings thousands of rows, not millions). A file's ledger row says what
            // it was (kind); report files count no records, so the ledger still sums to the counts.
            // source_ips: the addresses the accounting logs show mail leaving from (dlvSourceIp).
            try db.execute(sql: """
                ALTER TABLE files ADD COLUMN kind TEXT NOT NULL DEFAULT 'accounting';
                CREATE TABLE dmarc_reports (
                    id INTEGER PRIMARY KEY,
                    reporter TEXT NOT NULL,
                    report_id TEXT NOT NULL,
                    reporter_email TEXT NOT NULL,
                    begin_time INTEGER NOT NULL,
                    end_time INTEGER NOT NULL,
                    policy_domain TEXT NOT NULL,
                    policy_p TEXT NOT NULL,
                    policy_sp TEXT NOT NULL,
                    policy_pct INTEGER,
                    policy_adkim TEXT NOT NULL,
                    policy_aspf TEXT NOT NULL,
                    file_id INTEGER NOT NULL,
                    UNIQUE (reporter, report_id)
                );
                CREATE INDEX dmarc_reports_by_begin ON dmarc_reports (begin_time);
                CREATE TABLE dmarc_records (
                    id INTEGER PRIMARY KEY,
                    report INTEGER NOT NULL REFERENCES dmarc_reports (id),
                    source_ip TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    disposition TEXT NOT NULL,
                    dmarc_dkim TEXT NOT NULL,
                    dmarc_spf TEXT NOT NULL,
                    header_from TEXT NOT NULL,
                    envelope_from TEXT NOT NULL
                );
                CREATE INDEX dmarc_records_by_report ON dmarc_records (report);
                CREATE TABLE dmarc_signatures (
                    record INTEGER NOT NULL REFERENCES dmarc_records (id),
                    position INTEGER NOT NULL,
                    domain TEXT NOT NULL,
                    selector TEXT NOT NULL,
                    result TEXT NOT NULL,
                    human_result TEXT NOT NULL,
                    PRIMARY KEY (record, position)
                ) WITHOUT ROWID;
                CREATE TABLE source_ips (
                    ip TEXT PRIMARY KEY,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v10: the PowerMTA host (mta) of every count, failure and ledger row") { db in
            // Many hosts can write one database: each count, failure and ledger row names its host
            // (`--mta`, a name of kind 'mta'). Rows written before are the upgrading host's. The
            // counts tables are rebuilt, as mta_id joins their primary key; each host's ledger is its
            // own (a copy of the same content on two hosts is two hosts' records).
            let hasRows = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM files) OR EXISTS (SELECT 1 FROM counts)") ?? false
            var mta: Int64 = 0
            if hasRows {
                try db.execute(sql: "INSERT INTO names (kind, value) VALUES ('mta', ?) ON CONFLICT (kind, value) DO NOTHING",
                               arguments: [upgradeMTA])
                mta = try Int64.fetchOne(db, sql: "SELECT id FROM names WHERE kind = 'mta' AND value = ?", arguments: [upgradeMTA]) ?? 0
            }
            let key = "hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, mta_id"
            var rebuilt = "DROP VIEW signature_counts_named; DROP VIEW signature_counts; DROP VIEW counts_named; DROP VIEW failures_named;"
            for table in ["counts", "other_signatures"] {
                rebuilt += """
                    CREATE TABLE \(table)_v10 (
                        hour INTEGER NOT NULL,
                        rcpt_domain_id INTEGER NOT NULL,
                        codes INTEGER NOT NULL,
                        signing_domain_id INTEGER NOT NULL,
                        selector_id INTEGER NOT NULL,
                        vmta_id INTEGER NOT NULL,
                        mta_id INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        minutes BLOB,
                        PRIMARY KEY (\(key))
                    ) WITHOUT ROWID;
                    INSERT INTO \(table)_v10 (\(key), count, minutes)
                    SELECT hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, \(mta), count, minutes FROM \(table);
                    DROP TABLE \(table);
                    ALTER TABLE \(table)_v10 RENAME TO \(table);

                    """
            }
            try db.execute(sql: rebuilt + """
                ALTER TABLE failures ADD COLUMN mta_id INTEGER NOT NULL DEFAULT \(mta);
                ALTER TABLE files ADD COLUMN mta_id INTEGER NOT NULL DEFAULT \(mta);
                ALTER TABLE runs ADD COLUMN mta_id INTEGER NOT NULL DEFAULT \(mta);
                DROP INDEX files_by_fingerprint;
                CREATE INDEX files_by_fingerprint ON files (fingerprint, mta_id);
                """ + v10Views)
        }
        return migrator
    }

    /// The views as of v10, in SQLite's v10 migration and PostgreSQL's schema alike (the same SQL
    /// runs on both): each of them resolves the names and spells out the codes. Frozen, like a migration.
    static let v10Views: String = {
        let type = "CASE c.codes % 32 WHEN 1 THEN 'd' WHEN 2 THEN 'b' WHEN 3 THEN 't' WHEN 4 THEN 'tq' WHEN 5 THEN 'r' WHEN 6 THEN 'f' WHEN 7 THEN 'rb' WHEN 8 THEN 'rs' ELSE NULL END AS type"
        let result = "CASE c.codes / 32 % 32 WHEN 1 THEN 'pass' WHEN 2 THEN 'fail' WHEN 3 THEN 'neutral' WHEN 4 THEN 'policy' WHEN 5 THEN 'temperror' WHEN 6 THEN 'permerror' WHEN 7 THEN 'none' WHEN 8 THEN 'unknown' ELSE NULL END AS result"
        let cause = "CASE c.codes / 1024 % 32 WHEN 1 THEN 'body-hash' WHEN 2 THEN 'bad-signature' WHEN 3 THEN 'expired' WHEN 4 THEN 'no-key' WHEN 5 THEN 'revoked' WHEN 6 THEN 'weak-key' WHEN 7 THEN 'dns' WHEN 8 THEN 'syntax' WHEN 9 THEN 'unsigned' WHEN 10 THEN 'receiver-dkim' WHEN 11 THEN 'receiver-dmarc' WHEN 12 THEN 'receiver-auth' WHEN 13 THEN 'other' ELSE NULL END AS cause"
        let source = "CASE c.codes / 32768 % 32 WHEN 1 THEN 'column' WHEN 2 THEN 'reply' WHEN 3 THEN 'none' ELSE NULL END AS source"
        let keySource = "CASE c.codes / 1048576 % 32 WHEN 1 THEN 'evidence' WHEN 2 THEN 'config' WHEN 3 THEN 'none' ELSE NULL END AS key_source"
        let provider = "CASE c.codes / 33554432 % 32 WHEN 1 THEN 'Google' WHEN 2 THEN 'Microsoft' WHEN 3 THEN 'Yahoo' WHEN 4 THEN 'Apple' WHEN 5 THEN 'Zoho' WHEN 6 THEN 'Proton' WHEN 7 THEN 'Fastmail' WHEN 8 THEN 'Yandex' WHEN 9 THEN 'GMX/Web.de' WHEN 10 THEN 'Mail.ru' ELSE NULL END AS mx_provider"
        let codes = "\(type), rd.value AS rcpt_domain, sd.value AS signing_domain, se.value AS selector, \(result), \(cause), vm.value AS vmta, \(source), \(keySource), \(provider), mt.value AS mta"
        let joins = """
            LEFT JOIN names rd ON rd.id = c.rcpt_domain_id
            LEFT JOIN names sd ON sd.id = c.signing_domain_id
            LEFT JOIN names se ON se.id = c.selector_id
            LEFT JOIN names vm ON vm.id = c.vmta_id
            LEFT JOIN names mt ON mt.id = c.mta_id
            """
        let key = "hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, mta_id"
        return """
            CREATE VIEW signature_counts AS
            SELECT \(key), count, minutes FROM counts
            UNION ALL
            SELECT \(key), count, minutes FROM other_signatures;
            CREATE VIEW counts_named AS
            SELECT c.hour, \(codes), c.count, c.minutes
            FROM counts c
            \(joins);
            CREATE VIEW signature_counts_named AS
            SELECT c.hour, \(codes), c.count, c.minutes
            FROM signature_counts c
            \(joins);
            CREATE VIEW failures_named AS
            SELECT c.time, \(codes), c.job_id, c.dsn_status, dt.value AS detail, fl.path AS file, c.line
            FROM failures c
            \(joins)
            LEFT JOIN names dt ON dt.id = c.detail_id
            LEFT JOIN files fl ON fl.id = c.file_id;
            """
    }()
}
