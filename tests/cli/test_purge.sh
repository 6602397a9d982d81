#!/bin/bash
# The retention purge: `probity purge --help`; refused arguments (a malformed
# or future --today, an unknown option, a missing database) with their exit
# codes and nothing changed; a dry run that lists the case due with its
# counts and changes nothing, also on a later day; the purge itself, which
# empties the case and its report, keeps the statistical record, leaves no
# piece of the stored ciphertext in the database file and an empty
# write-ahead log, audits one case.purge and verifies; a second run with
# nothing due; a locked database (exit 6, nothing purged); and the daily run
# of `probity serve`, which purges a due case at start-up and stops with the
# server. Cases come from the helper purge_seed (no command opens one).
. "$(dirname "$0")/lib.sh"
PURGE_SEED=${PURGE_SEED:?set PURGE_SEED to the purge_seed helper}

has() {
	if printf '%s' "$out" | grep -Eq -- "$1"; then pass; else fail "stdout lacks /$1/: $out"; fi
}
q() { sqlite3 p.db "$1"; }
# the database file as one line of hex, to look for stored bytes in it
hexdump_db() { od -An -tx1 -v "$1" | tr -d ' \n'; }

PW='paard batterij nietje'
D="--db p.db"
expect 0 'usage: probity purge \[--db FILE\] \[--dry-run\] \[--today DATE\]' purge --help
run --help
printf '%s' "$out" | grep -q '^  purge ' && pass || fail "purge missing from probity --help"
"$PROBITY" init $D >/dev/null || fail "init"
"$PROBITY" org add RIJK --name Rijksoverheid --kind government --from 2010-01-01 $D >/dev/null
"$PROBITY" org add FIN --name Financiën --parent RIJK --from 2010-01-01 $D >/dev/null
printf '%s\n' "$PW" | "$PROBITY" user add coord.fin --name 'Coördinator FIN' \
	--role integrity_coordinator --org FIN $D >/dev/null || fail "user add"
read -r due kept < <(printf '%s\n' "$PW" | "$PURGE_SEED" p.db coord.fin) || fail "purge_seed"
report=$(q "SELECT report_id FROM case_report_key WHERE case_id = $due")
[ -n "$due" ] && [ -n "$kept" ] && [ -n "$report" ] && pass || fail "seeded cases: '$due' '$kept'"

# refused before anything is read or written
before=$(fingerprint p.db)
expect 2 "--today: '2024-02-30' is not a date" purge $D --today 2024-02-30
expect 2 'is after today .*: a purge never runs early' purge $D --today 2999-06-01
expect 2 '--today is given twice' purge $D --today 2020-01-01 --today 2020-01-02
expect 2 "unknown option" purge $D --now
expect 2 "unexpected argument" purge $D 12
expect 4 'database missing.db does not exist' purge --db missing.db
same_db p.db "$before" "refused purges"

# a dry run: the one case due, with what would go; nothing changes
expect 0 "closed cases due for purge on [0-9-]+: 1" purge $D --dry-run
has "case $due, closed 2019-01-03, kept until 2019-02-02: 1 report, 1 record, 1 note, 0 people, 0 files, 0 deviation reasons, [0-9]+ keys, 1 message, note or file of a report"
has '^dry run: nothing was changed$'
printf '%s' "$out" | grep -q "case $kept," && fail "case $kept is not due: $out" || pass
expect 0 "closed cases due for purge on 2999-06-01: 2" purge $D --dry-run --today 2999-06-01
expect 0 "closed cases due for purge on 2019-02-01: 0" purge $D --dry-run --today 2019-02-01
same_db p.db "$before" "dry runs"

# what is stored of the case, to look for after the purge
pieces=$(q "SELECT lower(hex(substr(body, 33, 16))) FROM case_note WHERE case_id = $due
	UNION ALL SELECT lower(hex(substr(body, 33, 16))) FROM case_record WHERE case_id = $due
	UNION ALL SELECT lower(hex(substr(body, 33, 16))) FROM report WHERE id = $report
	UNION ALL SELECT lower(hex(substr(body, 33, 16))) FROM report_attachment WHERE report_id = $report
	UNION ALL SELECT lower(hex(substr(sealed, 33, 16))) FROM case_key WHERE case_id = $due
	UNION ALL SELECT lower(hex(substr(sealed, 33, 16))) FROM report_key WHERE report_id = $report")
[ "$(printf '%s\n' "$pieces" | grep -c .)" -ge 6 ] && pass || fail "stored pieces: $pieces"
hex=$(hexdump_db p.db)
wal=""
[ -s p.db-wal ] && wal=$(hexdump_db p.db-wal)
for p in $pieces; do
	case "$hex$wal" in *"$p"*) pass ;; *) fail "piece $p not found before the purge" ;; esac
