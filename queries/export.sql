-- export: the stored counts of a window, one row per UTC hour, PowerMTA host (mta), record
-- type, recipient domain, signing domain, selector, result, cause and vmta (evidence sources summed).
-- Answers: "give me the raw numbers" for spreadsheets, scripts and dashboards.
-- Parameters: :mta, one host's rows only (NULL for all), and the window's parts as
-- WindowPlan.sqlArguments names them (:window_hours_from … :window_tail_end): whole hours
-- count a row's count, the ragged end hours the records of their minutes (acctstat_minutes_in
-- over the row's minutes blob), so an export counts exactly what a report of the same window counts. Rows are read from :window_first_hour to :window_end_hour.
-- result is 'rejected' where the only evidence is a receiver's reply (source 'reply'): rejections
-- are their own measure, never a DKIM fail. `export --signatures` runs this query over
-- signature_counts_named (one count per signature verdict) instead of counts_named.
-- mx_provider is the receiving MX's provider where the record named one; acctstat's provider
-- column falls back to the recipient domain's (data/providers.txt) and merges the rows that then agree.
SELECT hour, mta, type, rcpt_domain, signing_domain, selector, result, cause, vmta, mx_provider, SUM(count) AS count
FROM (
    SELECT c.hour, c.mta, c.type, c.rcpt_domain, c.signing_domain, c.selector,
           CASE WHEN c.source = 'reply' THEN 'rejected' ELSE c.result END AS result, c.cause, c.vmta, c.mx_provider,
           CASE WHEN c.hour >= :window_hours_from AND c.hour < :window_hours_to THEN c.count
                WHEN c.hour = :window_head_hour THEN acctstat_minutes_in(c.minutes, :window_head_first, 60)
                WHEN c.hour = :window_tail_hour THEN acctstat_minutes_in(c.minutes, :window_tail_first, :window_tail_end)
                ELSE 0 END AS count
    FROM counts_named c
    WHERE c.hour >= :window_first_hour AND c.hour < :window_end_hour AND (:mta IS NULL OR c.mta = :mta)
) windowed
GROUP BY hour, mta, type, rcpt_domain, signing_domain, selector, result, cause, vmta, mx_provider
HAVING SUM(count) > 0
ORDER BY hour, mta, type, rcpt_domain, signing_domain, selector, result, cause, vmta, mx_provider
