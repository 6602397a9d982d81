-- The recovery key (src/crypto/recovery.h, DESIGN §3, issue 4): an X25519
-- key pair whose public half every report key is also sealed to, and whose
-- secret half exists only as k-of-n shares, each sealed to one custodian's
-- account key. No row here opens anything without k custodians' passwords.
--
-- At most one key is current (retired_at IS NULL); making a new one retires
-- the old, whose shares stay so that reports sealed to it can still be
-- recovered.
CREATE TABLE recovery_key (
  id INTEGER PRIMARY KEY,
  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
  k INTEGER NOT NULL CHECK (k BETWEEN 2 AND 16),
  n INTEGER NOT NULL CHECK (n BETWEEN k AND 16),
  created_at TEXT NOT NULL,
  retired_at TEXT
) STRICT;
CREATE UNIQUE INDEX recovery_key_current ON recovery_key(retired_at IS NULL)
  WHERE retired_at IS NULL;

-- Share x of key key_id, sealed to the custodian's X25519 public key
-- (recovery_seal_share, 117 bytes).
CREATE TABLE recovery_share (
  key_id INTEGER NOT NULL REFERENCES recovery_key(id),
  x INTEGER NOT NULL CHECK (x BETWEEN 1 AND 16),
  account_id INTEGER NOT NULL REFERENCES account(id),
  sealed BLOB NOT NULL CHECK (length(sealed) = 117),
  PRIMARY KEY (key_id, x),
  UNIQUE (key_id, account_id)
) STRICT;

-- Which recovery key a report's 'recovery' sealed key is sealed to.
ALTER TABLE report_key ADD COLUMN recovery_key_id INTEGER REFERENCES recovery_key(id);
