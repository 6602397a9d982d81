/* import.c: loading a file of survey figures (culture.h). The file is small
 * (a dozen departments × years × indicators), so it is read whole, hashed,
 * and parsed with the registrations' CSV reader. Every row is checked and
 * stored inside one write transaction that commits only if no row of the
 * whole file had a problem; rows keep being stored after a problem so that
 * a figure given twice is found wherever it is, and the rollback then
 * leaves nothing but the messages. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/date.h"
#include "culture/culture.h"

void culture_import_result_free(struct culture_import_result *res)
{
	for (size_t i = 0; i < res->nlisted; i++)
		free(res->problems[i]);
	free(res->problems);
	res->problems = NULL;
	res->nlisted = 0;
}

__attribute__((format(printf, 2, 3))) static void problem(struct culture_import_result *res,
							   const char *fmt, ...)
{
	res->nproblems++;
	if (res->nlisted >= CULTURE_MAX_PROBLEMS)
		return;
	if (!res->problems)
		res->problems = xcalloc(CULTURE_MAX_PROBLEMS, sizeof *res->problems);
	char line[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	res->problems[res->nlisted++] = xstrdup(line);
}

/* The file's name without folders, printable (as the registrations' import) */
static void base_name(const char *path, char out[CULTURE_FILE_NAME_MAX + 1])
{
	const char *b = strrchr(path, '/');
	b = b && b[1] ? b + 1 : path;
	size_t n = strnlen(b, CULTURE_FILE_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)b[i];
		out[i] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
	}
	out[n] = 0;
	if (!n)
		snprintf(out, CULTURE_FILE_NAME_MAX + 1, "?");
}

/* The department row with code that existed in year (the latest such row),
 * or NULL; *unit set when the code names a unit or government instead. */
static const struct org *dept_in_year(const struct org_table *t, const char *code, int year,
				      int *not_dept)
{
	char first[DATE_LEN + 1], last[DATE_LEN + 1];
	snprintf(first, sizeof first, "%04d-01-01", year);
	snprintf(last, sizeof last, "%04d-12-31", year);
	const struct org *found = NULL;
	*not_dept = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct org *o = &t->rows[i];
		if (!org_code_eq(o->code, code) || strcmp(o->valid_from, last) > 0 ||
		    (o->valid_to[0] && strcmp(o->valid_to, first) <= 0))
			continue;
		if (o->kind != ORG_DEPARTMENT) {
			*not_dept = 1;
			continue;
		}
		found = o;
	}
	return found;
}

