/* gen.c: bench_gen, the benchmark's data (docs/performance.md, "Data").
 * Kept out of the probity binary: the product carries no benchmark code.
 *
 *   bench_gen load --db FILE --key FILE --cases N [--seed N] [--per-row]
 *                  [--inbox-org CODE --inbox N --receipts FILE]
 *     Adds to a database that `probity demo` made (organisation tree,
 *     accounts, reports, cases, risk registers, self-assessments):
 *     - N closed historical cases over every department and the years from
 *       2010 to last year, as the retention purge leaves them (the statistical
 *       record only: Probity holds no content of a case past its retention,
 *       so there is none to generate), with the distributions below; one
 *       transaction, one prepared statement. The counts of migration 0017
 *       are added once for all the new cases (bulk_begin, bulk_end), which
 *       leaves the database as the per-row trigger would; --per-row lets
 *       the trigger fire for every case instead, as in production;
 *     - real reports through intake_submit (encrypted, sealed to the
 *       organisation's handlers and to a receipt, audited) until the
 *       organisation's inbox holds --inbox of them; their receipts are
 *       written to --receipts, one a line, for the receipt scenario.
 *     Prints the seconds each part took.
 *
 *   bench_gen aggregate --db FILE [--runs N]
 *     The dashboard's reference: the plain SQL aggregation of its case
 *     figures (per year, department, open or closed, category and outcome)
 *     straight over case_file, as a system without count tables must do per
 *     request. Prints milliseconds per run (the median of N).
 *
 * Distributions (fixed seed, splitmix64 of base/splitmix.h, as the demo): a department's
 * share falls with its rank in the tree, weight 1/rank^0.7 (a few large
 * ministries, a long tail); the yearly count grows 4% a year (a reporting
 * culture that takes hold); the category follows 1/rank over the current
 * taxonomy's codes in file order; the outcome is established 35%, partly
 * 15%, not established 50%; an established or partly established case went
 * to the police one time in ten; a case opens on a day drawn evenly from its
 * year and closes 30 to 240 days later (never after yesterday). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/date.h"
#include "base/splitmix.h"
#include "cases/dataset.h"
#include "crypto/audit.h"
#include "crypto/signkey.h"
#include "intake/intake.h"
#include "intake/qset.h"
#include "intake/questionnaire.h"
#include "store/db.h"

#define DEPTS_MAX 64
#define CATS_MAX 64
#define FIRST_YEAR 2010
#define CASES_MAX 20000000L
#define INBOX_MAX 10000

struct opts {
	const char *db, *key, *receipts, *inbox_org;
	long cases, inbox, runs;
	int per_row;   /* --per-row: the count trigger fires for every case */
	uint64_t seed;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A uniform double in [0, 1). */
static double unit(uint64_t *s)
{
	return (double)(splitmix_next(s) >> 11) / 9007199254740992.0;
}

