-- report_samples: up to 3 sample diagnostics per failure cause in the window, the most
-- frequent first, from the failures drill-down table (reasons and redacted receiver replies).
-- Answers: what exactly did the receivers or verifiers say for each cause?
-- Parameters: as report.sql. cause is the integer code, read from codes as in report.sql
-- (codes / 1024 % 32; the type is codes % 32).
SELECT cause, detail, occurrences, last_seen
FROM (
    SELECT g.cause, dt.value AS detail, g.occurrences, g.last_seen,
           ROW_NUMBER() OVER (PARTITION BY g.cause ORDER BY g.occurrences DESC, g.last_seen DESC, dt.value) AS rank
    FROM (
        -- Grouped by the detail's id, not its text: no long strings to sort.
        SELECT f.codes / 1024 % 32 AS cause, f.detail_id, COUNT(*) AS occurrences, MAX(f.time) AS last_seen
        FROM failures f
        WHERE f.time >= :from AND f.time < :to AND f.codes / 1024 % 32 <> 0
          AND (:domain IS NULL OR f.rcpt_domain_id = (SELECT id FROM names WHERE kind = 'domain' AND value = :domain))
          AND (:signing_domain IS NULL OR f.signing_domain_id = (SELECT id FROM names WHERE kind = 'domain' AND value = :signing_domain))
          AND (:selector IS NULL OR f.selector_id = (SELECT id FROM names WHERE kind = 'selector' AND value = :selector))
          AND (:vmta IS NULL OR f.vmta_id = (SELECT id FROM names WHERE kind = 'vmta' AND value = :vmta))
          AND (:mta IS NULL OR f.mta_id = (SELECT id FROM names WHERE kind = 'mta' AND value = :mta))
          AND (:types IS NULL OR :types LIKE '%,' || (f.codes % 32) || ',%')
        GROUP BY f.codes / 1024 % 32, f.detail_id
    ) g
    JOIN names dt ON dt.id = g.detail_id
) ranked
WHERE rank <= 3
ORDER BY cause, rank
