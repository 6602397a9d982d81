#!/bin/bash
# probity report annual: the annual report from imported registers. Each
# format is written (the XLSX unzips with its four sheets, the JSON parses,
# the CSV holds the main table, the HTML is a standalone print-ready page);
# figures follow the tree as it was that year (EZK in 2023, split in 2024
# into EZ and KGG) or today's departments with --today (a unit that moved
# takes its figures along, the rest stays under EZK marked "before the
# split"); --org gives one department's figures only; Defence, outside the
# coordinator's scope, never appears in the government-wide report; a bad
# year, format or code and an unknown department exit as docs/cli.md says.
# Timeliness: reports received (rows written straight into the database, the
# triggers of migration 0017 count them) per department with their clocks,
# overdue as on --as-of, Defence absent; a year of registers only says it
# has no timeliness.
. "$(dirname "$0")/lib.sh"

"$PROBITY" init --db r.db >/dev/null || fail "init"
{
	"$PROBITY" org add RIJK --name Rijksoverheid --kind government --from 2010-01-01 --db r.db &&
	"$PROBITY" org add FIN --name Financien --parent RIJK --from 2010-01-01 --db r.db &&
	"$PROBITY" org add DEF --name Defensie --parent RIJK --from 2010-01-01 --outside-scope --db r.db &&
	"$PROBITY" org add EZK --name 'Economische Zaken en Klimaat' --parent RIJK --from 2017-10-26 --db r.db &&
	"$PROBITY" org add RVO --name 'Rijksdienst voor Ondernemend Nederland' --parent EZK --from 2017-10-26 --db r.db &&
	"$PROBITY" org split EZK --into EZ='Economische Zaken' --into KGG='Klimaat en Groene Groei' --move RVO=EZ --on 2024-07-02 --db r.db
} >/dev/null || fail "organisations"

printf 'organisation,date received,category,taxonomy version,outcome,measure,police report\n' >reg.csv
printf 'EZK,2023-03-14,1,1,established,written_reprimand,no\n' >>reg.csv
printf 'EZK,2023-05-01,1,1,partly,,no\n' >>reg.csv
printf 'RVO,2023-06-01,3,1,not_established,,yes\n' >>reg.csv
printf 'FIN,2023-02-01,3,1,established,dismissal,yes\n' >>reg.csv
printf 'DEF,2023-02-01,3,1,established,,yes\n' >>reg.csv
printf 'DEF,2023-02-02,4,1,established,,no\n' >>reg.csv
printf 'KGG,2025-01-15,1,1,established,,no\n' >>reg.csv
"$PROBITY" import registrations reg.csv --db r.db >/dev/null || fail "import: $(cat reg.csv)"

# reports received in 2023: FIN both clocks in time, FIN acknowledged late
# and no feedback (due 2023-06-20), RVO (EZK's unit) not acknowledged with no
# feedback (due 2023-12-08), Defence's
report() {
	sqlite3 r.db "INSERT INTO report (org_id, kind, mode, questionnaire, questionnaire_revision,
	  received_on, received_at, acknowledged_on, feedback_on, receipt_lookup, receipt_salt, body)
	  SELECT id, 'integrity_violation', 'anonymous', 'q', 1, '$2', '$2T10:00:00Z', $3, $4,
	  randomblob(32), randomblob(16), X'' FROM org WHERE code = '$1' AND valid_from <= '$2' AND (valid_to IS NULL OR valid_to > '$2')" ||
		fail "report $*"
}
report FIN 2023-01-10 "'2023-01-12'" "'2023-03-01'"
report FIN 2023-03-01 "'2023-03-20'" NULL
report RVO 2023-09-01 NULL NULL
report DEF 2023-05-01 NULL NULL

# JSON: the government's figures, EZK as it was, Defence absent
expect 0 '' report annual --year 2023 --format json --db r.db
printf '%s' "$out" >gov.json
python3 - gov.json <<'PY' && pass || fail "government json: $out"
import json, sys
d = json.load(open(sys.argv[1]))
deps = {x["code"]: x for x in d["departments"]}
assert d["year"] == 2023 and d["scope"] == "government" and d["suppressed"] is False, d
assert sorted(deps) == ["EZK", "FIN"], sorted(deps)
e = deps["EZK"]["totals"]
assert (e["registered"], e["established"], e["partly"], e["not_established"], e["police_reports"]) == (3, 1, 1, 1, 1), e
assert d["total"]["registered"] == 4 and d["total"]["police_reports"] == 2, d["total"]
assert d["total"]["measures"] == 2, d["total"]
cats = {c["category"]: c["registered"] for c in d["total"]["categories"]}
assert cats == {"1": 2, "3": 2}, cats
PY
grep -q 'DEF\|Defensie' gov.json && fail "Defence in the government's json" || pass

# timeliness as on a given day: the RVO report is not overdue yet on
# 2023-12-01, it is on 2024-01-15
expect 0 '' report annual --year 2023 --format json --as-of 2023-12-01 --db r.db
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["as_of"] == "2023-12-01", d["as_of"]
t = {x["code"]: x["timeliness"] for x in d["departments"]}
f, e, g = t["FIN"], t["EZK"], d["total"]["timeliness"]
assert (f["received"], f["acknowledged_within_7_days"], f["feedback_within_3_months"], f["without_feedback"], f["overdue"]) == (2, 1, 1, 1, 1), f
assert f["acknowledged_within_7_days_share"] == 0.5 and f["feedback_within_3_months_share"] == 0.5, f
assert (e["received"], e["acknowledged_within_7_days"], e["without_feedback"], e["overdue"]) == (1, 0, 1, 0), e
assert (g["received"], g["overdue"]) == (3, 1), g
' && pass || fail "timeliness json: $out"
expect 0 '' report annual --year 2023 --format csv --table timeliness --as-of 2024-01-15 --db r.db
printf '%s' "$out" | head -1 | grep -q 'Department,Name,Note,Reports received,Acknowledged within 7 days,Share acknowledged within 7 days (%),Feedback within 3 months,Share feedback within 3 months (%),Without feedback on 2024-01-15,Overdue on 2024-01-15' &&
	pass || fail "timeliness csv header: $out"