/* An index drawn from cumulative weights cum[0..n) (cum[n-1] is the total). */
static size_t pick(uint64_t *s, const double *cum, size_t n)
{
	double x = unit(s) * cum[n - 1];
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (x < cum[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int fail(const char *what, db_t *db)
{
	fprintf(stderr, "bench_gen: %s: %s\n", what, db ? db_error(db)->msg : strerror(errno));
	return 1;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){.runs = 5, .seed = 20261130};
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long n;
		if (!strcmp(a, "--per-row")) {
			o->per_row = 1;
			continue;
		}
		if (!v) {
			fprintf(stderr, "bench_gen: %s needs a value\n", a);
			return -1;
		}
		i++;
		if (!strcmp(a, "--db"))
			o->db = v;
		else if (!strcmp(a, "--key"))
			o->key = v;
		else if (!strcmp(a, "--receipts"))
			o->receipts = v;
		else if (!strcmp(a, "--inbox-org"))
			o->inbox_org = v;
		else if (!strcmp(a, "--cases") && parse_long(v, 0, CASES_MAX, &n) == 0)
			o->cases = n;
		else if (!strcmp(a, "--inbox") && parse_long(v, 0, INBOX_MAX, &n) == 0)
			o->inbox = n;
		else if (!strcmp(a, "--runs") && parse_long(v, 1, 1000, &n) == 0)
			o->runs = n;
		else if (!strcmp(a, "--seed") && parse_long(v, 0, 1000000000, &n) == 0)
			o->seed = (uint64_t)n;
		else {
			fprintf(stderr, "bench_gen: unknown option or value out of range: %s %s\n", a, v);
			return -1;
		}
	}
	if (!o->db) {
		fprintf(stderr, "bench_gen: --db FILE is required\n");
		return -1;
	}
	return 0;
}

struct depts {
	int64_t id[DEPTS_MAX];
	double cum[DEPTS_MAX];
	size_t n;
};

static int read_depts(db_t *db, struct depts *d)
{
	db_stmt_t *st;
	d->n = 0;
	if (db_prepare(db, "SELECT id FROM org WHERE kind = 'department' AND valid_to IS NULL "
			   "ORDER BY id", &st) != 0)
		return -1;
	int r;
	double total = 0;
	while ((r = db_step(st)) == DB_ROW && d->n < DEPTS_MAX) {
		d->id[d->n] = db_col_i64(st, 0);
		total += 1.0 / pow((double)(d->n + 1), 0.7);
		d->cum[d->n++] = total;
	}
	db_finalize(st);
	return r < 0 || d->n == 0 ? -1 : 0;
}

/* The bulk path for the counts (docs/performance.md, "The data load"):
 * 0017's insert trigger on case_file does a view lookup and an upsert into
 * monitor_case_count for every case, and 0022's bumps the dashboard's change
 * mark: a third of the load's CPU. Within the load's one transaction,
 * bulk_begin drops both (keeping their text); bulk_end adds the new cases'
 * counts with one grouped upsert from the same view the trigger reads
 * (monitor_case_key, the rows past the highest id before the load), moves
 * the mark on by as many changes as the rows would have made, and puts the
 * triggers back. The count rows and the change count end exactly as the
 * per-row triggers would have left them (the stamp is random either way). A
 * failure rolls the whole transaction back, the drops included. */
static const char *const bulk_triggers[] = {"monitor_case_insert",
					    "monitor_generation_case_insert"};
#define NBULK (sizeof bulk_triggers / sizeof bulk_triggers[0])
#define COUNT_KEYS "year, org_id, closed, category, taxonomy, taxonomy_revision, outcome, " \
		   "police_report"

static int bulk_begin(db_t *db, char *trigger_sql[NBULK], int64_t *max_id)
{
	db_stmt_t *st;
	if (db_query_i64(db, "SELECT coalesce(max(id), 0) FROM case_file", NULL, max_id) != 0)
		return -1;
	for (size_t i = 0; i < NBULK; i++) {
		char drop[128];
		if (db_prepare(db, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?",
			       &st) != 0)
			return -1;
		db_bind_text(st, 1, bulk_triggers[i], (size_t)-1);
		if (db_step(st) == DB_ROW && db_col_text(st, 0))
			trigger_sql[i] = strdup(db_col_text(st, 0));
		db_finalize(st);
		if (!trigger_sql[i])
			return db_fail(db, DBE_GENERIC, "trigger %s not found", bulk_triggers[i]);
		snprintf(drop, sizeof drop, "DROP TRIGGER %s", bulk_triggers[i]);
		if (db_exec(db, drop) != 0)
			return -1;
	}
	return 0;
}

static int bulk_end(db_t *db, char *const trigger_sql[NBULK], int64_t max_id, long rows)
{
	db_stmt_t *st;
	if (db_prepare(db, "INSERT INTO monitor_case_count (" COUNT_KEYS ", n) SELECT " COUNT_KEYS
			   ", count(*) FROM monitor_case_key WHERE id > ? GROUP BY " COUNT_KEYS
			   " ON CONFLICT (" COUNT_KEYS ") DO UPDATE SET n = n + excluded.n",
		       &st) != 0)
		return -1;
	db_bind_i64(st, 1, max_id);
	int rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE ||
	    db_prepare(db, "UPDATE monitor_generation SET n = n + ?, stamp = randomblob(16) "
			   "WHERE id = 1", &st) != 0)
		return -1;
	db_bind_i64(st, 1, rows);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	for (size_t i = 0; i < NBULK; i++)
		if (db_exec(db, trigger_sql[i]) != 0)
			return -1;
	return 0;
}

