#!/bin/bash
# probity import culture: survey figures per department and year. A good
# file (Dutch Excel: BOM, ';', CRLF, Dutch header, decimal comma) is stored
# with one audit entry; a file with bad lines (a value above 100, two
# decimals, 9 respondents, an unknown indicator, a unit instead of a
# department, a department that did not exist that year, a figure given
# twice) is refused whole with exactly those line numbers and nothing
# written; the same file again is refused; a figure already present is
# refused naming its line unless --replace, which replaces it; a missing
# file and bad arguments exit with their documented codes.
. "$(dirname "$0")/lib.sh"

"$PROBITY" init --db c.db >/dev/null || fail "init"
{
	"$PROBITY" org add RIJK --name Rijksoverheid --kind government --from 2010-01-01 --db c.db &&
	"$PROBITY" org add FIN --name Financien --parent RIJK --from 2010-01-01 --db c.db &&
	"$PROBITY" org add BD --name Belastingdienst --parent FIN --from 2010-01-01 --db c.db &&
	"$PROBITY" org add EZK --name 'Economische Zaken en Klimaat' --parent RIJK --from 2017-10-26 --db c.db &&
	"$PROBITY" org split EZK --into EZ='Economische Zaken' --into KGG='Klimaat en Groene Groei' --on 2024-07-02 --db c.db
} >/dev/null || fail "organisations"
q() { sqlite3 c.db "$1"; }
audits() { q "SELECT count(*) FROM audit_log WHERE action = 'culture.import'"; }

printf '\xef\xbb\xbfOrganisatie;Jaar;Indicator;Waarde;Respondenten;Bron\r\n' >good.csv
printf 'FIN;2022;would_report;71,5;1200;Personeelsenquête Rijk 2022\r\n' >>good.csv
printf 'FIN;2024;would_report;74;1300;Personeelsenquête Rijk 2024\r\n' >>good.csv
printf 'FIN;2024;safe_to_speak;"63,0";1300;Personeelsenquête Rijk 2024\r\n' >>good.csv
printf 'EZK;2022;knows_adviser;48.2;10;Personeelsenquête Rijk 2022\r\n' >>good.csv
printf 'KGG;2024;dilemma_talks;100;40;Personeelsenquête Rijk 2024\r\n' >>good.csv
printf ';;;;;\r\n' >>good.csv
expect 0 '^imported 5 culture figures from good.csv \(0 replaced; import 1, sha256 [0-9a-f]{64}\)$' \
	import culture good.csv --db c.db
sha=$(sha256sum good.csv | cut -d' ' -f1)
[ "$(q "SELECT count(*) FROM culture_figure")" = 5 ] && pass || fail "5 figures"
[ "$(q "SELECT value_tenths || ':' || respondents || ':' || source FROM culture_figure WHERE year = 2022 AND indicator = 'would_report'")" = "715:1200:Personeelsenquête Rijk 2022" ] &&
	pass || fail "FIN 2022: $(q 'SELECT * FROM culture_figure')"
[ "$(q "SELECT o.code || ':' || o.valid_from FROM culture_figure f JOIN org o ON o.id = f.org_id WHERE f.indicator = 'knows_adviser'")" = "EZK:2017-10-26" ] &&
	pass || fail "EZK's figure on its row"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'culture.import' AND object_id = '1' AND detail = 'sha256=$sha rows=5 replaced=0'")" = 1 ] &&
	pass || fail "audit entry: $(q "SELECT detail FROM audit_log WHERE action LIKE 'culture%'")"

# the same file again
expect 10 'good.csv: this file was imported before \(import 1 at .*--again' import culture good.csv --db c.db

