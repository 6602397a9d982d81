#!/bin/bash
# User accounts from the command line: adding with a password on standard
# input, refusals that change nothing, listing with roles, disabling, roles,
# an administrator's password reset, and the demo's printed logins. No
# password ever reaches the database.
. "$(dirname "$0")/lib.sh"

PW='paard batterij nietje'
PW2='een heel ander wachtwoord'
"$PROBITY" init --db u.db >/dev/null || fail "init"
"$PROBITY" org add RIJK --name Rijksoverheid --kind government --from 2010-01-01 --db u.db >/dev/null
"$PROBITY" org add FIN --name Financiën --parent RIJK --from 2010-01-01 --db u.db >/dev/null

expect 0 'no accounts yet' user list --db u.db

# the first administrator, password on standard input (first line only)
expect_in "$PW
ignored second line" 0 'added beheer.rijk \(Eva Mulder\) as administrator at RIJK' \
	user add beheer.rijk --name 'Eva Mulder' --role administrator --org RIJK --db u.db
printf '%s' "$out" | grep -q 'two-factor sign-in' && pass || fail "no 2FA hint: $out"
expect_in "$PW2
" 0 'added Jan.DeVries|added jan.devries' user add Jan.DeVries --name 'Jan de Vries' \
	--role investigator --org FIN --role reporter --org fin --db u.db
# a CRLF line from a Windows editor loses its CR
expect_in "lange zinnen zijn sterk"$'\r\n' 0 'added piet' user add piet --name Piet --db u.db
[ "$(sqlite3 u.db "SELECT count(*) FROM account")" = 3 ] && pass || fail "3 accounts"
[ "$(sqlite3 u.db "SELECT username FROM account WHERE id = 2")" = jan.devries ] && pass ||
	fail "username not stored in lower case"

# refusals change nothing
before=$(fingerprint u.db)
expect_in "welkom123456" 2 'common passwords' user add kees --name Kees --db u.db
expect_in "kort" 2 'shorter than 12 characters' user add kees --name Kees --db u.db
expect_in "aaaaaaaaaaaaaaaa" 2 'one character repeated' user add kees --name Kees --db u.db
expect_in "ik heet kees en zo" 2 'contains the username' user add kees --name Kees --db u.db
expect_in "" 2 'no password given' user add kees --name Kees --db u.db
expect_in "
" 2 'no password given' user add kees --name Kees --db u.db
expect_in "$(head -c 300 /dev/zero | tr '\0' 'x')" 2 'longer than 256 bytes' \
	user add kees --name Kees --db u.db
expect_in "$PW" 10 'username jan.devries is taken' user add JAN.devries --name Ander --db u.db
expect_in "$PW" 9 'no organisation has code NOPE today' \
	user add kees --name Kees --role manager --org NOPE --db u.db
expect_in "$PW" 2 "unknown role 'boss'" user add kees --name Kees --role boss --org FIN --db u.db
expect_in "$PW" 2 '--role manager needs --org CODE' user add kees --name Kees --role manager --db u.db
expect_in "$PW" 2 '--org CODE comes after' user add kees --name Kees --org FIN --db u.db
expect_in "$PW" 2 'give the person.s name' user add kees --db u.db
expect_in "$PW" 2 'starts with a letter' user add 9kees --name Kees --db u.db
expect_in "$PW" 2 'give the username' user add --name Kees --db u.db
expect_in "$PW" 10 'listed twice' user add kees --name Kees --role manager --org FIN \
	--role manager --org fin --db u.db
same_db u.db "$before" "refused user add"

# the list: roles with their organisations, 2FA and status; never secrets
expect 0 'beheer\.rijk +Eva Mulder +off +active +administrator at RIJK' user list --db u.db
printf '%s' "$out" | grep -Eq 'jan\.devries +Jan de Vries +off +active +reporter at FIN, investigator at FIN' &&
	pass || fail "jan's roles: $out"
printf '%s' "$out" | grep -Eq 'piet +Piet +off +active +\(no roles\)' && pass || fail "piet: $out"
printf '%s' "$out" | grep -Eqi 'salt|verifier|[0-9a-f]{32}' && fail "list shows secrets: $out" || pass

# disable and enable
expect 0 'disabled jan.devries' user disable jan.devries --db u.db
expect 0 'already disabled' user disable JAN.DEVRIES --db u.db
expect 0 'jan\.devries +Jan de Vries +off +disabled' user list --db u.db
expect 0 'enabled jan.devries' user enable jan.devries --db u.db
expect 9 "no account has username 'nobody'" user disable nobody --db u.db
expect 2 'give one username' user enable a b --db u.db

