-- metrics_problems: input problems counted by every ingest so far, by kind, for `acctstat metrics`.
-- Answers: is the input getting worse?
SELECT kind, SUM(count) AS problems FROM file_problems GROUP BY kind ORDER BY kind