# a bad file: refused whole, each bad line named, nothing written
printf 'organisation,year,indicator,value,respondents,source\n' >bad.csv
printf 'FIN,2023,would_report,72,500,Enquête 2023\n' >>bad.csv          # 2: good
printf 'FIN,2023,safe_to_speak,100.5,500,Enquête 2023\n' >>bad.csv      # 3: above 100
printf 'FIN,2023,knows_adviser,"55,25",500,Enquête 2023\n' >>bad.csv    # 4: two decimals
printf 'FIN,2023,dilemma_talks,40,9,Enquête 2023\n' >>bad.csv           # 5: 9 respondents
printf 'FIN,2023,happiness,40,90,Enquête 2023\n' >>bad.csv              # 6: unknown indicator
printf 'BD,2023,would_report,40,90,Enquête 2023\n' >>bad.csv            # 7: a unit
printf 'KGG,2023,would_report,40,90,Enquête 2023\n' >>bad.csv           # 8: KGG from 2024
printf 'FIN,2023,would_report,73,500,Enquête 2023\n' >>bad.csv          # 9: twice (line 2)
printf 'FIN,2022,would_report,73,500,Enquête 2022\n' >>bad.csv          # 10: present
run import culture bad.csv --db c.db
[ "$rc" = 2 ] && pass || fail "bad file exit $rc: $err"
lines=$(printf '%s\n' "$err" | grep -o 'bad.csv: line [0-9]*' | sed 's/.*line //' | tr '\n' ' ')
[ "$lines" = "3 4 5 6 7 8 9 10 " ] && pass || fail "bad lines: '$lines' in $err"
printf '%s' "$err" | grep -q 'line 5: 9 respondents are too few to publish' && pass || fail "respondents rule: $err"
printf '%s' "$err" | grep -q 'line 7: BD is not a department' && pass || fail "unit: $err"
printf '%s' "$err" | grep -q 'line 8: there was no department KGG in 2023' && pass || fail "KGG: $err"
printf '%s' "$err" | grep -q 'line 9: FIN 2023 would_report is given twice' && pass || fail "twice: $err"
printf '%s' "$err" | grep -q 'line 10: FIN 2022 would_report is already present (import 1): give --replace' &&
	pass || fail "present: $err"
printf '%s' "$err" | grep -q 'bad.csv was not imported: 8 problems; nothing was written' && pass || fail "summary: $err"
[ "$(q "SELECT count(*) FROM culture_figure")" = 5 ] && pass || fail "nothing written"
[ "$(q "SELECT count(*) FROM culture_import")" = 1 ] && pass || fail "no import row"
[ "$(audits)" = 1 ] && pass || fail "no audit entry"

# a figure present: refused, then replaced with --replace
printf 'organisation,year,indicator,value,respondents,source\n' >again.csv
printf 'FIN,2022,would_report,70.1,1250,Personeelsenquête Rijk 2022 (herzien)\n' >>again.csv
printf 'FIN,2023,would_report,72,500,Enquête 2023\n' >>again.csv
run import culture again.csv --db c.db
[ "$rc" = 2 ] && pass || fail "present without --replace: $rc"
printf '%s' "$err" | grep -q 'again.csv: line 2: FIN 2022 would_report is already present (import 1)' &&
	pass || fail "present named: $err"
[ "$(q "SELECT value_tenths FROM culture_figure WHERE year = 2022 AND indicator = 'would_report'")" = 715 ] &&
	pass || fail "not replaced"
expect 0 '^imported 2 culture figures from again.csv \(1 replaced; import [0-9]+' import culture --replace again.csv --db c.db
[ "$(q "SELECT value_tenths || ':' || respondents FROM culture_figure WHERE year = 2022 AND indicator = 'would_report'")" = 701:1250 ] &&
	pass || fail "replaced"
[ "$(q "SELECT count(*) FROM culture_figure")" = 6 ] && pass || fail "6 figures"
[ "$(audits)" = 2 ] && pass || fail "second audit entry"

# an empty file, a header only, a bad header
: >empty.csv
run import culture empty.csv --db c.db
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q 'empty.csv: the file is empty' && pass || fail "empty: $rc $err"
printf 'organisation,year,indicator,value,respondents\n' >hdr.csv
run import culture hdr.csv --db c.db
printf '%s' "$err" | grep -q 'line 1: the header lacks the column source' && pass || fail "header: $err"

# arguments and files
expect 9 'nothing.csv: cannot open it' import culture nothing.csv --db c.db
expect 2 'expected one FILE' import culture --db c.db
expect 1 'not a regular file' import culture . --db c.db
expect 0 'Loads FILE' import culture --help

echo "$checks checks, $fails failures"
[ "$fails" = 0 ]
