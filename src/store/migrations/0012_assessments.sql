-- Self-assessments of departments against a framework revision
-- (src/assess, issue 6 deliverable 2, docs/assessment.md).
--
-- In the clear, by design: the department, the framework revision, the
-- year, the status and who took each step when, the judgements (design,
-- existence, operation), maturity, comments, action points and evidence
-- links. They describe a department's integrity system, not persons, and
-- the coordinator's comparison and the exports read them without anyone's
-- key. Evidence files are content blobs (src/crypto/envelope.h) under a key
-- of the assessment's own, with the assessment id as the envelope's id and
-- purposes "assess-evidence-meta:<id>" (name, type, size) and
-- "assess-evidence:<id>" (the bytes). That key is stored only sealed
-- (assessment_key): to the accounts that may read the files (kind 7) and to
-- the recovery key current when the assessment was made (kind 8).

CREATE TABLE assessment (
  id INTEGER PRIMARY KEY,
  -- the department's org row (kind 'department') when it was made
  org_id INTEGER NOT NULL REFERENCES org(id),
  framework_version_id INTEGER NOT NULL REFERENCES framework_version(id),
  -- the framework's code, kept here so that "one per department, framework
  -- and year" holds across revisions
  framework_code TEXT NOT NULL CHECK (length(framework_code) BETWEEN 1 AND 32),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  status TEXT NOT NULL CHECK (status IN ('draft', 'signed_off', 'reviewed')),
  -- the assessment its items were prefilled from, if any
  prefilled_from INTEGER REFERENCES assessment(id),
  created_by INTEGER NOT NULL REFERENCES account(id),
  created_at TEXT NOT NULL,
  signed_off_by INTEGER REFERENCES account(id),
  signed_off_at TEXT,
  reviewed_by INTEGER REFERENCES account(id),
  reviewed_at TEXT,
  review_comment TEXT CHECK (length(CAST(review_comment AS BLOB)) BETWEEN 1 AND 4000),
  -- the last return to draft, with its reason
  returned_by INTEGER REFERENCES account(id),
  returned_at TEXT,
  return_reason TEXT CHECK (length(CAST(return_reason AS BLOB)) BETWEEN 1 AND 4000),
  UNIQUE (org_id, framework_code, year),
  CHECK ((signed_off_by IS NULL) = (signed_off_at IS NULL)),
  CHECK ((reviewed_by IS NULL) = (reviewed_at IS NULL)),
  CHECK ((returned_by IS NULL) = (returned_at IS NULL)),
  CHECK (status = 'draft' OR signed_off_by IS NOT NULL),
  CHECK (status <> 'reviewed' OR (reviewed_by IS NOT NULL AND review_comment IS NOT NULL))
) STRICT;
CREATE INDEX assessment_year ON assessment(year, framework_code);

-- One row per requirement of the framework revision, made with the
-- assessment. 0 is "not assessed" (assess.h); prefilled marks a row copied
-- from an earlier assessment that nobody has saved since.
CREATE TABLE assessment_item (
  assessment_id INTEGER NOT NULL REFERENCES assessment(id),
  req_code TEXT NOT NULL CHECK (length(req_code) BETWEEN 1 AND 32),
  design INTEGER NOT NULL DEFAULT 0 CHECK (design BETWEEN 0 AND 3),
  existence INTEGER NOT NULL DEFAULT 0 CHECK (existence BETWEEN 0 AND 3),
  operation INTEGER NOT NULL DEFAULT 0 CHECK (operation BETWEEN 0 AND 3),
  maturity INTEGER NOT NULL DEFAULT 0 CHECK (maturity BETWEEN 0 AND 4),
  comment TEXT NOT NULL DEFAULT '' CHECK (length(CAST(comment AS BLOB)) <= 4000),
  prefilled INTEGER NOT NULL DEFAULT 0 CHECK (prefilled IN (0, 1)),
  updated_by INTEGER REFERENCES account(id),
  updated_at TEXT,
  PRIMARY KEY (assessment_id, req_code)
) STRICT;

CREATE TABLE assessment_action (
  id INTEGER PRIMARY KEY,
  assessment_id INTEGER NOT NULL REFERENCES assessment(id),
  req_code TEXT NOT NULL CHECK (length(req_code) BETWEEN 1 AND 32),
  text TEXT NOT NULL CHECK (length(CAST(text AS BLOB)) BETWEEN 1 AND 500),
  owner TEXT NOT NULL DEFAULT '' CHECK (length(CAST(owner AS BLOB)) <= 120),
  due_on TEXT CHECK (due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done')),
  created_by INTEGER NOT NULL REFERENCES account(id),
  updated_at TEXT NOT NULL,
  FOREIGN KEY (assessment_id, req_code) REFERENCES assessment_item(assessment_id, req_code)
) STRICT;
CREATE INDEX assessment_action_of ON assessment_action(assessment_id, req_code, id);

-- Evidence: a link (url, in the clear) or a file (meta and body blobs under
-- the assessment key; url NULL).
CREATE TABLE assessment_evidence (
  id INTEGER PRIMARY KEY,
  assessment_id INTEGER NOT NULL REFERENCES assessment(id),
  req_code TEXT NOT NULL CHECK (length(req_code) BETWEEN 1 AND 32),
  kind TEXT NOT NULL CHECK (kind IN ('link', 'file')),
  url TEXT CHECK (length(url) BETWEEN 9 AND 2000 AND url GLOB 'https://*'),
  meta BLOB,
  body BLOB,
  account_id INTEGER NOT NULL REFERENCES account(id),
  created_at TEXT NOT NULL,
  CHECK ((kind = 'link') = (url IS NOT NULL)),
  CHECK ((kind = 'file') = (meta IS NOT NULL AND body IS NOT NULL)),
  FOREIGN KEY (assessment_id, req_code) REFERENCES assessment_item(assessment_id, req_code)
) STRICT;
CREATE INDEX assessment_evidence_of ON assessment_evidence(assessment_id, req_code, id);

-- The assessment key, sealed: to an account (holder 'account', kind 7) or
-- to the recovery key current when the assessment was made ('recovery',
-- kind 8).
CREATE TABLE assessment_key (
  id INTEGER PRIMARY KEY,
  assessment_id INTEGER NOT NULL REFERENCES assessment(id),
  holder TEXT NOT NULL CHECK (holder IN ('account', 'recovery')),
  account_id INTEGER REFERENCES account(id),
  recovery_key_id INTEGER REFERENCES recovery_key(id),
  sealed BLOB NOT NULL CHECK (length(sealed) = 92),
  CHECK ((holder = 'account') = (account_id IS NOT NULL)),
  CHECK ((holder = 'recovery') = (recovery_key_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX assessment_key_account ON assessment_key(assessment_id, account_id)
  WHERE account_id IS NOT NULL;