done

# locked by another process: nothing is purged
(echo 'BEGIN IMMEDIATE; INSERT INTO org_retention VALUES (1, 5);'; sleep 3; echo 'ROLLBACK;') |
	sqlite3 p.db &
locker=$!
sleep 0.5
PROBITY_BUSY_TIMEOUT_MS=200 expect 6 'database p.db is locked by another process' purge $D
wait $locker
same_db p.db "$before" "locked database"

# the purge
expect 0 "^purged 1 case; the write-ahead log was emptied$" purge $D
has "case $due, closed 2019-01-03"
[ ! -s p.db-wal ] && pass || fail "the write-ahead log is not empty: $(stat -c %s p.db-wal)"
hex=$(hexdump_db p.db)
for p in $pieces; do
	case "$hex" in *"$p"*) fail "piece $p still in p.db after the purge" ;; *) pass ;; esac
done
for m in PURGE-ANSWER-MARK PURGE-FILE-MARK PURGE-RECORD-MARK PURGE-NOTE-MARK; do
	grep -aq "$m" p.db && fail "$m in p.db" || pass
done
[ "$(q "SELECT (SELECT count(*) FROM case_record WHERE case_id = $due) +
	(SELECT count(*) FROM case_note WHERE case_id = $due) +
	(SELECT count(*) FROM case_key WHERE case_id = $due) +
	(SELECT count(*) FROM case_report_key WHERE case_id = $due) +
	(SELECT count(*) FROM report_key WHERE report_id = $report) +
	(SELECT count(*) FROM report_attachment WHERE report_id = $report)")" = 0 ] &&
	pass || fail "content of case $due left"
# the statistical record stays
[ "$(q "SELECT org_id IS NOT NULL, opened_on, closed_on, purged_on IS NOT NULL FROM case_file
	WHERE id = $due")" = "1|2019-01-02|2019-01-03|1" ] && pass || fail "case row of $due"
[ "$(q "SELECT kind, mode, received_on, length(body) FROM report WHERE id = $report")" = \
	"wrongdoing|anonymous|2019-01-01|0" ] && pass || fail "report row of $report"
# the other case is as it was
[ "$(q "SELECT count(*) FROM case_note WHERE case_id = $kept") $(q "SELECT purged_on IS NULL FROM case_file WHERE id = $kept")" = "1 1" ] &&
	pass || fail "case $kept was touched"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'case.purge' AND object_id = '$due' AND actor = 'system' AND detail LIKE 'reports $report records 1 notes 1 %'")" = 1 ] &&
	pass || fail "case.purge entry: $(q "SELECT detail FROM audit_log WHERE action = 'case.purge'")"
expect 0 'ok$' audit verify $D

# again: nothing due
before=$(fingerprint p.db)
expect 0 "^purged 0 cases; the write-ahead log was emptied$" purge $D
has "closed cases due for purge on [0-9-]+: 0"
same_db p.db "$before" "a second purge"

# the daily run in serve: a due case is purged at start-up
read -r due2 kept2 < <(printf '%s\n' "$PW" | "$PURGE_SEED" p.db coord.fin) || fail "purge_seed"
"$PROBITY" serve $D --listen 127.0.0.1:0 >serve.out 2>serve.err &
pid=$!
for _ in $(seq 100); do grep -q 'retention purge on' serve.out && break; sleep 0.1; done
grep -Eq "^probity: retention purge on [0-9-]+: 1 case purged$" serve.out && pass ||
	fail "serve's purge: $(cat serve.out serve.err)"
kill "$pid"
wait "$pid" && pass || fail "serve did not stop cleanly on SIGTERM: $(cat serve.err)"
[ "$(q "SELECT purged_on IS NOT NULL FROM case_file WHERE id = $due2") $(q "SELECT purged_on IS NULL FROM case_file WHERE id = $kept2")" = "1 1" ] &&
	pass || fail "serve purged the wrong cases"
grep -aq 'PURGE-' serve.out serve.err && fail "serve logged content" || pass
expect 0 'ok$' audit verify $D
finish
