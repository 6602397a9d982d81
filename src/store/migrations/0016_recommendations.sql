-- 0016_recommendations: the recommendations tracker and the policy cycle
-- (issue 7 items 5 and 6; src/recs). Plaintext by design: recommendations,
-- the government's responses and policy items are public documents, and a
-- department's progress notes and adoption records describe the
-- organisation, never a person or a case. The rules that span rows (a
-- number once per source, the order of the stages' dates) are the model's
-- and the store's; these checks only stop rows that bypassed them.

-- A source of recommendations: a Court of Audit report, a GRECO evaluation
-- round, a Venice Commission opinion, a parliamentary inquiry or another.
CREATE TABLE rec_source (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('court_of_audit', 'greco', 'venice_commission',
    'parliamentary_inquiry', 'other')),
  title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 200),
  reference TEXT NOT NULL CHECK (length(CAST(reference AS BLOB)) <= 100),
  issued_on TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  round TEXT NOT NULL CHECK (length(CAST(round AS BLOB)) <= 100),
  link TEXT NOT NULL CHECK (link = '' OR (link GLOB 'https://?*' AND length(link) <= 500)),
  updated_on TEXT NOT NULL CHECK (updated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;

-- One recommendation of a source, by its number there ("iv", "3"), with the
-- government's response and its status on GRECO's scale ('none': no status
-- yet); report_due the date the next progress report is due ('' none).
CREATE TABLE recommendation (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES rec_source(id),
  number TEXT NOT NULL CHECK (length(CAST(number AS BLOB)) BETWEEN 1 AND 20),
  text TEXT NOT NULL CHECK (length(CAST(text AS BLOB)) BETWEEN 1 AND 4000),
  response TEXT NOT NULL CHECK (length(CAST(response AS BLOB)) <= 4000),
  response_on TEXT NOT NULL CHECK (response_on = '' OR
    response_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status TEXT NOT NULL CHECK (status IN ('none', 'implemented', 'partly', 'not_implemented')),
  status_on TEXT NOT NULL CHECK (status_on = '' OR
    status_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  report_due TEXT NOT NULL CHECK (report_due = '' OR
    report_due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  updated_on TEXT NOT NULL CHECK (updated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  UNIQUE (source_id, number)
) STRICT;

-- The departments a recommendation is addressed to; none: government-wide.
CREATE TABLE rec_addressee (
  rec_id INTEGER NOT NULL REFERENCES recommendation(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  PRIMARY KEY (rec_id, org_id)
) STRICT;

-- A progress note: what was done by noted_on, about one department (org_id)
-- or the government as a whole (NULL), with evidence links (rec_note_link).
-- Who wrote it is in the audit trail (recs.note.add).
CREATE TABLE rec_note (
  id INTEGER PRIMARY KEY,
  rec_id INTEGER NOT NULL REFERENCES recommendation(id),
  org_id INTEGER REFERENCES org(id),
  noted_on TEXT NOT NULL CHECK (noted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  text TEXT NOT NULL CHECK (length(CAST(text AS BLOB)) BETWEEN 1 AND 4000)
) STRICT;
CREATE INDEX rec_note_rec ON rec_note(rec_id);

CREATE TABLE rec_note_link (
  note_id INTEGER NOT NULL REFERENCES rec_note(id),
  pos INTEGER NOT NULL CHECK (pos BETWEEN 1 AND 5),
  url TEXT NOT NULL CHECK (url GLOB 'https://?*' AND length(url) <= 500),
  PRIMARY KEY (note_id, pos)
) STRICT;

-- A government-wide policy item (a framework, protocol or guideline) in the
-- policy cycle: its stage, and the date each stage reached began ('' for
-- one not reached).
CREATE TABLE policy_item (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 200),
  kind TEXT NOT NULL CHECK (kind IN ('framework', 'protocol', 'guideline', 'other')),
  version TEXT NOT NULL CHECK (length(CAST(version AS BLOB)) <= 40),
  description TEXT NOT NULL CHECK (length(CAST(description AS BLOB)) <= 4000),
  stage TEXT NOT NULL CHECK (stage IN ('development', 'adopted', 'implemented', 'evaluated')),
  development_on TEXT NOT NULL CHECK (development_on = '' OR
    development_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  adopted_on TEXT NOT NULL CHECK (adopted_on = '' OR
    adopted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  implemented_on TEXT NOT NULL CHECK (implemented_on = '' OR
    implemented_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  evaluated_on TEXT NOT NULL CHECK (evaluated_on = '' OR
    evaluated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  updated_on TEXT NOT NULL CHECK (updated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;

-- A department's adoption of a policy item: when, how it translated it to
-- its own organisation, and its evaluation: a date and the department's
-- self-assessment it rests on (an assessment of that department, checked
-- by the store).
CREATE TABLE policy_adoption (
  policy_id INTEGER NOT NULL REFERENCES policy_item(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  adopted_on TEXT NOT NULL CHECK (adopted_on = '' OR
    adopted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  translation TEXT NOT NULL CHECK (length(CAST(translation AS BLOB)) <= 4000),
  evaluated_on TEXT NOT NULL CHECK (evaluated_on = '' OR
    evaluated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  assessment_id INTEGER REFERENCES assessment(id),
  updated_on TEXT NOT NULL CHECK (updated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  PRIMARY KEY (policy_id, org_id)
) STRICT;

-- Which policy items answer which recommendations (both pages show it).
CREATE TABLE rec_policy (
  rec_id INTEGER NOT NULL REFERENCES recommendation(id),
  policy_id INTEGER NOT NULL REFERENCES policy_item(id),
  PRIMARY KEY (rec_id, policy_id)
) STRICT;
CREATE INDEX rec_policy_policy ON rec_policy(policy_id);
