-- 0015_registrations: historical registrations of integrity violations
-- (issue 7 item 3; src/registrations). Departments kept their registers in
-- spreadsheets, one row per registered violation; `probity import
-- registrations` loads them so that the annual report and the dashboard
-- count years before Probity together with the closed cases of case_file.
--
-- Everything here is plaintext by design: a row holds the same statistical
-- fields a case keeps after its purge (organisation, date, category with its
-- taxonomy revision, outcome, measure, police report), never a person, a
-- text or anything that identifies a case.

-- One import of one file. sha256: of the file's bytes, so that the same file
-- is not loaded twice by mistake (`--again` allows it deliberately, hence no
-- UNIQUE). file_name: the name as given, without its folders.
CREATE TABLE registration_import (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  file_name TEXT NOT NULL CHECK (length(CAST(file_name AS BLOB)) BETWEEN 1 AND 255),
  rows INTEGER NOT NULL CHECK (rows BETWEEN 0 AND 1000000),
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL CHECK (length(imported_by) BETWEEN 1 AND 80)
) STRICT;
CREATE INDEX registration_import_sha256 ON registration_import(sha256);

-- One registered violation. org_id: the organisation row alive on
-- received_on (a department or a unit as it was then, so that a split
-- department's years land on the rows of that time). The measure is a code
-- of measures_list at measures_revision, or NULL for none.
CREATE TABLE registration (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  received_on TEXT NOT NULL
    CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  category TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 32),
  taxonomy TEXT NOT NULL CHECK (length(taxonomy) BETWEEN 1 AND 64),
  taxonomy_revision INTEGER NOT NULL CHECK (taxonomy_revision >= 1),
  outcome TEXT NOT NULL CHECK (outcome IN ('established', 'partly', 'not_established')),
  measure TEXT CHECK (length(measure) BETWEEN 1 AND 32),
  measures_list TEXT CHECK (length(measures_list) BETWEEN 1 AND 64),
  measures_revision INTEGER CHECK (measures_revision >= 1),
  police_report INTEGER NOT NULL CHECK (police_report IN (0, 1)),
  import_id INTEGER NOT NULL REFERENCES registration_import(id),
  CHECK ((measure IS NULL) = (measures_list IS NULL)
    AND (measures_list IS NULL) = (measures_revision IS NULL))
) STRICT;
-- counting per organisation, year and category (registrations_counts groups
-- on these, years as ranges of received_on)
CREATE INDEX registration_org_received ON registration(org_id, received_on, category);
CREATE INDEX registration_received ON registration(received_on);
CREATE INDEX registration_import_rows ON registration(import_id);
