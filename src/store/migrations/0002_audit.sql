-- The audit trail: append-only and hash-chained. Each entry's hash covers the
-- previous entry's hash and its own canonical encoding (src/crypto/audit.c);
-- checkpoints and the head are signed with the server's Ed25519 key, which lives
-- outside the database. Entries name who did what to which object, never case
-- content.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '',
  object_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL
) STRICT;

-- Each checkpoint also signs the seq of the checkpoint before it, and the head
-- signs the newest checkpoint's seq, so that deleting a checkpoint is detected.
CREATE TABLE audit_checkpoint (
  seq INTEGER PRIMARY KEY,
  prev_seq INTEGER NOT NULL,
  hash BLOB NOT NULL,
  public_key BLOB NOT NULL,
  signature BLOB NOT NULL,
  at TEXT NOT NULL
) STRICT;

-- The latest entry, signed: without it, deleting the newest entries would leave
-- a shorter chain that still verifies.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash BLOB NOT NULL,
  last_checkpoint INTEGER NOT NULL,
  public_key BLOB NOT NULL,
  signature BLOB NOT NULL
) STRICT;

-- Defence in depth: the application never updates or deletes audit rows. The
-- chain, not these triggers, is what detects tampering by someone who drops them.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END;
CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END;
