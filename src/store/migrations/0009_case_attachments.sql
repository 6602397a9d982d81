-- Attachments of a case (src/cases/files.c, issue 5 item 6): files the team
-- adds to a record, to a note, or to the case alone.
--
-- As for a report's attachments (0007), meta holds the name as uploaded
-- (shown, never used as a path), the type decided from the content and the
-- size, as JSON, and body the bytes: two content blobs, so that a list of
-- attachments never decrypts the files. Their purposes are
-- "case-attachment-meta:<id>" and "case-attachment:<id>", with the case id as
-- the envelope's id. under says which key they are under: the case key, or
-- for a file added to a record under the summary key (the authority summary,
-- the decision), the summary key, so that the competent authority reads what
-- belongs to what it reads. In the clear: who added a file to what, and when.
--
-- A case's purge deletes these rows with the rest of its content.
CREATE TABLE case_attachment (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  record_id INTEGER REFERENCES case_record(id),
  note_id INTEGER REFERENCES case_note(id),
  under TEXT NOT NULL CHECK (under IN ('case', 'summary')),
  account_id INTEGER NOT NULL REFERENCES account(id),
  created_at TEXT NOT NULL,
  meta BLOB NOT NULL,
  body BLOB NOT NULL,
  CHECK (record_id IS NULL OR note_id IS NULL),
  CHECK (under = 'case' OR record_id IS NOT NULL)
) STRICT;
CREATE INDEX case_attachment_case ON case_attachment(case_id, id);
