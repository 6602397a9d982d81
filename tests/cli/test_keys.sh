#!/bin/bash
# The recovery key from the command line: naming custodians (refusals change
# nothing), the status of the keys, and recovering a departed handler's
# reports with custodians' passwords on standard input: too few, a wrong
# password, a stranger or the same custodian twice change nothing of the
# reports; k custodians of each key give the successor keys that really open
# the reports; a second run changes nothing. A self-assessment whose only
# key holder left opens for the successor after recovery and not before,
# its evidence file byte for byte, with an assess.key_share entry naming it.
# Reports and assessments are stored by the helper keys_seed (no command
# takes a report or makes an assessment).
. "$(dirname "$0")/lib.sh"
KEYS_SEED=${KEYS_SEED:?set KEYS_SEED to the keys_seed helper}

# has PATTERN: the last command's stdout matches the extended regex
has() {
	if printf '%s' "$out" | grep -Eq -- "$1"; then pass; else fail "stdout lacks /$1/: $out"; fi
}

# keyrows: a digest of what recovery may change (report keys, recovery
# tables, keys.* audit entries); sign-in records may change, these must not
keyrows() {
	sqlite3 k.db "SELECT * FROM report_key ORDER BY report_id, holder, account_id;
		SELECT * FROM recovery_key ORDER BY id; SELECT * FROM recovery_share ORDER BY 1, 2;
		SELECT seq FROM audit_log WHERE action LIKE 'keys.%'" | sha256sum
}

seed() { "$KEYS_SEED" k.db "$@" || fail "keys_seed $*"; }

PW='paard batterij nietje'
D="--db k.db"
for c in custodians status recover; do
	expect 0 "usage: probity keys $c" keys $c --help
done
expect 0 'an empty line stops|two lines per custodian' keys recover --help
"$PROBITY" init $D >/dev/null || fail "init"
"$PROBITY" org add RIJK --name Rijksoverheid --kind government --from 2010-01-01 $D >/dev/null
"$PROBITY" org add FIN --name Financiën --parent RIJK --from 2010-01-01 $D >/dev/null
"$PROBITY" org add FIN-DGB --name Belastingdienst --parent FIN --from 2010-01-01 $D >/dev/null
"$PROBITY" org add BZK --name Binnenlandse --parent RIJK --from 2010-01-01 $D >/dev/null
add() { printf '%s\n' "$PW" | "$PROBITY" user add "$@" $D >/dev/null || fail "user add $*"; }
for u in cust1 cust2 cust3 cust4 gone; do add "$u" --name "$u"; done
add old.fin --name 'Oud FIN' --role integrity_coordinator --org FIN
add new.fin --name 'Nieuw FIN' --role integrity_coordinator --org FIN
add coord.bzk --name 'Coördinator BZK' --role integrity_coordinator --org BZK
"$PROBITY" user disable gone $D >/dev/null

expect 0 'no current recovery key' keys status $D
R0=$(seed FIN old.fin)   # before any recovery key

# refusals change nothing
before=$(fingerprint k.db)
expect 2 'give the threshold with --threshold K' keys custodians cust1 cust2 $D
expect 2 'threshold must be a whole number from 2 to 16' keys custodians --threshold 1 cust1 cust2 $D
expect 2 'threshold must be a whole number' keys custodians --threshold two cust1 cust2 $D
expect 2 'more than the 2 custodians named' keys custodians --threshold 3 cust1 cust2 $D
expect 2 'name between 2 and 16 custodians' keys custodians --threshold 2 cust1 $D
expect 2 'cust1 is named twice' keys custodians --threshold 2 cust1 CUST1 $D
expect 2 '--threshold is given twice' keys custodians --threshold 2 --threshold 2 cust1 cust2 $D
expect 2 "'9lives'" keys custodians --threshold 2 cust1 9lives $D
expect 9 "no account has username 'nobody'" keys custodians --threshold 2 cust1 nobody $D
expect 10 'account gone is disabled' keys custodians --threshold 2 cust1 gone $D
same_db k.db "$before" "refused keys custodians"

