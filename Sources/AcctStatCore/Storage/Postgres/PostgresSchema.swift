/// The PostgreSQL schema: the SQLite schema's tables, views and columns, with the same names,
/// codes and version numbers, so the reports' SQL in `queries/` runs unchanged on both.
///
/// Differences, each for PostgreSQL's sake:
/// - `counts`, `other_signatures` and `failures` are partitioned by month on their time column
///   (``partitionDDL(table:month:)``), so old months can be dropped whole (`acctstat prune`);
/// - text is `COLLATE "C"`: byte order, as SQLite sorts, whatever the server's locale, so both
///   backends give the same output byte for byte;
/// - the minutes functions SQLite gets from Swift (``MinuteDetail``) are PL/pgSQL here, with the
///   same encoding;
/// - `counts` and `other_signatures` have no unique key, only an index on `hour`: their writer
///   keeps keys unique (``PostgresCommitter``), with `mta_hours`, the hours each host has rows
///   in, whose rows it locks. SQLite needs no such list.
///
/// A migration, like SQLite's, is never changed once shipped. The first creates the schema as of
/// SQLite's v10 in one step and records v1 to v10 (no PostgreSQL database existed before).
enum PostgresSchema {
    /// Identifiers of the applied migrations, in the order they are applied.
    static let migrations: [(identifier: String, sql: String)] = [
        ("v1 to v10: the schema as of v10", v10),
        ("v10 mta_hours: the hours each host has counts in", """
            CREATE TABLE mta_hours (mta_id BIGINT NOT NULL, hour BIGINT NOT NULL, PRIMARY KEY (mta_id, hour));
            INSERT INTO mta_hours (mta_id, hour)
                SELECT DISTINCT mta_id, hour FROM counts UNION SELECT DISTINCT mta_id, hour FROM other_signatures
            """),
        // The same sums as v10's, three times as fast: no 60-minute array per row (a check's
        // partial hours call it on every row of the hour).
        ("v10 acctstat_minutes_in sums as it reads", """
            CREATE OR REPLACE FUNCTION acctstat_minutes_in(blob BYTEA, first BIGINT, finish BIGINT) RETURNS BIGINT
            LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
            DECLARE
                i INT := 0; n INT; minute INT; b INT; c BIGINT; shift INT; total BIGINT := 0;
            BEGIN
                IF blob IS NULL OR first IS NULL OR finish IS NULL OR first >= finish THEN RETURN 0; END IF;
                n := length(blob);
                WHILE i < n LOOP
                    minute := get_byte(blob, i); i := i + 1; c := 0; shift := 0;
                    LOOP
                        -- A count cut short, or one too long: what came before it counts, as acctstat_minutes_decode reads it.
                        IF i >= n OR shift >= 63 THEN RETURN total; END IF;
                        b := get_byte(blob, i); i := i + 1;
                        c := c | ((b & 127)::BIGINT << shift); shift := shift + 7;
                        EXIT WHEN b < 128;
                    END LOOP;
                    IF minute >= 60 THEN RETURN total; END IF;
                    IF minute >= first AND minute < finish THEN total := total + c; END IF;
                END LOOP;
                RETURN total;
            END $$
            """),
        ("v10 counts keyed by their writer: an index on hour", """
            ALTER TABLE counts DROP CONSTRAINT counts_pkey;
            ALTER TABLE other_signatures DROP CONSTRAINT other_signatures_pkey;
            CREATE INDEX counts_by_hour ON counts (hour);
            CREATE INDEX other_signatures_by_hour ON other_signatures (hour)
            """),
    ]

    /// The months a partitioned table covers are created as data arrives: one partition per UTC month.
    static let partitionedTables = ["counts": "hour", "other_signatures": "hour", "failures": "time"]

    /// The partition of `table` holding `month` (UTC months since 1970-01), created if missing.
    static func partitionDDL(table: String, month: Int) -> String {
        let (year, monthOfYear) = (1970 + month / 12, month % 12 + 1)
        let name = "\(table)_\(year)_\(monthOfYear < 10 ? "0" : "")\(monthOfYear)"
        return "CREATE TABLE IF NOT EXISTS \(name) PARTITION OF \(table) FOR VALUES FROM (\(epoch(ofMonth: month))) TO (\(epoch(ofMonth: month + 1)))"
    }

    /// The UTC month (months since 1970-01) of an instant.
    static func month(of instant: Int64) -> Int {
        let days = floorDivide(instant, 86400)
        // Civil-from-days (Howard Hinnant's algorithm), only the year and month.
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let monthOfYear = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (monthOfYear <= 2 ? 1 : 0)
        return Int((year - 1970) * 12 + monthOfYear - 1)
    }

