/* import.c: loading a register file (registrations.h). A CSV file is read
 * twice, streaming through one fixed buffer: first only to hash it, so that
 * a file imported before is refused at once, then to parse and check every
 * row. A workbook (a zip archive) is read into memory once, up to
 * REG_XLSX_FILE_MAX bytes, hashed there and handed to xlsx.c. Rows are
 * written as they pass, inside one write transaction that is committed only
 * when no row of the whole file had a problem; any problem rolls everything
 * back, so a bad file leaves no trace but its messages. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/utf8.h"
#include "registrations/registrations.h"
#include "sheetread/sheetread.h"

#define READ_CAP (2 * CSV_LINE_MAX)

void reg_import_result_free(struct reg_import_result *res)
{
	for (size_t i = 0; i < res->nlisted; i++)
		free(res->problems[i]);
	free(res->problems);
	res->problems = NULL;
	res->nlisted = 0;
}

void reg_problem(struct reg_import_result *res, const char *fmt, ...)
{
	res->nproblems++;
	if (res->nlisted >= REG_MAX_PROBLEMS)
		return;
	if (!res->problems)
		res->problems = xcalloc(REG_MAX_PROBLEMS, sizeof *res->problems);
	char line[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	res->problems[res->nlisted++] = xstrdup(line);
}

static void hex(const unsigned char *h, char out[65])
{
	static const char d[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = d[h[i] >> 4];
		out[2 * i + 1] = d[h[i] & 15];
	}
	out[64] = 0;
}

/* Hashes the rest of fp into out. Returns 0 or -1 (read error). */
static int hash_file(FILE *fp, char *buf, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char h[32];
	size_t k;
	crypto_hash_sha256_init(&st);
	while ((k = fread(buf, 1, READ_CAP, fp)) > 0)
		crypto_hash_sha256_update(&st, (const unsigned char *)buf, k);
	if (ferror(fp))
		return -1;
	crypto_hash_sha256_final(&st, h);
	hex(h, out);
	return 0;
}

/* The file's name without its folders, for the import's row: control bytes
 * and, in a name that is not UTF-8, every byte above ASCII as '?'. */
static void base_name(const char *path, char out[REG_FILE_NAME_MAX + 1])
{
	const char *b = strrchr(path, '/');
	b = b && b[1] ? b + 1 : path;
	size_t n = strnlen(b, REG_FILE_NAME_MAX);
	int utf8 = utf8_valid(b, n) == 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)b[i];
		out[i] = ch < 0x20 || ch == 0x7f || (!utf8 && ch >= 0x80) ? '?' : (char)ch;
	}
	out[n] = 0;
	/* a cut in the middle of a UTF-8 sequence: drop its start */
	while (n && utf8_valid(out, n) != 1)
		out[--n] = 0;
	if (!n)
		snprintf(out, REG_FILE_NAME_MAX + 1, "?");
}

/* The latest import with this SHA-256: 1 found (id and day in *id, at), 0 none,
 * -1 db error. */
