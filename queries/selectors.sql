-- selectors: every signing domain and selector ever seen, with first and last seen (to the
-- second) and its volume and pass counts in the last 24 hours, the 24 hours before, and the
-- last 7 days.
-- Answers: which selector is signing now, which is draining, and is the old one safe to retire?
-- Parameters: :now (UTC epoch seconds, a whole minute); :minutes_from, from when minute counts
-- exist (windows after it are exact to the minute; before it they count the hours that start
-- inside them); :pass and :unknown, result codes; :column, the source code of a verdict column
-- (receiver replies only ever report failures, so a rate without column verdicts measures
-- rejections alone).
-- The counts tables pack their codes 5 bits each (see report.sql): result is codes / 32 % 32,
-- source codes / 32768 % 32.
WITH recent AS (
    SELECT c.minute AS time, c.signing_domain_id, c.selector_id, c.codes, c.count
    FROM minute_counts c
    WHERE c.minute >= :minutes_from AND c.minute >= :now - 604800 AND c.minute < :now
      AND c.signing_domain_id <> 0 AND c.selector_id <> 0
    UNION ALL
    SELECT c.hour, c.signing_domain_id, c.selector_id, c.codes, c.count
    FROM counts c
    WHERE c.hour < :minutes_from AND c.hour >= :now - 604800 AND c.hour < :now
      AND c.signing_domain_id <> 0 AND c.selector_id <> 0
), windows AS (
    SELECT r.signing_domain_id, r.selector_id,
           SUM(CASE WHEN r.time >= :now - 86400 THEN r.count ELSE 0 END) AS volume_24h,
           SUM(CASE WHEN r.time >= :now - 86400 AND r.codes / 32 % 32 = :pass THEN r.count ELSE 0 END) AS pass_24h,
           SUM(CASE WHEN r.time >= :now - 86400 AND r.codes / 32 % 32 <> :unknown THEN r.count ELSE 0 END) AS verdicts_24h,
           SUM(CASE WHEN r.time >= :now - 172800 AND r.time < :now - 86400 THEN r.count ELSE 0 END) AS volume_previous_24h,
           SUM(r.count) AS volume_7d,
           SUM(CASE WHEN r.codes / 32 % 32 = :pass THEN r.count ELSE 0 END) AS pass_7d,
           SUM(CASE WHEN r.codes / 32 % 32 <> :unknown THEN r.count ELSE 0 END) AS verdicts_7d,
           SUM(CASE WHEN r.time >= :now - 86400 AND r.codes / 32768 % 32 = :column THEN r.count ELSE 0 END) AS column_verdicts_24h
    FROM recent r
    GROUP BY r.signing_domain_id, r.selector_id
)
SELECT sd.value AS signing_domain, se.value AS selector, s.first_seen, s.last_seen,
       COALESCE(w.volume_24h, 0), COALESCE(w.pass_24h, 0), COALESCE(w.verdicts_24h, 0), COALESCE(w.volume_previous_24h, 0),
       COALESCE(w.volume_7d, 0), COALESCE(w.pass_7d, 0), COALESCE(w.verdicts_7d, 0), COALESCE(w.column_verdicts_24h, 0)
FROM selector_seen s
JOIN names sd ON sd.id = s.signing_domain_id
JOIN names se ON se.id = s.selector_id
LEFT JOIN windows w ON w.signing_domain_id = s.signing_domain_id AND w.selector_id = s.selector_id
WHERE s.first_seen < :now
ORDER BY sd.value, se.value
