# lib.sh: helpers for the command-line tests. Each test script sources this,
# runs probity as an operator would, and checks exit codes, the one-line error
# on stderr, and that a failed command left the database as it was.
set -u
PROBITY=${PROBITY:?set PROBITY to the probity binary}
WORK=$(mktemp -d /tmp/probity-cli-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
unset PROBITY_DB PROBITY_CONFIG PROBITY_LISTEN PROBITY_SIGNING_KEY PROBITY_DATA_DIR \
	PROBITY_BUSY_TIMEOUT_MS PROBITY_LOG_LEVEL PROBITY_AUDIT_CHECKPOINT_INTERVAL
fails=0
checks=0

fail() { echo "not ok: $*"; fails=$((fails + 1)); }
pass() { checks=$((checks + 1)); }

# run CMD...: runs probity with the arguments; sets $rc, $out, $err
run() {
	"$PROBITY" "$@" >"$WORK/.out" 2>"$WORK/.err"
	rc=$?
	out=$(cat "$WORK/.out")
	err=$(cat "$WORK/.err")
}

# expect CODE PATTERN CMD...: exit status CODE, and (when CODE != 0) exactly
# one line on stderr matching the extended regex PATTERN
expect() {
	local code=$1 pattern=$2
	shift 2
	run "$@"
	if [ "$rc" != "$code" ]; then
		fail "probity $* exited $rc, expected $code; stderr: $err"
		return
	fi
	if [ "$code" != 0 ]; then
		local lines
		lines=$(printf '%s' "$err" | grep -c '')
		if [ "$lines" != 1 ]; then
			fail "probity $*: expected one line on stderr, got $lines: $err"
			return
		fi
		if ! printf '%s' "$err" | grep -Eq -- "$pattern"; then
			fail "probity $*: stderr '$err' does not match /$pattern/"
			return
		fi
	elif [ -n "$pattern" ] && ! printf '%s' "$out" | grep -Eq -- "$pattern"; then
		fail "probity $*: stdout '$out' does not match /$pattern/"
		return
	fi
	pass
}

# run_in INPUT CMD...: runs probity with INPUT on standard input (a password,
# say); sets $rc, $out, $err
run_in() {
	local input=$1
	shift
	printf '%s' "$input" | "$PROBITY" "$@" >"$WORK/.out" 2>"$WORK/.err"
	rc=$?
	out=$(cat "$WORK/.out")
	err=$(cat "$WORK/.err")
}

# expect_in INPUT CODE PATTERN CMD...: like expect, with INPUT on standard input
expect_in() {
	local input=$1 code=$2 pattern=$3
	shift 3
	run_in "$input" "$@"
	if [ "$rc" != "$code" ]; then
		fail "probity $* exited $rc, expected $code; stderr: $err"
	elif [ "$code" != 0 ] && [ "$(printf '%s' "$err" | grep -c '')" != 1 ]; then
		fail "probity $*: expected one line on stderr: $err"
	elif [ "$code" != 0 ] && ! printf '%s' "$err" | grep -Eq -- "$pattern"; then
		fail "probity $*: stderr '$err' does not match /$pattern/"
	elif [ "$code" = 0 ] && ! printf '%s' "$out" | grep -Eq -- "$pattern"; then
		fail "probity $*: stdout '$out' does not match /$pattern/"
	else
		pass
	fi
}

# fingerprint DB: a digest of every row of every table, to prove nothing changed
fingerprint() {
	sqlite3 "$1" "SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name" |
		while read -r t; do echo "== $t"; sqlite3 "$1" "SELECT * FROM \"$t\" ORDER BY 1"; done |
		sha256sum | cut -d' ' -f1
}

same_db() {
	local now
	now=$(fingerprint "$1")
	if [ "$now" = "$2" ]; then pass; else fail "$3: database $1 changed"; fi
}

# in_private_mount SCRIPT: runs a shell script in a private mount namespace (as
# root, or as a mapped root in a user namespace), so tests can mount a small or
# read-only tmpfs. Returns 77 (skip) when the system forbids it.
in_private_mount() {
	local how="unshare --mount"
	[ "$(id -u)" = 0 ] || how="unshare --user --map-root-user --mount"
	if ! $how true 2>/dev/null; then
		echo "skip: cannot create a mount namespace here"
		return 77
	fi
	$how env PROBITY="$PROBITY" WORK="$WORK" sh -c "$1"
}

finish() {
	echo "$checks passed, $fails failed"
	[ "$fails" = 0 ]
}
