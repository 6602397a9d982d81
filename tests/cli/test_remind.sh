#!/bin/bash
# E-mail reminders from the command line: `user email` sets, refuses and
# removes an address (audited without it); `remind` sends nothing while
# reminders are off, refuses incomplete settings, lists with --dry-run
# (also counting as on a later day) and, with a mail server (the sink
# helper), sends one message per account with counts and the link and
# nothing of the case, once a day unless --again; a server that is not
# there is exit 1. Cases come from bundle_seed (no command opens one).
. "$(dirname "$0")/lib.sh"
BUNDLE_SEED=${BUNDLE_SEED:?set BUNDLE_SEED to the bundle_seed helper}
SMTP_SINK=${SMTP_SINK:?set SMTP_SINK to the smtp_sink helper}
unset PROBITY_SMTP_URL PROBITY_SMTP_FROM PROBITY_REMINDERS PROBITY_PUBLIC_URL

has() {
	if printf '%s' "$out" | grep -Eq -- "$1"; then pass; else fail "stdout lacks /$1/: $out"; fi
}

PW='paard batterij nietje'
D="--db r.db"
expect 0 'usage: probity remind' remind --help
expect 0 'usage: probity user email' user email --help
"$PROBITY" init $D >/dev/null || fail "init"
"$PROBITY" org add RIJK --name Rijksoverheid --kind government --from 2010-01-01 $D >/dev/null
"$PROBITY" org add FIN --name Financiën --parent RIJK --from 2010-01-01 $D >/dev/null
add() { printf '%s\n' "$PW" | "$PROBITY" user add "$@" $D >/dev/null || fail "user add $*"; }
add coord.fin --name 'Coördinator FIN' --role integrity_coordinator --org FIN
add inv.fin --name 'Onderzoeker FIN' --role investigator --org FIN
add auditor --name 'Auditor' --role auditor --org RIJK
case=$(printf '%s\n' "$PW" | "$BUNDLE_SEED" r.db coord.fin inv.fin) || fail "bundle_seed"

# addresses
expect 0 'coord.fin gets deadline reminders at coord@example.nl' user email $D coord.fin coord@example.nl
expect 0 'already has this address' user email $D coord.fin coord@example.nl
expect 0 'inv.fin gets' user email $D inv.fin inv@example.nl
expect 0 'auditor gets' user email $D auditor audit@example.nl
before=$(fingerprint r.db)
expect 2 "not an e-mail address Probity sends to" user email $D inv.fin 'inv@example.nl>'
expect 2 "not an e-mail address" user email $D inv.fin 'a b@example.nl'
expect 2 'give the username and the address' user email $D inv.fin
expect 2 'give the username, e.g.' user email $D inv.fin x@example.nl --clear
expect 9 "no account has username 'nobody'" user email $D nobody x@example.nl
same_db r.db "$before" "refused user email"
[ "$(sqlite3 r.db "SELECT count(*) FROM audit_log WHERE action = 'account.email'")" = 3 ] &&
	pass || fail "three account.email entries"
sqlite3 r.db "SELECT detail FROM audit_log" | grep -q example && fail "an address in the audit trail" || pass

# off by default
expect 0 'reminders are off \(setting reminders = off\): nothing sent' remind $D
# the case opened today: nothing due yet; in 30 days its first phase is overdue
expect 0 'with something due' remind $D --dry-run
has '3 accounts with an address, 0 with something due'
future=$(date -d '+30 days' +%F)
expect 0 'would send to inv.fin: cases 1 overdue' remind $D --dry-run --today "$future"
has 'would send to coord.fin: cases 1 overdue, 0 due within 3 days; reports [1-9]'
printf '%s' "$out" | grep -q auditor && fail "the auditor has nothing due" || pass
expect 2 '--today goes with --dry-run only' remind $D --today "$future"
expect 2 "--today: '2024-13-01' is not a date" remind $D --dry-run --today 2024-13-01

# incomplete settings
printf 'reminders = daily\n' >half.conf
expect 3 'reminders = daily needs the setting smtp_url' remind $D --config half.conf
printf 'reminders = daily\nsmtp_url = smtp://127.0.0.1:1\nsmtp_from = not-an-address\npublic_url = https://probity.example.nl\n' >bad.conf
expect 3 "smtp_from 'not-an-address' is not an e-mail address" remind $D --config bad.conf
printf 'reminders = weekly\n' >weekly.conf
expect 3 'reminders must be off or daily' remind $D --config weekly.conf

# make something due today: the case opened 20 days ago, its phase too
old=$(date -d '-20 days' +%F)
sqlite3 r.db "UPDATE case_file SET opened_on = '$old', phase_started_on = '$old';
	UPDATE case_member SET added_on = '$old'; UPDATE report SET received_on = '$old'"

# a mail server: the sink
mkdir sink
"$SMTP_SINK" sink 60 &
sink_pid=$!
for _ in $(seq 100); do [ -f sink/port ] && break; sleep 0.05; done
port=$(cat sink/port)
cat >mail.conf <<EOF
reminders = daily
smtp_url = smtp://127.0.0.1:$port
smtp_from = probity@example.nl
public_url = https://probity.example.nl/
EOF
expect 0 'sent 2, failed 0' remind $D --config mail.conf
has 'sent to coord.fin: cases 1 overdue'
has 'sent to inv.fin: cases 1 overdue'
for _ in $(seq 100); do [ -f sink/mail-2 ] && break; sleep 0.05; done
[ -f sink/mail-2 ] && [ ! -f sink/mail-3 ] && pass || fail "expected two messages"
cat sink/mail-* >all-mail
grep -q '^probity@example.nl coord@example.nl' all-mail && pass || fail "no message to coord"
grep -q 'case phases overdue: 1' all-mail && pass || fail "no count"
grep -q 'https://probity.example.nl/termijnen' all-mail && pass || fail "no link"
for never in FIN BUNDLE- "zaken/$case" Coördinator Onderzoeker "$old" intake; do
	grep -q -- "$never" all-mail && fail "a reminder holds '$never'" || pass
done
[ "$(sqlite3 r.db "SELECT count(*) FROM audit_log WHERE action = 'reminders.send' AND detail LIKE 'sent 2 failed 0 on %'")" = 1 ] &&
	pass || fail "the run is not audited"
# once a day
expect 0 'sent 0, failed 0' remind $D --config mail.conf
has '2 reminded today already'
expect 0 'sent 2, failed 0' remind $D --config mail.conf --again
touch sink/stop
wait "$sink_pid"
# nobody listening any more
expect 1 '2 of 2 reminders could not be sent' remind $D --config mail.conf --again
has 'FAILED for coord.fin'
expect 0 'checked [0-9]+ entries' audit verify $D

# removing the address ends the reminders
expect 0 'removed the address of inv.fin' user email $D inv.fin --clear
expect 0 'has no address' user email $D inv.fin --clear
expect 0 '2 accounts with an address' remind $D --dry-run
finish
