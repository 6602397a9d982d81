-- Cases under the investigation protocol (src/cases/store.c, issue 5,
-- DESIGN §3).
--
-- A case is opened from one or more reports of one organisation (or of its
-- units) and handled by a case team. What is in the clear, and why: the
-- organisation, the protocol and its revision, the phase and the dates (terms
-- and the "due and overdue" views run without anyone's key), who is on the
-- team, and the statistical fields that outlive a purge (category, outcome,
-- police report, measures). Everything a person wrote, and everything that
-- identifies someone, is a content blob (src/crypto/envelope.h) under the
-- case's own key with the case id as the id and a purpose that starts with
-- "case-" and names the row ("case-record:12", "case-person:3",
-- "case-note:8", "case-phase:5"). No report purpose starts with "case-", so
-- a case blob and a report blob can never share associated data, even when
-- the case and the report have the same number.
--
-- The case key is stored only sealed (case_key): to each team member's X25519
-- key and to the current recovery key, under sealed-key kinds of their own
-- (envelope.h), so that a report's sealed key can never pass for a case's.
-- Table name case_file: CASE is an SQL keyword.

-- How long a closed case's content is kept, per organisation; a case of an
-- organisation without a row here takes the nearest row above it in the
-- tree, else the default of src/cases (five years).
CREATE TABLE org_retention (
  org_id INTEGER PRIMARY KEY REFERENCES org(id),
  days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 36525)
) STRICT;