    /// The first instant of a UTC month (months since 1970-01).
    static func epoch(ofMonth month: Int) -> Int64 {
        let year = Int64(1970 + floorDivide(Int64(month), 12))
        let monthOfYear = Int64(month) - (year - 1970) * 12 + 1
        // Days-from-civil (Howard Hinnant's algorithm).
        let y = monthOfYear <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (monthOfYear > 2 ? monthOfYear - 3 : monthOfYear + 9) + 2) / 5
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return (era * 146_097 + dayOfEra - 719_468) * 86400
    }

    /// `counts` or `other_signatures` (the same columns), partitioned by month on `hour`.
    private static func countsTable(_ name: String) -> String {
        """
        CREATE TABLE \(name) (
            hour BIGINT NOT NULL,
            rcpt_domain_id BIGINT NOT NULL,
            codes BIGINT NOT NULL,
            signing_domain_id BIGINT NOT NULL,
            selector_id BIGINT NOT NULL,
            vmta_id BIGINT NOT NULL,
            mta_id BIGINT NOT NULL,
            count BIGINT NOT NULL,
            minutes BYTEA,
            PRIMARY KEY (hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, mta_id)
        ) PARTITION BY RANGE (hour);

        """
    }

    /// v10's tables and functions, then the views SQLite's v10 has (``Schema/v10Views``).
    private static let v10 = countsTable("counts") + countsTable("other_signatures") + v10TablesAndFunctions + Schema.v10Views

    private static let v10TablesAndFunctions = #"""
        CREATE TABLE names (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            kind TEXT COLLATE "C" NOT NULL,
            value TEXT COLLATE "C" NOT NULL,
            UNIQUE (kind, value)
        );
        CREATE TABLE files (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            fingerprint TEXT COLLATE "C" NOT NULL,
            head BYTEA NOT NULL,
            path TEXT COLLATE "C" NOT NULL,
            compression TEXT COLLATE "C" NOT NULL,
            bytes BIGINT NOT NULL,
            lines BIGINT NOT NULL,
            records BIGINT NOT NULL,
            header TEXT COLLATE "C",
            finished BIGINT NOT NULL,
            end_state TEXT COLLATE "C" NOT NULL,
            first_ingested BIGINT NOT NULL,
            last_ingested BIGINT NOT NULL,
            newest_record BIGINT NOT NULL DEFAULT 0,
            disk_bytes BIGINT NOT NULL DEFAULT 0,
            kind TEXT COLLATE "C" NOT NULL DEFAULT 'accounting',
            mta_id BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX files_by_fingerprint ON files (fingerprint, mta_id);
        CREATE TABLE failures (
            time BIGINT NOT NULL,
            codes BIGINT NOT NULL,
            rcpt_domain_id BIGINT NOT NULL,
            signing_domain_id BIGINT NOT NULL,
            selector_id BIGINT NOT NULL,
            vmta_id BIGINT NOT NULL,
            job_id TEXT COLLATE "C",
            dsn_status TEXT COLLATE "C",
            detail_id BIGINT NOT NULL,
            file_id BIGINT NOT NULL,
            line BIGINT NOT NULL,
            mta_id BIGINT NOT NULL,
            PRIMARY KEY (time, file_id, line)
        ) PARTITION BY RANGE (time);
        CREATE TABLE file_problems (
            file_id BIGINT NOT NULL REFERENCES files (id),
            kind TEXT COLLATE "C" NOT NULL,
            count BIGINT NOT NULL,
            PRIMARY KEY (file_id, kind)
        );
        CREATE TABLE problem_samples (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            file_id BIGINT NOT NULL REFERENCES files (id),
            kind TEXT COLLATE "C" NOT NULL,
            line BIGINT,
            message TEXT COLLATE "C" NOT NULL
        );
        CREATE TABLE runs (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            started BIGINT NOT NULL,
            finished BIGINT NOT NULL,
            files_read BIGINT NOT NULL,
            records BIGINT NOT NULL,
            errors BIGINT NOT NULL,
            warnings BIGINT NOT NULL,
            config_path TEXT COLLATE "C",
            config_fingerprint TEXT COLLATE "C",
            mta_id BIGINT NOT NULL DEFAULT 0
        );
        CREATE TABLE selector_seen (
            signing_domain_id BIGINT NOT NULL,
            selector_id BIGINT NOT NULL,
            first_seen BIGINT NOT NULL,
            last_seen BIGINT NOT NULL,
            PRIMARY KEY (signing_domain_id, selector_id)
        );
        CREATE TABLE store_state (
            name TEXT COLLATE "C" PRIMARY KEY,
            value BIGINT NOT NULL
        );
        INSERT INTO store_state (name, value) VALUES ('minute_counts_from', 0);
        CREATE TABLE dmarc_reports (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            reporter TEXT COLLATE "C" NOT NULL,
            report_id TEXT COLLATE "C" NOT NULL,
            reporter_email TEXT COLLATE "C" NOT NULL,
            begin_time BIGINT NOT NULL,
            end_time BIGINT NOT NULL,
            policy_domain TEXT COLLATE "C" NOT NULL,
            policy_p TEXT COLLATE "C" NOT NULL,
            policy_sp TEXT COLLATE "C" NOT NULL,
            policy_pct BIGINT,
            policy_adkim TEXT COLLATE "C" NOT NULL,
            policy_aspf TEXT COLLATE "C" NOT NULL,
            file_id BIGINT NOT NULL,
            UNIQUE (reporter, report_id)
        );
        CREATE INDEX dmarc_reports_by_begin ON dmarc_reports (begin_time);
        CREATE TABLE dmarc_records (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            report BIGINT NOT NULL REFERENCES dmarc_reports (id),
            source_ip TEXT COLLATE "C" NOT NULL,
            count BIGINT NOT NULL,
            disposition TEXT COLLATE "C" NOT NULL,
            dmarc_dkim TEXT COLLATE "C" NOT NULL,
            dmarc_spf TEXT COLLATE "C" NOT NULL,
            header_from TEXT COLLATE "C" NOT NULL,
            envelope_from TEXT COLLATE "C" NOT NULL
        );
        CREATE INDEX dmarc_records_by_report ON dmarc_records (report);
        CREATE TABLE dmarc_signatures (
            record BIGINT NOT NULL REFERENCES dmarc_records (id),
            position BIGINT NOT NULL,
            domain TEXT COLLATE "C" NOT NULL,
            selector TEXT COLLATE "C" NOT NULL,
            result TEXT COLLATE "C" NOT NULL,
            human_result TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (record, position)
        );
        CREATE TABLE source_ips (
            ip TEXT COLLATE "C" PRIMARY KEY,
            first_seen BIGINT NOT NULL,
            last_seen BIGINT NOT NULL
        );

        -- The minutes of an hourly count (MinuteDetail): (minute, LEB128 count) pairs in minute order.
        CREATE FUNCTION acctstat_minutes_decode(blob BYTEA) RETURNS BIGINT[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        DECLARE
            counts BIGINT[] := array_fill(0::BIGINT, ARRAY[60]);
            i INT := 0; n INT; minute INT; b INT; c BIGINT; shift INT; complete BOOLEAN;
        BEGIN
            IF blob IS NULL THEN RETURN counts; END IF;
            n := length(blob);
            WHILE i < n LOOP
                minute := get_byte(blob, i); i := i + 1; c := 0; shift := 0; complete := false;
                WHILE i < n AND shift < 63 LOOP
                    b := get_byte(blob, i); i := i + 1;
                    c := c | ((b & 127)::BIGINT << shift); shift := shift + 7;
                    IF b < 128 THEN complete := true; EXIT; END IF;
                END LOOP;
                IF NOT complete OR minute >= 60 THEN RETURN counts; END IF;
                counts[minute + 1] := counts[minute + 1] + c;
            END LOOP;
            RETURN counts;
        END $$;
        CREATE FUNCTION acctstat_minutes_encode(counts BIGINT[]) RETURNS BYTEA LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        DECLARE
            bytes INT[] := '{}'; rest BIGINT;
        BEGIN
            FOR minute IN 0..59 LOOP
                rest := counts[minute + 1];
                CONTINUE WHEN rest IS NULL OR rest <= 0;
                bytes := bytes || minute;
                WHILE rest >= 128 LOOP
                    bytes := bytes || ((rest & 127) | 128)::INT;
                    rest := rest >> 7;
                END LOOP;
                bytes := bytes || rest::INT;
            END LOOP;
            RETURN decode(COALESCE((SELECT string_agg(lpad(to_hex(v), 2, '0'), '' ORDER BY o)
                                    FROM unnest(bytes) WITH ORDINALITY AS t(v, o)), ''), 'hex');
        END $$;
        CREATE FUNCTION acctstat_minutes_in(blob BYTEA, first BIGINT, finish BIGINT) RETURNS BIGINT LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        DECLARE
            counts BIGINT[]; total BIGINT := 0;
        BEGIN
            IF blob IS NULL OR first IS NULL OR finish IS NULL OR first >= finish THEN RETURN 0; END IF;
            counts := acctstat_minutes_decode(blob);
            FOR minute IN GREATEST(first, 0)..LEAST(finish, 60) - 1 LOOP
                total := total + counts[minute + 1];
            END LOOP;
            RETURN total;
        END $$;
        CREATE FUNCTION acctstat_minutes_merge(a BYTEA, b BYTEA) RETURNS BYTEA LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        DECLARE
            x BIGINT[]; y BIGINT[];
        BEGIN
            IF a IS NULL THEN RETURN b; END IF;
            IF b IS NULL THEN RETURN a; END IF;
            x := acctstat_minutes_decode(a); y := acctstat_minutes_decode(b);
            RETURN acctstat_minutes_encode(ARRAY(SELECT x[i] + y[i] FROM generate_series(1, 60) AS i));
        END $$;
        CREATE FUNCTION acctstat_minutes_subtract(a BYTEA, b BYTEA) RETURNS BYTEA LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        DECLARE
            x BIGINT[]; y BIGINT[];
        BEGIN
            IF a IS NULL THEN RETURN NULL; END IF;
            IF b IS NULL THEN RETURN a; END IF;
            x := acctstat_minutes_decode(a); y := acctstat_minutes_decode(b);
            RETURN acctstat_minutes_encode(ARRAY(SELECT GREATEST(0, x[i] - y[i]) FROM generate_series(1, 60) AS i));
        END $$;

        """#
}
