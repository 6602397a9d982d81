-- Organisations: the tree of government, departments and units, with history.
-- A row is an organisation as it existed during [valid_from, valid_to); a rename,
-- split, merge or move closes rows and opens new ones, joined by org_link, so
-- that figures of any year can be read against the tree as it was then.
CREATE TABLE org (
  id INTEGER PRIMARY KEY,
  -- codes compare without regard to ASCII case ("IenW" and "IENW" are one code)
  -- and keep the spelling given; the rules live in src/orgs/model.c, these
  -- checks only stop rows that bypassed them
  code TEXT NOT NULL COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 24
    AND code NOT GLOB '*[^A-Za-z0-9-]*'),
  name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 200),
  kind TEXT NOT NULL CHECK (kind IN ('government', 'department', 'unit')),
  parent_id INTEGER REFERENCES org(id),
  valid_from TEXT NOT NULL
    CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  valid_to TEXT CHECK (valid_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  outside_scope INTEGER NOT NULL DEFAULT 0 CHECK (outside_scope IN (0, 1)),
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  -- a government is a root; everything else hangs under something
  CHECK ((kind = 'government') = (parent_id IS NULL))
) STRICT;
-- a code names at most one organisation at a time
CREATE UNIQUE INDEX org_code_open ON org(code) WHERE valid_to IS NULL;
CREATE INDEX org_code ON org(code, valid_from);
CREATE INDEX org_parent ON org(parent_id);

CREATE TABLE org_link (
  predecessor_id INTEGER NOT NULL REFERENCES org(id),
  successor_id INTEGER NOT NULL REFERENCES org(id),
  kind TEXT NOT NULL CHECK (kind IN ('rename', 'split', 'merge', 'move')),
  on_date TEXT NOT NULL CHECK (on_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  PRIMARY KEY (predecessor_id, successor_id),
  CHECK (predecessor_id <> successor_id)
) STRICT;
CREATE INDEX org_link_successor ON org_link(successor_id);
