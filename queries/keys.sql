-- keys: every signing domain and selector seen in the logs, with first and last seen (to the
-- second) and volume.
-- Answers: which configured keys actually sign mail, and which selectors in the logs have no key?
SELECT sd.value AS signing_domain, se.value AS selector, s.first_seen, s.last_seen, v.volume
FROM selector_seen s
JOIN names sd ON sd.id = s.signing_domain_id
JOIN names se ON se.id = s.selector_id
JOIN (
    SELECT signing_domain_id, selector_id, SUM(count) AS volume
    FROM counts
    WHERE signing_domain_id <> 0 AND selector_id <> 0
    GROUP BY signing_domain_id, selector_id
) v ON v.signing_domain_id = s.signing_domain_id AND v.selector_id = s.selector_id
ORDER BY sd.value, se.value