/* The historical cases: see the top of this file. */
static int load_cases(db_t *db, const struct audit_signer *signer, const struct opts *o)
{
	char err[300], today[DATE_LEN + 1], yesterday[DATE_LEN + 1];
	if (cases_data_init(err, sizeof err) != 0) {
		fprintf(stderr, "bench_gen: %s\n", err);
		return 1;
	}
	const struct cases_taxonomy *tx = cases_data_taxonomy();
	const struct cases_protocol *pr = cases_data_protocol();
	struct depts d;
	if (read_depts(db, &d) != 0)
		return fail("no departments (run `probity demo` first)", db);
	date_today(today);
	if (date_add_days(today, -1, yesterday) != 0)
		return 1;
	int32_t last_day;
	if (date_to_days(yesterday, &last_day) != 0)
		return 1;
	int last_year = atoi(today) - 1;
	double ycum[64], ccum[CATS_MAX], total = 0;
	int nyears = last_year - FIRST_YEAR + 1;
	for (int y = 0; y < nyears; y++)
		ycum[y] = (total += pow(1.04, y));
	size_t ncat = tx->ncategories < CATS_MAX ? tx->ncategories : CATS_MAX;
	total = 0;
	for (size_t i = 0; i < ncat; i++)
		ccum[i] = (total += 1.0 / (double)(i + 1));
	int32_t ystart[64];
	for (int y = 0; y <= nyears; y++) {
		char jan1[24]; /* room for any int year: the compiler checks the format, not FIRST_YEAR + y */
		snprintf(jan1, sizeof jan1, "%04d-01-01", FIRST_YEAR + y);
		if (date_to_days(jan1, &ystart[y]) != 0)
			return 1;
	}

	/* a big page cache, so that the one large transaction is not spilled to
	 * the WAL page by page before it commits (SQLite's default is 2 MB) */
	if (db_exec(db, "PRAGMA cache_size = -262144") != 0)
		return fail("cache size", db);
	double t0 = now_s();
	uint64_t rng = o->seed;
	db_stmt_t *st = NULL;
	char *trigger_sql[NBULK] = {NULL};
	int64_t max_id = 0;
	if (db_begin(db) != 0)
		return fail("begin", db);
	if (!o->per_row && bulk_begin(db, trigger_sql, &max_id) != 0)
		goto dbfail;
	if (db_prepare(db, "INSERT INTO case_file (org_id, protocol, protocol_revision, phase, "
			   "phase_started_on, opened_on, opened_at, closed_on, category, taxonomy, "
			   "taxonomy_revision, outcome, police_report, purge_after, purged_on, "
			   "summary_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6 || 'T09:00:00Z', ?5, ?7, "
			   "?8, ?9, ?10, ?11, ?12, ?12, X'')", &st) != 0)
		goto dbfail;
	static const char *const outcome[] = {"established", "partly", "not_established"};
	for (long i = 0; i < o->cases; i++) {
		size_t dep = pick(&rng, d.cum, d.n);
		size_t y = pick(&rng, ycum, (size_t)nyears);
		int32_t open = ystart[y] + (int32_t)(splitmix_next(&rng) % (uint64_t)(ystart[y + 1] - ystart[y]));
		int32_t close = open + 30 + (int32_t)(splitmix_next(&rng) % 211);
		if (close > last_day)
			close = last_day;
		if (open > close)
			open = close;
		int oc = (int)(splitmix_next(&rng) % 100);
		oc = oc < 35 ? 0 : oc < 50 ? 1 : 2;
		int police = oc < 2 && splitmix_next(&rng) % 10 == 0;
		char od[DATE_LEN + 1], cd[DATE_LEN + 1];
		if (date_from_days(open, od) != 0 || date_from_days(close, cd) != 0)
			goto dbfail;
		/* db_reset clears the bindings: the constant columns too */
		if (db_reset(st) != 0 || db_bind_i64(st, 1, d.id[dep]) != 0 ||
		    db_bind_text(st, 2, pr->id, (size_t)-1) != 0 ||
		    db_bind_i64(st, 3, pr->revision) != 0 ||
		    db_bind_text(st, 4, pr->phases[pr->nphases - 1].id, (size_t)-1) != 0 ||
		    db_bind_text(st, 8, tx->id, (size_t)-1) != 0 ||
		    db_bind_i64(st, 9, tx->revision) != 0 ||
		    db_bind_text(st, 12, today, (size_t)-1) != 0 ||
		    db_bind_text(st, 5, cd, DATE_LEN) != 0 || db_bind_text(st, 6, od, DATE_LEN) != 0 ||
		    db_bind_text(st, 7, tx->categories[pick(&rng, ccum, ncat)].code, (size_t)-1) != 0 ||
		    db_bind_text(st, 10, outcome[oc], (size_t)-1) != 0 ||
		    db_bind_i64(st, 11, police) != 0 || db_step(st) != DB_DONE)
			goto dbfail;
	}
	db_finalize(st);
	st = NULL;
	if (!o->per_row && bulk_end(db, trigger_sql, max_id, o->cases) != 0)
		goto dbfail;
	for (size_t i = 0; i < NBULK; i++) {
		free(trigger_sql[i]);
		trigger_sql[i] = NULL;
	}
	char detail[64];
	snprintf(detail, sizeof detail, "benchmark history: %ld purged cases", o->cases);
	struct audit_entry ae = {.actor = "cli:bench", .action = "case.history-import",
				 .object_type = "org", .object_id = NULL, .detail = detail};
	if (audit_append(db, signer, &ae) != 0 || db_commit(db) != 0)
		goto dbfail;
	double t = now_s() - t0;
	/* CPU seconds beside the wall clock: on a busy machine they differ */
	printf("cases: %ld in %.2f s (%.0f a second, %.2f s of CPU, counts %s)\n", o->cases, t,
	       t > 0 ? o->cases / t : 0.0, (double)clock() / CLOCKS_PER_SEC,
	       o->per_row ? "per row" : "in bulk");
	return 0;
dbfail:
	fail("writing the cases", db);
	db_finalize(st);
	db_rollback(db);
	for (size_t i = 0; i < NBULK; i++)
		free(trigger_sql[i]);
	return 1;
}