# a first key, then a second that retires it
expect 0 'new recovery key [0-9a-f]{16}: any 2 of its 3 custodians' \
	keys custodians --threshold 2 cust1 cust2 cust3 $D
has 'share 1: cust1'
has 'share 3: cust3'
fp1=$(printf '%s' "$out" | sed -n 's/^new recovery key \([0-9a-f]*\):.*/\1/p')
R1=$(seed FIN old.fin)
R2=$(seed FIN-DGB old.fin)
expect 0 'new recovery key [0-9a-f]{16}: any 2 of its 2 custodians' \
	keys custodians --threshold 2 cust3 cust4 $D
fp2=$(printf '%s' "$out" | sed -n 's/^new recovery key \([0-9a-f]*\):.*/\1/p')
[ -n "$fp1" ] && [ -n "$fp2" ] && [ "$fp1" != "$fp2" ] && pass || fail "fingerprints '$fp1' '$fp2'"
R3=$(seed FIN old.fin)
R4=$(seed BZK old.fin)
[ "$(sqlite3 k.db "SELECT count(*) FROM audit_log WHERE action = 'keys.custodians'")" = 2 ] &&
	pass || fail "keys.custodians not audited"

expect 0 "current recovery key $fp2, made .*: any 2 of 2 custodians" keys status $D
has 'custodians: cust3, cust4'
has "key $fp1, made .*, retired .*: any 2 of 3 custodians"
has 'custodians: cust1, cust2, cust3'
has 'reports: 5 in all, 1 sealed to no recovery key'
has 'cannot be recovered'
[ "$(printf '%s' "$out" | grep -c 'reports sealed to it: 2')" = 2 ] && pass || fail "counts: $out"
printf '%s' "$out" | grep -Eq '[0-9a-f]{32}' && fail "status shows a whole key: $out" || pass

# recovery refused: nothing of the reports changes
rows=$(keyrows)
expect 2 'give the departed handler with --from USER' keys recover --from old.fin $D
expect 2 "unexpected argument 'extra'" keys recover --from old.fin --to new.fin extra $D
expect 9 "no account has username 'nobody'" keys recover --from nobody --to new.fin $D
expect 10 'account gone is disabled' keys recover --from old.fin --to gone $D
expect 9 "no organisation has or had the code 'EZK'" keys recover --from old.fin --to new.fin --org EZK $D
expect_in "" 10 'cust1 may receive none of these reports' keys recover --from old.fin --to cust1 $D
expect_in "" 10 'too few custodians joined: key [0-9a-f]{16} needs 2' \
	keys recover --from old.fin --to new.fin $D
expect_in "cust3
$PW
" 10 'too few custodians joined' keys recover --from old.fin --to new.fin $D
expect_in "cust1
not the password at all
" 1 'wrong password for cust1; nothing was changed' keys recover --from old.fin --to new.fin $D
expect_in "new.fin
$PW
" 10 'new.fin is not a custodian of the recovery key needed' \
	keys recover --from old.fin --to new.fin $D
expect_in "cust1
$PW
CUST1
$PW
" 10 'cust1 has joined already' keys recover --from old.fin --to new.fin $D
expect_in "cust1
" 2 'no password given for cust1' keys recover --from old.fin --to new.fin $D
expect_in "cust1
$(head -c 300 /dev/zero | tr '\0' x)
" 2 'password is too long' keys recover --from old.fin --to new.fin $D
[ "$(keyrows)" = "$rows" ] && pass || fail "a refused recovery changed report keys"

