-- PostgreSQL's version of statements of ../0017_monitor.sql that the engine
-- cannot translate (src/store/pg.c applies each instead of the SQLite
-- statement creating the same object). Keep the two in step: tests/unit/monitor
-- and the HTTP suite run on both engines.
--
-- SQLite's date(x, '+3 months') overflows into the next month and the view
-- clamps it with min(); PostgreSQL's date + interval '3 months' clamps to the
-- month's last day by itself (31 January + 3 months = 30 April), the same day.
CREATE VIEW monitor_report_key AS
SELECT id, org_id, kind,
  CAST(substr(received_on, 1, 4) AS BIGINT) AS year,
  CASE WHEN acknowledged_on IS NULL THEN 'none'
    WHEN acknowledged_on <= to_char(CAST(received_on AS date) + 7, 'YYYY-MM-DD')
      THEN 'on_time'
    ELSE 'late' END AS ack,
  CASE WHEN feedback_on IS NULL THEN 'none'
    WHEN feedback_on <= to_char(coalesce(CAST(acknowledged_on AS date),
      CAST(received_on AS date) + 7) + interval '3 months', 'YYYY-MM-DD') THEN 'on_time'
    ELSE 'late' END AS feedback
FROM report;
