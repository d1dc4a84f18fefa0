-- ledger_state: a value that every ingest commit changes (each commit moves a file's checkpoint,
-- or adds or finishes a file). A report reads it before and after its reads, which run in several
-- read transactions: when the two differ, an ingest committed in between, and the parts may not agree.
SELECT COUNT(*) || ':' || COALESCE(SUM(bytes), 0) || ':' || COALESCE(SUM(records), 0) || ':' || COALESCE(SUM(finished), 0) AS state FROM files
