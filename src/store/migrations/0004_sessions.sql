-- Sessions: any node serves any session. id_hash is BLAKE2b-256 of the id in
-- the cookie; wrapped_key is the user's X25519 secret key sealed under the
-- session key, which only the cookie holds. totp_wrapped keeps the TOTP
-- secret, sealed the same way, only between password and second factor.
CREATE TABLE session (
  id_hash BLOB PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES account(id),
  created INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('nl', 'en')),
  mfa_done INTEGER NOT NULL CHECK (mfa_done IN (0, 1)),
  must_enrol INTEGER NOT NULL CHECK (must_enrol IN (0, 1)),
  wrapped_key BLOB NOT NULL,
  totp_wrapped BLOB
) STRICT;
CREATE INDEX session_account ON session(account_id);
CREATE INDEX session_last_seen ON session(last_seen);