# roles
expect 0 'piet now holds the role auditor at RIJK' user role piet --add auditor --org RIJK --db u.db
expect 0 'two-factor' user role piet --add manager --org FIN --db u.db
expect 0 'piet +Piet +off +active +manager at FIN, auditor at RIJK' user list --db u.db
expect 0 'no longer holds the role manager at fin' user role piet --remove manager --org fin --db u.db
[ "$(sqlite3 u.db "SELECT detail FROM audit_log WHERE action = 'account.role_remove'")" = 'manager at FIN' ] &&
	pass || fail "the trail names the code as the organisation spells it"
before=$(fingerprint u.db)
expect 10 'already holds the role auditor at RIJK' user role piet --add auditor --org RIJK --db u.db
expect 9 'does not hold the role manager at FIN' user role piet --remove manager --org FIN --db u.db
expect 9 'no organisation has code NOPE today' user role piet --add auditor --org NOPE --db u.db
expect 9 "no account has username 'nobody'" user role nobody --add auditor --org RIJK --db u.db
expect 2 "unknown role 'boss'" user role piet --add boss --org RIJK --db u.db
expect 2 'give --add ROLE or --remove ROLE' user role piet --org RIJK --db u.db
expect 2 'give the organisation with --org' user role piet --add auditor --db u.db
expect 2 'give one --add or --remove' user role piet --add auditor --remove auditor --org RIJK --db u.db
same_db u.db "$before" "refused role changes"

# an administrator's reset: a new key pair, and a warning about what it costs
pk_before=$(sqlite3 u.db "SELECT hex(public_key) FROM account WHERE username = 'jan.devries'")
before=$(fingerprint u.db)
expect_in "welkom123456" 2 'common passwords' user passwd jan.devries --db u.db
expect_in "$PW" 9 "no account has username 'nobody'" user passwd nobody --db u.db
same_db u.db "$before" "refused reset"
expect_in "nieuw en best lang" 0 'password of jan.devries reset' user passwd jan.devries --db u.db
printf '%s' "$out" | grep -q 'new key pair' && pass || fail "reset does not warn: $out"
pk_after=$(sqlite3 u.db "SELECT hex(public_key) FROM account WHERE username = 'jan.devries'")
[ -n "$pk_after" ] && [ "$pk_before" != "$pk_after" ] && pass || fail "reset kept the key pair"

# every change is in the trail, which verifies, and holds no password
expect 0 'ok$' audit verify --db u.db
[ "$(sqlite3 u.db "SELECT count(*) FROM audit_log WHERE action LIKE 'account.%'")" -ge 10 ] &&
	pass || fail "account changes not audited"
dump=$(sqlite3 u.db .dump)
for pw in "$PW" "$PW2" "lange zinnen zijn sterk" "nieuw en best lang" welkom123456; do
	printf '%s' "$dump" | grep -qF "$pw" && fail "password '$pw' is in the database" || pass
done

# the demo prints a login per role, with 2FA marked
"$PROBITY" demo --db d.db --listen 127.0.0.1:0 >demo.out 2>demo.err &
pid=$!
# the demo loads a good deal (registers, assessments, case history): up to a
# minute under the sanitizers
for _ in $(seq 600); do grep -q 'serving http' demo.out && break; sleep 0.1; done
grep -q '^demo logins' demo.out && pass || fail "demo printed no logins: $(cat demo.out demo.err)"
# one login per account of the demo's file
accounts=$(grep -c '"username"' "$(dirname "$0")/../../data/demo/accounts.json")
[ "$accounts" -ge 12 ] && pass || fail "demo accounts file not found or short: $accounts"
[ "$(grep -cE '^  [a-z][a-z0-9._-]+ +[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4} +[a-z_]+ +[A-Z]+' demo.out)" = "$accounts" ] &&
	pass || fail "demo logins: $(cat demo.out)"
grep -Eq '^  admin\.rijk .* administrator +RIJK +\(2FA\)$' demo.out && pass || fail "admin not marked 2FA"
grep -Eq '^  reporter\.vws .* reporter +VWS$' demo.out && pass || fail "reporter: $(cat demo.out)"
kill "$pid"
wait "$pid"
expect 0 'integrity\.fin +Sanne Bakker +off +active +integrity_coordinator at FIN' user list --db d.db
finish
