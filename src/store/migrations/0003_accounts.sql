-- Accounts: the people who sign in, their roles per organisation, and the
-- one-time codes that stand in for a lost second factor (src/accounts).
--
-- No password and no plaintext key is stored. pw_verifier is BLAKE2b-256 of
-- half of argon2id(password, pw_salt, pw_ops, pw_mem); the other half is the
-- key that wraps the account's X25519 secret key (wrapped_secret_key) and its
-- TOTP secret (totp_wrapped), both XChaCha20-Poly1305 bound to the account id
-- (src/crypto/vault.h). The parameters are kept per row so that they can be
-- raised for new passwords without locking anyone out.
CREATE TABLE account (
  id INTEGER PRIMARY KEY,
  -- stored in lower case; unique without regard to case all the same
  username TEXT NOT NULL COLLATE NOCASE UNIQUE
    CHECK (length(username) BETWEEN 3 AND 64 AND username GLOB '[a-z]*'
      AND username NOT GLOB '*[^a-z0-9._-]*'),
  display_name TEXT NOT NULL CHECK (length(CAST(display_name AS BLOB)) BETWEEN 1 AND 200),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL,
  pw_salt BLOB NOT NULL CHECK (length(pw_salt) = 16),
  -- the same bounds as VAULT_PW_*_MIN/MAX: a row cannot ask for a derivation
  -- that would exhaust the server's memory
  pw_ops INTEGER NOT NULL CHECK (pw_ops BETWEEN 1 AND 10),
  pw_mem INTEGER NOT NULL CHECK (pw_mem BETWEEN 8388608 AND 1073741824),
  pw_verifier BLOB NOT NULL CHECK (length(pw_verifier) = 32),
  public_key BLOB NOT NULL CHECK (length(public_key) = 32),
  -- empty only inside the transaction that creates the row: the wrapping names
  -- the id, which the insert gives
  wrapped_secret_key BLOB NOT NULL CHECK (length(wrapped_secret_key) IN (0, 72)),
  totp_wrapped BLOB CHECK (totp_wrapped IS NULL OR length(totp_wrapped) = 60),
  totp_enabled INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
  -- the last time step whose code was accepted: a code works once
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until INTEGER NOT NULL DEFAULT 0,  -- unix seconds
  password_changed_at TEXT NOT NULL,
  CHECK (totp_enabled = 0 OR totp_wrapped IS NOT NULL)
) STRICT;

-- A role held at one organisation row. A later rename or split of that
-- organisation is not followed (docs/roles.md).
CREATE TABLE account_role (
  account_id INTEGER NOT NULL REFERENCES account(id),
  role TEXT NOT NULL CHECK (role IN ('reporter', 'confidential_adviser', 'manager',
    'integrity_coordinator', 'investigator', 'competent_authority', 'coordinator',
    'ipim_member', 'auditor', 'administrator')),
  org_id INTEGER NOT NULL REFERENCES org(id),
  PRIMARY KEY (account_id, role, org_id)
) STRICT;
CREATE INDEX account_role_org ON account_role(org_id);

-- BLAKE2b-256 hashes of recovery codes (src/accounts/recovery.h); a code is
-- used once, and used_at says when.
CREATE TABLE recovery_code (
  account_id INTEGER NOT NULL REFERENCES account(id),
  code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),
  used_at TEXT,
  PRIMARY KEY (account_id, code_hash)
) STRICT;
