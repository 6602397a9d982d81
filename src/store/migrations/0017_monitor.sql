-- 0017_monitor: the coordinator's dashboard (issue 7 item 1, src/monitor).
--
-- Counts kept up to date as cases and reports change, so that the dashboard
-- reads a few hundred rows instead of a million cases. Each count table has
-- a view that says, for one row of its source, which count it falls in:
-- the triggers add and subtract through that view and `probity monitor
-- rebuild` (src/monitor/store.c) recomputes the tables from the same views,
-- so that one definition serves both; tests/unit/monitor checks that they
-- agree. The triggers are plain and kept here: PostgreSQL will need them in
-- its own dialect (a trigger function per table; least() for SQLite's
-- two-argument min(), date arithmetic with intervals), so they stay few and
-- simple. Rows that fall to 0 are kept (a key once seen; harmless).
--
-- Only metadata in the clear by design is read (docs/security.md, "What is
-- plaintext"): organisation, dates, kind, category, outcome, police report,
-- measure codes. Nothing here names a person or a case.

-- A case counts in the year it was opened (the nearest recorded date to
-- when the matter came to light, as in src/loop), open or closed; its
-- category, outcome and police report are those recorded with the outcome
-- ('' and -1 while none is).
CREATE VIEW monitor_case_key AS
SELECT id, org_id,
  CAST(substr(opened_on, 1, 4) AS INTEGER) AS year,
  CASE WHEN closed_on IS NULL THEN 0 ELSE 1 END AS closed,
  coalesce(category, '') AS category,
  coalesce(taxonomy, '') AS taxonomy,
  coalesce(taxonomy_revision, -1) AS taxonomy_revision,
  coalesce(outcome, '') AS outcome,
  coalesce(police_report, -1) AS police_report
FROM case_file;

CREATE TABLE monitor_case_count (
  year INTEGER NOT NULL,
  org_id INTEGER NOT NULL REFERENCES org(id),
  closed INTEGER NOT NULL CHECK (closed IN (0, 1)),
  category TEXT NOT NULL,
  taxonomy TEXT NOT NULL,
  taxonomy_revision INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  police_report INTEGER NOT NULL CHECK (police_report IN (-1, 0, 1)),
  n INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (year, org_id, closed, category, taxonomy, taxonomy_revision, outcome,
    police_report)
) STRICT;

CREATE TRIGGER monitor_case_insert AFTER INSERT ON case_file BEGIN
  INSERT INTO monitor_case_count (year, org_id, closed, category, taxonomy,
    taxonomy_revision, outcome, police_report, n)
  SELECT year, org_id, closed, category, taxonomy, taxonomy_revision, outcome,
    police_report, 1 FROM monitor_case_key WHERE id = NEW.id
  ON CONFLICT (year, org_id, closed, category, taxonomy, taxonomy_revision, outcome,
    police_report) DO UPDATE SET n = n + 1;
END;

-- an update takes the case out of its old count (BEFORE: the view still
-- reads the old row) and puts it into its new one (AFTER)
CREATE TRIGGER monitor_case_update_old BEFORE UPDATE OF org_id, opened_on, closed_on,
  category, taxonomy, taxonomy_revision, outcome, police_report ON case_file BEGIN
  UPDATE monitor_case_count SET n = n - 1
  WHERE (year, org_id, closed, category, taxonomy, taxonomy_revision, outcome,
    police_report) = (SELECT year, org_id, closed, category, taxonomy,
    taxonomy_revision, outcome, police_report FROM monitor_case_key WHERE id = OLD.id);
END;

CREATE TRIGGER monitor_case_update_new AFTER UPDATE OF org_id, opened_on, closed_on,
  category, taxonomy, taxonomy_revision, outcome, police_report ON case_file BEGIN
  INSERT INTO monitor_case_count (year, org_id, closed, category, taxonomy,
    taxonomy_revision, outcome, police_report, n)
  SELECT year, org_id, closed, category, taxonomy, taxonomy_revision, outcome,
    police_report, 1 FROM monitor_case_key WHERE id = NEW.id
  ON CONFLICT (year, org_id, closed, category, taxonomy, taxonomy_revision, outcome,
    police_report) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER monitor_case_delete BEFORE DELETE ON case_file BEGIN
  UPDATE monitor_case_count SET n = n - 1
  WHERE (year, org_id, closed, category, taxonomy, taxonomy_revision, outcome,
    police_report) = (SELECT year, org_id, closed, category, taxonomy,
    taxonomy_revision, outcome, police_report FROM monitor_case_key WHERE id = OLD.id);
END;

-- Measures: one per code recorded on a case, in the case's year and
-- organisation.
CREATE VIEW monitor_measure_key AS
SELECT m.case_id, m.code, f.org_id, CAST(substr(f.opened_on, 1, 4) AS INTEGER) AS year
FROM case_measure m JOIN case_file f ON f.id = m.case_id;

CREATE TABLE monitor_measure_count (
  year INTEGER NOT NULL,
  org_id INTEGER NOT NULL REFERENCES org(id),
  code TEXT NOT NULL,
  n INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (year, org_id, code)
) STRICT;

CREATE TRIGGER monitor_measure_insert AFTER INSERT ON case_measure BEGIN
  INSERT INTO monitor_measure_count (year, org_id, code, n)
  SELECT year, org_id, code, 1 FROM monitor_measure_key
  WHERE case_id = NEW.case_id AND code = NEW.code
  ON CONFLICT (year, org_id, code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER monitor_measure_delete BEFORE DELETE ON case_measure BEGIN
  UPDATE monitor_measure_count SET n = n - 1
  WHERE (year, org_id, code) = (SELECT year, org_id, code FROM monitor_measure_key
    WHERE case_id = OLD.case_id AND code = OLD.code);
END;

-- a case that moves to another organisation or year takes its measures along
CREATE TRIGGER monitor_measure_case_old BEFORE UPDATE OF org_id, opened_on ON case_file BEGIN
  UPDATE monitor_measure_count SET n = n - 1
  WHERE (year, org_id, code) IN (SELECT year, org_id, code FROM monitor_measure_key
    WHERE case_id = OLD.id);
END;

CREATE TRIGGER monitor_measure_case_new AFTER UPDATE OF org_id, opened_on ON case_file BEGIN
  INSERT INTO monitor_measure_count (year, org_id, code, n)
  SELECT year, org_id, code, 1 FROM monitor_measure_key WHERE case_id = NEW.id
  ON CONFLICT (year, org_id, code) DO UPDATE SET n = n + 1;
END;

-- Reports: counted in the year received, with how each legal clock ended
-- (src/intake/clock.h): the acknowledgement on time when sent within 7
-- days of receipt; the feedback on time when given within 3 months of the
-- acknowledgement, or of the end of the 7 days when none was sent, months
-- clamped to the month's end (31 January + 3 months = 30 April: the
-- smaller of SQLite's overflowing '+3 months' and the target month's last
-- day). 'none' while not done; whether it is overdue depends on today and
-- is read from the open reports (monitor_report_open below).
CREATE VIEW monitor_report_key AS
SELECT id, org_id, kind,
  CAST(substr(received_on, 1, 4) AS INTEGER) AS year,
  CASE WHEN acknowledged_on IS NULL THEN 'none'
    WHEN acknowledged_on <= date(received_on, '+7 days') THEN 'on_time'
    ELSE 'late' END AS ack,
  CASE WHEN feedback_on IS NULL THEN 'none'
    WHEN feedback_on <= min(
      date(coalesce(acknowledged_on, date(received_on, '+7 days')), '+3 months'),
      date(coalesce(acknowledged_on, date(received_on, '+7 days')), 'start of month',
        '+4 months', '-1 day')) THEN 'on_time'
    ELSE 'late' END AS feedback
FROM report;

CREATE TABLE monitor_report_count (
  year INTEGER NOT NULL,
  org_id INTEGER NOT NULL REFERENCES org(id),
  kind TEXT NOT NULL,
  ack TEXT NOT NULL CHECK (ack IN ('none', 'on_time', 'late')),
  feedback TEXT NOT NULL CHECK (feedback IN ('none', 'on_time', 'late')),
  n INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (year, org_id, kind, ack, feedback)
) STRICT;

CREATE TRIGGER monitor_report_insert AFTER INSERT ON report BEGIN
  INSERT INTO monitor_report_count (year, org_id, kind, ack, feedback, n)
  SELECT year, org_id, kind, ack, feedback, 1 FROM monitor_report_key WHERE id = NEW.id
  ON CONFLICT (year, org_id, kind, ack, feedback) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER monitor_report_update_old BEFORE UPDATE OF org_id, kind, received_on,
  acknowledged_on, feedback_on ON report BEGIN
  UPDATE monitor_report_count SET n = n - 1
  WHERE (year, org_id, kind, ack, feedback) = (SELECT year, org_id, kind, ack, feedback
    FROM monitor_report_key WHERE id = OLD.id);
END;

CREATE TRIGGER monitor_report_update_new AFTER UPDATE OF org_id, kind, received_on,
  acknowledged_on, feedback_on ON report BEGIN
  INSERT INTO monitor_report_count (year, org_id, kind, ack, feedback, n)
  SELECT year, org_id, kind, ack, feedback, 1 FROM monitor_report_key WHERE id = NEW.id
  ON CONFLICT (year, org_id, kind, ack, feedback) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER monitor_report_delete BEFORE DELETE ON report BEGIN
  UPDATE monitor_report_count SET n = n - 1
  WHERE (year, org_id, kind, ack, feedback) = (SELECT year, org_id, kind, ack, feedback
    FROM monitor_report_key WHERE id = OLD.id);
END;

-- The reports still waiting for feedback: what "overdue now" is read from
-- (src/monitor/store.c applies intake/clock.h to each). Few beside all.
CREATE INDEX monitor_report_open ON report(org_id, received_on) WHERE feedback_on IS NULL;

-- Fill the counts from what is already there.
INSERT INTO monitor_case_count (year, org_id, closed, category, taxonomy, taxonomy_revision,
  outcome, police_report, n)
SELECT year, org_id, closed, category, taxonomy, taxonomy_revision, outcome, police_report,
  count(*) FROM monitor_case_key
GROUP BY year, org_id, closed, category, taxonomy, taxonomy_revision, outcome, police_report;
INSERT INTO monitor_measure_count (year, org_id, code, n)
SELECT year, org_id, code, count(*) FROM monitor_measure_key GROUP BY year, org_id, code;
INSERT INTO monitor_report_count (year, org_id, kind, ack, feedback, n)
SELECT year, org_id, kind, ack, feedback, count(*) FROM monitor_report_key
GROUP BY year, org_id, kind, ack, feedback;
