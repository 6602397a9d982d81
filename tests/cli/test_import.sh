#!/bin/bash
# probity import registrations: a department's register from a spreadsheet.
# A good file (Dutch Excel: BOM, ';', CRLF, Dutch header and words) is
# stored with the counts in the database and one audit entry; a file with
# three bad lines is refused whole with exactly those line numbers and
# nothing written (no rows, no import, no audit entry); the same file again
# is refused unless --again; an organisation before it existed is named with
# its date; a split department (EZK until 2 July 2024, then EZ and KGG) and a
# renamed one (LNV, then LVVN) land on the organisation rows of their day;
# the shipped example file imports; a missing file and bad arguments exit
# with their documented codes.
EXAMPLE=$(cd "$(dirname "$0")/../../data/examples" && pwd)/registraties-voorbeeld.csv
. "$(dirname "$0")/lib.sh"

"$PROBITY" init --db r.db >/dev/null || fail "init"
{
	"$PROBITY" org add RIJK --name Rijksoverheid --kind government --from 2010-01-01 --db r.db &&
	"$PROBITY" org add FIN --name Financien --parent RIJK --from 2010-01-01 --db r.db &&
	"$PROBITY" org add BD --name Belastingdienst --parent FIN --from 2010-01-01 --db r.db &&
	"$PROBITY" org add EZK --name 'Economische Zaken en Klimaat' --parent RIJK --from 2017-10-26 --db r.db &&
	"$PROBITY" org add RVO --name 'Rijksdienst voor Ondernemend Nederland' --parent EZK --from 2017-10-26 --db r.db &&
	"$PROBITY" org add LNV --name 'Landbouw, Natuur en Voedselkwaliteit' --parent RIJK --from 2017-10-26 --db r.db &&
	"$PROBITY" org split EZK --into EZ='Economische Zaken' --into KGG='Klimaat en Groene Groei' --move RVO=EZ --on 2024-07-02 --db r.db &&
	"$PROBITY" org rename LNV --to LVVN --name 'Landbouw, Visserij, Voedselzekerheid en Natuur' --on 2024-07-02 --db r.db
} >/dev/null || fail "organisations"
q() { sqlite3 r.db "$1"; }
audits() { q "SELECT count(*) FROM audit_log WHERE action = 'registrations.import'"; }

# a good file, as Dutch Excel saves it
printf '\xef\xbb\xbfOrganisatie;Datum ontvangst;Categorie;Taxonomieversie;Uitkomst;Maatregel;Aangifte\r\n' >good.csv
printf 'EZK;14-03-2023;1;1;vastgesteld;written_reprimand;nee\r\n' >>good.csv
printf 'EZK;2024-07-01;3;1;gedeeltelijk;;nee\r\n' >>good.csv
printf 'EZ;02-07-2024;2;1;niet vastgesteld;;nee\r\n' >>good.csv
printf 'KGG;2025-01-15;1;1;vastgesteld;dismissal;ja\r\n' >>good.csv
printf 'LNV;2022-05-01;5;1;vastgesteld;;nee\r\n' >>good.csv
printf 'LVVN;2024-09-30;5;1;vastgesteld;"fine";nee\r\n' >>good.csv
printf 'BD;1-2-2020;1;1;vastgesteld;police_report;ja\r\n' >>good.csv
printf ';;;;;;\r\n' >>good.csv
expect 0 '^imported 7 registrations from good.csv \(import 1, sha256 [0-9a-f]{64}\)$' \
	import registrations good.csv --db r.db
sha=$(sha256sum good.csv | cut -d' ' -f1)
[ "$(q "SELECT count(*) FROM registration")" = 7 ] && pass || fail "7 rows"
[ "$(q "SELECT sha256 || ' ' || file_name || ' ' || rows FROM registration_import")" = "$sha good.csv 7" ] &&
	pass || fail "import row: $(q 'SELECT * FROM registration_import')"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'registrations.import' AND object_id = '1' AND detail = 'sha256=$sha rows=7'")" = 1 ] &&
	pass || fail "audit entry: $(q "SELECT detail FROM audit_log WHERE action LIKE 'registrations%'")"
# each on the organisation row of its day: EZK until the split, EZ and KGG
# after; LNV before the rename, LVVN after
per_org=$(q "SELECT o.code || ':' || o.valid_from || ':' || count(*) FROM registration r JOIN org o ON o.id = r.org_id GROUP BY o.id ORDER BY o.code")
want='BD:2010-01-01:1
EZ:2024-07-02:1
EZK:2017-10-26:2
KGG:2024-07-02:1
LNV:2017-10-26:1
LVVN:2024-07-02:1'
[ "$per_org" = "$want" ] && pass || fail "rows per organisation: $per_org"
[ "$(q "SELECT received_on || outcome || coalesce(measure, '-') || police_report FROM registration WHERE org_id = (SELECT id FROM org WHERE code = 'BD')")" = "2020-02-01establishedpolice_report1" ] &&
	pass || fail "BD's row"
