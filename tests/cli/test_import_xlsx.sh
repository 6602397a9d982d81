#!/bin/bash
# probity import registrations with an Excel workbook (.xlsx). The workbooks
# are built here from their XML parts with python3's zipfile, as Excel lays
# them out: shared strings, dates as day numbers, true/false cells. A good
# workbook is stored with its dates converted and one audit entry; a bad one
# is refused whole with each problem's sheet row and nothing written; a
# workbook under a .csv name is still read as one; an old .xls and a zip
# that is no workbook are refused with a plain message (exit status 2).
. "$(dirname "$0")/lib.sh"

"$PROBITY" init --db r.db >/dev/null || fail "init"
{
	"$PROBITY" org add RIJK --name Rijksoverheid --kind government --from 2010-01-01 --db r.db &&
	"$PROBITY" org add FIN --name Financien --parent RIJK --from 2010-01-01 --db r.db &&
	"$PROBITY" org add EZK --name 'Economische Zaken en Klimaat' --parent RIJK --from 2017-10-26 --db r.db &&
	"$PROBITY" org split EZK --into EZ='Economische Zaken' --into KGG='Klimaat en Groene Groei' --on 2024-07-02 --db r.db
} >/dev/null || fail "organisations"
q() { sqlite3 r.db "$1"; }

# book OUT ROWS...: a workbook whose first sheet holds ROWS, each a line of
# cells separated by '|': "n:45000" a number, "b:1" true/false, "" empty,
# anything else a shared string
book() {
	python3 - "$@" <<'PY'
import sys, zipfile
from xml.sax.saxutils import escape
out, rows = sys.argv[1], sys.argv[2:]
strings, sheet = [], []
for r, line in enumerate(rows, 1):
    cells = []
    for c, v in enumerate(line.split('|')):
        ref = chr(ord('A') + c) + str(r)
        if v == '':
            continue
        if v.startswith('n:'):
            cells.append('<c r="%s" s="1"><v>%s</v></c>' % (ref, v[2:]))
        elif v.startswith('b:'):
            cells.append('<c r="%s" t="b"><v>%s</v></c>' % (ref, v[2:]))
        else:
            strings.append(v)
            cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, len(strings) - 1))
    sheet.append('<row r="%d">%s</row>' % (r, ''.join(cells)))
M = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="Registratie" sheetId="1" r:id="rId1"/><sheet name="Toelichting" sheetId="2" r:id="rId2"/></sheets></workbook>' % (M, R))
    z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="%s/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>' % (R, R, R))
    z.writestr('xl/worksheets/sheet1.xml', '<?xml version="1.0"?><worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (M, ''.join(sheet)))
    z.writestr('xl/worksheets/sheet2.xml', '<?xml version="1.0"?><worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not read</t></is></c></row></sheetData></worksheet>' % M)
    z.writestr('xl/sharedStrings.xml', '<?xml version="1.0"?><sst xmlns="%s">%s</sst>' % (M, ''.join('<si><t>%s</t></si>' % escape(s) for s in strings)))
PY
}

HEADER='Organisatie|Datum ontvangst|Categorie|Taxonomieversie|Uitkomst|Maatregel|Aangifte'
# 45049 is 2023-05-03, 45485 2024-07-12; a date as text keeps the CSV rules
book good.xlsx "$HEADER" \
	'EZK|n:45049|n:1|n:1|vastgesteld|written_reprimand|b:0' \
	'' \
	'EZ|n:45485|2|1|niet vastgesteld||b:1' \
	'FIN|1-2-2020|n:3|n:1|gedeeltelijk||nee' || fail "python3 could not write good.xlsx"
expect 0 '^imported 3 registrations from good.xlsx \(import 1, sha256 [0-9a-f]{64}\)$' \
	import registrations good.xlsx --db r.db
got=$(q "SELECT o.code || ' ' || r.received_on || ' ' || r.category || ' ' || r.outcome || ' ' || coalesce(r.measure, '-') || ' ' || r.police_report FROM registration r JOIN org o ON o.id = r.org_id ORDER BY r.received_on")
want='FIN 2020-02-01 3 partly - 0
EZK 2023-05-03 1 established written_reprimand 0
EZ 2024-07-12 2 not_established - 1'
[ "$got" = "$want" ] && pass || fail "stored rows: $got"
sha=$(sha256sum good.xlsx | cut -d' ' -f1)
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'registrations.import' AND detail = 'sha256=$sha rows=3'")" = 1 ] &&
	pass || fail "audit entry"

# a bad workbook: every bad row by its sheet row, nothing written
book bad.xlsx "$HEADER" \
	'FIN|n:44936|n:1|n:1|vastgesteld||b:0' \
	'EZ|n:45047|n:1|n:1|vastgesteld||b:0' \
	'FIN|n:44937|n:42|n:1|vastgesteld||b:0' \
	'' \
	'FIN|n:60|n:1|n:1|vastgesteld||misschien'
before=$(fingerprint r.db)
run import registrations bad.xlsx --db r.db
[ "$rc" = 2 ] && pass || fail "bad workbook exited $rc, expected 2"
want="probity: import registrations: bad.xlsx: row 3: organisation EZ did not exist on 2023-05-01: it began on 2024-07-02
probity: import registrations: bad.xlsx: row 4: category '42' is not in taxonomy version 1
probity: import registrations: bad.xlsx: row 6: date received '60' is not a real date written YYYY-MM-DD or DD-MM-YYYY; police report 'misschien' is not yes, no, ja or nee
probity: import registrations: bad.xlsx was not imported: 3 problems; nothing was written"
[ "$err" = "$want" ] && pass || fail "bad workbook's messages: $err"
[ "$(fingerprint r.db)" = "$before" ] && pass || fail "a refused workbook changed the database"

# told apart by content: a workbook named .csv is read as a workbook
book renamed.csv "$HEADER" 'FIN|n:44938|n:1|n:1|vastgesteld||b:0'
expect 0 '^imported 1 registrations from renamed.csv' import registrations renamed.csv --db r.db
[ "$(q "SELECT count(*) FROM registration WHERE received_on = '2023-01-12'")" = 1 ] &&
	pass || fail "the renamed workbook's row"

# an old .xls; a zip that is no workbook
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0' >old.xls
run import registrations old.xls --db r.db
[ "$rc" = 2 ] && [ "$err" = "probity: import registrations: old.xls: it is an old Excel workbook (.xls) or a password-protected one, which cannot be read: save it as .xlsx without a password, or as CSV
probity: import registrations: old.xls was not imported: 1 problem; nothing was written" ] &&
	pass || fail "old .xls: $rc $err"
python3 -c "import zipfile; zipfile.ZipFile('notes.xlsx', 'w').writestr('notes.txt', 'hello')"
run import registrations notes.xlsx --db r.db
[ "$rc" = 2 ] && printf '%s' "$err" | head -1 | grep -qx 'probity: import registrations: notes.xlsx: it is a zip archive but not an Excel workbook (.xlsx): it has no xl/workbook.xml' &&
	pass || fail "a zip that is no workbook: $rc $err"
[ "$(q "SELECT count(*) FROM registration_import")" = 2 ] && pass || fail "imports after refusals"

echo "$checks checks, $fails failures"
[ "$fails" = 0 ]
