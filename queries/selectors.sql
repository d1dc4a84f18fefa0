-- selectors: every signing domain and selector ever seen, with first and last seen (to the
-- second) and its volume and pass counts in the last 24 hours, the 24 hours before, and the
-- last 7 days.
-- Answers: which selector is signing now, which is draining, and is the old one safe to retire?
-- Parameters: :now (UTC epoch seconds); :mta, one PowerMTA host's counts only, and only the
-- selectors it signed with in the last 7 days (NULL for every host; first and last seen are
-- the fleet's either way); for each window, day (the last 24 h), previous (the 24 h
-- before) and week (the last 7 days), its parts as WindowPlan.sqlArguments names them
-- (:day_hours_from … :day_tail_end): whole hours count a row's count, ragged ends the records of
-- their minutes (acctstat_minutes_in over the row's minutes blob); rows are read from
-- :week_first_hour to :day_end_hour. :pass and :unknown, result codes; :reply, the source code
-- of a receiver's reply: those records are rejections, counted apart from the verdicts (a reply
-- can only ever say fail).
-- Counts signature verdicts (signature_counts: a record signed twice counts for each selector).
-- The counts table packs its codes 5 bits each (see report.sql): result is codes / 32 % 32,
-- source codes / 32768 % 32.
WITH parts AS (
    SELECT c.signing_domain_id, c.selector_id, c.codes,
           CASE WHEN c.hour >= :day_hours_from AND c.hour < :day_hours_to THEN c.count
                WHEN c.hour = :day_head_hour THEN acctstat_minutes_in(c.minutes, :day_head_first, 60)
                WHEN c.hour = :day_tail_hour THEN acctstat_minutes_in(c.minutes, :day_tail_first, :day_tail_end)
                ELSE 0 END AS day,
           CASE WHEN c.hour >= :previous_hours_from AND c.hour < :previous_hours_to THEN c.count
                WHEN c.hour = :previous_head_hour THEN acctstat_minutes_in(c.minutes, :previous_head_first, 60)
                WHEN c.hour = :previous_tail_hour THEN acctstat_minutes_in(c.minutes, :previous_tail_first, :previous_tail_end)
                ELSE 0 END AS previous,
           CASE WHEN c.hour >= :week_hours_from AND c.hour < :week_hours_to THEN c.count
                WHEN c.hour = :week_head_hour THEN acctstat_minutes_in(c.minutes, :week_head_first, 60)
                WHEN c.hour = :week_tail_hour THEN acctstat_minutes_in(c.minutes, :week_tail_first, :week_tail_end)
                ELSE 0 END AS week
    FROM signature_counts c
    WHERE c.hour >= :week_first_hour AND c.hour < :day_end_hour AND c.signing_domain_id <> 0 AND c.selector_id <> 0
      AND (:mta IS NULL OR c.mta_id = (SELECT id FROM names WHERE kind = 'mta' AND value = :mta))
), windows AS (
    SELECT p.signing_domain_id, p.selector_id,
           SUM(p.day) AS volume_24h,
           SUM(CASE WHEN p.codes / 32 % 32 = :pass THEN p.day ELSE 0 END) AS pass_24h,
           SUM(CASE WHEN p.codes / 32 % 32 <> :unknown AND p.codes / 32768 % 32 <> :reply THEN p.day ELSE 0 END) AS verdicts_24h,
           SUM(p.previous) AS volume_previous_24h,
           SUM(p.week) AS volume_7d,
           SUM(CASE WHEN p.codes / 32 % 32 = :pass THEN p.week ELSE 0 END) AS pass_7d,
           SUM(CASE WHEN p.codes / 32 % 32 <> :unknown AND p.codes / 32768 % 32 <> :reply THEN p.week ELSE 0 END) AS verdicts_7d,
           SUM(CASE WHEN p.codes / 32768 % 32 = :reply THEN p.day ELSE 0 END) AS rejected_24h
    FROM parts p
    GROUP BY p.signing_domain_id, p.selector_id
)
SELECT sd.value AS signing_domain, se.value AS selector, s.first_seen, s.last_seen,
       COALESCE(w.volume_24h, 0), COALESCE(w.pass_24h, 0), COALESCE(w.verdicts_24h, 0), COALESCE(w.volume_previous_24h, 0),
       COALESCE(w.volume_7d, 0), COALESCE(w.pass_7d, 0), COALESCE(w.verdicts_7d, 0), COALESCE(w.rejected_24h, 0)
FROM selector_seen s
JOIN names sd ON sd.id = s.signing_domain_id
JOIN names se ON se.id = s.selector_id
LEFT JOIN windows w ON w.signing_domain_id = s.signing_domain_id AND w.selector_id = s.selector_id
WHERE s.first_seen < :now AND (:mta IS NULL OR w.signing_domain_id IS NOT NULL)
ORDER BY sd.value, se.value
