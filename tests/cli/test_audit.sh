#!/bin/bash
# The audit trail: verify succeeds on an intact trail; after any single UPDATE
# or DELETE of an audit row, verify fails, exits 8 and names the row.
. "$(dirname "$0")/lib.sh"

expect 0 'ready' init --db a.db
for i in 1 2 3 4 5 6 7; do
	expect 0 "wrote b$i.db" backup --db a.db "b$i.db"
done
# 8 entries: init and seven backups
expect 0 'checked 8 entries and 0 signed checkpoints: ok' audit verify --db a.db
printf 'audit_checkpoint_interval = 3\n' >cp.conf
expect 0 'ready' init --db c.db --config cp.conf
for i in 1 2 3 4 5 6; do expect 0 wrote backup --db c.db --config cp.conf "cb$i.db"; done
expect 0 'checked 7 entries and 2 signed checkpoints: ok' audit verify --db c.db

# the triggers refuse changes outright
if sqlite3 a.db "UPDATE audit_log SET detail = 'x' WHERE seq = 2" 2>/dev/null; then
	fail "UPDATE of an audit row was allowed"
else
	pass
fi
if sqlite3 a.db "DELETE FROM audit_log WHERE seq = 2" 2>/dev/null; then
	fail "DELETE of an audit row was allowed"
else
	pass
fi

# someone who drops the triggers is still caught: one statement at a time
tamper() {
	local sql=$1 want=$2 db=${3:-a.db}
	cp "$db" t.db
	cp "$db.key" t.db.key
	sqlite3 t.db "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
		DROP TRIGGER audit_checkpoint_no_update; DROP TRIGGER audit_checkpoint_no_delete;
		$sql"
	expect 8 "audit trail of t.db is broken at entry $want" audit verify --db t.db
	rm -f t.db t.db-wal t.db-shm t.db.key
}
tamper "UPDATE audit_log SET detail = 'elsewhere.db' WHERE seq = 3" 3
tamper "UPDATE audit_log SET actor = 'cli:someone' WHERE seq = 1" 1
tamper "UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE seq = 5" 5
tamper "UPDATE audit_log SET action = 'database.restore' WHERE seq = 8" 8
tamper "DELETE FROM audit_log WHERE seq = 4" 4
tamper "DELETE FROM audit_log WHERE seq = 8" 8
tamper "DELETE FROM audit_log WHERE seq = 1" 1
tamper "UPDATE audit_log SET seq = seq + 100 WHERE seq = 6" 6
tamper "UPDATE audit_log SET hash = prev_hash WHERE seq = 2" 2
tamper "DELETE FROM audit_head" 8
tamper "UPDATE audit_checkpoint SET signature = zeroblob(64) WHERE seq = 3" 3 c.db
tamper "DELETE FROM audit_checkpoint WHERE seq = 6" 6 c.db
tamper "INSERT INTO audit_log SELECT 9, at, actor, action, object_type, object_id, detail, hash, hash FROM audit_log WHERE seq = 8" 9

# a different key does not verify the trail
expect 0 ready init --db other.db
expect 8 'broken at entry 8: signed head is not valid for the signing key' audit verify --db a.db --public-key other.db.key.pub

# the key's protections
chmod 644 a.db.key
expect 3 "signing key a.db.key may be read by others: run 'chmod 600 a.db.key'" backup --db a.db x.db
chmod 600 a.db.key
# without the secret, verify falls back to the public half; without both it stops
mv a.db.key saved.key
expect 0 'ok$' audit verify --db a.db
mv a.db.key.pub saved.pub
expect 3 'no signing key at a.db.key nor a.db.key.pub' audit verify --db a.db
expect 0 'ok$' audit verify --db a.db --public-key saved.pub
expect 3 'signing key a.db.key is missing but the database has an audit trail' init --db a.db
mv saved.key a.db.key
mv saved.pub a.db.key.pub
finish
