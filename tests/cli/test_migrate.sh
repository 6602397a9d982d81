#!/bin/bash
# probity migrate (issue 8): the demo database moved from SQLite to a
# PostgreSQL database of its own on the test cluster, served from there, a
# report read back with its receipt; a target holding data refused; a wrong
# URL a plain error; --replace-target replacing a target that holds data
# (a failure half-way leaves it as it was, a newer Probity's database is
# refused, a DBA's own table stays). Needs PROBITY_TEST_PG
# (scripts/pg-test-cluster run); without it the SQLite-to-SQLite move, the
# replacement and the errors run alone.
. "$(dirname "$0")/lib.sh"

# rows in every table of a SQLite file but schema_migrations and dba_notes:
# what --replace-target says it replaces
sqlite_rows() {
	local q
	q=$(sqlite3 "$1" "SELECT group_concat('(SELECT count(*) FROM ' || name || ')', ' + ')
		FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'
		AND name NOT IN ('schema_migrations', 'dba_notes')")
	sqlite3 "$1" "SELECT $q"
}

# the demo database, built without serving: --listen on a port nobody uses,
# stopped once it serves
"$PROBITY" demo --db d.db --listen 127.0.0.1:0 >demo.out 2>demo.err &
pid=$!
for _ in $(seq 900); do grep -q 'serving http' demo.out && break; sleep 0.1; done
kill "$pid"
wait "$pid" || fail "demo did not stop cleanly: $(cat demo.err)"
receipt=$(awk '/^demo reports/ {on = 1; next} on && /^  / {print $1; exit}' demo.out)
[ -n "$receipt" ] && pass || { fail "no demo receipt: $(cat demo.out)"; exit 1; }

# usage errors and a source that is not there
expect 2 'give both --from' migrate --from sqlite:d.db
expect 2 'same database' migrate --from sqlite:d.db --to d.db
expect 4 'nope.db does not exist' migrate --from sqlite:nope.db --to other.db

# SQLite to SQLite: every table, equal counts, the trail verified
expect 0 'row counts equal' migrate --from sqlite:d.db --to copy.db
grep -Eq '^copy report +[0-9]+/[0-9]+ rows$' "$WORK/.err" && pass ||
	fail "no progress for table report on stderr: $err"
for t in report case_file audit_log org account monitor_report_count org_generation; do
	a=$(sqlite3 d.db "SELECT count(*) + ('$t' = 'audit_log') FROM $t")
	b=$(sqlite3 copy.db "SELECT count(*) FROM $t")
	[ "$a" = "$b" ] && pass || fail "$t: $a rows in the source, $b in the copy"
done
# sealed contents byte for byte, and the dashboard's counts not doubled by
# the triggers that fire while report rows go in
[ "$(sqlite3 d.db "SELECT group_concat(hex(body), '') FROM (SELECT body FROM report ORDER BY id)" | md5sum)" = \
  "$(sqlite3 copy.db "SELECT group_concat(hex(body), '') FROM (SELECT body FROM report ORDER BY id)" | md5sum)" ] &&
	pass || fail "report bodies differ"
[ "$(sqlite3 d.db "SELECT sum(n) FROM monitor_report_count")" = \
  "$(sqlite3 copy.db "SELECT sum(n) FROM monitor_report_count")" ] && pass || fail "monitor counts differ"
# the move is in the target's trail, not the source's
[ "$(sqlite3 copy.db "SELECT count(*) FROM audit_log WHERE action = 'database.migrate'")" = 1 ] &&
	[ "$(sqlite3 d.db "SELECT count(*) FROM audit_log WHERE action = 'database.migrate'")" = 0 ] &&
	pass || fail "the move is not audited once on the target"
PROBITY_SIGNING_KEY=$WORK/d.db.key expect 0 'ok' audit verify --db copy.db
# the move's own entry is the one row more in the trail
[ "$(sqlite3 copy.db "SELECT max(seq) FROM audit_log")" = \
  "$(sqlite3 d.db "SELECT max(seq) + 1 FROM audit_log")" ] && pass || fail "audit_log seq"
# a second move into it: refused, nothing changed
before=$(sqlite3 copy.db "SELECT count(*) FROM audit_log")
expect 10 'already holds data.*--replace-target' migrate --from sqlite:d.db --to copy.db
[ "$(sqlite3 copy.db "SELECT count(*) FROM audit_log")" = "$before" ] && pass ||
	fail "a refused move changed the target"
expect 2 '--yes confirms --replace-target' migrate --from sqlite:d.db --to copy.db --yes
# a target that is something else
sqlite3 other.db "CREATE TABLE t (x)"
expect 10 'not a Probity database' migrate --from sqlite:d.db --to other.db

# a copy that fails half-way leaves the target without data: a target with
# the schema alone (and its migrations recorded) whose case_file refuses
# every row, so that the tables before it are copied and then rolled back
sqlite3 d.db .schema | grep -v '^CREATE TABLE sqlite_' | sqlite3 half.db
sqlite3 half.db "ATTACH 'd.db' AS s; INSERT INTO schema_migrations SELECT * FROM s.schema_migrations;
	DELETE FROM org_generation; CREATE TRIGGER sabotage BEFORE INSERT ON case_file
	BEGIN SELECT RAISE(ABORT, 'sabotage'); END;"
# (stderr: the progress of the tables before it, then one error line)
run migrate --from sqlite:d.db --to half.db
[ "$rc" = 1 ] && printf '%s\n' "$err" | tail -1 | grep -Eq '^probity: migrate: copy rolled back.*sabotage' &&
	printf '%s' "$err" | grep -q '^copy report ' && pass ||
	fail "a failed copy: exit $rc, stderr $err"
[ "$(sqlite3 half.db "SELECT (SELECT count(*) FROM org) + (SELECT count(*) FROM account) +
	(SELECT count(*) FROM audit_log) + (SELECT count(*) FROM report)")" = 0 ] && pass ||
	fail "a failed copy left rows in the target"
sqlite3 half.db "DROP TRIGGER sabotage"
expect 0 'row counts equal' migrate --from sqlite:d.db --to half.db

# --replace-target, SQLite. The new source: a database of its own (init
# alone: its trail and frameworks, no reports), so that the old rows' going
# shows. The target copy.db holds the demo, and a DBA's table of its own.
"$PROBITY" init --db s2.db >/dev/null 2>&1 || fail "init s2.db"
sqlite3 copy.db "CREATE TABLE dba_notes (note TEXT); INSERT INTO dba_notes VALUES ('kept')"
old_rows=$(sqlite_rows copy.db)
old_seq=$(sqlite3 copy.db "SELECT max(seq) FROM audit_log")
old_hash=$(sqlite3 copy.db "SELECT lower(hex(hash)) FROM audit_log ORDER BY seq DESC LIMIT 1")
old_fp=$(fingerprint copy.db)

# a newer Probity's database: refused with exit 5 before anything is listed
cp copy.db newer.db
sqlite3 newer.db "INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', '2030-01-01T00:00:00Z')"
newer_fp=$(fingerprint newer.db)
expect 5 'newer.db holds the data of a newer Probity \(schema 9999' \
	migrate --from sqlite:s2.db --to newer.db --replace-target
same_db newer.db "$newer_fp" "a newer target refused"

# half-way failure: a source whose case_file names an organisation that is
# not there (SQLite without foreign keys took it), so the target's foreign
# key stops the copy after the tables before case_file went in. (The
# target's own trigger, as above, would go with its table.)
cp d.db bad.db && cp d.db.key bad.db.key
sqlite3 bad.db "PRAGMA foreign_keys = OFF; UPDATE case_file SET org_id = 999999
	WHERE id = (SELECT max(id) FROM case_file)"
run migrate --from sqlite:bad.db --to copy.db --replace-target
[ "$rc" = 1 ] && printf '%s\n' "$err" | tail -1 |
	grep -Eq '^probity: migrate: replacement rolled back, the target is as it was.*FOREIGN KEY' &&
	printf '%s' "$err" | grep -q '^copy report ' && pass ||
	fail "a failed replacement: exit $rc, stderr $err"
same_db copy.db "$old_fp" "a failed replacement"
PROBITY_SIGNING_KEY=$WORK/d.db.key expect 0 'ok' audit verify --db copy.db

# at a terminal: the database's name typed back, else nothing happens
if script -qec true /dev/null >/dev/null 2>&1; then
	printf 'copy\n' | script -qec "'$PROBITY' migrate --from sqlite:s2.db --to copy.db \
		--replace-target" /dev/null >tty.out 2>&1
	rc=$?
	[ "$rc" = 1 ] && grep -q 'to replace it:' tty.out && grep -q 'not confirmed' tty.out &&
		pass || fail "a wrong name at the terminal: exit $rc, $(cat tty.out)"
	same_db copy.db "$old_fp" "a replacement not confirmed"
	printf '' | script -qec "'$PROBITY' migrate --from sqlite:s2.db --to copy.db \
		--replace-target" /dev/null >tty.out 2>&1
	rc=$?
	[ "$rc" = 1 ] && pass || fail "no answer at the terminal: exit $rc, $(cat tty.out)"
	same_db copy.db "$old_fp" "a replacement not answered"
else
	echo "script(1) cannot make a terminal here: the confirmation part skipped"
fi

# the replacement: what is lost said on stderr, the source's rows and trail
# afterwards, the old rows gone, the DBA's table kept, and in the new trail
# an entry saying what was replaced
run migrate --from sqlite:s2.db --to copy.db --replace-target
[ "$rc" = 0 ] && printf '%s' "$out" | grep -q 'row counts equal' && pass ||
	fail "replace: exit $rc, $err"
printf '%s' "$err" | grep -Eq "^  report +[0-9]+ rows$" &&
	printf '%s' "$err" | grep -q "in all $old_rows rows in [0-9]* tables; its audit trail ends at entry $old_seq, hash $old_hash" &&
	pass || fail "replace did not list what it replaces: $err"
[ "$(sqlite3 copy.db "SELECT count(*) FROM report")" = 0 ] &&
	[ "$(sqlite3 copy.db "SELECT count(*) FROM org")" = "$(sqlite3 s2.db "SELECT count(*) FROM org")" ] &&
	[ "$(sqlite3 copy.db "SELECT count(*) FROM account")" = "$(sqlite3 s2.db "SELECT count(*) FROM account")" ] &&
	pass || fail "the old rows are still in the replaced target"
[ "$(sqlite3 copy.db "SELECT note FROM dba_notes")" = kept ] && pass || fail "the DBA's table is gone"
[ "$(sqlite3 copy.db "SELECT max(seq) FROM audit_log")" = \
  "$(sqlite3 s2.db "SELECT max(seq) + 2 FROM audit_log")" ] &&
	[ "$(sqlite3 copy.db "SELECT count(*) FROM audit_log WHERE action = 'database.replace' AND
		detail LIKE '%holding $old_rows rows in % tables, audit head entry $old_seq hash $old_hash, by ''probity migrate --replace-target'' from sqlite:s2.db at 2%'")" = 1 ] &&
	pass || fail "no replacement entry in the new trail: $(sqlite3 copy.db "SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 2")"
PROBITY_SIGNING_KEY=$WORK/s2.db.key expect 0 'ok' audit verify --db copy.db
# the schema is whole: every migration recorded once
[ "$(sqlite3 copy.db "SELECT group_concat(version) FROM schema_migrations")" = \
  "$(sqlite3 s2.db "SELECT group_concat(version) FROM schema_migrations")" ] && pass ||
	fail "schema_migrations differs after the replacement"
# --yes at a terminal asks nothing
if script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "'$PROBITY' migrate --from sqlite:d.db --to copy.db --replace-target --yes" \
		/dev/null </dev/null >tty.out 2>&1
	rc=$?
	[ "$rc" = 0 ] && ! grep -q 'to replace it:' tty.out &&
		[ "$(sqlite3 copy.db "SELECT count(*) FROM report")" = "$(sqlite3 d.db "SELECT count(*) FROM report")" ] &&
		pass || fail "--yes at a terminal: exit $rc, $(cat tty.out)"
fi

# a wrong URL: one plain line
expect 4 'cannot open the target' migrate --from sqlite:d.db \
	--to 'postgresql://nobody@127.0.0.1:1/none?connect_timeout=2'

if [ -z "${PROBITY_TEST_PG:-}" ]; then
	echo "PROBITY_TEST_PG not set: the PostgreSQL part skipped"
	echo "$checks checks, $fails failures"
	[ "$fails" = 0 ]
	exit
fi

# PostgreSQL: a database of our own on the cluster, dropped at the end
name=t_mig_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
base=${PROBITY_TEST_PG%/*}
url=$base/$name
psql -qX "$PROBITY_TEST_PG" -c "CREATE DATABASE $name" >/dev/null || { fail "createdb"; exit 1; }
trap 'psql -qX "$PROBITY_TEST_PG" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1; rm -rf "$WORK"' EXIT

expect 0 'row counts equal' migrate --from sqlite:d.db --to "$url"
printf '%s' "$out" | grep -q 'audit trail on the target: [0-9]* entries and [0-9]* signed checkpoints: ok' &&
	pass || fail "no audit verification line: $out"
for t in report case_file audit_log org account monitor_report_count; do
	a=$(sqlite3 d.db "SELECT count(*) + ('$t' = 'audit_log') FROM $t")
	b=$(psql -qXtA "$url" -c "SELECT count(*) FROM $t")
	[ "$a" = "$b" ] && pass || fail "$t: $a rows in the source, $b on PostgreSQL"
done
a=$(sqlite3 d.db "SELECT group_concat(lower(hex(body)), '') FROM (SELECT body FROM report ORDER BY id)" | md5sum)
b=$(psql -qXtA "$url" -c "SELECT string_agg(encode(body, 'hex'), '' ORDER BY id) FROM report" | md5sum)
[ "$a" = "$b" ] && pass || fail "report bodies differ on PostgreSQL"
# the identity sequence is past the largest id: a new row takes max + 1
n=$(psql -qXtA "$url" -c "SELECT nextval(pg_get_serial_sequence('report', 'id')) > (SELECT max(id) FROM report)")
[ "$n" = t ] && pass || fail "the id sequence was not reset: $n"
PROBITY_SIGNING_KEY=$WORK/d.db.key expect 0 'ok' audit verify --db "$url"

# refused the second time, unchanged
before=$(psql -qXtA "$url" -c "SELECT count(*) FROM audit_log")
expect 10 'already holds data.*--replace-target' migrate --from sqlite:d.db --to "$url"
[ "$(psql -qXtA "$url" -c "SELECT count(*) FROM audit_log")" = "$before" ] && pass ||
	fail "a refused move changed the target"

# serve the target and follow the demo report with its receipt
PROBITY_SIGNING_KEY=$WORK/d.db.key "$PROBITY" serve --db "$url" --listen 127.0.0.1:0 >serve.out 2>serve.err &
spid=$!
for _ in $(seq 300); do grep -q 'serving http' serve.out && break; sleep 0.1; done
port=$(grep -o 'http://127.0.0.1:[0-9]*' serve.out | head -1 | cut -d: -f3)
if [ -z "$port" ]; then
	fail "serve on the target did not start: $(cat serve.out serve.err)"
else
	jar=$WORK/jar
	page=$(curl -fsS -c "$jar" -b "$jar" "http://127.0.0.1:$port/melding")
	csrf=$(printf '%s' "$page" | grep -o 'name="csrf" value="[^"]*"' | head -1 | cut -d'"' -f4)
	curl -sS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" \
		--data-urlencode "receipt=$receipt" "http://127.0.0.1:$port/melding"
	report=$(curl -fsS -c "$jar" -b "$jar" "http://127.0.0.1:$port/melding/overzicht")
	org=$(awk '/^demo reports/ {on = 1; next} on && /^  / {print $2; exit}' demo.out)
	if printf '%s' "$report" | grep -q "<h1" && ! printf '%s' "$report" | grep -q 'name="receipt"'; then
		pass
	else
		fail "the demo report ($org) could not be read with its receipt on the target"
	fi
fi
kill "$spid" 2>/dev/null
wait "$spid" || fail "serve on the target did not stop cleanly: $(cat serve.err)"

# --replace-target on PostgreSQL: the target holds the demo and a DBA's table
pg() { psql -qXtA "$url" -c "$1"; }
pg_rows() {
	local q
	q=$(pg "SELECT string_agg('(SELECT count(*) FROM ' || tablename || ')', ' + ')
		FROM pg_tables WHERE schemaname = current_schema()
		AND tablename NOT IN ('schema_migrations', 'dba_notes')")
	pg "SELECT $q"
}
# every row, in a dump (its \restrict lines carry a new random key each time)
pg_fp() { pg_dump --data-only "$url" 2>/dev/null | grep -v '^\\\(un\)\{0,1\}restrict ' | md5sum; }
pg "CREATE TABLE dba_notes (note text); INSERT INTO dba_notes VALUES ('kept')"
old_rows=$(pg_rows)
old_seq=$(pg "SELECT max(seq) FROM audit_log")
old_hash=$(pg "SELECT encode(hash, 'hex') FROM audit_log ORDER BY seq DESC LIMIT 1")
old_fp=$(pg_fp)
[ "$old_fp" != "$(printf '' | md5sum)" ] && pass || fail "pg_dump of the target gave nothing"

pg "INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', '2030-01-01T00:00:00Z')"
expect 5 'holds the data of a newer Probity \(schema 9999' \
	migrate --from sqlite:s2.db --to "$url" --replace-target
pg "DELETE FROM schema_migrations WHERE version = 9999"
[ "$(pg_fp)" = "$old_fp" ] && pass || fail "a newer target refused changed it"

run migrate --from sqlite:bad.db --to "$url" --replace-target
[ "$rc" = 1 ] && printf '%s\n' "$err" | tail -1 |
	grep -Eq '^probity: migrate: replacement rolled back, the target is as it was' &&
	printf '%s' "$err" | grep -q '^copy report ' && pass ||
	fail "a failed replacement on PostgreSQL: exit $rc, stderr $err"
[ "$(pg_fp)" = "$old_fp" ] && pass || fail "a failed replacement changed the PostgreSQL target"
PROBITY_SIGNING_KEY=$WORK/d.db.key expect 0 'ok' audit verify --db "$url"

# a DBA's view that reads one of Probity's tables: the drop is refused (no
# CASCADE), the view and the old database stay
pg "CREATE VIEW dba_view AS SELECT count(*) AS n FROM report"
run migrate --from sqlite:s2.db --to "$url" --replace-target
[ "$rc" = 1 ] && printf '%s\n' "$err" | tail -1 |
	grep -Eq '^probity: migrate: replacement rolled back, the target is as it was.*depend' &&
	pass || fail "a dependent view: exit $rc, stderr $(printf '%s' "$err" | tail -1)"
[ "$(pg "SELECT n > 0 FROM dba_view")" = t ] && pass || fail "the DBA's view is gone"
pg "DROP VIEW dba_view"
[ "$(pg_fp)" = "$old_fp" ] && pass || fail "a refused drop changed the PostgreSQL target"

run migrate --from sqlite:s2.db --to "$url" --replace-target
[ "$rc" = 0 ] && printf '%s' "$out" | grep -q 'row counts equal' && pass ||
	fail "replace on PostgreSQL: exit $rc, $err"
printf '%s' "$err" | grep -q "in all $old_rows rows in [0-9]* tables; its audit trail ends at entry $old_seq, hash $old_hash" &&
	pass || fail "replace on PostgreSQL did not list what it replaces: $err"
[ "$(pg "SELECT count(*) FROM report")" = 0 ] &&
	[ "$(pg "SELECT count(*) FROM org")" = "$(sqlite3 s2.db "SELECT count(*) FROM org")" ] &&
	pass || fail "the old rows are still in the replaced PostgreSQL target"
[ "$(pg "SELECT note FROM dba_notes")" = kept ] && pass || fail "the DBA's table is gone on PostgreSQL"
[ "$(pg "SELECT max(seq) FROM audit_log")" = "$(sqlite3 s2.db "SELECT max(seq) + 2 FROM audit_log")" ] &&
	[ "$(pg "SELECT count(*) FROM audit_log WHERE action = 'database.replace' AND
		detail LIKE '%holding $old_rows rows in % tables, audit head entry $old_seq hash $old_hash, by ''probity migrate --replace-target''%'")" = 1 ] &&
	pass || fail "no replacement entry in the PostgreSQL trail"
PROBITY_SIGNING_KEY=$WORK/s2.db.key expect 0 'ok' audit verify --db "$url"
# and back again: the trigger functions and sequences were re-created, so a
# second replacement works and ids go on past the largest
expect 0 'row counts equal' migrate --from sqlite:d.db --to "$url" --replace-target --yes
n=$(pg "SELECT nextval(pg_get_serial_sequence('report', 'id')) > (SELECT max(id) FROM report)")
[ "$n" = t ] && pass || fail "the id sequence after a replacement: $n"

echo "$checks checks, $fails failures"
[ "$fails" = 0 ]