printf '%s' "$out" | grep -q '^Total,,,3,1,33.3,1,33.3,2,2,' && pass || fail "timeliness csv total: $out"
printf '%s' "$out" | grep -q 'DEF\|Defensie' && fail "Defence in the timeliness csv" || pass
# Defence's own report has its report
expect 0 '' report annual --year 2023 --org DEF --format csv --table timeliness --as-of 2024-01-15 --db r.db
printf '%s' "$out" | grep -q '^DEF,Defensie,,1,0,0,0,0,1,1,' && pass || fail "DEF timeliness: $out"
# a year of registers only: no timeliness, and the report says so
expect 0 '' report annual --year 2025 --today --format html --db r.db
printf '%s' "$out" | grep -q 'imported registers only' && pass || fail "registers only: $out"

# --today: RVO's row moved to EZ, EZK's own rows stay under EZK "before the split"
expect 0 '' report annual --year 2023 --today --format json --db r.db
printf '%s' "$out" >today.json
python3 - today.json <<'PY' && pass || fail "today json: $out"
import json, sys
d = json.load(open(sys.argv[1]))
deps = [(x["code"], x["undivided"], x["note"], x["totals"]["registered"]) for x in d["departments"]]
assert deps == [("EZ", False, None, 1), ("FIN", False, None, 1), ("EZK", True, "before the split into EZ, KGG", 2)], deps
assert d["total"]["registered"] == 4, d["total"]
PY

# --org: one department's own figures and nothing else
expect 0 '' report annual --year 2023 --org FIN --format json --db r.db
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [x["code"] for x in d["departments"]] == ["FIN"], d
assert d["scope"] == "department" and d["org"] == "FIN" and d["total"]["registered"] == 1, d
' && pass || fail "--org FIN: $out"
expect 0 '' report annual --year 2023 --org KGG --today --format json --db r.db
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [(x["code"], x["undivided"]) for x in d["departments"]] == [("EZK", True)], d
' && pass || fail "--org KGG --today: $out"
# Defence's own report is its own figures; it is in no one else's
expect 0 '' report annual --year 2023 --org DEF --format csv --db r.db
[ "$(printf '%s' "$out" | grep -c '^DEF,')" = 2 ] && ! printf '%s' "$out" | grep -q 'FIN\|EZK' &&
	pass || fail "--org DEF: $out"

# CSV: the main table, Defence absent
expect 0 '' report annual --year 2023 --format csv --db r.db
printf '%s' "$out" | head -1 | grep -q 'Department,Name,Note,Category,Title,Registered,Established' &&
	pass || fail "csv header: $out"
printf '%s' "$out" | grep -q '^EZK,Economische Zaken en Klimaat,,1,.*,2,1,1,0,0,0' &&
	pass || fail "csv EZK category 1: $out"
printf '%s' "$out" | grep -q 'DEF\|Defensie' && fail "Defence in the csv" || pass

# XLSX: a workbook with one sheet per table
expect 0 '' report annual --year 2023 --format xlsx --out r.xlsx --db r.db
python3 - r.xlsx <<'PY' && pass || fail "xlsx"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
wb = z.read("xl/workbook.xml").decode()
for s in ("Violations", "Measures", "Departments", "Timeliness"):
    assert 'name="%s"' % s in wb, wb
assert len([n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]) == 4
strings = z.read("xl/sharedStrings.xml").decode()
assert "Defensie" not in strings and "EZK" in strings
PY
expect 10 'r.xlsx: it exists already' report annual --year 2023 --format xlsx --out r.xlsx --db r.db

# HTML: standalone, print CSS, captions
expect 0 '' report annual --year 2023 --format html --out r.html --db r.db
grep -q '^<!DOCTYPE html>' r.html && grep -q '@media print' r.html && grep -q '<caption>' r.html &&
	! grep -q 'Defensie' r.html && pass || fail "html: $(head -c 400 r.html)"

# an empty year is a report of zeros, not an error
expect 0 '' report annual --year 2010 --format json --db r.db
printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["departments"] == [] and d["total"]["registered"] == 0' &&
	pass || fail "empty year: $out"

# refusals
expect 2 'year' report annual --year 20x3 --format json --db r.db
expect 2 'year' report annual --year 1800 --format json --db r.db
expect 2 'year' report annual --format json --db r.db
expect 2 'format' report annual --year 2023 --format pdf --db r.db
expect 9 "no organisation has the code 'NOPE'" report annual --year 2023 --org NOPE --format json --db r.db
expect 9 'department KGG did not exist in 2023' report annual --year 2023 --org KGG --format json --db r.db
expect 9 'EZK is no department today' report annual --year 2023 --org EZK --today --format json --db r.db
expect 2 'RVO is not a department' report annual --year 2023 --org RVO --format json --db r.db
expect 2 'org' report annual --year 2023 --org 'A B' --format json --db r.db
expect 2 '--table goes with --format csv' report annual --year 2023 --format json --table timeliness --db r.db
expect 2 '--table must be' report annual --year 2023 --format csv --table people --db r.db
expect 2 '--as-of must be a date' report annual --year 2023 --format csv --as-of 2023-02-30 --db r.db

finish
