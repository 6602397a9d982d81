/* demo.c: the demo history of reports (demo.h).
 *
 * Format "probity-demo-report-history", version 1 (unknown keys refused):
 *
 *   seed           integer: the drawing is the same for every demo
 *   from           "YYYY-MM-DD": the first day of receipt
 *   questionnaire  {"id": ..., "revision": n}: what the reports were
 *                  answered with (data/questionnaires)
 *   kinds          {"integrity_violation": w, "wrongdoing": w,
 *                  "unwanted_behaviour": w}, weights 0..100, not all 0
 *   modes          {"open": w, "confidential": w, "anonymous": w}, the same
 *   improvement    percentage points by which the late shares below fall
 *                  each year after the first, 0..20 (never below 0)
 *   departments    1..MON_DEMO_DEPTS_MAX of
 *     org            a department's code, open or closed
 *     per_year       reports a year, 1..MON_DEMO_PER_YEAR_MAX; a year gets
 *                    80 to 120% of it (a part year its share, at least 1)
 *     ack_late       percentage acknowledged after the 7 days, 0..100
 *     feedback_late  percentage given feedback after the 3 months, 0..100
 *
 * The reports run to the end of last year: this year's are the demo
 * reports of data/demo/reports.json, which go through the channel. A report
 * is received on a day drawn evenly from its year, acknowledged 0 to 6 days
 * later (or 8 to 35 when late), handed over to case handling halfway to its
 * feedback, and given feedback 14 to 85 days after the acknowledgement (or
 * 100 to 180 when late; 3 months are at least 89 days, so the two never
 * meet); a date after today becomes today. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/file.h"
#include "base/jsondoc.h"
#include "base/splitmix.h"
#include "monitor/demo.h"
#include "orgs/orgs.h"

#define FORMAT_NAME "probity-demo-report-history"
#define VERSIONS_MAX 8
#define REPORTS_MAX 100000
#define QID_MAX 64

struct d_version {
	int64_t id;
	int32_t from, to; /* days; to: exclusive, INT32_MAX while open */
};

struct d_dept {
	const char *code;
	int per_year, ack_late, feedback_late;
	struct d_version v[VERSIONS_MAX];
	size_t nv;
	size_t n; /* reports drawn */
};

struct d_report {
	int64_t org_id;
	const char *kind, *mode;
	char received[DATE_LEN + 1], ack[DATE_LEN + 1], handed[DATE_LEN + 1],
		feedback[DATE_LEN + 1];
	int ack_late, feedback_late;
};

struct draw {
	struct d_report *r;
	size_t n, cap;
	int32_t from, last, today;
	int improvement;
	int kw[3], mw[3];
};

static const char *const kinds[] = {"integrity_violation", "wrongdoing", "unwanted_behaviour",
				    NULL};
static const char *const modes[] = {"open", "confidential", "anonymous", NULL};

