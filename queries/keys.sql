-- keys: every signing domain and selector seen in the logs, with first and last seen and volume.
-- Answers: which configured keys actually sign mail, and which selectors in the logs have no key?
SELECT sd.value AS signing_domain, se.value AS selector,
       MIN(c.hour) AS first_seen, MAX(c.hour) + 3599 AS last_seen, SUM(c.count) AS volume
FROM counts c
JOIN names sd ON sd.id = c.signing_domain_id
JOIN names se ON se.id = c.selector_id
GROUP BY sd.value, se.value
ORDER BY sd.value, se.value
