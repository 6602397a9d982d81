#!/bin/bash
# Settings: config file < PROBITY_* environment < flags; bad settings are one
# clear line and exit 3, and touch no database.
. "$(dirname "$0")/lib.sh"

expect 0 'ready' init --db a.db
before=$(fingerprint a.db)

printf 'db = a.db\nthis line is wrong\n' >bad.conf
expect 3 'config file bad.conf: line 2: expected' audit verify --config bad.conf
printf 'db = a.db\ncolour = blue\n' >unknown.conf
expect 3 "line 2: unknown setting 'colour'" audit verify --config unknown.conf
printf 'db = a.db\ndb = b.db\n' >twice.conf
expect 3 "line 2: 'db' is set twice" audit verify --config twice.conf
printf 'busy_timeout_ms = soon\n' >num.conf
expect 3 'busy_timeout_ms must be a whole number from 0 to 600000' audit verify --config num.conf --db a.db
expect 3 'cannot read config file missing.conf' audit verify --config missing.conf
same_db a.db "$before" "bad settings"

# the file names the database
printf '# comment\n\n  db = a.db  \n' >good.conf
expect 0 'ok$' audit verify --config good.conf
# PROBITY_CONFIG finds the file; PROBITY_DB overrides it; --db overrides both
PROBITY_CONFIG=good.conf expect 0 'ok$' audit verify
PROBITY_CONFIG=good.conf PROBITY_DB=nope.db expect 4 'database nope.db does not exist' audit verify
PROBITY_DB=nope.db expect 0 'ok$' audit verify --db a.db
PROBITY_BUSY_TIMEOUT_MS=-1 expect 3 'environment variable PROBITY_BUSY_TIMEOUT_MS: busy_timeout_ms must be' audit verify --db a.db
PROBITY_LOG_LEVEL=loud expect 3 'PROBITY_LOG_LEVEL: log_level must be error, warn, info or debug' version
PROBITY_SECOND_FACTOR_ROLES=wizard expect 3 "unknown role 'wizard'" serve --db a.db --listen 127.0.0.1:0
PROBITY_SESSION_IDLE_MINUTES=0 expect 3 'session_idle_minutes must be a whole number from 1 to 1440' serve --db a.db
expect 2 'no database given' audit verify
finish
