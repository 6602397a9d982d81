/* throttle.c: token buckets in the database (throttle.h).
 *
 * The table keeps tokens in thousandths and times in milliseconds as
 * integers: db.h binds integers, text and blobs, and fixed point means the
 * same on both engines. Rounding goes towards fewer tokens (slower). */
#include "web/throttle.h"

#include <string.h>
#include <time.h>

#include "base/log.h"

const unsigned char throttle_everyone[HTTP_CLIENT_KEY_BYTES] = "every client";
const unsigned char throttle_overflow[HTTP_CLIENT_KEY_BYTES] = "overflow bucket";

double throttle_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void throttle_init(struct throttle *t, const char *name, double burst, double per_sec)
{
	t->name = name;
	t->burst = burst;
	t->per_sec = per_sec;
	t->cap = THROTTLE_CAP;
}

void throttle_free(struct throttle *t)
{
	(void)t; /* nothing held: the buckets are rows */
}

int throttle_step(double burst, double per_sec, double *tokens, double *at, double now, int take)
{
	double elapsed = now > *at ? now - *at : 0; /* a clock stepping back adds nothing */
	*tokens += elapsed * per_sec;
	if (*tokens > burst)
		*tokens = burst;
	if (now > *at)
		*at = now;
	if (*tokens >= 1) {
		*tokens -= take;
		return 0;
	}
	return (int)((1 - *tokens) / per_sec) + 1; /* rounded up, at least 1 */
}

/* Milliseconds, rounded down: every time here is positive (since 1970), so
 * truncation is the floor. */
static int64_t ms(double s)
{
	return (int64_t)(s * 1000);
}

/* Reads key's row of bucket t: 1 and the state, 0 when there is none, or -1. */
static int load(const struct throttle *t, db_t *db, const unsigned char *key, double *tokens,
		double *at)
{
	db_stmt_t *st;
	if (db_prepare(db, "SELECT milli_tokens, at_ms FROM throttle_bucket WHERE bucket = ?1 AND "
			   "client = ?2", &st) != 0)
		return -1;
	db_bind_text(st, 1, t->name, (size_t)-1);
	db_bind_blob(st, 2, key, HTTP_CLIENT_KEY_BYTES);
	int r = db_step(st);
	if (r == DB_ROW) {
		*tokens = (double)db_col_i64(st, 0) / 1000;
		*at = (double)db_col_i64(st, 1) / 1000;
	}
	db_finalize(st);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

/* The bucket that key draws on and its state: its own row; else, while the
 * overflow bucket exists (the table reached its cap recently), that one;
 * else a fresh, full bucket of its own. *use gets the key of the row.
 * 1 when a row was found, 0 for a fresh bucket, -1 on an error. */
static int find(const struct throttle *t, db_t *db, const unsigned char *key, double now,
		const unsigned char **use, double *tokens, double *at)
{
	*use = key;
	int r = load(t, db, key, tokens, at);
	if (r != 0)
		return r;
	r = load(t, db, throttle_overflow, tokens, at);
	if (r == 1)
		*use = throttle_overflow;
	if (r != 0)
		return r;
	*tokens = t->burst;
	*at = now;
	return 0;
}

static int fail(const struct throttle *t, db_t *db, const char *what)
{
	log_error("throttle %s: cannot %s: %s", t->name, what,
		  db ? db_error(db)->msg : "no database connection");
	return THROTTLE_EDB;
}

int throttle_wait(const struct throttle *t, db_t *db, const unsigned char key[HTTP_CLIENT_KEY_BYTES],
		  double now)
{
	if (!db)
		return fail(t, db, "read");
	const unsigned char *use;
	double tokens, at;
	int r = find(t, db, key, now, &use, &tokens, &at);
	if (r < 0)
		return fail(t, db, "read");
	return throttle_step(t->burst, t->per_sec, &tokens, &at, now, 0);
}

/* Removes rows whose bucket is full by now (they mean the same as no row),
 * at most THROTTLE_PRUNE, so that a write never does unbounded work. */
static int prune(const struct throttle *t, db_t *db, double now)
{
	db_stmt_t *st;
	if (db_prepare(db, "DELETE FROM throttle_bucket WHERE bucket = ?1 AND client IN "
			   "(SELECT client FROM throttle_bucket WHERE bucket = ?1 AND full_ms <= ?2 "
			   "LIMIT ?3)", &st) != 0)
		return -1;
	db_bind_text(st, 1, t->name, (size_t)-1);
	db_bind_i64(st, 2, ms(now));
	db_bind_i64(st, 3, THROTTLE_PRUNE);
	int r = db_step(st);
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}

static int save(const struct throttle *t, db_t *db, const unsigned char *key, int exists,
		double tokens, double at)
{
	/* the moment the bucket is full again, for prune's index */
	double full = at + (t->burst - tokens) / t->per_sec;
	db_stmt_t *st;
	const char *sql = exists ? "UPDATE throttle_bucket SET milli_tokens = ?3, at_ms = ?4, full_ms = ?5 "
				   "WHERE bucket = ?1 AND client = ?2"
				 : "INSERT INTO throttle_bucket (bucket, client, milli_tokens, at_ms, full_ms) "
				   "VALUES (?1, ?2, ?3, ?4, ?5)";
	if (db_prepare(db, sql, &st) != 0)
		return -1;
	db_bind_text(st, 1, t->name, (size_t)-1);
	db_bind_blob(st, 2, key, HTTP_CLIENT_KEY_BYTES);
	db_bind_i64(st, 3, (int64_t)(tokens * 1000 + 1e-6)); /* tokens >= 0: rounded down */
	db_bind_i64(st, 4, ms(at));
	db_bind_i64(st, 5, ms(full) + 1); /* rounded up: never pruned early */
	int r = db_step(st);
	db_finalize(st);
	return r == DB_DONE ? 0 : -1;
}

int throttle_take(const struct throttle *t, db_t *db, const unsigned char key[HTTP_CLIENT_KEY_BYTES],
		  double now)
{
	if (!db || db_begin(db) != 0)
		return fail(t, db, "begin");
	const unsigned char *use;
	double tokens, at;
	int found = -1;
	if (prune(t, db, now) == 0)
		found = find(t, db, key, now, &use, &tokens, &at);
	if (found == 0) {
		/* a new row: only while the table is under its cap */
		int64_t rows;
		if (db_query_i64(db, "SELECT count(*) FROM throttle_bucket WHERE bucket = ?",
				 t->name, &rows) != 0)
			found = -1;
		else if (rows >= t->cap)
			use = throttle_overflow;
	}
	if (found < 0) {
		fail(t, db, "read");
		db_rollback(db);
		return THROTTLE_EDB;
	}
	int wait = throttle_step(t->burst, t->per_sec, &tokens, &at, now, 1);
	if (save(t, db, use, found, tokens, at) != 0 || db_commit(db) != 0) {
		fail(t, db, "write");
		db_rollback(db);
		return THROTTLE_EDB;
	}
	return wait;
}
