-- filter_values: the values a report filter can take, asked when a filter matched nothing.
-- Answers: did I mistype --selector, or is there really nothing in this window?
-- Parameters: :filter, one of 'domain' (recipient or signing domains), 'signing_domain',
-- 'selector' (those that signed: selector_seen), 'vmta' or 'mta'; :value, the value given (normalised).
-- Returns whether :value exists, then up to 10 values in alphabetical order.
SELECT 1 AS given, value FROM (
    SELECT n.value FROM names n
    WHERE n.value = :value AND ((:filter IN ('domain', 'signing_domain') AND n.kind = 'domain')
                                OR (:filter = 'selector' AND n.kind = 'selector') OR (:filter = 'vmta' AND n.kind = 'vmta') OR (:filter = 'mta' AND n.kind = 'mta'))
    LIMIT 1
)
UNION ALL
SELECT 0, value FROM (
    SELECT DISTINCT n.value FROM names n
    WHERE (:filter = 'domain' AND n.kind = 'domain')
       OR (:filter = 'vmta' AND n.kind = 'vmta')
       OR (:filter = 'mta' AND n.kind = 'mta')
       OR (:filter = 'signing_domain' AND n.id IN (SELECT signing_domain_id FROM selector_seen))
       OR (:filter = 'selector' AND n.id IN (SELECT selector_id FROM selector_seen))
    ORDER BY n.value
    LIMIT 10
)
