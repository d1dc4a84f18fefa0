-- export: the stored counts of a window, one row per UTC hour, record type, recipient
-- domain, signing domain, selector, result, cause and vmta (evidence sources summed).
-- Answers: "give me the raw numbers" for spreadsheets, scripts and dashboards.
-- Parameters: :from, :to (UTC epoch seconds, end exclusive).
SELECT hour, type, rcpt_domain, signing_domain, selector, result, cause, vmta, SUM(count) AS count
FROM counts_named
WHERE hour >= :from AND hour < :to
GROUP BY hour, type, rcpt_domain, signing_domain, selector, result, cause, vmta
ORDER BY hour, type, rcpt_domain, signing_domain, selector, result, cause, vmta
