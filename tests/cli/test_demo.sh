#!/bin/bash
# The demo: creates a database with the twelve departments and the 2024
# reorganisation, serves it, and leaves nothing behind when it cannot start.
. "$(dirname "$0")/lib.sh"

# a demo that fails part-way removes what it made, so a rerun is not blocked
PROBITY_DATA_DIR=$WORK/nothing-here expect 1 'demo: .*organisations.json' demo --db broken.db --listen 127.0.0.1:0
[ ! -e broken.db ] && [ ! -e broken.db.key ] && pass || fail "failed demo left files: $(ls)"

"$PROBITY" demo --db d.db --listen 127.0.0.1:0 >demo.out 2>demo.err &
pid=$!
# the demo loads a great deal through the real storage (seconds under the
# sanitizers on a busy machine): wait up to a minute
for _ in $(seq 600); do grep -q 'serving http' demo.out && break; sleep 0.1; done
port=$(grep -o 'http://127.0.0.1:[0-9]*' demo.out | cut -d: -f3)
if [ -n "$port" ] && curl -fsS "http://127.0.0.1:$port/login" | grep -q '<form' &&
	[ "$(curl -fsS "http://127.0.0.1:$port/healthz")" = ok ] && grep -q 'demo logins' demo.out; then
	pass
else
	fail "demo did not serve its start page: $(cat demo.out demo.err)"
fi
kill "$pid"
wait "$pid" && pass || fail "demo did not stop cleanly on SIGTERM"
expect 10 'd.db already exists' demo --db d.db --listen 127.0.0.1:0

# issue 6: a risk register for every department of today, Defence's too,
# kept by the department's own integrity coordinator
grep -Eq '^demo risk registers: 15 departments \(1 with a matrix of their own\), [0-9]+ processes' demo.out &&
	pass || fail "no risk register line: $(grep -i risk demo.out)"
open_depts="SELECT id FROM org WHERE kind = 'department' AND valid_to IS NULL"
missing=$(sqlite3 d.db "SELECT code FROM org WHERE id IN ($open_depts) AND (
	(SELECT count(*) FROM risk_process p WHERE p.org_id = org.id) < 3 OR
	(SELECT count(*) FROM risk_position p WHERE p.org_id = org.id) < 2 OR
	(SELECT count(*) FROM risk r WHERE r.org_id = org.id) < 5 OR
	(SELECT count(*) FROM risk_control c JOIN risk r ON r.id = c.risk_id WHERE r.org_id = org.id) < 5)")
[ -z "$missing" ] && [ "$(sqlite3 d.db "SELECT count(*) FROM ($open_depts)")" = 15 ] &&
	pass || fail "departments without a full risk register: $missing"
[ "$(sqlite3 d.db "SELECT o.code FROM risk_process p JOIN org o ON o.id = p.org_id
	WHERE o.outside_scope = 1 GROUP BY o.code")" = DEF ] && pass || fail "Defence has no register"
# every register change is audited as an integrity coordinator of that department
strangers=$(sqlite3 d.db "SELECT count(*) FROM audit_log a WHERE a.action LIKE 'risk.%' AND NOT EXISTS (
	SELECT 1 FROM account_role ar WHERE 'user:' || ar.account_id = a.actor
	AND ar.role = 'integrity_coordinator' AND 'org=' || ar.org_id = a.detail)")
[ "$strangers" = 0 ] && [ "$(sqlite3 d.db "SELECT count(*) FROM audit_log WHERE action LIKE 'risk.%'")" -gt 200 ] &&
	pass || fail "register changes not by the department's coordinator: $strangers"
# self-assessments against the basic norms for several years, for every
# department of today; Defence's signed off but never reviewed (outside the
# coordinator's scope); 2026 a mix of draft, signed off and reviewed
grep -Eq '^demo self-assessments: [0-9]+ of 15 departments, 2022 to 2026 ' demo.out &&
	pass || fail "no self-assessment line: $(grep -i assessment demo.out)"
missing=$(sqlite3 d.db "SELECT code FROM org WHERE id IN ($open_depts) AND
	(SELECT count(DISTINCT a.year) FROM assessment a WHERE a.org_id = org.id
	 AND a.framework_code = 'basisnormen-2006' AND a.year IN (2024, 2026)) < 2")
[ -z "$missing" ] && pass || fail "departments without basic norms assessments for 2024 and 2026: $missing"
[ "$(sqlite3 d.db "SELECT count(*) FROM assessment WHERE year = 2022")" -ge 10 ] &&
	pass || fail "too few assessments of 2022"
[ "$(sqlite3 d.db "SELECT group_concat(DISTINCT status) FROM (SELECT status FROM assessment
	WHERE year = 2026 ORDER BY status)")" = "draft,reviewed,signed_off" ] && pass || fail "2026 is not a mix of statuses"
[ "$(sqlite3 d.db "SELECT count(*) || '/' || sum(a.status = 'reviewed') FROM assessment a JOIN org o ON o.id = a.org_id
	WHERE o.outside_scope = 1")" = 3/0 ] && pass || fail "Defence's assessments: not three, or one reviewed"
[ "$(sqlite3 d.db "SELECT DISTINCT c.username FROM assessment a JOIN account c ON c.id = a.reviewed_by")" = coordinator.rijk ] &&
	pass || fail "assessments reviewed by someone else than the coordinator"
# through the store: one audit entry per step
[ "$(sqlite3 d.db "SELECT count(*) FROM audit_log WHERE action = 'assess.create'")" = \
	"$(sqlite3 d.db "SELECT count(*) FROM assessment")" ] &&
	[ "$(sqlite3 d.db "SELECT count(*) FROM audit_log WHERE action = 'assess.review'")" = \
	"$(sqlite3 d.db "SELECT count(*) FROM assessment WHERE status = 'reviewed'")" ] &&
	pass || fail "assessment steps without their audit entries"
# the steps carry the file's days, not the day the demo ran
[ "$(sqlite3 d.db "SELECT count(*) FROM assessment WHERE year = 2022 AND (signed_off_at NOT LIKE '2022-%'
	OR reviewed_at NOT LIKE '2023-%')")" = 0 ] && pass || fail "the 2022 assessments are not back-dated"
# IENW shows a configured 4 x 4 matrix; its risks lie on it
[ "$(sqlite3 d.db "SELECT m.likelihood_levels || 'x' || m.impact_levels FROM risk_matrix m JOIN org o ON o.id = m.org_id
	WHERE o.code = 'IENW' AND o.valid_to IS NULL")" = 4x4 ] && pass || fail "IENW's matrix is not 4 x 4"
# risks spread over the matrix: several inherent and residual cells each
[ "$(sqlite3 d.db "SELECT count(DISTINCT inherent_likelihood * 10 + inherent_impact) FROM risk")" -ge 8 ] &&
	[ "$(sqlite3 d.db "SELECT count(DISTINCT residual_likelihood * 10 + residual_impact) FROM risk")" -ge 8 ] &&
	pass || fail "the demo risks sit in few cells of the matrix"

# issue 7: reports of earlier years as the purge leaves them, so that the
# dashboard's trends and the annual report's timeliness show those years:
# last year every department in the coordinator's scope has reports, and
# the dashboard's counts (migration 0017's triggers) hold every one of them
last=$(( $(date -u +%Y) - 1 ))
grep -Eq "^demo report history: [0-9]+ reports of 17 departments, received 2021-01-[0-9]+ to $last-12-[0-9]+, " demo.out &&
	pass || fail "no report history line: $(grep -i 'report history' demo.out)"
missing=$(sqlite3 d.db "SELECT code FROM org WHERE id IN ($open_depts) AND outside_scope = 0 AND
	NOT EXISTS (SELECT 1 FROM report r WHERE r.org_id = org.id AND r.received_on LIKE '$last-%')")
[ -z "$missing" ] && pass || fail "departments without reports in $last: $missing"
[ "$(sqlite3 d.db "SELECT sum(n) FROM monitor_report_count WHERE year = $last")" = \
	"$(sqlite3 d.db "SELECT count(*) FROM report WHERE received_on LIKE '$last-%'")" ] &&
	pass || fail "the dashboard's counts miss reports of $last"
[ "$(sqlite3 d.db "SELECT count(*) FROM report WHERE received_on < '$last-01-01' AND (length(body) > 0 OR
	id IN (SELECT report_id FROM report_key))")" = 0 ] && pass || fail "earlier years' reports hold content or keys"

# the tree before and after the 2024 reorganisation
expect 0 'EZK +Economische Zaken en Klimaat' org list --db d.db --at 2023-01-01
run org list --db d.db --at 2023-01-01
[ "$(printf '%s\n' "$out" | grep -c ' department')" = 12 ] && pass || fail "12 departments in 2023: $out"
run org list --db d.db
for code in EZ KGG LVVN VRO AENM BZK JENV; do
	printf '%s\n' "$out" | grep -Eq "^  $code +" && pass || fail "$code missing today"
done
for code in EZK LNV; do
	printf '%s\n' "$out" | grep -Eq "^  $code +" && fail "$code still listed today" || pass
done
printf '%s\n' "$out" | grep -Eq '^  DEF .*outside coordinator' && pass || fail "Defence not flagged"

# a split shows both successors, and each successor reaches the predecessor
run org show EZK --db d.db --at 2023-01-01
printf '%s\n' "$out" | grep -q 'split into EZ ' && printf '%s\n' "$out" | grep -q 'split into KGG ' &&
	pass || fail "EZK's successors: $out"
run org show KGG --db d.db
printf '%s\n' "$out" | grep -q 'split from EZK ' && printf '%s\n' "$out" | grep -q 'until 2024-07-02' &&
	pass || fail "KGG's predecessor: $out"
run org show LVVN --db d.db
printf '%s\n' "$out" | grep -q 'renamed from LNV\|rename.* LNV' && pass || fail "LVVN's predecessor: $out"
expect 0 'ok$' audit verify --db d.db
expect 9 '' org show NOPE --db d.db

# bad arguments to org commands
expect 2 "unknown option '-F'" org add -FOO --db d.db
before=$(fingerprint d.db)
expect 10 '' org add EZ --name Dubbel --parent RIJK --from 2025-01-01 --db d.db
expect 2 '' org split EZ --into A=Een --on 2025-13-01 --db d.db
same_db d.db "$before" "refused org changes"
finish
