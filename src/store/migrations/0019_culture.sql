-- 0019_culture: culture indicators (issue 7 item 8; src/culture). Survey
-- figures per department and year, imported from a CSV file with `probity
-- import culture`. Aggregates only: a share of staff with the number of
-- respondents behind it (at least 10, so that no one's answer can be told),
-- never an answer of a person. Plaintext by design.

-- One import of one file; sha256 of its bytes refuses the same file twice
-- by mistake (--again allows it, hence no UNIQUE).
CREATE TABLE culture_import (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  file_name TEXT NOT NULL CHECK (length(CAST(file_name AS BLOB)) BETWEEN 1 AND 255),
  rows INTEGER NOT NULL CHECK (rows BETWEEN 0 AND 100000),
  replaced INTEGER NOT NULL DEFAULT 0 CHECK (replaced >= 0),
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL CHECK (length(imported_by) BETWEEN 1 AND 80)
) STRICT;
CREATE INDEX culture_import_sha256 ON culture_import(sha256);

-- One figure: org_id is the department's row alive in that year. The
-- indicator is a code of src/culture/row.c's list (a new indicator needs no
-- migration). value_tenths: the percentage × 10 (73.5% is 735).
CREATE TABLE culture_figure (
  org_id INTEGER NOT NULL REFERENCES org(id),
  year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 9999),
  indicator TEXT NOT NULL CHECK (length(indicator) BETWEEN 1 AND 32),
  value_tenths INTEGER NOT NULL CHECK (value_tenths BETWEEN 0 AND 1000),
  respondents INTEGER NOT NULL CHECK (respondents >= 10),
  source TEXT NOT NULL CHECK (length(CAST(source AS BLOB)) BETWEEN 1 AND 200),
  import_id INTEGER NOT NULL REFERENCES culture_import(id),
  PRIMARY KEY (org_id, year, indicator)
) STRICT;
