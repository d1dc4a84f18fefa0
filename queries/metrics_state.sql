-- metrics_state: when the newest record was logged and the last ingest finished (UTC epoch
-- seconds, 0 when none), for `acctstat metrics`.
-- Answers: is ingest running, and is the data fresh?
SELECT (SELECT COALESCE(MAX(newest_record), 0) FROM files) AS newest_record,
       (SELECT COALESCE(MAX(finished), 0) FROM runs) AS last_ingest
