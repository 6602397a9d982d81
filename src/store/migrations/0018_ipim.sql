-- 0018_ipim: the interdepartmental platform for integrity management (issue 7
-- item 7; src/ipim): its meetings with their agenda, the agenda's links to
-- recommendations and policy items (0016), the decisions taken, and the
-- good-practice library. Plaintext by design: what the platform discusses is
-- the organisation, never a person or a case; a practice names a contact
-- ROLE, never a person (the model refuses e-mail addresses and phone
-- numbers). The rules are the model's; these checks stop rows that bypassed
-- it.

CREATE TABLE ipim_meeting (
  id INTEGER PRIMARY KEY,
  held_on TEXT NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 200),
  place TEXT NOT NULL CHECK (length(CAST(place AS BLOB)) BETWEEN 1 AND 200),
  minutes TEXT NOT NULL CHECK (length(CAST(minutes AS BLOB)) <= 8000),
  updated_on TEXT NOT NULL CHECK (updated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;

-- An agenda item, in order (pos) within its meeting.
CREATE TABLE ipim_item (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES ipim_meeting(id),
  pos INTEGER NOT NULL CHECK (pos BETWEEN 1 AND 50),
  title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 200),
  note TEXT NOT NULL CHECK (length(CAST(note AS BLOB)) <= 4000)
) STRICT;
CREATE INDEX ipim_item_meeting ON ipim_item(meeting_id, pos);

CREATE TABLE ipim_item_rec (
  item_id INTEGER NOT NULL REFERENCES ipim_item(id),
  rec_id INTEGER NOT NULL REFERENCES recommendation(id),
  PRIMARY KEY (item_id, rec_id)
) STRICT;

CREATE TABLE ipim_item_policy (
  item_id INTEGER NOT NULL REFERENCES ipim_item(id),
  policy_id INTEGER NOT NULL REFERENCES policy_item(id),
  PRIMARY KEY (item_id, policy_id)
) STRICT;

-- A decision on an agenda item: who follows it up (a role or a department,
-- never a person), by when ('' none), open or done.
CREATE TABLE ipim_decision (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES ipim_item(id),
  text TEXT NOT NULL CHECK (length(CAST(text AS BLOB)) BETWEEN 1 AND 4000),
  owner TEXT NOT NULL CHECK (length(CAST(owner AS BLOB)) BETWEEN 1 AND 200),
  due_on TEXT NOT NULL CHECK (due_on = '' OR due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status TEXT NOT NULL CHECK (status IN ('open', 'done'))
) STRICT;
CREATE INDEX ipim_decision_item ON ipim_decision(item_id);

-- A good practice of a department, under one of the themes of the
-- Gedragscode Integriteit Rijk 2019 (ipim.h), with a contact role.
CREATE TABLE ipim_practice (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  theme TEXT NOT NULL CHECK (theme IN ('values', 'interests', 'information', 'relations',
    'abroad', 'prevention')),
  title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 200),
  description TEXT NOT NULL CHECK (length(CAST(description AS BLOB)) BETWEEN 1 AND 8000),
  contact TEXT NOT NULL CHECK (length(CAST(contact AS BLOB)) BETWEEN 1 AND 200),
  practised_on TEXT NOT NULL CHECK (practised_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  updated_on TEXT NOT NULL CHECK (updated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;
CREATE INDEX ipim_practice_org ON ipim_practice(org_id);
