-- selectors: every signing domain and selector ever seen, with first and last seen and its
-- volume and pass counts in the last 24 hours, the 24 hours before, and the last 7 days.
-- Answers: which selector is signing now, which is draining, and is the old one safe to retire?
-- Parameters: :now (UTC epoch seconds; counts are hourly, so hours starting before :now count);
-- :pass and :unknown, result codes; :column, the source code of a verdict column (receiver
-- replies only ever report failures, so a rate without column verdicts measures rejections alone).
-- The counts table packs its codes 5 bits each (see report.sql): result is codes / 32 % 32,
-- source codes / 32768 % 32.
SELECT sd.value AS signing_domain, se.value AS selector,
       MIN(c.hour) AS first_seen, MAX(c.hour) + 3599 AS last_seen,
       SUM(CASE WHEN c.hour >= :now - 86400 THEN c.count ELSE 0 END) AS volume_24h,
       SUM(CASE WHEN c.hour >= :now - 86400 AND c.codes / 32 % 32 = :pass THEN c.count ELSE 0 END) AS pass_24h,
       SUM(CASE WHEN c.hour >= :now - 86400 AND c.codes / 32 % 32 <> :unknown THEN c.count ELSE 0 END) AS verdicts_24h,
       SUM(CASE WHEN c.hour >= :now - 172800 AND c.hour < :now - 86400 THEN c.count ELSE 0 END) AS volume_previous_24h,
       SUM(CASE WHEN c.hour >= :now - 604800 THEN c.count ELSE 0 END) AS volume_7d,
       SUM(CASE WHEN c.hour >= :now - 604800 AND c.codes / 32 % 32 = :pass THEN c.count ELSE 0 END) AS pass_7d,
       SUM(CASE WHEN c.hour >= :now - 604800 AND c.codes / 32 % 32 <> :unknown THEN c.count ELSE 0 END) AS verdicts_7d,
       SUM(CASE WHEN c.hour >= :now - 86400 AND c.codes / 32768 % 32 = :column THEN c.count ELSE 0 END) AS column_verdicts_24h
FROM counts c
JOIN names sd ON sd.id = c.signing_domain_id
JOIN names se ON se.id = c.selector_id
WHERE c.hour < :now
GROUP BY sd.value, se.value
ORDER BY sd.value, se.value
