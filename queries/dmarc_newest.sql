-- dmarc_newest: the end of the newest DMARC report's date range (UTC epoch seconds, 0 when there
-- is none): `dmarc` without a window covers the 7 days that end there.
SELECT COALESCE(MAX(end_time), 0) FROM dmarc_reports
