#!/bin/bash
# The framework library from the command line: init stores the shipped
# frameworks; list, show, export (byte for byte the shipped file, which
# import reads back), import of a new revision and diff against the old;
# bad files and refusals exit with their documented codes, one line naming
# the problem, and change nothing.
DATA=$(cd "$(dirname "$0")/../../data/frameworks" && pwd)
. "$(dirname "$0")/lib.sh"

"$PROBITY" init --db f.db >/dev/null || fail "init"
expect 0 '^basisnormen-2006 +1  Model approach' framework list --db f.db
[ "$(printf '%s\n' "$out" | grep -c '')" = 4 ] && pass || fail "4 frameworks: $out"
printf '%s' "$out" | grep -q '^saint ' && pass || fail "saint listed: $out"
# init again adds nothing
expect 0 'up to date' init --db f.db
[ "$(sqlite3 f.db "SELECT count(*) FROM framework_version")" = 4 ] && pass || fail "4 rows"

# show, in both languages
expect 0 'oecd-integrity-2017 revision 1: OECD Recommendation on Public Integrity' \
	framework show oecd-integrity-2017 --db f.db
printf '%s' "$out" | grep -q '^pillar culture: Culture$' && pass || fail "pillar line: $out"
printf '%s' "$out" | grep -q '^  9.b  ' && pass || fail "requirement 9.b"
expect 0 '^4 Kwetsbare functies$' framework show basisnormen-2006@1 --lang nl --db f.db
expect 2 'lang must be nl or en' framework show basisnormen-2006 --lang de --db f.db
expect 9 'no framework nothing: see' framework show nothing --db f.db
expect 9 'framework saint has no revision 7' framework show saint@7 --db f.db
expect 2 'revision after @ must be a number' framework show saint@x --db f.db
expect 2 'not a framework code' framework show 'Saint!' --db f.db
expect 2 'expected CODE' framework show --db f.db

# export: the shipped file byte for byte, to stdout and to a new file
"$PROBITY" framework export basisnormen-2006 --db f.db >out.json || fail "export"
cmp -s out.json "$DATA/basisnormen-2006-v1.json" && pass || fail "export differs from the file"
expect 0 'wrote b.json' framework export basisnormen-2006@1 --out b.json --db f.db
cmp -s b.json "$DATA/basisnormen-2006-v1.json" && pass || fail "export --out differs"
expect 10 'exists already' framework export basisnormen-2006 --out b.json --db f.db

# import: refusals change nothing
before=$(fingerprint f.db)
expect 10 'not newer than the latest stored, revision 1' framework import b.json --db f.db
sed 's/"revision": 1,/"revision": 2,/' b.json >same.json
expect 10 'nothing changed' framework import same.json --db f.db
sed 's/"code": "4.2",/"code": "4.2!",/' same.json >bad.json
expect 2 'bad.json: groups\[3\]\.requirements\[1\]\.code: must be 1 to 32' \
	framework import bad.json --db f.db
printf '{"format": "probity-framework", "version": 1' >cut.json
expect 2 'cut.json: line 1' framework import cut.json --db f.db
expect 9 'cannot open' framework import missing.json --db f.db
head -c 1048577 /dev/zero | tr '\0' ' ' >big.json
expect 1 'larger than' framework import big.json --db f.db
same_db f.db "$before" "refused imports"

# a real change: revision 2 with one text reworded and one requirement added
python3 - same.json >v2.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
g = d["groups"][3]
g["requirements"][0]["text"]["nl"] = "De kwetsbare functies zijn vastgesteld."
g["requirements"].append({"code": "4.5", "text": {"nl": "Roulatie is geregeld.", "en": "Rotation is arranged."}})
print(json.dumps(d, indent=2, ensure_ascii=False))
EOF
expect 0 'imported basisnormen-2006 revision 2' framework import v2.json --note 'test' --db f.db
[ "$(sqlite3 f.db "SELECT count(*) FROM audit_log WHERE action = 'framework.import'")" = 1 ] &&
	pass || fail "one framework.import entry"
expect 0 '^basisnormen-2006 +2 ' framework list --db f.db
expect 0 '^basisnormen-2006 +1 .*\n?' framework list --all --db f.db
[ "$(printf '%s\n' "$out" | grep -c '')" = 5 ] && pass || fail "5 revisions with --all: $out"
expect 0 'basisnormen-2006 revision 1 to revision 2: 2 changes' \
	framework diff basisnormen-2006 1 2 --db f.db
printf '%s' "$out" | grep -q 'Requirement 4.1: text (nl) changed from "De kwetsbare processen' &&
	pass || fail "text change line: $out"
printf '%s' "$out" | grep -q 'Requirement 4.5 added to group 4: "Roulatie is geregeld."' &&
	pass || fail "added line: $out"
expect 0 '0 changes' framework diff basisnormen-2006 2 2 --db f.db
expect 9 'has no revision 3' framework diff basisnormen-2006 1 3 --db f.db
expect 2 'expected CODE REVISION1 REVISION2' framework diff basisnormen-2006 1 --db f.db
# the export of the new revision reads back as the same revision
"$PROBITY" framework export basisnormen-2006@2 --db f.db >v2-out.json || fail "export 2"
grep -q '"revision": 2,' v2-out.json && pass || fail "revision 2 exported"
expect 10 'not newer' framework import v2-out.json --db f.db

# --help on every framework command
for c in list show import export diff; do
	expect 0 "usage: probity framework $c" framework "$c" --help
done
finish
