#!/bin/bash
# Every command answers --help; unknown commands and options are usage errors.
. "$(dirname "$0")/lib.sh"

expect 0 'usage: probity COMMAND' --help
expect 2 "unknown command 'frobnicate'; see 'probity --help'" frobnicate
run
[ "$rc" = 2 ] && pass || fail "probity without a command exited $rc"

"$PROBITY" --help | sed -n 's/^  \([a-z]\+\( [a-z]\+\)\?\)  .*/\1/p' >commands
[ "$(wc -l <commands)" -ge 10 ] && pass || fail "overview lists too few commands"
while read -r cmd; do
	# shellcheck disable=SC2086 # "org add" is two words on purpose
	expect 0 "usage: probity $cmd" $cmd --help
	# shellcheck disable=SC2086
	expect 0 "usage: probity $cmd" help $cmd
	# shellcheck disable=SC2086
	expect 2 "unknown option '--no-such-option'; see 'probity $cmd --help'" $cmd --no-such-option
done <commands

# a command group lists its subcommands
run org
[ "$rc" = 2 ] && printf '%s' "$err" | head -n1 | grep -q 'probity org: needs a subcommand' &&
	printf '%s' "$err" | grep -q 'probity org split' && pass || fail "probity org: $rc $err"
expect 2 "'--db' needs a value|option '--db' needs a value" init --db
expect 0 '^probity [0-9]+\.[0-9]+\.[0-9]+ \(schema [0-9]+\)' version
expect 2 "unexpected argument 'extra'" version extra
finish
