-- report: the stored counts behind `acctstat report` and `acctstat check`, one row per
-- count in one segment of the window (see WindowPlan) that passes the filters, names as ids
-- (resolved with report_names.sql).
-- Answers: is DKIM passing where my mail goes, which signing key is failing, and why.
-- Parameters: the segment's hours, :from and :to (UTC epoch seconds, end exclusive); for a part
-- of one hour, its minutes :minute_first and :minute_end (0 to 60, end exclusive; NULL for whole
-- hours), counted from the row's minutes blob (MinuteDetail; a row may count 0 then);
-- filters, NULL for none: :domain, :signing_domain, :selector, :vmta, :mta (names) and :types (a list
-- of type codes like ',1,2,').
-- codes is the counts table's column of five integer codes, 5 bits each, type in the lowest:
-- type + 32 * (result + 32 * (cause + 32 * (source + 32 * key_source))).
-- In hour order (the primary key's, so no sort): a report's series only ever grow at the end.
SELECT c.hour, c.rcpt_domain_id, c.signing_domain_id, c.selector_id, c.vmta_id,
       CASE WHEN :minute_end IS NULL THEN c.count ELSE acctstat_minutes_in(c.minutes, :minute_first, :minute_end) END AS count,
       c.codes, c.mta_id
FROM counts c
WHERE c.hour >= :from AND c.hour < :to
  AND (:domain IS NULL OR c.rcpt_domain_id = (SELECT id FROM names WHERE kind = 'domain' AND value = :domain))
  AND (:signing_domain IS NULL OR c.signing_domain_id = (SELECT id FROM names WHERE kind = 'domain' AND value = :signing_domain))
  AND (:selector IS NULL OR c.selector_id = (SELECT id FROM names WHERE kind = 'selector' AND value = :selector))
  AND (:vmta IS NULL OR c.vmta_id = (SELECT id FROM names WHERE kind = 'vmta' AND value = :vmta))
  AND (:mta IS NULL OR c.mta_id = (SELECT id FROM names WHERE kind = 'mta' AND value = :mta))
  AND (:types IS NULL OR :types LIKE '%,' || (c.codes % 32) || ',%')
ORDER BY c.hour
