-- receivers_reported: the receivers' side of the comparison with the logs. Per DMARC report
-- begin, signing domain and selector: the messages the reports say carried the signature, and
-- those whose signature verified (result pass).
-- Parameters: :from, :to (UTC epoch seconds; a report counts by its date range's begin).
SELECT r.begin_time, s.domain, s.selector, SUM(d.count) AS reported, SUM(CASE WHEN s.result = 'pass' THEN d.count ELSE 0 END) AS pass
FROM dmarc_reports r
JOIN dmarc_records d ON d.report = r.id
JOIN dmarc_signatures s ON s.record = d.id
WHERE r.begin_time >= :from AND r.begin_time < :to
GROUP BY r.begin_time, s.domain, s.selector
