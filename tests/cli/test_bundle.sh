#!/bin/bash
# Exporting a case as a signed bundle and checking it: a team member's
# export (password on standard input) is a tar with mode 0600, one
# case.export audit entry and an intact signature, pinned by --key or by the
# server's own key, not pinned without either (and said so); a changed byte
# in a part, in the manifest or in the signature names that part and exits
# 8; another server's key, a cut-off file, a missing file and a bad key file
# have their own exit codes; a wrong password, an outsider, an unknown user
# or case and an existing FILE export nothing and leave no file behind.
# Cases are opened by the helper bundle_seed (no command opens one).
. "$(dirname "$0")/lib.sh"
BUNDLE_SEED=${BUNDLE_SEED:?set BUNDLE_SEED to the bundle_seed helper}

has() {
	if printf '%s' "$out" | grep -Eq -- "$1"; then pass; else fail "stdout lacks /$1/: $out"; fi
}
exports() { sqlite3 b.db "SELECT count(*) FROM audit_log WHERE action = 'case.export'"; }

PW='paard batterij nietje'
D="--db b.db"
expect 0 'usage: probity export-case' export-case --help
expect 0 'usage: probity verify-bundle' verify-bundle --help
"$PROBITY" init $D >/dev/null || fail "init"
"$PROBITY" org add RIJK --name Rijksoverheid --kind government --from 2010-01-01 $D >/dev/null
"$PROBITY" org add FIN --name Financiën --parent RIJK --from 2010-01-01 $D >/dev/null
"$PROBITY" org add BZK --name Binnenlandse --parent RIJK --from 2010-01-01 $D >/dev/null
add() { printf '%s\n' "$PW" | "$PROBITY" user add "$@" $D >/dev/null || fail "user add $*"; }
add coord.fin --name 'Coördinator FIN' --role integrity_coordinator --org FIN
add inv.fin --name 'Onderzoeker FIN' --role investigator --org FIN
add coord.bzk --name 'Coördinator BZK' --role integrity_coordinator --org BZK
case=$(printf '%s\n' "$PW" | "$BUNDLE_SEED" b.db coord.fin inv.fin) || fail "bundle_seed"

# usage errors come before any password
expect 2 'give --case N, --user USERNAME and --out FILE' export-case $D --case "$case"
expect 2 "--case: 'x' is not a case number" export-case $D --case x --user inv.fin --out a.tar
expect 2 '--out is given twice' export-case $D --case 1 --user inv.fin --out a.tar --out b.tar
expect 2 'give the bundle file' verify-bundle

# the export, by an investigator on the team
expect_in "$PW
" 0 "exported case $case to out.tar: [0-9]+ parts" export-case $D --case "$case" --user inv.fin --out out.tar
has 'manifest SHA-256 [0-9a-f]{64}'
has 'in the clear'
[ "$(stat -c %a out.tar)" = 600 ] && pass || fail "out.tar has mode $(stat -c %a out.tar)"
ls out.tar.partial-* >/dev/null 2>&1 && fail "a partial file was left" || pass
[ "$(exports)" = 1 ] && pass || fail "expected one case.export entry, got $(exports)"
hash=$(printf '%s' "$out" | sed -n 's/^manifest SHA-256 \([0-9a-f]*\).*/\1/p')
sqlite3 b.db "SELECT detail FROM audit_log WHERE action = 'case.export'" | grep -q "$hash" &&
	pass || fail "the audit entry lacks the manifest's hash"
sqlite3 b.db "SELECT detail FROM audit_log" | grep -q MARK && fail "content in the audit trail" || pass
expect 0 'checked [0-9]+ entries' audit verify $D
# any tar reads it; the content is there in the clear
tar -tf out.tar | grep -qx "case-$case/manifest.json" && pass || fail "tar does not list the manifest"
tar -xOf out.tar "case-$case/records.json" | grep -q BUNDLE-RECORD-MARK && pass || fail "record missing"
tar -xOf out.tar | grep -q BUNDLE-FILE-MARK && pass || fail "attachment missing"