# k custodians of each key: cust3 holds shares of both and joins once
expect_in "cust3
$PW
cust1
$PW
cust4
$PW
" 0 'reports newly sealed to new\.fin: 3' keys recover --from old.fin --to new.fin $D
has '^reports sealed to old\.fin: 5'
has "key $fp2, for 1 of the reports: any 2 of cust3, cust4"
has "key $fp1 \\(retired\\), for 2 of the reports: any 2 of cust1, cust2, cust3"
has "skipped report $R0: received before any recovery key existed"
has "skipped report $R4: no handler role at its organisation"
for r in $R1 $R2 $R3; do
	body=$(printf '%s\n' "$PW" | "$KEYS_SEED" --open k.db "$r" new.fin)
	[ "$body" = '{"v":1,"answers":{"wat":"seeded"},"identity":null}' ] && pass ||
		fail "new.fin cannot open report $r: $body"
done
printf '%s\n' "$PW" | "$KEYS_SEED" --open k.db "$R4" new.fin >/dev/null 2>&1 &&
	fail "new.fin got report $R4 of BZK" || pass
detail=$(sqlite3 k.db "SELECT detail FROM audit_log WHERE action = 'keys.recover'")
printf '%s' "$detail" | grep -Eq '^from=[0-9]+ to=[0-9]+ org=all reports=3 skipped=2 keys=[0-9,]+ custodians=[0-9]+,[0-9]+,[0-9]+$' &&
	pass || fail "keys.recover detail: $detail"

# again: nothing to do, nothing written, no custodian asked
rows=$(keyrows)
expect_in "" 0 'nothing to reseal' keys recover --from old.fin --to new.fin $D
has 'held by new\.fin already: 3'
[ "$(keyrows)" = "$rows" ] && pass || fail "a second run changed report keys"

# only one organisation: BZK's report for its own coordinator, key 2 only
expect_in "cust4
$PW
cust3
$PW
" 0 'reports newly sealed to coord\.bzk: 1' keys recover --from old.fin --to coord.bzk --org bzk $D
has '^reports of BZK sealed to old\.fin: 1'
body=$(printf '%s\n' "$PW" | "$KEYS_SEED" --open k.db "$R4" coord.bzk)
[ "$body" = '{"v":1,"answers":{"wat":"seeded"},"identity":null}' ] && pass ||
	fail "coord.bzk cannot open report $R4: $body"

# after an administrator's reset new.fin's old rows do not open; recovering
# from new.fin to new.fin reseals them to the new key pair
printf '%s\n' "nieuw en best lang" | "$PROBITY" user passwd new.fin $D >/dev/null
printf '%s\n' "nieuw en best lang" | "$KEYS_SEED" --open k.db "$R1" new.fin >/dev/null 2>&1 &&
	fail "an old row opened after a reset" || pass
expect_in "cust1
$PW
cust3
$PW
cust4
$PW
" 0 'reports newly sealed to new\.fin: 3' keys recover --from new.fin --to new.fin $D
body=$(printf '%s\n' "nieuw en best lang" | "$KEYS_SEED" --open k.db "$R1" new.fin)
[ "$body" = '{"v":1,"answers":{"wat":"seeded"},"identity":null}' ] && pass ||
	fail "new.fin cannot open report $R1 after the reseal: $body"

# a self-assessment of JENV whose only key holder, old.jenv, leaves; its
# successor is appointed after it was made, so holds no copy, and nobody
# who could share one remains. The current key's custodians open it.
"$PROBITY" org add JENV --name Justitie --parent RIJK --from 2010-01-01 $D >/dev/null
add old.jenv --name 'Oud JENV' --role integrity_coordinator --org JENV
add new.jenv --name 'Nieuw JENV'
A1=$(printf '%s\n' "$PW" | "$KEYS_SEED" --assess k.db JENV old.jenv 2025) || fail "seed assessment"
[ "$(sqlite3 k.db "SELECT group_concat(holder || ':' || coalesce(account_id, recovery_key_id))
	FROM assessment_key WHERE assessment_id = $A1")" = \
	"account:$(sqlite3 k.db "SELECT id FROM account WHERE username = 'old.jenv'"),recovery:$(sqlite3 k.db "SELECT max(id) FROM recovery_key")" ] &&
	pass || fail "assessment $A1 is not sealed to old.jenv and the current key alone"
