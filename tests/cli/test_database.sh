#!/bin/bash
# Database trouble: missing, not a database, newer schema, locked, read-only,
# disk full. Each gives one clear line, its documented exit code, and leaves the
# database as it was.
. "$(dirname "$0")/lib.sh"

expect 4 "database nope.db does not exist: create it with 'probity init --db nope.db'" audit verify --db nope.db
[ ! -e nope.db ] && pass || fail "a read command created nope.db"
expect 4 'cannot open database nodir/x.db' init --db nodir/x.db

echo "just some text, not a database at all, long enough to have a header......." >text.db
expect 4 'text.db is not a database \(or is damaged\)' backup --db text.db out.db
[ ! -e out.db ] && pass || fail "backup of a non-database wrote out.db"

expect 0 'ready' init --db a.db
expect 0 'up to date' init --db a.db
# the database and the secret key are for the service user only
[ "$(stat -c %a a.db a.db.key a.db.key.pub | tr '\n' ' ')" = "600 600 644 " ] && pass ||
	fail "file modes: $(stat -c '%n %a' a.db a.db.key a.db.key.pub)"
before=$(fingerprint a.db)

# a foreign SQLite database is not adopted
sqlite3 other.db 'CREATE TABLE t (x); INSERT INTO t VALUES (1)'
expect 5 'other.db holds tables but is not a Probity database' init --db other.db
[ "$(sqlite3 other.db 'SELECT count(*) FROM sqlite_schema')" = 1 ] && pass || fail "init changed other.db"

# a database from a newer probity is refused by every command, init included
cp a.db newer.db
cp a.db.key newer.db.key
sqlite3 newer.db "INSERT INTO schema_migrations VALUES (999, '0999_future.sql', '2030-01-01T00:00:00Z')"
expect 5 'newer than this program .*: upgrade probity' init --db newer.db
expect 5 'newer than this program .*: upgrade probity' audit verify --db newer.db
expect 5 'newer than this program .*: upgrade probity' serve --db newer.db --listen 127.0.0.1:0

# locked by another process: a writer waits busy_timeout_ms, then gives up
(echo 'BEGIN IMMEDIATE; INSERT INTO schema_migrations VALUES (500, "x", "y");'; sleep 3; echo 'ROLLBACK;') |
	sqlite3 a.db &
locker=$!
sleep 0.5
PROBITY_BUSY_TIMEOUT_MS=200 expect 6 'database a.db is locked by another process' backup --db a.db copy.db
wait $locker
same_db a.db "$before" "locked database"
[ ! -e copy.db ] && pass || fail "a failed backup left copy.db"

# backup: a consistent copy that verifies; never over an existing file
expect 0 'wrote b1.db' backup --db a.db b1.db
[ "$(stat -c %a b1.db)" = 600 ] && pass || fail "backup mode $(stat -c %a b1.db)"
expect 0 'ok$' audit verify --db b1.db --public-key a.db.key.pub
expect 10 'b1.db already exists: choose a new file name' backup --db a.db b1.db
expect 0 'ok$' audit verify --db a.db
before=$(fingerprint a.db)

# read-only file system and a full disk, in a private mount namespace
cat >mounts.sh <<'SH'
set -u
fail=0
run() { "$PROBITY" "$@" >/dev/null 2>"$WORK/.err"; echo $?; }
mkdir -p "$WORK/ro" "$WORK/full"
# read-only: the database cannot be written
mount -t tmpfs -o size=4m tmpfs "$WORK/ro"
cp "$WORK/a.db" "$WORK/a.db.key" "$WORK/ro/"
"$PROBITY" audit verify --db "$WORK/ro/a.db" >/dev/null 2>&1 # leaves WAL index files
mount -o remount,ro "$WORK/ro"
rc=$(run backup --db "$WORK/ro/a.db" "$WORK/copy-ro.db")
echo "readonly rc=$rc err=$(cat "$WORK/.err")"
[ "$rc" = 7 ] && grep -q 'is read-only' "$WORK/.err" || fail=1
# full: fill the disk, then try to write. Opened once first, so that the WAL
# index exists and the failure comes in the middle of the write transaction.
mount -t tmpfs -o size=1m tmpfs "$WORK/full"
cp "$WORK/a.db" "$WORK/a.db.key" "$WORK/full/"
"$PROBITY" audit verify --db "$WORK/full/a.db" >/dev/null 2>&1
dd if=/dev/zero of="$WORK/full/filler" bs=4k 2>/dev/null
rc=$(run backup --db "$WORK/full/a.db" "$WORK/copy-full.db")
echo "full rc=$rc err=$(cat "$WORK/.err")"
[ "$rc" = 7 ] && grep -q 'backup: the disk holding .* is full' "$WORK/.err" || fail=1
rm "$WORK/full/filler"
# a snapshot that includes whatever the WAL holds, for the comparison outside
sqlite3 "$WORK/full/a.db" "VACUUM INTO '$WORK/full-after.db'"
"$PROBITY" audit verify --db "$WORK/full/a.db" --public-key "$WORK/a.db.key.pub" || fail=1
exit $fail
SH
in_private_mount "sh $WORK/mounts.sh"
case $? in
	0) pass ;;
	77) echo "skipped: read-only and disk-full checks need a mount namespace" ;;
	*) fail "read-only or disk-full database handled wrongly (see above)" ;;
esac
if [ -e full-after.db ]; then
	same_db full-after.db "$before" "disk full"
fi
finish