static const char *const descriptions[] = {
	"Declaraties voor dienstreizen die niet hebben plaatsgevonden, al maanden.",
	"Een opdracht is gegund aan een bureau van een familielid van de projectleider.",
	"Een collega neemt geschenken aan van een leverancier en zegt er niets over.",
	"Vertrouwelijke stukken worden buiten de organisatie gedeeld.",
	"Mijn leidinggevende maakt kleinerende opmerkingen in het teamoverleg.",
};

/* Real reports until the organisation holds o->inbox of them. A purged
 * report (the demo's history) has no key and is in no inbox: not counted. */
static int load_reports(db_t *db, const struct audit_signer *signer, const struct opts *o)
{
	char err[300];
	if (intake_qset_init(err, sizeof err) != 0) {
		fprintf(stderr, "bench_gen: %s\n", err);
		return 1;
	}
	const struct intake_questionnaire *q = intake_qset_current();
	int64_t have = 0;
	if (db_query_i64(db, "SELECT count(*) FROM report r JOIN org o ON o.id = r.org_id "
			     "WHERE o.code = ? AND EXISTS (SELECT 1 FROM report_key k "
			     "WHERE k.report_id = r.id)", o->inbox_org, &have) != 0)
		return fail("counting reports", db);
	FILE *out = o->receipts ? fopen(o->receipts, "w") : NULL;
	if (o->receipts && !out)
		return fail(o->receipts, NULL);
	double t0 = now_s();
	long made = 0;
	for (long i = have; i < o->inbox; i++, made++) {
		char answers[512], receipt[RECEIPT_SHOWN_SIZE];
		snprintf(answers, sizeof answers,
			 "{\"kind\":\"integrity_violation\",\"description\":\"%s (%ld)\","
			 "\"contact\":\"messages\"}",
			 descriptions[i % (long)(sizeof descriptions / sizeof *descriptions)], i);
		struct intake_submission s = {
			.org_code = o->inbox_org, .kind = "integrity_violation", .mode = "anonymous",
			.questionnaire = q->id, .questionnaire_revision = q->revision,
			.answers = answers, .answers_len = strlen(answers),
		};
		struct intake_error e;
		if (intake_submit(db, signer, &s, receipt, NULL, &e) != 0) {
			fprintf(stderr, "bench_gen: report: %s\n", e.msg);
			if (out)
				fclose(out);
			return 1;
		}
		if (out)
			fprintf(out, "%s\n", receipt);
		sodium_memzero(receipt, sizeof receipt);
	}
	if (out && fclose(out) != 0)
		return fail(o->receipts, NULL);
	printf("reports: %ld made in %.2f s, %s inbox holds %ld\n", made, now_s() - t0,
	       o->inbox_org, made + (long)have);
	return 0;
}

