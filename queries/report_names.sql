-- report_names: the names reports show (domains, selectors, vmtas, mtas), by id.
-- Answers: what the ids in report.sql and selectors.sql stand for.
SELECT id, value FROM names WHERE kind <> 'detail'