"$PROBITY" user disable old.jenv $D >/dev/null
"$PROBITY" user role new.jenv --add integrity_coordinator --org JENV $D >/dev/null ||
	fail "role for new.jenv"
printf '%s\n' "$PW" | "$KEYS_SEED" --open-assess k.db "$A1" new.jenv >/dev/null 2>&1 &&
	fail "new.jenv opened assessment $A1 before the recovery" || pass
expect 0 'assessments: 1$' keys status $D
expect_in "cust4
$PW
cust3
$PW
" 0 'assessments newly sealed to new\.jenv: 1' keys recover --from old.jenv --to new.jenv $D
has 'assessments whose evidence key old\.jenv holds: 1'
has "key $fp2, for 1 of the assessments: any 2 of cust3, cust4"
body=$(printf '%s\n' "$PW" | "$KEYS_SEED" --open-assess k.db "$A1" new.jenv)
[ "$body" = "$(printf '%%PDF-1.4\nMARKER-ASSESS-EVIDENCE-8812 zelfevaluatie\n%%%%EOF')" ] && pass ||
	fail "new.jenv cannot read assessment $A1's evidence after the recovery: $body"
old_id=$(sqlite3 k.db "SELECT id FROM account WHERE username = 'old.jenv'")
new_id=$(sqlite3 k.db "SELECT id FROM account WHERE username = 'new.jenv'")
[ "$(sqlite3 k.db "SELECT count(*) FROM audit_log WHERE action = 'assess.key_share' AND
	object_type = 'assessment' AND object_id = '$A1' AND
	detail = 'account $new_id by recovery from account $old_id'")" = 1 ] &&
	pass || fail "no assess.key_share entry names assessment $A1"
detail=$(sqlite3 k.db "SELECT detail FROM audit_log WHERE action = 'keys.recover' ORDER BY seq DESC LIMIT 1")
printf '%s' "$detail" | grep -Eq "^from=$old_id to=$new_id org=all reports=0 skipped=0 assessments=1 assessments-skipped=0 keys=[0-9]+ custodians=[0-9]+,[0-9]+\$" &&
	pass || fail "keys.recover detail: $detail"
# again: held already, nothing asked
expect_in "" 0 'nothing to reseal' keys recover --from old.jenv --to new.jenv $D
has 'held by new\.jenv already: 1'
# a successor who may hold no key of JENV's is refused
expect_in "" 10 'cust1 may receive none of these reports, cases and assessments' \
	keys recover --from old.jenv --to cust1 $D

# a purged report (its keys deleted and its body emptied, as src/cases/purge.c
# does) is counted apart, not among those sealed to no recovery key
total=$(sqlite3 k.db "SELECT count(*) FROM report")
unsealed=$(sqlite3 k.db "SELECT count(*) FROM report r WHERE NOT EXISTS (SELECT 1 FROM report_key k
	WHERE k.report_id = r.id AND k.holder = 'recovery' AND k.recovery_key_id IS NOT NULL)")
sqlite3 k.db "DELETE FROM report_key WHERE report_id = $R4; UPDATE report SET body = X'' WHERE id = $R4" ||
	fail "purging report $R4"
expect 0 "reports: $total in all, 1 of them purged \\(their content is gone: nothing to open or recover\\), $unsealed sealed to no recovery key" keys status $D

# the trail verifies and holds no password
expect 0 'ok$' audit verify $D
dump=$(sqlite3 k.db .dump)
for pw in "$PW" "nieuw en best lang" "not the password at all" MARKER-ASSESS; do
	printf '%s' "$dump" | grep -qF "$pw" && fail "'$pw' is in the database" || pass
done
finish