/* Three weights named names (NULL-terminated), not all 0. */
static int weights(const struct jsondoc_err *e, json_t *root, const char *key,
		   const char *const *names, int w[3])
{
	json_t *o = json_object_get(root, key);
	if (!json_is_object(o))
		return jsondoc_fail(e, key, "must be an object of three weights");
	if (jsondoc_only_fields(e, key, o, names) != 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (jsondoc_int(e, key, o, names[i], 0, 100, &w[i]) != 0)
			return -1;
	if (w[0] + w[1] + w[2] == 0)
		return jsondoc_fail(e, key, "the weights must not all be 0");
	return 0;
}

static const char *pick(const char *const *names, const int w[3], uint64_t *rng)
{
	int k = splitmix_below(rng, w[0] + w[1] + w[2]), i = 0;
	while (i < 2 && k >= w[i])
		k -= w[i++];
	return names[i];
}

/* Every version of the department code, oldest first. 0, 1 none, -1 db. */
static int load_versions(db_t *db, struct d_dept *d)
{
	db_stmt_t *st = NULL;
	d->nv = 0;
	if (db_prepare(db, "SELECT id, valid_from, coalesce(valid_to, '') FROM org "
			   "WHERE code = ? AND kind = 'department' ORDER BY valid_from", &st) != 0 ||
	    db_bind_text(st, 1, d->code, (size_t)-1) != 0) {
		db_finalize(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW && d->nv < VERSIONS_MAX) {
		struct d_version *v = &d->v[d->nv++];
		const char *to = db_col_text(st, 2);
		v->id = db_col_i64(st, 0);
		v->to = INT32_MAX;
		if (date_to_days(db_col_text(st, 1), &v->from) != 0 ||
		    (to[0] && date_to_days(to, &v->to) != 0)) {
			db_finalize(st);
			return -1;
		}
	}
	db_finalize(st);
	if (step != DB_ROW && step != DB_DONE)
		return -1;
	return d->nv ? 0 : 1;
}

static int rd_dept(db_t *db, const struct jsondoc_err *e, const char *path, json_t *o,
		   struct d_dept *d)
{
	static const char *const keys[] = {"org", "per_year", "ack_late", "feedback_late", NULL};
	if (!json_is_object(o))
		return jsondoc_fail(e, path, "must be an object");
	if (jsondoc_only_fields(e, path, o, keys) != 0 ||
	    jsondoc_int(e, path, o, "per_year", 1, MON_DEMO_PER_YEAR_MAX, &d->per_year) != 0 ||
	    jsondoc_int(e, path, o, "ack_late", 0, 100, &d->ack_late) != 0 ||
	    jsondoc_int(e, path, o, "feedback_late", 0, 100, &d->feedback_late) != 0)
		return -1;
	d->code = json_string_value(json_object_get(o, "org"));
	if (!d->code || !*d->code || strlen(d->code) > ORG_CODE_MAX)
		return jsondoc_fail(e, path, "org must be a department's code");
	int f = load_versions(db, d);
	if (f < 0)
		return jsondoc_fail(e, path, "the database failed: %s", db_error(db)->msg);
	if (f > 0)
		return jsondoc_fail(e, path, "org must be the code of a department, open or closed");
	return 0;
}

static int add_days(int32_t day, int plus, int32_t today, char out[DATE_LEN + 1])
{
	int32_t d = day + plus;
	return date_from_days(d > today ? today : d, out);
}

/* One report received on day `on` at org, its lateness drawn from the
 * department's shares less the year's improvement. */
static int add_report(struct draw *w, const struct d_dept *d, int64_t org, int32_t on,
		      int years_in, uint64_t *rng)
{
	if (w->n == REPORTS_MAX)
		return -1;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 1024;
		w->r = xrealloc(w->r, w->cap * sizeof *w->r);
	}
	struct d_report *r = &w->r[w->n];
	memset(r, 0, sizeof *r);
	int better = w->improvement * years_in;
	r->ack_late = splitmix_below(rng, 100) < d->ack_late - better;
	r->feedback_late = splitmix_below(rng, 100) < d->feedback_late - better;
	int ack = r->ack_late ? 8 + splitmix_below(rng, 28) : splitmix_below(rng, 7);
	int fb = r->feedback_late ? 100 + splitmix_below(rng, 81) : 14 + splitmix_below(rng, 72);
	if (date_from_days(on, r->received) != 0 ||
	    add_days(on, ack, w->today, r->ack) != 0 ||
	    add_days(on, ack + fb / 2, w->today, r->handed) != 0 ||
	    add_days(on, ack + fb, w->today, r->feedback) != 0)
		return -1;
	r->org_id = org;
	r->kind = pick(kinds, w->kw, rng);
	r->mode = pick(modes, w->mw, rng);
	w->n++;
	return 0;
}

/* The reports of one department, year by year, each at the version of its
 * code valid on the day. */
static int draw_dept(struct draw *w, struct d_dept *d, uint64_t seed)
{
	uint64_t rng = seed;
	char day[DATE_LEN + 1];
	for (const char *c = d->code; *c; c++)
		rng = rng * 31 + (unsigned char)*c;
	size_t before = w->n;
	if (date_from_days(w->from, day) != 0)
		return -1;
	for (int year = atoi(day), first = year; ; year++) {
		char jan[DATE_LEN + 1], dec[DATE_LEN + 1];
		int32_t lo, hi;
		snprintf(jan, sizeof jan, "%04d-01-01", year);
		snprintf(dec, sizeof dec, "%04d-12-31", year);
		if (date_to_days(jan, &lo) != 0 || date_to_days(dec, &hi) != 0)
			return -1;
		if (lo > w->last)
			break;
		int32_t days = hi - lo + 1;
		lo = lo < w->from ? w->from : lo;
		hi = hi > w->last ? w->last : hi;
		for (size_t i = 0; i < d->nv; i++) {
			int32_t vlo = lo > d->v[i].from ? lo : d->v[i].from;
			int32_t vhi = d->v[i].to == INT32_MAX || hi < d->v[i].to ? hi : d->v[i].to - 1;
			if (vlo > vhi)
				continue;
			/* a part year gets its share, rounded, and a year 80 to 120% of
			 * per_year, so that no two years are alike */
			int64_t share = (int64_t)d->per_year * (80 + splitmix_below(&rng, 41));
			int n = (int)((share * (vhi - vlo + 1) + 50 * (int64_t)days) / (100 * (int64_t)days));
			n = n < 1 && share > 0 ? 1 : n;
			for (int k = 0; k < n; k++)
				if (add_report(w, d, d->v[i].id, vlo + splitmix_below(&rng, vhi - vlo + 1),
					       year - first, &rng) != 0)
					return -1;
		}
	}
	d->n = w->n - before;
	return 0;
}

static int write_all(db_t *db, const struct audit_signer *signer, const char *actor,
		     const struct d_dept *depts, size_t nd, const struct draw *w, const char *qid,
		     int qrev, struct mon_demo_summary *sum, const struct jsondoc_err *e)
{
	db_stmt_t *st = NULL;
	if (db_begin(db) != 0)
		return jsondoc_fail(e, "departments", "the database failed: %s", db_error(db)->msg);
	/* the purge's shape (src/cases/purge.c): no body, a random lookup and
	 * salt that no receipt yields, no report_key */
	if (db_prepare(db, "INSERT INTO report (org_id, kind, mode, questionnaire, "
			   "questionnaire_revision, received_on, received_at, acknowledged_on, "
			   "feedback_on, handed_over_on, receipt_lookup, receipt_salt, body) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6 || 'T10:00:00Z', ?7, ?8, ?9, ?10, "
			   "?11, X'')", &st) != 0)
		goto dbfail;
	for (size_t i = 0; i < w->n; i++) {
		const struct d_report *r = &w->r[i];
		unsigned char lookup[32], salt[16];
		randombytes_buf(lookup, sizeof lookup);
		randombytes_buf(salt, sizeof salt);
		if (db_reset(st) != 0 || db_bind_i64(st, 1, r->org_id) != 0 ||
		    db_bind_text(st, 2, r->kind, (size_t)-1) != 0 ||
		    db_bind_text(st, 3, r->mode, (size_t)-1) != 0 ||
		    db_bind_text(st, 4, qid, (size_t)-1) != 0 || db_bind_i64(st, 5, qrev) != 0 ||
		    db_bind_text(st, 6, r->received, (size_t)-1) != 0 ||
		    db_bind_text(st, 7, r->ack, (size_t)-1) != 0 ||
		    db_bind_text(st, 8, r->feedback, (size_t)-1) != 0 ||
		    db_bind_text(st, 9, r->handed, (size_t)-1) != 0 ||
		    db_bind_blob(st, 10, lookup, sizeof lookup) != 0 ||
		    db_bind_blob(st, 11, salt, sizeof salt) != 0 || db_step(st) != DB_DONE)
			goto dbfail;
		sum->ack_on_time += !r->ack_late;
		sum->feedback_on_time += !r->feedback_late;
		if (!sum->first[0] || strcmp(r->received, sum->first) < 0)
			snprintf(sum->first, sizeof sum->first, "%s", r->received);
		if (strcmp(r->received, sum->last) > 0)
			snprintf(sum->last, sizeof sum->last, "%s", r->received);
	}
	db_finalize(st);
	st = NULL;
	for (size_t i = 0; i < nd; i++) {
		char oid[24], detail[64];
		snprintf(oid, sizeof oid, "%lld", (long long)depts[i].v[depts[i].nv - 1].id);
		snprintf(detail, sizeof detail, "demo history: %zu purged reports", depts[i].n);
		struct audit_entry ae = {.actor = actor, .action = "report.history-import",
					 .object_type = "org", .object_id = oid, .detail = detail};
		if (audit_append(db, signer, &ae) != 0)
			goto dbfail;
	}
	if (db_commit(db) != 0)
		goto dbfail;
	sum->reports = w->n;
	sum->departments = nd;
	return 0;
dbfail:
	jsondoc_fail(e, "departments", "the database failed: %s", db_error(db)->msg);
	db_finalize(st);
	db_rollback(db);
	return -1;
}

int mon_import_demo(db_t *db, const struct audit_signer *signer, const char *actor,
		    const char *text, size_t len, const char *today, struct mon_demo_summary *sum,
		    char *err, size_t errlen)
{
	static const char *const top[] = {"format", "version", "description", "seed", "from",
					  "questionnaire", "kinds", "modes", "improvement",
					  "departments", NULL};
	static const char *const qkeys[] = {"id", "revision", NULL};
	const struct jsondoc_err e = {err, errlen};
	char last[32]; /* room for any year atoi gives, for the compiler */
	memset(sum, 0, sizeof *sum);
	struct draw w = {0};
	if (!today || strlen(today) != DATE_LEN || date_valid(today, DATE_LEN) != 0 ||
	    date_to_days(today, &w.today) != 0)
		return jsondoc_fail(&e, "", "today is not a date");
	/* the end of last year */
	snprintf(last, sizeof last, "%04d-12-31", atoi(today) - 1);
	if (date_to_days(last, &w.last) != 0)
		return jsondoc_fail(&e, "", "today is not a date");
	json_t *root = jsondoc_load(&e, text, len, MON_DEMO_MAX_BYTES, FORMAT_NAME, 1, top);
	if (!root)
		return -1;
	struct d_dept *depts = NULL;
	int rc = -1, seed = 0, qrev = 0;
	json_t *q = json_object_get(root, "questionnaire"), *ds = json_object_get(root, "departments");
	const char *from = json_string_value(json_object_get(root, "from"));
	const char *qid = json_string_value(json_object_get(q, "id"));
	if (jsondoc_int(&e, "", root, "seed", 0, 1000000000, &seed) != 0 ||
	    jsondoc_int(&e, "", root, "improvement", 0, 20, &w.improvement) != 0 ||
	    weights(&e, root, "kinds", kinds, w.kw) != 0 ||
	    weights(&e, root, "modes", modes, w.mw) != 0)
		goto out;
	if (!from || strlen(from) != DATE_LEN || date_valid(from, DATE_LEN) != 0 ||
	    date_to_days(from, &w.from) != 0) {
		jsondoc_fail(&e, "", "from must be a date YYYY-MM-DD");
		goto out;
	}
	if (!json_is_object(q) || jsondoc_only_fields(&e, "questionnaire", q, qkeys) != 0 ||
	    jsondoc_int(&e, "questionnaire", q, "revision", 0, 1000000, &qrev) != 0) {
		if (!json_is_object(q))
			jsondoc_fail(&e, "questionnaire", "must be an object of id and revision");
		goto out;
	}
	if (!qid || !*qid || strlen(qid) > QID_MAX) {
		jsondoc_fail(&e, "questionnaire", "id must be 1 to %d bytes", QID_MAX);
		goto out;
	}
	if (!json_is_array(ds) || json_array_size(ds) < 1 ||
	    json_array_size(ds) > MON_DEMO_DEPTS_MAX) {
		jsondoc_fail(&e, "departments", "must list 1 to %d departments", MON_DEMO_DEPTS_MAX);
		goto out;
	}
	size_t nd = json_array_size(ds);
	depts = xcalloc(nd, sizeof *depts);
	/* everything is read and looked up before anything is written */
	for (size_t i = 0; i < nd; i++) {
		char path[JSONDOC_PATH_MAX];
		jsondoc_path(path, "departments[%zu]", i);
		if (rd_dept(db, &e, path, json_array_get(ds, i), &depts[i]) != 0)
			goto out;
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(depts[j].code, depts[i].code) == 0) {
				jsondoc_fail(&e, path, "names a department a second time");
				goto out;
			}
		if (draw_dept(&w, &depts[i], (uint64_t)seed) != 0) {
			jsondoc_fail(&e, path, "too many reports");
			goto out;
		}
	}
	rc = write_all(db, signer, actor, depts, nd, &w, qid, qrev, sum, &e);
out:
	free(w.r);
	free(depts);
	json_decref(root);
	return rc;
}

int mon_import_demo_file(db_t *db, const struct audit_signer *signer, const char *actor,
			 const char *path, const char *today, struct mon_demo_summary *sum,
			 char *err, size_t errlen)
{
	char *text = NULL, ferr[300];
	size_t len = 0;
	if (file_read_all(path, MON_DEMO_MAX_BYTES, &text, &len, ferr, sizeof ferr) != 0) {
		snprintf(err, errlen, "%s", ferr);
		return -1;
	}
	char inner[700];
	int rc = mon_import_demo(db, signer, actor, text, len, today, sum, inner, sizeof inner);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, inner);
	free(text);
	return rc;
}
