-- host_newest: each PowerMTA host's newest record (UTC epoch seconds), oldest first.
-- Answers: has one host of a fleet stopped delivering its logs while the others go on?
-- (`check --max-age` without --mta: every host that sent records in the last :horizon seconds
-- before :now must be fresh, not only the newest one).
-- Parameters: :now and :horizon (seconds).
SELECT n.value AS mta, MAX(f.newest_record) AS newest_record
FROM files f JOIN names n ON n.id = f.mta_id
GROUP BY n.value
HAVING MAX(f.newest_record) > :now - :horizon
ORDER BY 2, 1