[ "$(q "SELECT count(*) FROM registration WHERE outcome = 'not_established' AND measure IS NULL")" = 1 ] &&
	pass || fail "not established without a measure"

# the same file again: refused, unless --again
before=$(fingerprint r.db)
expect 10 'good.csv: this file was imported before \(import 1 at .*\): give --again' \
	import registrations good.csv --db r.db
[ "$(fingerprint r.db)" = "$before" ] && pass || fail "a refused second import changed the database"
cp good.csv copy.csv
expect 10 'imported before' import registrations copy.csv --db r.db
expect 0 '^imported 7 registrations from copy.csv \(import 2,' import registrations copy.csv --again --db r.db
[ "$(q "SELECT count(*) FROM registration")" = 14 ] && pass || fail "14 rows after --again"
[ "$(audits)" = 2 ] && pass || fail "two audit entries"

# a bad file with three bad lines: each named, nothing written
cat >bad.csv <<'EOF'
organisation,date received,category,taxonomy version,outcome,measure,police report
FIN,2023-01-10,1,1,established,,no
EZ,2023-05-01,1,1,established,,no
FIN,2023-01-11,1,1,established,,no
FIN,2023-01-12,42,1,established,,no
FIN,2023-01-13,1,1,established,,no
FIN,2023-01-14,1,1,established,,maybe
EOF
before=$(fingerprint r.db)
run import registrations bad.csv --db r.db
[ "$rc" = 2 ] && pass || fail "bad file exited $rc, expected 2"
want="probity: import registrations: bad.csv: line 3: organisation EZ did not exist on 2023-05-01: it began on 2024-07-02
probity: import registrations: bad.csv: line 5: category '42' is not in taxonomy version 1
probity: import registrations: bad.csv: line 7: police report 'maybe' is not yes, no, ja or nee
probity: import registrations: bad.csv was not imported: 3 problems; nothing was written"
[ "$err" = "$want" ] && pass || fail "bad file's messages: $err"
[ -z "$out" ] && pass || fail "bad file printed on stdout: $out"
[ "$(fingerprint r.db)" = "$before" ] && pass || fail "a refused file changed the database"
[ "$(q "SELECT count(*) FROM registration_import")" = 2 ] && pass || fail "no import row for a refused file"
[ "$(audits)" = 2 ] && pass || fail "no audit entry for a refused file"

# an organisation before it existed, and after it ended
printf 'organisation,date received,category,taxonomy version,outcome,measure,police report\nKGG,2023-12-31,1,1,established,,no\nEZK,2024-07-02,1,1,established,,no\n' >early.csv
run import registrations early.csv --db r.db
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q 'line 2: organisation KGG did not exist on 2023-12-31: it began on 2024-07-02' &&
	printf '%s' "$err" | grep -q 'line 3: organisation EZK did not exist on 2024-07-02: it ended on 2024-07-02' &&
	pass || fail "organisation outside its period: $rc $err"

# more than 100 problems: 100 listed, then how many more
{
	echo 'organisation;date received;category;taxonomy version;outcome;measure;police report'
	for i in $(seq 130); do echo 'FIN;2023-01-01;1;1;perhaps;;no'; done
} >many.csv
run import registrations many.csv --db r.db
[ "$rc" = 2 ] && [ "$(printf '%s\n' "$err" | grep -c ': line ')" = 100 ] &&
	printf '%s' "$err" | grep -q 'many.csv: and 30 more$' &&
	printf '%s' "$err" | grep -q 'not imported: 130 problems; nothing was written$' &&
	pass || fail "many problems: $rc $(printf '%s' "$err" | tail -3)"

# progress on request; the shipped example imports
run import registrations --progress "$EXAMPLE" --db r.db
[ "$rc" = 0 ] && pass || fail "the example file: $err"
[ -z "$err" ] && pass || fail "progress below 100,000 rows: $err"

# arguments and files
expect 9 'nothing.csv: cannot open it' import registrations nothing.csv --db r.db
expect 2 'expected one FILE' import registrations --db r.db
expect 2 'expected one FILE' import registrations a.csv b.csv --db r.db
expect 1 'not a regular file' import registrations . --db r.db
expect 0 'Loads FILE' import registrations --help

echo "$checks checks, $fails failures"
[ "$fails" = 0 ]
