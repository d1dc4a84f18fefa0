-- dmarc: the receivers' view. One row per DMARC aggregate report record and DKIM signature (a
-- record with no DKIM result gives one row with the signature's columns NULL), for the reports
-- whose date range begins in the window.
-- Answers: what did Gmail, Microsoft, Yahoo and the rest say of each selector's signatures, and
-- which mail claiming our domains came from addresses that are not ours?
-- The last column, record, tells one record's signatures apart from another's (not in the CSV).
-- Parameters: :from, :to (UTC epoch seconds; a report counts by its date range's begin);
-- :reporter, :header_from, :signing_domain, :selector (NULL for all; compared lower-cased).
SELECT r.begin_time, r.end_time, r.reporter, r.report_id, d.source_ip, d.header_from, d.disposition, d.dmarc_dkim,
       d.dmarc_spf, s.domain AS signing_domain, s.selector, s.result AS dkim_result, d.count, d.id AS record
FROM dmarc_reports r
JOIN dmarc_records d ON d.report = r.id
LEFT JOIN dmarc_signatures s ON s.record = d.id
WHERE r.begin_time >= :from AND r.begin_time < :to
  AND (:reporter IS NULL OR lower(r.reporter) = lower(:reporter))
  AND (:header_from IS NULL OR d.header_from = lower(:header_from))
  AND (:signing_domain IS NULL OR s.domain = lower(:signing_domain))
  AND (:selector IS NULL OR s.selector = lower(:selector))
ORDER BY r.begin_time, r.reporter, r.report_id, d.id, s.position