# checking: pinned by --key, by the server's key, or not at all
expect 0 'intact' verify-bundle out.tar --key b.db.key.pub
has 'key: pinned'
has "case $case of FIN, exported .* by inv.fin"
expect 0 'intact' verify-bundle out.tar $D
has "key: pinned, [0-9a-f]{64} \\(from b.db.key.pub\\)"
expect 0 'NOT pinned' verify-bundle out.tar
has 'intact'
mv b.db.key.pub keep.pub
expect 0 'key: pinned, .*from b.db.key\)' verify-bundle out.tar $D
mv keep.pub b.db.key.pub

# one byte changed in a part, in the manifest, in the signature: named, 8
flip() {  # flip FILE OFFSET: turns the byte at OFFSET to 'x' (or 'y' if it was 'x')
	local b
	b=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null)
	if [ "$b" = x ]; then b=y; else b=x; fi
	printf '%s' "$b" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
offset() { grep -obUa -- "$2" "$1" | head -n1 | cut -d: -f1; }
cp out.tar t.tar
flip t.tar "$(offset t.tar BUNDLE-RECORD-MARK)"
expect 8 "not intact: 1 changed, 0 missing, 0 extra, 0 twice \\(first: case-$case/records.json\\)" verify-bundle t.tar --key b.db.key.pub
has "^changed: case-$case/records.json: its SHA-256 differs"
cp out.tar t.tar
flip t.tar "$(( $(offset t.tar '"exported_by"') + 3 ))"
expect 8 "1 changed.*first: case-$case/manifest.json" verify-bundle t.tar --key b.db.key.pub
cp out.tar t.tar
flip t.tar "$(( $(offset t.tar '"signature": "') + 20 ))"
expect 8 "1 changed.*first: case-$case/signature.json" verify-bundle t.tar --key b.db.key.pub
has 'does not verify|does not parse'
# a header, the archive's end
cp out.tar t.tar
flip t.tar 130
expect 8 'damaged or not a bundle' verify-bundle t.tar --key b.db.key.pub
head -c 2048 out.tar >t.tar
expect 8 'damaged or not a bundle' verify-bundle t.tar --key b.db.key.pub
# another server's key
"$PROBITY" init --db other.db >/dev/null
expect 8 "first: case-$case/signature.json" verify-bundle out.tar --key other.db.key.pub
has 'another key than the pinned one'
expect 8 'signature.json' verify-bundle out.tar --db other.db
# files and keys that are not there
expect 9 'cannot open nothere.tar' verify-bundle nothere.tar
printf 'not a key\n' >bad.pub
expect 3 'verify-bundle: --key' verify-bundle out.tar --key bad.pub

# refusals export nothing and leave no file
n=$(exports)
expect_in "wrong password, this one
" 1 'the password of inv.fin is wrong: nothing was exported' export-case $D --case "$case" --user inv.fin --out w.tar
[ -e w.tar ] && fail "a wrong password left w.tar" || pass
expect_in "$PW
" 9 "no case $case that coord.bzk is on the team of" export-case $D --case "$case" --user coord.bzk --out w.tar
expect_in "$PW
" 9 "no case 999 that inv.fin is on the team of" export-case $D --case 999 --user inv.fin --out w.tar
expect_in "$PW
" 9 "no account has username 'nobody'" export-case $D --case "$case" --user nobody --out w.tar
expect_in "$PW
" 10 'out.tar exists: give a new file name' export-case $D --case "$case" --user inv.fin --out out.tar
expect_in "" 2 'no password given' export-case $D --case "$case" --user inv.fin --out w.tar
expect_in "$PW
" 7 'cannot create' export-case $D --case "$case" --user inv.fin --out no/such/dir/w.tar
[ -e w.tar ] && fail "a refusal left w.tar" || pass
[ "$(exports)" = "$n" ] && pass || fail "a refusal was recorded as an export"
ls ./*.partial-* >/dev/null 2>&1 && fail "a partial file was left" || pass
finish
