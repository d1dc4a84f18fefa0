-- receivers_logs: the logs' side of the comparison with receivers' DMARC reports. Per hour,
-- signing domain and selector: delivered signatures, and how many of them carried a verdict
-- and passed (verdict evidence only, receiver rejections apart, as in every pass rate).
-- Parameters: :first_hour, :end_hour (hour starts, UTC epoch seconds, as counts.hour); :delivered, the
-- record type code of d; :pass, :unknown, result codes; :reply, the source code of a receiver's reply.
-- Codes are packed 5 bits each (see report.sql): type codes % 32, result codes / 32 % 32, source codes / 32768 % 32.
SELECT c.hour, sd.value AS signing_domain, se.value AS selector, SUM(c.count) AS delivered,
       SUM(CASE WHEN c.codes / 32 % 32 = :pass THEN c.count ELSE 0 END) AS pass,
       SUM(CASE WHEN c.codes / 32 % 32 <> :unknown AND c.codes / 32768 % 32 <> :reply THEN c.count ELSE 0 END) AS verdicts
FROM signature_counts c
JOIN names sd ON sd.id = c.signing_domain_id
JOIN names se ON se.id = c.selector_id
WHERE c.hour >= :first_hour AND c.hour < :end_hour AND c.codes % 32 = :delivered
GROUP BY c.hour, c.signing_domain_id, c.selector_id, sd.value, se.value
