-- 0013_risks: the risk register per department (issue 6 item 3; src/risks).
-- Everything here is plaintext by design: a register describes processes,
-- positions and risks of an organisation, never a person or a case (the
-- titles name positions, not people). Rows belong to a department's org row;
-- the pages and the API only ever read and change the rows of a department
-- the viewer may act for (src/accounts/scope.h).

-- The matrix of a department; a department without a row uses the default
-- 5 × 5 (src/risks/matrix.c). The rules that span rows (bands cover every
-- achievable score exactly once) are the model's; these checks only stop
-- rows that bypassed it.
CREATE TABLE risk_matrix (
  org_id INTEGER PRIMARY KEY REFERENCES org(id),
  likelihood_levels INTEGER NOT NULL CHECK (likelihood_levels BETWEEN 2 AND 10),
  impact_levels INTEGER NOT NULL CHECK (impact_levels BETWEEN 2 AND 10)
) STRICT;

CREATE TABLE risk_matrix_level (
  org_id INTEGER NOT NULL REFERENCES risk_matrix(org_id),
  axis TEXT NOT NULL CHECK (axis IN ('likelihood', 'impact')),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 10),
  name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 40),
  PRIMARY KEY (org_id, axis, level)
) STRICT;

CREATE TABLE risk_band (
  org_id INTEGER NOT NULL REFERENCES risk_matrix(org_id),
  name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 40),
  lo INTEGER NOT NULL CHECK (lo BETWEEN 1 AND 100),
  hi INTEGER NOT NULL CHECK (hi BETWEEN 1 AND 100),
  colour TEXT NOT NULL CHECK (colour IN ('green', 'yellow', 'orange', 'red', 'purple',
    'blue', 'grey')),
  PRIMARY KEY (org_id, name),
  CHECK (lo <= hi)
) STRICT;

-- A process of the department with its SAINT answers: inherent is a bit set
-- over the ten inherent vulnerabilities of src/risks/saint.c (bit 0
-- contracting .. bit 9 real estate), f_* the five enhancing factors 0..3.
CREATE TABLE risk_process (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 200),
  description TEXT NOT NULL CHECK (length(CAST(description AS BLOB)) <= 2000),
  inherent INTEGER NOT NULL CHECK (inherent BETWEEN 0 AND 1023),
  f_complexity INTEGER NOT NULL CHECK (f_complexity BETWEEN 0 AND 3),
  f_change INTEGER NOT NULL CHECK (f_change BETWEEN 0 AND 3),
  f_management INTEGER NOT NULL CHECK (f_management BETWEEN 0 AND 3),
  f_personnel INTEGER NOT NULL CHECK (f_personnel BETWEEN 0 AND 3),
  f_history INTEGER NOT NULL CHECK (f_history BETWEEN 0 AND 3),
  updated_on TEXT NOT NULL CHECK (updated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;
CREATE INDEX risk_process_org ON risk_process(org_id);

-- A vulnerable position and its measures (basic norm 4, 3 and 7): pre-
-- employment screening at a level, rotation after some years (0: none), a
-- declaration of financial interests; each measure with its status.
CREATE TABLE risk_position (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  process_id INTEGER REFERENCES risk_process(id),
  title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 200),
  staff INTEGER NOT NULL CHECK (staff BETWEEN 0 AND 100000),
  screening TEXT NOT NULL CHECK (screening IN ('none', 'vog', 'c', 'b', 'a')),
  screening_status TEXT NOT NULL CHECK (screening_status IN ('planned', 'in_place', 'not_required')),
  rotation_years INTEGER NOT NULL CHECK (rotation_years BETWEEN 0 AND 20),
  rotation_status TEXT NOT NULL CHECK (rotation_status IN ('planned', 'in_place', 'not_required')),
  declaration INTEGER NOT NULL CHECK (declaration IN (0, 1)),
  declaration_status TEXT NOT NULL CHECK (declaration_status IN ('planned', 'in_place', 'not_required')),
  updated_on TEXT NOT NULL CHECK (updated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;
CREATE INDEX risk_position_org ON risk_position(org_id);

-- A risk: likelihood and impact before (inherent) and after (residual) the
-- controls, on the department's matrix; the category is a code of the
-- violation taxonomy named beside it (src/cases/taxonomy.h), so that the
-- closed loop can set it against established violations.
CREATE TABLE risk (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  process_id INTEGER REFERENCES risk_process(id),
  title TEXT NOT NULL CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 200),
  description TEXT NOT NULL CHECK (length(CAST(description AS BLOB)) <= 2000),
  category TEXT CHECK (length(category) BETWEEN 1 AND 32),
  taxonomy TEXT CHECK (length(taxonomy) BETWEEN 1 AND 64),
  taxonomy_revision INTEGER CHECK (taxonomy_revision >= 0),
  inherent_likelihood INTEGER NOT NULL CHECK (inherent_likelihood BETWEEN 1 AND 10),
  inherent_impact INTEGER NOT NULL CHECK (inherent_impact BETWEEN 1 AND 10),
  residual_likelihood INTEGER NOT NULL CHECK (residual_likelihood BETWEEN 1 AND 10),
  residual_impact INTEGER NOT NULL CHECK (residual_impact BETWEEN 1 AND 10),
  treatment TEXT NOT NULL CHECK (treatment IN ('avoid', 'reduce', 'transfer', 'accept')),
  owner TEXT NOT NULL CHECK (length(CAST(owner AS BLOB)) BETWEEN 1 AND 120),
  review_on TEXT CHECK (review_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  updated_on TEXT NOT NULL CHECK (updated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  CHECK ((category IS NULL) = (taxonomy IS NULL) AND (taxonomy IS NULL) = (taxonomy_revision IS NULL))
) STRICT;
CREATE INDEX risk_org ON risk(org_id);
CREATE INDEX risk_process_idx ON risk(process_id);

-- A control of a risk.
CREATE TABLE risk_control (
  id INTEGER PRIMARY KEY,
  risk_id INTEGER NOT NULL REFERENCES risk(id),
  description TEXT NOT NULL CHECK (length(CAST(description AS BLOB)) BETWEEN 1 AND 2000),
  owner TEXT NOT NULL CHECK (length(CAST(owner AS BLOB)) BETWEEN 1 AND 120),
  status TEXT NOT NULL CHECK (status IN ('planned', 'implemented', 'retired')),
  implemented_on TEXT CHECK (implemented_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  review_on TEXT CHECK (review_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  updated_on TEXT NOT NULL CHECK (updated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  -- an implemented control says since when
  CHECK (status <> 'implemented' OR implemented_on IS NOT NULL)
) STRICT;
CREATE INDEX risk_control_risk ON risk_control(risk_id);
