-- Reports received through the reporting channel (src/intake/store.c, DESIGN
-- §3, issue 4).
--
-- What is in the clear, and why. The organisation, the kind, the mode, the
-- questionnaire and its revision, and the dates: the legal clocks (the
-- acknowledgement is due 7 days after received_on, the feedback 3 months
-- after that or after acknowledged_on) must be computed, ordered and warned
-- about without anyone's key, and the yearly figures by organisation and kind
-- are counted from these columns. Nothing a reporter wrote or who they are is
-- among them: the answers and, for an open or confidential report, the
-- identity are in body, a content blob (src/crypto/envelope.h) under the
-- report's own key, which is stored only sealed, in report_key.
--
-- receipt_lookup is the keyed BLAKE2b of the receipt (src/crypto/receipt.h),
-- to find the report by its receipt; receipt_salt salts the key derived from
-- the receipt that opens the reporter's sealed key. Neither yields the
-- receipt.
CREATE TABLE report (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  kind TEXT NOT NULL CHECK (kind IN ('integrity_violation', 'wrongdoing',
    'unwanted_behaviour')),
  mode TEXT NOT NULL CHECK (mode IN ('open', 'confidential', 'anonymous')),
  questionnaire TEXT NOT NULL CHECK (length(questionnaire) BETWEEN 1 AND 64),
  questionnaire_revision INTEGER NOT NULL CHECK (questionnaire_revision >= 0),
  received_on TEXT NOT NULL
    CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  received_at TEXT NOT NULL,
  acknowledged_on TEXT
    CHECK (acknowledged_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  feedback_on TEXT
    CHECK (feedback_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  receipt_lookup BLOB NOT NULL UNIQUE CHECK (length(receipt_lookup) = 32),
  receipt_salt BLOB NOT NULL CHECK (length(receipt_salt) = 16),
  -- empty only inside the transaction that creates the row: the blob's
  -- associated data names the id, which the insert gives
  body BLOB NOT NULL
) STRICT;
CREATE INDEX report_org ON report(org_id, received_on);

-- The report's key, sealed once per holder: each handler's account (to its
-- X25519 public key), the reporter (to the key derived from the receipt) and
-- the recovery key. Holding a row is what lets an account see the report.
CREATE TABLE report_key (
  report_id INTEGER NOT NULL REFERENCES report(id),
  holder TEXT NOT NULL CHECK (holder IN ('account', 'receipt', 'recovery')),
  account_id INTEGER REFERENCES account(id),
  sealed BLOB NOT NULL CHECK (length(sealed) BETWEEN 1 AND 256),
  CHECK ((holder = 'account') = (account_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX report_key_receipt ON report_key(report_id) WHERE holder = 'receipt';
CREATE UNIQUE INDEX report_key_recovery ON report_key(report_id) WHERE holder = 'recovery';
CREATE UNIQUE INDEX report_key_account ON report_key(account_id, report_id)
  WHERE holder = 'account';
