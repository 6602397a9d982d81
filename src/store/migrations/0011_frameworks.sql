-- The framework library (src/frameworks/store.c, issue 6 deliverable 1,
-- docs/assessment.md): every revision of every assessment framework.
--
-- A row is one revision and never changes: an assessment names the
-- revision it was made against (assessment.framework_version_id), so an
-- edit or an import adds a row with the next revision instead. body is the
-- canonical JSON (format probity-framework, framework_write), which is what
-- the export serves and what the library reads back; code, revision and the
-- titles are copied out of it for lists and lookups. All of it is public
-- knowledge (published frameworks), so nothing here is encrypted.
--
-- created_by: the account that saved it from the edit form or an import on
-- the web; NULL for a file shipped with the program or a command-line
-- import (the audit entry names the operator). note: why this revision was
-- made, as the coordinator wrote it.
--
-- shipped_revision: for a file shipped with the program, its own revision
-- number, so that `probity init` inserts each shipped file once. It usually
-- equals revision; when the coordinator has already saved that revision
-- number here, the shipped file is stored as the next free revision
-- instead, so local and shipped revisions never collide (docs/assessment.md).
CREATE TABLE framework_version (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32 AND code NOT GLOB '*[^a-z0-9.-]*'),
  revision INTEGER NOT NULL CHECK (revision BETWEEN 1 AND 9999),
  title_nl TEXT NOT NULL CHECK (length(CAST(title_nl AS BLOB)) BETWEEN 1 AND 200),
  title_en TEXT NOT NULL CHECK (length(CAST(title_en AS BLOB)) <= 200),
  body TEXT NOT NULL CHECK (length(CAST(body AS BLOB)) BETWEEN 2 AND 1048576),
  created_on TEXT NOT NULL
    CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  created_by INTEGER REFERENCES account(id),
  note TEXT NOT NULL CHECK (length(CAST(note AS BLOB)) <= 500),
  shipped_revision INTEGER CHECK (shipped_revision BETWEEN 1 AND 9999),
  UNIQUE (code, revision)
) STRICT;
CREATE UNIQUE INDEX framework_version_shipped ON framework_version (code, shipped_revision)
  WHERE shipped_revision IS NOT NULL;
