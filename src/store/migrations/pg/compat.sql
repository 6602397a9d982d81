-- SQLite functions that feature SQL (and tests' SQL) uses and PostgreSQL
-- lacks, as functions of the database. src/store/pg.c runs this once, when it
-- creates schema_migrations in a new database (before migration 1). A
-- function added here later needs a migration of its own for databases that
-- exist: add it with CREATE OR REPLACE in a pg/ statement then.

-- instr(haystack, needle): 1-based position, 0 when absent; on text and on
-- bytea (a literal needle reads as bytea next to a bytea column)
CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT
  AS 'SELECT strpos($1, $2)';
CREATE OR REPLACE FUNCTION instr(bytea, bytea) RETURNS integer LANGUAGE sql IMMUTABLE STRICT
  AS 'SELECT position($2 in $1)';

-- sum(condition): SQLite counts true conditions as 1
CREATE OR REPLACE FUNCTION probity_bool_add(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE
  AS 'SELECT coalesce($1, 0) + coalesce(CAST($2 AS integer), 0)';
CREATE OR REPLACE AGGREGATE sum(boolean) (sfunc = probity_bool_add, stype = bigint);

-- length() of an integer: SQLite measures its decimal text
CREATE OR REPLACE FUNCTION length(bigint) RETURNS integer LANGUAGE sql IMMUTABLE STRICT
  AS 'SELECT length(CAST($1 AS text))';

-- CAST(x AS INTEGER) (src/store/pg_sql.c writes probity_int(x)): SQLite
-- takes a text's leading integer and 0 when there is none ('iv' is 0,
-- '12b' is 12); PostgreSQL's cast refuses such text
CREATE OR REPLACE FUNCTION probity_int(text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
  AS $$SELECT CAST(coalesce(substring($1 from '^\s*([-+]?[0-9]{1,18})'), '0') AS bigint)$$;
CREATE OR REPLACE FUNCTION probity_int(bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
  AS 'SELECT $1';
CREATE OR REPLACE FUNCTION probity_int(double precision) RETURNS bigint LANGUAGE sql
  IMMUTABLE STRICT AS 'SELECT CAST(trunc($1) AS bigint)';
CREATE OR REPLACE FUNCTION probity_int(boolean) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
  AS 'SELECT CAST(CAST($1 AS integer) AS bigint)';
