-- report: the stored counts behind `acctstat report` and `acctstat check`, one row per
-- count in one segment of the window (see WindowPlan) that passes the filters, names as ids
-- (resolved with report_names.sql).
-- Answers: is DKIM passing where my mail goes, which signing key is failing, and why.
-- Parameters: the segment's range, :from and :to (UTC epoch seconds, end exclusive), and its
-- resolution, :span (60 reads minute_counts, 3600 counts, 86400 day_counts; each row's time is
-- the start of its minute, hour or day); filters, NULL for none: :domain, :signing_domain,
-- :selector, :vmta (names) and :types (a list of type codes like ',1,2,').
-- codes is the counts tables' column of five integer codes, 5 bits each, type in the lowest:
-- type + 32 * (result + 32 * (cause + 32 * (source + 32 * key_source))).
-- In time order (each table's primary key order, so no sort; only one arm has rows): a report's
-- series only ever grow at the end.
SELECT c.minute AS time, c.rcpt_domain_id, c.signing_domain_id, c.selector_id, c.vmta_id, c.count, c.codes
FROM minute_counts c
WHERE :span = 60 AND c.minute >= :from AND c.minute < :to
  AND (:domain IS NULL OR c.rcpt_domain_id = (SELECT id FROM names WHERE kind = 'domain' AND value = :domain))
  AND (:signing_domain IS NULL OR c.signing_domain_id = (SELECT id FROM names WHERE kind = 'domain' AND value = :signing_domain))
  AND (:selector IS NULL OR c.selector_id = (SELECT id FROM names WHERE kind = 'selector' AND value = :selector))
  AND (:vmta IS NULL OR c.vmta_id = (SELECT id FROM names WHERE kind = 'vmta' AND value = :vmta))
  AND (:types IS NULL OR :types LIKE '%,' || (c.codes % 32) || ',%')
UNION ALL
SELECT c.hour, c.rcpt_domain_id, c.signing_domain_id, c.selector_id, c.vmta_id, c.count, c.codes
FROM counts c
WHERE :span = 3600 AND c.hour >= :from AND c.hour < :to
  AND (:domain IS NULL OR c.rcpt_domain_id = (SELECT id FROM names WHERE kind = 'domain' AND value = :domain))
  AND (:signing_domain IS NULL OR c.signing_domain_id = (SELECT id FROM names WHERE kind = 'domain' AND value = :signing_domain))
  AND (:selector IS NULL OR c.selector_id = (SELECT id FROM names WHERE kind = 'selector' AND value = :selector))
  AND (:vmta IS NULL OR c.vmta_id = (SELECT id FROM names WHERE kind = 'vmta' AND value = :vmta))
  AND (:types IS NULL OR :types LIKE '%,' || (c.codes % 32) || ',%')
UNION ALL
SELECT c.day, c.rcpt_domain_id, c.signing_domain_id, c.selector_id, c.vmta_id, c.count, c.codes
FROM day_counts c
WHERE :span = 86400 AND c.day >= :from AND c.day < :to
  AND (:domain IS NULL OR c.rcpt_domain_id = (SELECT id FROM names WHERE kind = 'domain' AND value = :domain))
  AND (:signing_domain IS NULL OR c.signing_domain_id = (SELECT id FROM names WHERE kind = 'domain' AND value = :signing_domain))
  AND (:selector IS NULL OR c.selector_id = (SELECT id FROM names WHERE kind = 'selector' AND value = :selector))
  AND (:vmta IS NULL OR c.vmta_id = (SELECT id FROM names WHERE kind = 'vmta' AND value = :vmta))
  AND (:types IS NULL OR :types LIKE '%,' || (c.codes % 32) || ',%')