static int cmd_load(const struct opts *o)
{
	if (!o->key || (o->inbox && (!o->inbox_org || !o->receipts))) {
		fprintf(stderr, "bench_gen load: needs --key, and --inbox-org and --receipts with "
				"--inbox\n");
		return 2;
	}
	struct signkey key;
	char err[600];
	if (signkey_load(o->key, &key, err, sizeof err) != 0) {
		fprintf(stderr, "bench_gen: %s\n", err);
		return 1;
	}
	struct audit_signer signer = {.key = &key, .interval = 100};
	struct db_options dopt = {.busy_timeout_ms = 10000};
	struct db_error de;
	db_t *db;
	if (db_open(o->db, 0, &dopt, &db, &de) != 0) {
		fprintf(stderr, "bench_gen: %s: %s\n", o->db, de.msg);
		sodium_memzero(&key, sizeof key);
		return 1;
	}
	int rc = o->cases ? load_cases(db, &signer, o) : 0;
	if (rc == 0 && o->inbox)
		rc = load_reports(db, &signer, o);
	db_close(db);
	sodium_memzero(&key, sizeof key);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int cmd_aggregate(const struct opts *o)
{
	struct db_options dopt = {.busy_timeout_ms = 10000};
	struct db_error de;
	db_t *db;
	if (db_open(o->db, DB_OPEN_READONLY, &dopt, &db, &de) != 0) {
		fprintf(stderr, "bench_gen: %s: %s\n", o->db, de.msg);
		return 1;
	}
	double ms[1000] = {0}; /* runs is 1..1000 (parse) */
	long groups = 0, cases = 0;
	for (long r = 0; r < o->runs; r++) {
		db_stmt_t *st;
		double t0 = now_s();
		if (db_prepare(db, "SELECT CAST(substr(opened_on, 1, 4) AS INTEGER), org_id, "
				   "closed_on IS NOT NULL, coalesce(category, ''), "
				   "coalesce(outcome, ''), count(*) FROM case_file "
				   "GROUP BY 1, 2, 3, 4, 5", &st) != 0) {
			fail("aggregate", db);
			db_close(db);
			return 1;
		}
		int s;
		groups = cases = 0;
		while ((s = db_step(st)) == DB_ROW) {
			groups++;
			cases += (long)db_col_i64(st, 5);
		}
		db_finalize(st);
		ms[r] = (now_s() - t0) * 1e3;
		if (s < 0) {
			fail("aggregate", db);
			db_close(db);
			return 1;
		}
	}
	db_close(db);
	qsort(ms, (size_t)o->runs, sizeof *ms, cmp_double);
	printf("aggregate: %.3f ms median of %ld runs (%ld groups over %ld cases)\n",
	       ms[o->runs / 2], o->runs, groups, cases);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	if (argc < 2 || sodium_init() < 0) {
		fprintf(stderr, "usage: bench_gen load|aggregate --db FILE ... (see bench/gen.c)\n");
		return 2;
	}
	if (parse(argc, argv, &o) != 0)
		return 2;
	if (!strcmp(argv[1], "load"))
		return cmd_load(&o);
	if (!strcmp(argv[1], "aggregate"))
		return cmd_aggregate(&o);
	fprintf(stderr, "bench_gen: unknown command %s\n", argv[1]);
	return 2;
}
