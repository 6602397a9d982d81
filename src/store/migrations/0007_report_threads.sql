-- What follows a report (src/intake, issue 4): the conversation between the
-- reporter and the handlers, the handlers' internal notes, attachments, the
-- reporter's receipt sessions, and the steps of the legal clocks.
--
-- Every text and file is a content blob (src/crypto/envelope.h) under the
-- report's own key, its purpose naming the row ("message:17", "note:4",
-- "attachment:3", "attachment-meta:3"), so a blob moved to another row does
-- not open. Rows are inserted with an empty blob and filled in the same
-- transaction, because the purpose needs the id the insert gives. In the
-- clear: who wrote (reporter, or which handler account) and when; never what.

-- handed_over_on: the report went to case handling (issue 5).
-- registered_by: an in-person or oral report written down by this manager or
-- confidential adviser; record_agreed_on: the reporter, signed in with the
-- receipt, agreed to that written record.
ALTER TABLE report ADD COLUMN handed_over_on TEXT
  CHECK (handed_over_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE report ADD COLUMN registered_by INTEGER REFERENCES account(id);
ALTER TABLE report ADD COLUMN record_agreed_on TEXT
  CHECK (record_agreed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

CREATE TABLE report_message (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES report(id),
  author TEXT NOT NULL CHECK (author IN ('reporter', 'handler')),
  account_id INTEGER REFERENCES account(id),
  created_at TEXT NOT NULL,
  body BLOB NOT NULL,
  CHECK ((author = 'handler') = (account_id IS NOT NULL))
) STRICT;
CREATE INDEX report_message_report ON report_message(report_id, id);

-- Internal notes: shown to handlers only, never to a receipt session.
CREATE TABLE report_note (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES report(id),
  account_id INTEGER NOT NULL REFERENCES account(id),
  created_at TEXT NOT NULL,
  body BLOB NOT NULL
) STRICT;
CREATE INDEX report_note_report ON report_note(report_id, id);

-- meta holds the name as uploaded (shown, never used as a path), the type
-- libmagic found and the size; body the bytes. message_id: added with that
-- message; NULL: added with the report itself.
CREATE TABLE report_attachment (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES report(id),
  message_id INTEGER REFERENCES report_message(id),
  added_by TEXT NOT NULL CHECK (added_by IN ('reporter', 'handler')),
  created_at TEXT NOT NULL,
  meta BLOB NOT NULL,
  body BLOB NOT NULL
) STRICT;
CREATE INDEX report_attachment_report ON report_attachment(report_id, id);

-- A reporter signed in with a receipt. Like session (0004): id_hash is
-- BLAKE2b-256 of the id in the cookie; wrapped_key is the report key wrapped
-- under the session key, which only the cookie holds. The receipt itself is
-- never kept.
CREATE TABLE receipt_session (
  id_hash BLOB PRIMARY KEY CHECK (length(id_hash) = 32),
  report_id INTEGER NOT NULL REFERENCES report(id),
  created INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('nl', 'en')),
  wrapped_key BLOB NOT NULL
) STRICT;
CREATE INDEX receipt_session_last_seen ON receipt_session(last_seen);
