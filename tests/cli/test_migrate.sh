#!/bin/bash
# probity migrate (issue 8): the demo database moved from SQLite to a
# PostgreSQL database of its own on the test cluster, served from there, a
# report read back with its receipt; a target holding data refused; a wrong
# URL a plain error. Needs PROBITY_TEST_PG (scripts/pg-test-cluster run);
# without it the SQLite-to-SQLite move and the errors run alone.
. "$(dirname "$0")/lib.sh"

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
expect 10 'already holds data' migrate --from sqlite:d.db --to copy.db
[ "$(sqlite3 copy.db "SELECT count(*) FROM audit_log")" = "$before" ] && pass ||
	fail "a refused move changed the target"
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
expect 10 'already holds data' migrate --from sqlite:d.db --to "$url"
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

echo "$checks checks, $fails failures"
[ "$fails" = 0 ]
