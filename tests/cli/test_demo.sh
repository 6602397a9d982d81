#!/bin/bash
# The demo: creates a database with the twelve departments and the 2024
# reorganisation, serves it, and leaves nothing behind when it cannot start.
. "$(dirname "$0")/lib.sh"

# a demo that fails part-way removes what it made, so a rerun is not blocked
PROBITY_DATA_DIR=$WORK/nothing-here expect 1 'demo: .*organisations.json' demo --db broken.db --listen 127.0.0.1:0
[ ! -e broken.db ] && [ ! -e broken.db.key ] && pass || fail "failed demo left files: $(ls)"

"$PROBITY" demo --db d.db --listen 127.0.0.1:0 >demo.out 2>demo.err &
pid=$!
for _ in $(seq 50); do grep -q 'serving http' demo.out && break; sleep 0.1; done
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
