-- newest_record: the newest timeLogged ingested (UTC epoch seconds), 0 when empty.
-- Answers: how fresh is the data? (`check --max-age`, and the default report window).
-- Parameters: :mta, one PowerMTA host's newest record (NULL for every host's).
SELECT COALESCE(MAX(newest_record), 0) AS newest_record FROM files
WHERE :mta IS NULL OR mta_id = (SELECT id FROM names WHERE kind = 'mta' AND value = :mta)
