-- 0022_monitor_generation: a mark that changes with every change to what the
-- dashboard's tables are counted from, so that a server may keep a year's
-- suppressed tables in memory (src/monitor/cache.c) and read one row per
-- request to know whether they still hold. Several server processes may
-- share one database (PostgreSQL nodes): each compares the mark it loaded
-- with the one in the database, as org_generation (0020) does for the
-- organisation tree, which the tables also depend on (the cache compares
-- both marks).
--
-- The triggers sit on the rows the counts come from, whoever writes (the
-- stores, imports, a hand-made SQL fix): case_file, case_measure and report
-- for the same changes as 0017's count triggers (every column those read,
-- "overdue now" included: it is read from report columns in that list), and
-- registration, the source of the years before the first case; and the
-- tables the page's assessment scores and risk heat are made from
-- (assessment, assessment_item, framework_version; risk, risk_matrix,
-- risk_matrix_level, risk_band), which change a few times a year. `probity
-- monitor rebuild`, which rewrites the counts alone, changes the mark itself
-- (src/monitor/store.c). Not on the count tables: a trigger there runs
-- nested inside 0017's for every row and tripled the CPU of a bulk load of
-- cases (docs/performance.md); beside them it costs about 2 us a row.
-- stamp is new random bytes on every change and n counts changes: the cache
-- compares the stamp, which no other database and no rolled-back change can
-- repeat.
CREATE TABLE monitor_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL CHECK (n >= 0),
  stamp BLOB NOT NULL CHECK (length(stamp) = 16)
) STRICT;
INSERT INTO monitor_generation (id, n, stamp) VALUES (1, 0, randomblob(16));

CREATE TRIGGER monitor_generation_case_insert AFTER INSERT ON case_file BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_case_update AFTER UPDATE OF org_id, opened_on, closed_on, category, taxonomy,
  taxonomy_revision, outcome, police_report ON case_file BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_case_delete AFTER DELETE ON case_file BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_measure_insert AFTER INSERT ON case_measure BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_measure_update AFTER UPDATE ON case_measure BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_measure_delete AFTER DELETE ON case_measure BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_report_insert AFTER INSERT ON report BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_report_update AFTER UPDATE OF org_id, kind, received_on, acknowledged_on,
  feedback_on ON report BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_report_delete AFTER DELETE ON report BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_registration_insert AFTER INSERT ON registration BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_registration_update AFTER UPDATE ON registration BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_registration_delete AFTER DELETE ON registration BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_assessment_insert AFTER INSERT ON assessment BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_assessment_update AFTER UPDATE ON assessment BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_assessment_delete AFTER DELETE ON assessment BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_assessment_item_insert AFTER INSERT ON assessment_item BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_assessment_item_update AFTER UPDATE ON assessment_item BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_assessment_item_delete AFTER DELETE ON assessment_item BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_framework_version_insert AFTER INSERT ON framework_version BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_framework_version_update AFTER UPDATE ON framework_version BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_framework_version_delete AFTER DELETE ON framework_version BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_insert AFTER INSERT ON risk BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_update AFTER UPDATE ON risk BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_delete AFTER DELETE ON risk BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_matrix_insert AFTER INSERT ON risk_matrix BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_matrix_update AFTER UPDATE ON risk_matrix BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_matrix_delete AFTER DELETE ON risk_matrix BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_matrix_level_insert AFTER INSERT ON risk_matrix_level BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_matrix_level_update AFTER UPDATE ON risk_matrix_level BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_matrix_level_delete AFTER DELETE ON risk_matrix_level BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_band_insert AFTER INSERT ON risk_band BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_band_update AFTER UPDATE ON risk_band BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER monitor_generation_risk_band_delete AFTER DELETE ON risk_band BEGIN
  UPDATE monitor_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