static int read_all(const char *path, char **out, size_t *len, struct culture_import_result *res,
		    enum culture_status *status)
{
	FILE *fp = fopen(path, "rb");
	struct stat sb;
	if (!fp) {
		*status = errno == ENOENT ? CUL_ENOTFOUND : CUL_EIO;
		snprintf(res->err, sizeof res->err, "cannot open it: %s", strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(fp);
		*status = CUL_EIO;
		snprintf(res->err, sizeof res->err, "it is not a regular file");
		return -1;
	}
	if (sb.st_size > CULTURE_FILE_MAX) {
		fclose(fp);
		*status = CUL_EINVALID;
		problem(res, "the file is larger than %d MB: a file of survey figures is far smaller",
			CULTURE_FILE_MAX / (1024 * 1024));
		return -1;
	}
	char *buf = xmalloc((size_t)sb.st_size + 1);
	size_t n = fread(buf, 1, (size_t)sb.st_size + 1, fp);
	int bad = ferror(fp) || n > (size_t)sb.st_size;
	fclose(fp);
	if (bad) {
		free(buf);
		*status = CUL_EIO;
		snprintf(res->err, sizeof res->err, "cannot read it, or it changed while read");
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

struct pass {
	db_t *db;
	const struct org_table *t;
	const struct culture_import_opts *opts;
	struct culture_import_result *res;
	db_stmt_t *find, *del, *ins;
	int this_year;
};

/* Stores one checked row. 0, or -1 on a database error. */
static int store_row(struct pass *p, const struct culture_row *r, size_t line)
{
	int not_dept;
	const struct org *o = dept_in_year(p->t, r->org, r->year, &not_dept);
	if (!o) {
		problem(p->res, not_dept ? "line %zu: %s is not a department: figures are kept per department"
					 : "line %zu: there was no department %s in %d",
			line, r->org, r->year);
		return 0;
	}
	const char *ind = culture_indicators[r->indicator].code;
	if (db_reset(p->find) != 0 || db_bind_i64(p->find, 1, o->id) != 0 ||
	    db_bind_i64(p->find, 2, r->year) != 0 || db_bind_text(p->find, 3, ind, (size_t)-1) != 0)
		return -1;
	int rc = db_step(p->find);
	if (rc == DB_ROW) {
		int64_t prev = db_col_i64(p->find, 0);
		if (prev == p->res->import_id) {
			problem(p->res, "line %zu: %s %d %s is given twice in this file", line, o->code,
				r->year, ind);
			return 0;
		}
		if (!p->opts->replace) {
			problem(p->res,
				"line %zu: %s %d %s is already present (import %lld): give --replace "
				"to replace it",
				line, o->code, r->year, ind, (long long)prev);
			return 0;
		}
		if (db_reset(p->del) != 0 || db_bind_i64(p->del, 1, o->id) != 0 ||
		    db_bind_i64(p->del, 2, r->year) != 0 ||
		    db_bind_text(p->del, 3, ind, (size_t)-1) != 0 || db_step(p->del) != DB_DONE)
			return -1;
		p->res->replaced++;
	} else if (rc != DB_DONE)
		return -1;
	if (db_reset(p->ins) != 0 || db_bind_i64(p->ins, 1, o->id) != 0 ||
	    db_bind_i64(p->ins, 2, r->year) != 0 || db_bind_text(p->ins, 3, ind, (size_t)-1) != 0 ||
	    db_bind_i64(p->ins, 4, r->tenths) != 0 || db_bind_i64(p->ins, 5, r->respondents) != 0 ||
	    db_bind_text(p->ins, 6, r->source, (size_t)-1) != 0 ||
	    db_bind_i64(p->ins, 7, p->res->import_id) != 0)
		return -1;
	return db_step(p->ins) == DB_DONE ? 0 : -1;
}

/* Parses buf and stores its rows. 0 (problems in res) or -1 (db error). */
static int parse(struct pass *p, const char *buf, size_t len)
{
	struct csv_reader *r = xmalloc(sizeof *r);
	struct culture_header h;
	int have_header = 0, rc = 0;
	size_t pos = 0, used, rows = 0;
	csv_init(r);
	for (;;) {
		enum csv_result cr = csv_next(r, buf + pos, len - pos, 1, &used);
		pos += used;
		if (cr == CSV_END || cr == CSV_MORE)
			break;
		if (cr == CSV_ERROR) {
			problem(p->res, "line %zu: %s", r->line, r->err);
			if (!have_header)
				goto out;
			rows++;
		} else if (!have_header) {
			char err[300];
			if (culture_header_parse(r->fields, r->nfields, &h, err, sizeof err) != 0) {
				problem(p->res, "line %zu: %s", r->line, err);
				goto out;
			}
			have_header = 1;
			continue;
		} else {
			struct culture_row row;
			char err[700];
			switch (culture_row_check(&h, r->fields, r->nfields, p->this_year, &row, err,
						  sizeof err)) {
			case CUL_ROW_BLANK: continue;
			case CUL_ROW_BAD: problem(p->res, "line %zu: %s", r->line, err); break;
			case CUL_ROW_OK:
				if (store_row(p, &row, r->line) != 0) {
					rc = -1;
					goto out;
				}
				break;
			}
			rows++;
		}
		if (rows > CULTURE_MAX_ROWS) {
			problem(p->res, "line %zu: more than %d rows: split the file", r->line,
				CULTURE_MAX_ROWS);
			goto out;
		}
	}
	if (!have_header)
		problem(p->res, "the file is empty: it needs a header row naming the columns");
	else if (rows == 0)
		problem(p->res, "the file has a header but no figures");
out:
	p->res->rows = rows;
	free(r);
	return rc;
}

enum culture_status culture_import_csv(db_t *db, const struct audit_signer *signer,
				       const char *path, const struct culture_import_opts *opts,
				       struct culture_import_result *res)
{
	enum culture_status status = CUL_EDB;
	struct org_table t;
	struct pass p = {.db = db, .t = &t, .opts = opts, .res = res};
	char name[CULTURE_FILE_NAME_MAX + 1], at[TIMESTAMP_LEN + 1], today[DATE_LEN + 1];
	char *buf = NULL;
	size_t len = 0;
	int in_tx = 0, found = 0;
	memset(res, 0, sizeof *res);
	org_table_init(&t);
	base_name(path, name);
	if (opts->today)
		snprintf(today, sizeof today, "%s", opts->today);
	else
		date_today(today);
	p.this_year = atoi(today);
	if (read_all(path, &buf, &len, res, &status) != 0)
		goto out;
	unsigned char hh[32];
	crypto_hash_sha256(hh, (const unsigned char *)buf, len);
	for (int i = 0; i < 32; i++)
		snprintf(res->sha256 + 2 * i, 3, "%02x", hh[i]);

	if (db_begin(db) != 0)
		goto out;
	in_tx = 1;
	db_stmt_t *st;
	if (db_prepare(db, "SELECT id, imported_at FROM culture_import WHERE sha256 = ? "
			   "ORDER BY id DESC LIMIT 1", &st) != 0)
		goto out;
	int rc = db_bind_text(st, 1, res->sha256, (size_t)-1) == 0 ? db_step(st) : -1;
	if (rc == DB_ROW) {
		found = 1;
		res->previous_id = db_col_i64(st, 0);
		snprintf(at, sizeof at, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	if (rc != DB_ROW && rc != DB_DONE)
		goto out;
	if (found && !opts->again) {
		snprintf(res->err, sizeof res->err,
			 "this file was imported before (import %lld at %s, the same SHA-256): "
			 "give --again to import it once more",
			 (long long)res->previous_id, at);
		status = CUL_ECONFLICT;
		goto out;
	}
	if (orgs_load(db, &t) != 0)
		goto out;
	timestamp_now(at);
	if (db_prepare(db, "INSERT INTO culture_import (sha256, file_name, rows, imported_at, "
			   "imported_by) VALUES (?, ?, 0, ?, ?) RETURNING id", &st) != 0)
		goto out;
	rc = db_bind_text(st, 1, res->sha256, (size_t)-1) == 0 &&
			 db_bind_text(st, 2, name, (size_t)-1) == 0 &&
			 db_bind_text(st, 3, at, (size_t)-1) == 0 &&
			 db_bind_text(st, 4, opts->actor, (size_t)-1) == 0
		     ? db_step(st)
		     : -1;
	if (rc == DB_ROW)
		res->import_id = db_col_i64(st, 0);
	db_finalize(st);
	if (rc != DB_ROW)
		goto out;
	if (db_prepare(db, "SELECT import_id FROM culture_figure WHERE org_id = ? AND year = ? "
			   "AND indicator = ?", &p.find) != 0 ||
	    db_prepare(db, "DELETE FROM culture_figure WHERE org_id = ? AND year = ? AND "
			   "indicator = ?", &p.del) != 0 ||
	    db_prepare(db, "INSERT INTO culture_figure (org_id, year, indicator, value_tenths, "
			   "respondents, source, import_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
		       &p.ins) != 0)
		goto out;
	if (parse(&p, buf, len) != 0)
		goto out;
	if (res->nproblems) {
		status = CUL_EINVALID;
		goto out;
	}
	char idtext[24], detail[200];
	snprintf(idtext, sizeof idtext, "%lld", (long long)res->import_id);
	snprintf(detail, sizeof detail, "sha256=%s rows=%zu replaced=%zu", res->sha256, res->rows,
		 res->replaced);
	struct audit_entry e = {opts->actor, "culture.import", "culture_import", idtext, detail};
	if (db_prepare(db, "UPDATE culture_import SET rows = ?, replaced = ? WHERE id = ?", &st) != 0)
		goto out;
	rc = db_bind_i64(st, 1, (int64_t)res->rows) == 0 &&
			 db_bind_i64(st, 2, (int64_t)res->replaced) == 0 &&
			 db_bind_i64(st, 3, res->import_id) == 0
		     ? db_step(st)
		     : -1;
	db_finalize(st);
	if (rc != DB_DONE || audit_append(db, signer, &e) != 0 || db_commit(db) != 0)
		goto out;
	in_tx = 0;
	status = CUL_OK;
out:
	if (status != CUL_OK) {
		if (in_tx)
			db_rollback(db);
		res->import_id = 0;
	}
	if (p.find)
		db_finalize(p.find);
	if (p.del)
		db_finalize(p.del);
	if (p.ins)
		db_finalize(p.ins);
	org_table_free(&t);
	free(buf);
	return status;
}
