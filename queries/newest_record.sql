-- newest_record: the newest timeLogged ingested (UTC epoch seconds), 0 when empty.
-- Answers: how fresh is the data? (`check --max-age`, and the default report window).
SELECT COALESCE(MAX(newest_record), 0) AS newest_record FROM files