CREATE TABLE case_file (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  protocol TEXT NOT NULL CHECK (length(protocol) BETWEEN 1 AND 64),
  protocol_revision INTEGER NOT NULL CHECK (protocol_revision >= 0),
  phase TEXT NOT NULL CHECK (length(phase) BETWEEN 1 AND 64),
  phase_started_on TEXT NOT NULL
    CHECK (phase_started_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  opened_on TEXT NOT NULL
    CHECK (opened_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  opened_at TEXT NOT NULL,
  closed_on TEXT CHECK (closed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  -- the statistical record: kept after a purge
  category TEXT CHECK (length(category) BETWEEN 1 AND 16),
  taxonomy TEXT CHECK (length(taxonomy) BETWEEN 1 AND 64),
  taxonomy_revision INTEGER CHECK (taxonomy_revision >= 0),
  outcome TEXT CHECK (outcome IN ('established', 'partly', 'not_established')),
  police_report INTEGER CHECK (police_report IN (0, 1)),
  measures_list TEXT CHECK (length(measures_list) BETWEEN 1 AND 64),
  measures_revision INTEGER CHECK (measures_revision >= 0),
  -- the competent authority's decision: when and by whom (its text is a
  -- record under the summary key)
  decided_on TEXT CHECK (decided_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  decided_by INTEGER REFERENCES account(id),
  purge_after TEXT CHECK (purge_after GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  purged_on TEXT CHECK (purged_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  -- the case's summary key (what the competent authority may read) wrapped
  -- under the case key (vault_wrap, 72 bytes): every team member reads the
  -- summary and the decision through the case key. Empty only inside the
  -- transaction that creates the row (the wrapping names the id).
  summary_key BLOB NOT NULL CHECK (length(summary_key) IN (0, 72)),
  CHECK (closed_on IS NULL OR closed_on >= opened_on),
  CHECK ((category IS NULL) = (taxonomy IS NULL) AND (taxonomy IS NULL) = (taxonomy_revision IS NULL)),
  CHECK ((measures_list IS NULL) = (measures_revision IS NULL)),
  CHECK ((decided_on IS NULL) = (decided_by IS NULL))
) STRICT;
CREATE INDEX case_file_org ON case_file(org_id, opened_on);
CREATE INDEX case_file_purge ON case_file(purge_after) WHERE purged_on IS NULL;

-- Measures taken or proposed (codes of the measures list named on the case).
CREATE TABLE case_measure (
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  PRIMARY KEY (case_id, code)
) STRICT;

-- The case team. A member who leaves keeps the row (removed_on) for the
-- record; their sealed key row is deleted.
CREATE TABLE case_member (
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  account_id INTEGER NOT NULL REFERENCES account(id),
  role_in_case TEXT NOT NULL CHECK (role_in_case IN ('coordinator', 'investigator')),
  added_on TEXT NOT NULL CHECK (added_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  added_by INTEGER REFERENCES account(id),
  removed_on TEXT CHECK (removed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  CHECK (removed_on IS NULL OR removed_on >= added_on)
) STRICT;
CREATE UNIQUE INDEX case_member_current ON case_member(case_id, account_id)
  WHERE removed_on IS NULL;
CREATE INDEX case_member_account ON case_member(account_id) WHERE removed_on IS NULL;

-- The case key, sealed once per holder: each current team member's account
-- and the recovery key current when it was sealed.
CREATE TABLE case_key (
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  holder TEXT NOT NULL CHECK (holder IN ('account', 'recovery')),
  account_id INTEGER REFERENCES account(id),
  recovery_key_id INTEGER REFERENCES recovery_key(id),
  sealed BLOB NOT NULL CHECK (length(sealed) BETWEEN 1 AND 256),
  CHECK ((holder = 'account') = (account_id IS NOT NULL)),
  CHECK ((holder = 'recovery') = (recovery_key_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX case_key_account ON case_key(account_id, case_id) WHERE holder = 'account';
CREATE UNIQUE INDEX case_key_recovery ON case_key(case_id) WHERE holder = 'recovery';

-- The reports of a case: each report's own key wrapped under the case key
-- (vault_wrap, XChaCha20-Poly1305, the associated data naming the case and
-- the report), so that every team member reads the joined reports through
-- the case. A report is in at most one case.
CREATE TABLE case_report_key (
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  report_id INTEGER NOT NULL UNIQUE REFERENCES report(id),
  joined_on TEXT NOT NULL CHECK (joined_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  joined_by INTEGER NOT NULL REFERENCES account(id),
  sealed BLOB NOT NULL CHECK (length(sealed) = 72)
) STRICT;
CREATE INDEX case_report_key_case ON case_report_key(case_id);

-- The summary key sealed to each competent authority account the
-- coordinator chose: they read the authority summary and write the decision,
-- and hold no case key.
CREATE TABLE case_summary_key (
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  account_id INTEGER NOT NULL REFERENCES account(id),
  added_on TEXT NOT NULL CHECK (added_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  sealed BLOB NOT NULL CHECK (length(sealed) BETWEEN 1 AND 256),
  PRIMARY KEY (case_id, account_id)
) STRICT;

-- Every move between phases. reason: why a deviation was approved, under the
-- summary key ("case-phase:<id>"), because the competent authority may move
-- a case out of its phase and must be able to review the deviations (the
-- protocol wants them justified in the report); team members read it
-- through the case key. NULL for a normal move.
CREATE TABLE case_phase_log (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  from_phase TEXT NOT NULL CHECK (length(from_phase) BETWEEN 1 AND 64),
  to_phase TEXT NOT NULL CHECK (length(to_phase) BETWEEN 1 AND 64),
  account_id INTEGER NOT NULL REFERENCES account(id),
  on_date TEXT NOT NULL CHECK (on_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  at TEXT NOT NULL,
  deviation INTEGER NOT NULL CHECK (deviation IN (0, 1)),
  approver_id INTEGER REFERENCES account(id),
  reason BLOB,
  CHECK ((deviation = 1) = (approver_id IS NOT NULL)),
  CHECK ((deviation = 1) = (reason IS NOT NULL))
) STRICT;
CREATE INDEX case_phase_log_case ON case_phase_log(case_id, id);

-- Checklist items of a phase that are done.
CREATE TABLE case_check (
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  phase TEXT NOT NULL CHECK (length(phase) BETWEEN 1 AND 64),
  item TEXT NOT NULL CHECK (length(item) BETWEEN 1 AND 64),
  done_on TEXT NOT NULL CHECK (done_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  account_id INTEGER NOT NULL REFERENCES account(id),
  PRIMARY KEY (case_id, phase, item)
) STRICT;

-- Records of the protocol (intake summary, interview records, reports...).
-- under: which key the body is under: the case key, or for what the
-- competent authority reads (the authority summary, the decision) the
-- summary key. The purpose is "case-record:<id>" either way.
CREATE TABLE case_record (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  type TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
  under TEXT NOT NULL CHECK (under IN ('case', 'summary')),
  account_id INTEGER NOT NULL REFERENCES account(id),
  created_at TEXT NOT NULL,
  body BLOB NOT NULL
) STRICT;
CREATE INDEX case_record_case ON case_record(case_id, id);

-- People involved and the dates of their rights. blob: name, function and
-- contact as JSON under the case key ("case-person:<id>"); the dates are in
-- the clear, because terms run on them (the reaction to the draft report is
-- due on reaction_due).
CREATE TABLE case_person (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  -- cases_party_name (src/cases/protocol.h)
  party TEXT NOT NULL CHECK (party IN ('person_concerned', 'reporter', 'witness', 'other')),
  added_on TEXT NOT NULL CHECK (added_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  blob BLOB NOT NULL,
  informed_on TEXT CHECK (informed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  heard_on TEXT CHECK (heard_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  record_offered_on TEXT
    CHECK (record_offered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  record_agreed_on TEXT
    CHECK (record_agreed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  assistance_offered_on TEXT
    CHECK (assistance_offered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  draft_sent_on TEXT CHECK (draft_sent_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  reaction_due TEXT CHECK (reaction_due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  reaction_on TEXT CHECK (reaction_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  final_inspected_on TEXT
    CHECK (final_inspected_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  CHECK ((draft_sent_on IS NULL) = (reaction_due IS NULL))
) STRICT;
CREATE INDEX case_person_case ON case_person(case_id, id);

-- Notes and messages between team members inside the case ("case-note:<id>").
CREATE TABLE case_note (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES case_file(id),
  account_id INTEGER NOT NULL REFERENCES account(id),
  created_at TEXT NOT NULL,
  body BLOB NOT NULL
) STRICT;
CREATE INDEX case_note_case ON case_note(case_id, id);