static int find_previous(db_t *db, const char *sha, int64_t *id, char at[TIMESTAMP_LEN + 1])
{
	db_stmt_t *st;
	if (db_prepare(db, "SELECT id, imported_at FROM registration_import WHERE sha256 = ? "
			   "ORDER BY id DESC LIMIT 1", &st) != 0)
		return -1;
	int rc = db_bind_text(st, 1, sha, (size_t)-1) == 0 ? db_step(st) : -1;
	if (rc == DB_ROW) {
		*id = db_col_i64(st, 0);
		snprintf(at, TIMESTAMP_LEN + 1, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int bind_opt(db_stmt_t *st, int idx, const char *s)
{
	return s[0] ? db_bind_text(st, idx, s, (size_t)-1) : db_bind_null(st, idx);
}

static int insert_row(db_stmt_t *st, const struct reg_row *r, int64_t import_id)
{
	if (db_reset(st) != 0 || db_bind_i64(st, 1, r->org_id) != 0 ||
	    db_bind_text(st, 2, r->received_on, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, r->category, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, r->taxonomy, (size_t)-1) != 0 ||
	    db_bind_i64(st, 5, r->taxonomy_revision) != 0 ||
	    db_bind_text(st, 6, reg_outcome_name(r->outcome), (size_t)-1) != 0 ||
	    bind_opt(st, 7, r->measure) != 0 || bind_opt(st, 8, r->measures_list) != 0 ||
	    (r->measures_revision ? db_bind_i64(st, 9, r->measures_revision)
				  : db_bind_null(st, 9)) != 0 ||
	    db_bind_i64(st, 10, r->police_report) != 0 || db_bind_i64(st, 11, import_id) != 0)
		return -1;
	return db_step(st) == DB_DONE ? 0 : -1;
}

/* The second pass: parses fp, checks every row and, while no problem was
 * found, inserts it. Returns 0 (problems, if any, are in res), or -1 with
 * the status in *status. */
struct pass {
	db_t *db;
	FILE *fp;
	char *buf;
	struct csv_reader *r;
	const struct reg_context *cx;
	const struct reg_import_opts *opts;
	struct reg_import_result *res;
	db_stmt_t *ins;
	char sha[65];
	int complete;   /* read to the end (so sha covers the whole file) */
};

static int parse_pass(struct pass *p, enum reg_status *status)
{
	struct reg_import_result *res = p->res;
	struct reg_header h;
	int have_header = 0;
	size_t have = 0, read_rows = 0;
	int eof = 0;
	crypto_hash_sha256_state hs;
	crypto_hash_sha256_init(&hs);
	for (;;) {
		if (!eof && have < READ_CAP) {
			size_t k = fread(p->buf + have, 1, READ_CAP - have, p->fp);
			if (k == 0 && ferror(p->fp)) {
				*status = REG_EIO;
				snprintf(res->err, sizeof res->err, "cannot read the file: %s",
					 strerror(errno));
				return -1;
			}
			crypto_hash_sha256_update(&hs, (const unsigned char *)p->buf + have, k);
			have += k;
			eof = k == 0;
		}
		size_t pos = 0, used;
		for (;;) {
			enum csv_result cr = csv_next(p->r, p->buf + pos, have - pos, eof, &used);
			pos += used;
			if (cr == CSV_MORE)
				break;
			if (cr == CSV_END)
				goto done;
			if (cr == CSV_ERROR) {
				reg_problem(res, "line %zu: %s", p->r->line, p->r->err);
				if (!have_header)
					return 0; /* without a header no row can be read */
				read_rows++;
			} else if (!have_header) {
				char err[400];
				if (reg_header_parse(p->r->fields, p->r->nfields, &h, err, sizeof err) != 0) {
					reg_problem(res, "line %zu: %s", p->r->line, err);
					return 0;
				}
				have_header = 1;
				continue;
			} else {
				struct reg_row row;
				char err[700];
				switch (reg_row_check(p->cx, &h, p->r->fields, p->r->nfields, &row, err,
						      sizeof err)) {
				case REG_ROW_BLANK:
					continue;
				case REG_ROW_BAD:
					reg_problem(res, "line %zu: %s", p->r->line, err);
					break;
				case REG_ROW_OK:
					if (res->nproblems == 0 && read_rows < REG_MAX_ROWS &&
					    insert_row(p->ins, &row, res->import_id) != 0) {
						*status = REG_EDB;
						return -1;
					}
					break;
				}
				read_rows++;
			}
			if (read_rows > REG_MAX_ROWS) {
				reg_problem(res, "line %zu: more than %d rows: split the file", p->r->line,
					REG_MAX_ROWS);
				res->rows = read_rows;
				return 0;
			}
			if (p->opts->progress && read_rows % REG_PROGRESS_EVERY == 0)
				p->opts->progress(p->opts->progress_ctx, read_rows);
		}
		memmove(p->buf, p->buf + pos, have - pos);
		have -= pos;
		res->rows = read_rows;
	}
done:;
	res->rows = read_rows;
	unsigned char hh[32];
	crypto_hash_sha256_final(&hs, hh);
	hex(hh, p->sha);
	p->complete = 1;
	if (!have_header)
		reg_problem(res, "the file is empty: it needs a header row naming the columns");
	else if (read_rows == 0)
		reg_problem(res, "the file has a header but no registrations");
	return 0;
}

/* Reads the rest of fp, a workbook of size bytes, into *out and hashes it.
 * Returns 0, or -1 with the reason in res->err and *status set. */
static int load_workbook(FILE *fp, off_t size, char **out, size_t *len,
			 struct reg_import_result *res, enum reg_status *status)
{
	if (size < 0 || (uint64_t)size > REG_XLSX_FILE_MAX) {
		reg_problem(res, "the workbook is larger than %zu MiB: save it as CSV, which has "
				 "no size limit, or split it", REG_XLSX_FILE_MAX >> 20);
		*status = REG_EINVALID;
		return -1;
	}
	/* one byte more than the size, to see a file that grew meanwhile */
	char *b = xmalloc((size_t)size + 1);
	size_t n = fread(b, 1, (size_t)size + 1, fp);
	if (ferror(fp) || n != (size_t)size) {
		free(b);
		snprintf(res->err, sizeof res->err, ferror(fp) ? "cannot read it: %s"
							       : "the file changed while it was read%s",
			 ferror(fp) ? strerror(errno) : ": import it when it is complete");
		*status = REG_EIO;
		return -1;
	}
	unsigned char h[32];
	crypto_hash_sha256(h, (const unsigned char *)b, n);
	hex(h, res->sha256);
	*out = b;
	*len = n;
	return 0;
}

static int store_row(void *ctx, const struct reg_row *row)
{
	struct pass *p = ctx;
	return insert_row(p->ins, row, p->res->import_id);
}

enum reg_status registrations_import_csv(db_t *db, const struct audit_signer *signer,
					 const char *path, const struct reg_import_opts *opts,
					 struct reg_import_result *res)
{
	return registrations_import(db, signer, path, opts, res);
}

enum reg_status registrations_import(db_t *db, const struct audit_signer *signer,
				     const char *path, const struct reg_import_opts *opts,
				     struct reg_import_result *res)
{
	enum reg_status status = REG_EDB;
	struct org_table t;
	struct reg_context cx;
	char name[REG_FILE_NAME_MAX + 1], at[TIMESTAMP_LEN + 1], prev_at[TIMESTAMP_LEN + 1];
	struct stat sb;
	struct pass p = {.db = db, .opts = opts, .res = res};
	int in_tx = 0;
	char *book = NULL;   /* the whole workbook, when the file is one */
	size_t book_len = 0;
	memset(res, 0, sizeof *res);
	org_table_init(&t);
	base_name(path, name);

	p.fp = fopen(path, "rb");
	if (!p.fp) {
		status = errno == ENOENT ? REG_ENOTFOUND : REG_EIO;
		snprintf(res->err, sizeof res->err, "cannot open it: %s", strerror(errno));
		return status;
	}
	if (fstat(fileno(p.fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(p.fp);
		snprintf(res->err, sizeof res->err, "it is not a regular file");
		return REG_EIO;
	}
	p.buf = xmalloc(READ_CAP);
	p.r = xmalloc(sizeof *p.r);
	csv_init(p.r);
	/* the kind of file from its first bytes, not its name */
	size_t head = fread(p.buf, 1, 8, p.fp);
	enum sheetread_kind kind = sheetread_sniff(p.buf, head);
	rewind(p.fp);
	if (kind == SHEETREAD_OLE) {
		reg_problem(res, "it is an old Excel workbook (.xls) or a password-protected one, "
				 "which cannot be read: save it as .xlsx without a password, or as "
				 "CSV");
		status = REG_EINVALID;
		goto out;
	}
	if (kind == SHEETREAD_ZIP) {
		if (load_workbook(p.fp, sb.st_size, &book, &book_len, res, &status) != 0)
			goto out;
	} else if (hash_file(p.fp, p.buf, res->sha256) != 0) {
		snprintf(res->err, sizeof res->err, "cannot read it: %s", strerror(errno));
		status = REG_EIO;
		goto out;
	}
	int found = find_previous(db, res->sha256, &res->previous_id, prev_at);
	if (found < 0)
		goto out;
	if (found && !opts->again) {
		snprintf(res->err, sizeof res->err,
			 "this file was imported before (import %lld at %s, the same SHA-256): "
			 "give --again to import it once more",
			 (long long)res->previous_id, prev_at);
		status = REG_ECONFLICT;
		goto out;
	}
	rewind(p.fp);

	if (db_begin(db) != 0)
		goto out;
	in_tx = 1;
	char err[300];
	if (orgs_load(db, &t) != 0)
		goto out;
	if (reg_context_init(&cx, &t, opts->today, err, sizeof err) != 0) {
		db_fail(db, DBE_GENERIC, "%s", err);
		goto out;
	}
	p.cx = &cx;
	timestamp_now(at);
	db_stmt_t *st;
	if (db_prepare(db, "INSERT INTO registration_import (sha256, file_name, rows, "
			   "imported_at, imported_by) VALUES (?, ?, 0, ?, ?) RETURNING id",
		       &st) != 0)
		goto out;
	int rc = db_bind_text(st, 1, res->sha256, (size_t)-1) == 0 &&
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
	if (db_prepare(db, "INSERT INTO registration (org_id, received_on, category, taxonomy, "
			   "taxonomy_revision, outcome, measure, measures_list, measures_revision, "
			   "police_report, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       &p.ins) != 0)
		goto out;
	if (book) {
		struct reg_sink sink = {store_row, &p, opts->progress, opts->progress_ctx};
		if (reg_xlsx_pass(book, book_len, &cx, NULL, &sink, res) != 0)
			goto out;
	} else if (parse_pass(&p, &status) != 0) {
		goto out;
	}
	if (res->nproblems) {
		status = REG_EINVALID;
		goto out;
	}
	if (!book && p.complete && strcmp(p.sha, res->sha256) != 0) {
		snprintf(res->err, sizeof res->err,
			 "the file changed while it was read: import it when it is complete");
		status = REG_EIO;
		goto out;
	}
	char idtext[24], detail[200];
	snprintf(idtext, sizeof idtext, "%lld", (long long)res->import_id);
	snprintf(detail, sizeof detail, "sha256=%s rows=%zu", res->sha256, res->rows);
	if (found)
		snprintf(detail + strlen(detail), sizeof detail - strlen(detail),
			 " again-after=%lld", (long long)res->previous_id);
	struct audit_entry e = {opts->actor, "registrations.import", "registration_import", idtext,
				detail};
	if (db_prepare(db, "UPDATE registration_import SET rows = ? WHERE id = ?", &st) != 0)
		goto out;
	rc = db_bind_i64(st, 1, (int64_t)res->rows) == 0 &&
			 db_bind_i64(st, 2, res->import_id) == 0
		     ? db_step(st)
		     : -1;
	db_finalize(st);
	if (rc != DB_DONE || audit_append(db, signer, &e) != 0 || db_commit(db) != 0)
		goto out;
	in_tx = 0;
	status = REG_OK;
out:
	if (status != REG_OK) {
		if (in_tx)
			db_rollback(db);
		res->import_id = 0;
	}
	if (p.ins)
		db_finalize(p.ins);
	org_table_free(&t);
	free(p.r);
	free(p.buf);
	free(book);
	fclose(p.fp);
	return status;
}
