-- dmarc_selectors: per signing domain and selector, the messages DMARC aggregate reports say
-- carried its signature, and those whose signature the receiver verified (result pass), for
-- the reports whose date range begins in the window (what `selectors` shows beside the logs).
-- Parameters: :from, :to (UTC epoch seconds).
SELECT s.domain, s.selector, SUM(d.count) AS messages, SUM(CASE WHEN s.result = 'pass' THEN d.count ELSE 0 END) AS pass
FROM dmarc_reports r
JOIN dmarc_records d ON d.report = r.id
JOIN dmarc_signatures s ON s.record = d.id
WHERE r.begin_time >= :from AND r.begin_time < :to
GROUP BY s.domain, s.selector
