-- metrics: every stored record, by recipient domain, signing domain, selector, DKIM result and
-- evidence source (ids and codes), for `acctstat metrics`: the Prometheus counter
-- acctstat_records_total folds them into mailbox providers and recent selectors.
-- Answers: how many records of each kind has acctstat counted, ever?
-- The counts table packs its codes 5 bits each (see report.sql): result is codes / 32 % 32,
-- source codes / 32768 % 32.
SELECT c.rcpt_domain_id, c.signing_domain_id, c.selector_id, c.codes / 32 % 32 AS result, c.codes / 32768 % 32 AS source,
       SUM(c.count) AS records
FROM counts c
GROUP BY c.rcpt_domain_id, c.signing_domain_id, c.selector_id, c.codes / 32 % 32, c.codes / 32768 % 32
