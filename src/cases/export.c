/* export.c: a case's content written as a verifiable bundle (export.h,
 * bundle.h). Everything is read through the case storage's and the
 * reporting channel's own functions with the member's case key, so the
 * export can read nothing the member could not read on the case's pages.
 *
 * Each part is built as JSON with jansson and dumped into secure memory,
 * written, wiped and freed before the next is read; attachments come one at
 * a time. The command line (cmd_bundle.c) makes jansson wipe what it frees,
 * so no copy of the plaintext outlives its part in the process either. */
#include "cases/export.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/date.h"
#include "cases/internal.h"
#include "crypto/vault.h"

#define DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

struct ex {
	db_t *db;
	const struct cases_key *k;
	struct cases_bundle_writer w;
	struct cases_error *e;
};

static const char README[] =
	"This is a case bundle exported from Probity, the integrity system.\n"
	"\n"
	"It holds the case's content IN THE CLEAR: keep it as safe as the case\n"
	"itself, and destroy it when it is no longer needed.\n"
	"\n"
	"manifest.json lists every other file with its size and SHA-256;\n"
	"signature.json holds an Ed25519 signature over the manifest made with\n"
	"the Probity server's signing key. To check that nothing was changed:\n"
	"\n"
	"    probity verify-bundle BUNDLE --key SERVER.key.pub\n"
	"\n"
	"It names every part that was changed, is missing or was added. The\n"
	"format is described in Probity's docs/bundle.md.\n";

/* ---- JSON helpers ---- */

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* A text the case storage checked as UTF-8 when it was stored; one that is
 * not (a damaged row) fails the export rather than being changed. */
static json_t *text(struct ex *x, const char *s, size_t n)
{
	json_t *v = json_stringn(s ? s : "", s ? n : 0);
	if (!v)
		cases_fail(x->e, CASES_EDAMAGED, "a stored text of case %" PRId64 " is not UTF-8",
			   x->k->case_id);
	return v;
}

/* Sets key of obj to v, taking v; -1 if v is NULL (text failed). */
static int set(json_t *obj, const char *key, json_t *v)
{
	if (!v)
		return -1;
	return json_object_set_new(obj, key, v);
}

/* Dumps doc (taken) into secure memory and adds it as part path. */
static int put_json(struct ex *x, const char *path, json_t *doc)
{
	size_t n = json_dumpb(doc, NULL, 0, DUMP_FLAGS);
	if (n == 0) {
		json_decref(doc);
		return cases_fail(x->e, CASES_EDAMAGED, "cannot write %s", path);
	}
	char *buf = vault_secure_alloc(n + 1);
	json_dumpb(doc, buf, n, DUMP_FLAGS);
	json_decref(doc);
	buf[n] = '\n';
	int rc = cases_bundle_add(&x->w, path, buf, n + 1);
	sodium_memzero(buf, n + 1);
	vault_secure_free(buf);
	return rc == 0 ? 0 : -2;
}

/* "3.pdf": the id and, when the shown name ends in one, its extension
 * (letters and digits, at most 10, lower-cased); never the name itself,
 * which is content and may hold anything. */
static void file_part(char *out, size_t cap, const char *dir, int64_t id, const char *name)
{
	char ext[12] = "";
	const char *dot = strrchr(name, '.');
	if (dot && dot != name) {
		size_t n = strlen(dot + 1);
		int ok = n >= 1 && n <= 10;
		for (size_t i = 0; ok && i < n; i++)
			ok = isalnum((unsigned char)dot[1 + i]) != 0;
		if (ok) {
			ext[0] = '.';
			for (size_t i = 0; i < n; i++)
				ext[1 + i] = (char)tolower((unsigned char)dot[1 + i]);
			ext[1 + n] = 0;
		}
	}
	snprintf(out, cap, "%s/%" PRId64 "%s", dir, id, ext);
}

/* ---- the case's own parts ---- */

static int put_case(struct ex *x, const struct cases_case *c)
{
	struct cases_member team[CASES_MEMBERS_MAX];
	char checked[CASES_MAX_CHECKLIST][CASES_ID_MAX + 1];
	size_t nteam = 0, nchecked = 0;
	if (cases_members(x->db, x->k, team, CASES_MEMBERS_MAX, &nteam, x->e) != 0 ||
	    cases_checked(x->db, x->k, checked, CASES_MAX_CHECKLIST, &nchecked, x->e) != 0)
		return -1;
	json_t *reports = json_array(), *members = json_array(), *done = json_array();
	json_t *measures = json_array();
	for (size_t i = 0; i < c->nreports; i++)
		json_array_append_new(reports, json_integer(c->reports[i]));
	for (size_t i = 0; i < nchecked; i++)
		json_array_append_new(done, json_string(checked[i]));
	for (size_t i = 0; i < c->nmeasures; i++)
		json_array_append_new(measures, json_string(c->measures[i]));
	for (size_t i = 0; i < nteam; i++)
		json_array_append_new(
			members, json_pack("{s:I, s:s, s:o, s:s, s:s, s:o}", "account",
					   (json_int_t)team[i].account_id, "username", team[i].username,
					   "name", text(x, team[i].display_name,
							strlen(team[i].display_name)),
					   "role", team[i].role, "added_on", team[i].added_on,
					   "removed_on", str_or_null(team[i].removed_on)));
	json_t *police = c->police_report < 0 ? json_null() : json_boolean(c->police_report);
	json_t *doc = json_pack(
		"{s:I, s:s, s:{s:s, s:i}, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o,"
		" s:{s:o, s:o, s:o, s:o, s:o, s:o}, s:o, s:o, s:o}",
		"case", (json_int_t)c->id, "organisation", c->org_code, "protocol", "id", c->protocol,
		"revision", c->protocol_revision, "phase", c->phase, "phase_started_on",
		c->phase_started_on, "phase_due", str_or_null(c->phase_due), "checklist_done", done,
		"opened_on", c->opened_on, "closed_on", str_or_null(c->closed_on), "purge_after",
		str_or_null(c->purge_after), "reports", reports, "outcome", "outcome",
		str_or_null(c->outcome), "category", str_or_null(c->category), "taxonomy",
		c->taxonomy[0] ? json_pack("{s:s, s:i}", "id", c->taxonomy, "revision",
					   c->taxonomy_revision) : json_null(),
		"measures", measures, "measures_list",
		c->measures_list[0] ? json_pack("{s:s, s:i}", "id", c->measures_list, "revision",
						c->measures_revision) : json_null(),
		"police_report", police, "decided_on", str_or_null(c->decided_on), "decided_by",
		c->decided_by ? json_integer(c->decided_by) : json_null(), "team", members);
	sodium_memzero(team, sizeof team);
	if (!doc || x->e->code) {
		json_decref(doc);
		return x->e->code ? -1 : cases_fail(x->e, CASES_EDAMAGED, "cannot write case.json");
	}
	return put_json(x, "case.json", doc);
}

static int put_moves(struct ex *x)
{
	struct cases_move_entry *m = NULL;
	size_t n = 0;
	if (cases_moves(x->db, x->k, &m, &n, x->e) != 0)
		return -1;
	json_t *doc = json_array();
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:b, s:o}", "id",
				      (json_int_t)m[i].id, "from", m[i].from, "to", m[i].to,
				      "account", (json_int_t)m[i].account_id, "on", m[i].on,
				      "deviation", m[i].deviation, "approver",
				      m[i].deviation ? json_integer(m[i].approver_id) : json_null());
		rc = set(o, "reason", m[i].reason ? text(x, m[i].reason, m[i].reason_len)
						  : json_null());
		json_array_append_new(doc, o);
	}
	cases_moves_free(m, n);
	if (rc != 0) {
		json_decref(doc);
		return -1;
	}
	return put_json(x, "phases.json", doc);
}

/* records.json or notes.json from the storage's text items. */
static int put_texts(struct ex *x, const char *path, struct cases_text_item *t, size_t n,
		     int records)
{
	json_t *doc = json_array();
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *o = json_pack("{s:I}", "id", (json_int_t)t[i].id);
		if (records) {
			json_object_set_new(o, "type", json_string(t[i].type));
			json_object_set_new(o, "under", json_string(t[i].summary ? "summary" : "case"));
		}
		json_object_set_new(o, "account", json_integer(t[i].account_id));
		rc = set(o, "author", text(x, t[i].author_name, strlen(t[i].author_name)));
		json_object_set_new(o, "created_at", json_string(t[i].created_at));
		if (rc == 0)
			rc = set(o, "text", text(x, t[i].text, t[i].text_len));
		json_array_append_new(doc, o);
	}
	cases_text_items_free(t, n);
	if (rc != 0) {
		json_decref(doc);
		return -1;
	}
	return put_json(x, path, doc);
}

static int put_records(struct ex *x)
{
	struct cases_text_item *t = NULL;
	size_t n = 0;
	if (cases_records(x->db, x->k, &t, &n, x->e) != 0)
		return -1;
	int rc = put_texts(x, "records.json", t, n, 1);
	if (rc != 0)
		return rc;
	t = NULL;
	n = 0;
	if (cases_notes(x->db, x->k, &t, &n, x->e) != 0)
		return -1;
	return put_texts(x, "notes.json", t, n, 0);
}

static int put_people(struct ex *x)
{
	struct cases_person *p = NULL;
	size_t n = 0;
	if (cases_people(x->db, x->k, &p, &n, x->e) != 0)
		return -1;
	json_t *doc = json_array();
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *steps = json_object();
		for (int s = 0; s < CASES_STEP_COUNT; s++)
			json_object_set_new(steps, cases_step_name((enum cases_step)s),
					    str_or_null(p[i].on[s]));
		json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p[i].id, "party",
				      p[i].party, "added_on", p[i].added_on);
		rc = set(o, "name", text(x, p[i].name, strlen(p[i].name)));
		if (rc == 0)
			rc = set(o, "function", text(x, p[i].function, strlen(p[i].function)));
		if (rc == 0)
			rc = set(o, "contact", text(x, p[i].contact, strlen(p[i].contact)));
		json_object_set_new(o, "steps", steps);
		json_object_set_new(o, "reaction_due", str_or_null(p[i].reaction_due));
		json_array_append_new(doc, o);
	}
	cases_people_free(p, n);
	if (rc != 0) {
		json_decref(doc);
		return -1;
	}
	return put_json(x, "people.json", doc);
}

static int put_files(struct ex *x)
{
	struct cases_file *f = NULL;
	size_t n = 0, total = 0, cap = 64;
	int rc = -1;
	json_t *doc = json_array();
	for (;;) {
		f = xcalloc(cap, sizeof *f);
		if (cases_files(x->db, x->k, f, cap, &n, &total, x->e) != 0)
			goto out;
		if (total <= cap)
			break;
		sodium_memzero(f, cap * sizeof *f);
		free(f);
		cap = total;
	}
	for (size_t i = 0; i < n; i++) {
		char part[CASES_BUNDLE_NAME_MAX + 1];
		file_part(part, sizeof part, "files", f[i].id, f[i].name);
		json_t *o = json_pack("{s:I, s:o, s:o, s:s, s:I, s:s}", "id", (json_int_t)f[i].id,
				      "record", f[i].record_id ? json_integer(f[i].record_id)
							       : json_null(),
				      "note", f[i].note_id ? json_integer(f[i].note_id) : json_null(),
				      "under", f[i].summary ? "summary" : "case", "account",
				      (json_int_t)f[i].account_id, "created_at", f[i].created_at);
		json_array_append_new(doc, o);
		if (set(o, "author", text(x, f[i].author_name, strlen(f[i].author_name))) != 0 ||
		    set(o, "name", text(x, f[i].name, strlen(f[i].name))) != 0)
			goto out;
		json_object_set_new(o, "mime", json_string(f[i].mime));
		json_object_set_new(o, "size", json_integer((json_int_t)f[i].size));
		json_object_set_new(o, "part", json_string(part));
		struct cases_file info;
		unsigned char *data = NULL;
		size_t len = 0;
		if (cases_file_get(x->db, x->k, f[i].id, &info, &data, &len, x->e) != 0)
			goto out;
		int w = cases_bundle_add(&x->w, part, data, len);
		sodium_memzero(data, len);
		vault_secure_free(data);
		sodium_memzero(&info, sizeof info);
		if (w != 0) {
			rc = -2;
			goto out;
		}
	}
	rc = put_json(x, "files.json", doc);
	doc = NULL;
out:
	json_decref(doc);
	if (f)
		sodium_memzero(f, cap * sizeof *f);
	free(f);
	return rc;
}

/* ---- the joined reports ---- */

static int fail_intake(struct ex *x, const struct intake_error *ie)
{
	return cases_fail_intake(ie, x->e);
}

static int put_messages(struct ex *x, const char *path, struct intake_message *m, size_t n)
{
	json_t *doc = json_array();
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *o = json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)m[i].id, "from",
				      m[i].from_reporter ? "reporter" : "handler", "account",
				      m[i].account_id ? json_integer(m[i].account_id) : json_null(),
				      "created_at", m[i].created_at);
		rc = set(o, "author", m[i].from_reporter ? json_null()
							 : text(x, m[i].author_name,
								strlen(m[i].author_name)));
		if (rc == 0)
			rc = set(o, "text", text(x, m[i].text, m[i].text_len));
		json_array_append_new(doc, o);
	}
	intake_messages_free(m, n);
	if (rc != 0) {
		json_decref(doc);
		return -1;
	}
	return put_json(x, path, doc);
}

static int put_report(struct ex *x, int64_t report_id)
{
	struct intake_key rk;
	struct intake_report rep;
	struct intake_error ie;
	struct intake_message *m = NULL;
	struct intake_attachment *att = NULL;
	size_t n = 0, natt = 0;
	char dir[48], path[CASES_BUNDLE_NAME_MAX + 1];
	int rc = -1, have_report = 0;
	json_t *doc = NULL;
	memset(&rep, 0, sizeof rep);
	snprintf(dir, sizeof dir, "reports/%" PRId64, report_id);
	if (cases_report_key(x->db, x->k, report_id, &rk, x->e) != 0)
		return -1;
	if (intake_read(x->db, &rk, &rep, &ie) != 0) {
		fail_intake(x, &ie);
		goto out;
	}
	have_report = 1;
	json_t *body = json_loadb(rep.body, rep.body_len, JSON_REJECT_DUPLICATES, NULL);
	if (!body && !(body = text(x, rep.body, rep.body_len)))
		goto out;
	doc = json_pack("{s:I, s:s, s:s, s:s, s:{s:s, s:I}, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
			"id", (json_int_t)rep.id, "organisation", rep.org_code, "kind", rep.kind,
			"mode", rep.mode, "questionnaire", "id", rep.questionnaire, "revision",
			(json_int_t)rep.questionnaire_revision, "received_on", rep.received_on,
			"acknowledged_on", str_or_null(rep.acknowledged_on), "feedback_on",
			str_or_null(rep.feedback_on), "handed_over_on",
			str_or_null(rep.handed_over_on), "registered_by",
			rep.registered_by ? json_integer(rep.registered_by) : json_null(),
			"record_agreed_on", str_or_null(rep.record_agreed_on), "body", body);
	snprintf(path, sizeof path, "%s/report.json", dir);
	if (!doc || (rc = put_json(x, path, doc)) != 0) {
		if (!doc)
			cases_fail(x->e, CASES_EDAMAGED, "cannot write report %" PRId64, report_id);
		doc = NULL;
		goto out;
	}
	doc = NULL;
	rc = -1;

	if (intake_messages(x->db, &rk, &m, &n, &ie) != 0) {
		fail_intake(x, &ie);
		goto out;
	}
	snprintf(path, sizeof path, "%s/messages.json", dir);
	if ((rc = put_messages(x, path, m, n)) != 0)
		goto out;
	rc = -1;
	if (intake_notes(x->db, &rk, &m, &n, &ie) != 0) {
		fail_intake(x, &ie);
		goto out;
	}
	snprintf(path, sizeof path, "%s/notes.json", dir);
	if ((rc = put_messages(x, path, m, n)) != 0)
		goto out;
	rc = -1;

	att = xcalloc(rep.nattachments ? rep.nattachments : 1, sizeof *att);
	if (intake_attachments(x->db, &rk, att, rep.nattachments, &natt, &ie) != 0) {
		fail_intake(x, &ie);
		goto out;
	}
	doc = json_array();
	for (size_t i = 0; i < natt; i++) {
		char part[CASES_BUNDLE_NAME_MAX + 1], sub[64];
		snprintf(sub, sizeof sub, "%s/attachments", dir);
		file_part(part, sizeof part, sub, att[i].id, att[i].name);
		json_t *o = json_pack("{s:I, s:o, s:s, s:s}", "id", (json_int_t)att[i].id,
				      "message", att[i].message_id ? json_integer(att[i].message_id)
								   : json_null(),
				      "from", att[i].from_reporter ? "reporter" : "handler",
				      "created_at", att[i].created_at);
		json_array_append_new(doc, o);
		if (set(o, "name", text(x, att[i].name, strlen(att[i].name))) != 0)
			goto out;
		json_object_set_new(o, "mime", json_string(att[i].mime));
		json_object_set_new(o, "size", json_integer((json_int_t)att[i].size));
		json_object_set_new(o, "part", json_string(part));
		struct intake_attachment info;
		unsigned char *data = NULL;
		size_t len = 0;
		if (intake_attachment_get(x->db, &rk, att[i].id, &info, &data, &len, &ie) != 0) {
			fail_intake(x, &ie);
			goto out;
		}
		int w = cases_bundle_add(&x->w, part, data, len);
		sodium_memzero(data, len);
		vault_secure_free(data);
		sodium_memzero(&info, sizeof info);
		if (w != 0) {
			rc = -2;
			goto out;
		}
	}
	snprintf(path, sizeof path, "%s/attachments.json", dir);
	rc = put_json(x, path, doc);
	doc = NULL;
out:
	json_decref(doc);
	if (att) {
		sodium_memzero(att, (rep.nattachments ? rep.nattachments : 1) * sizeof *att);
		free(att);
	}
	if (have_report)
		intake_report_free(&rep);
	intake_key_wipe(&rk);
	return rc;
}

/* ---- the whole ---- */

/* Checks in one transaction that actor_id still may act as a member; with
 * signer, also appends the audit entry and commits. */
static int authorise(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		     int64_t actor_id, const char *detail, struct cases_error *e)
{
	struct cases_row row;
	int in_tx = 0, as, rc = -1;
	if (cases_tx_begin(db, signer == NULL, &in_tx) != 0) {
		cases_fail_db(db, e);
		goto out;
	}
	if (cases_authorise(db, k, actor_id, CASES_NEED_MEMBER, 1, &row, &as, e) != 0)
		goto out;
	if (signer) {
		if (cases_audit(db, signer, actor_id, "case.export", k->case_id, detail) != 0 ||
		    db_commit(db) != 0) {
			cases_fail_db(db, e);
			goto out;
		}
		in_tx = 0;
	}
	rc = 0;
out:
	cases_tx_end(db, NULL, in_tx);
	return rc;
}

int cases_export(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		 int64_t actor_id, FILE *out, struct cases_export_result *res,
		 struct cases_error *e)
{
	struct ex x = {.db = db, .k = k, .e = e};
	struct cases_case c;
	struct account acc;
	char at[TIMESTAMP_LEN + 1], detail[160], hex[2 * CASES_BUNDLE_HASH_BYTES + 1];
	int rc = -1;
	memset(res, 0, sizeof *res);
	cases_error_clear(e);
	if (!k->full)
		return cases_fail(e, CASES_ENOTFOUND, "no case %" PRId64 " for this account",
				  k->case_id);
	/* before anything is decrypted: a removed member's key opens nothing */
	if (authorise(db, NULL, k, actor_id, NULL, e) != 0)
		return -1;
	int g = accounts_get(db, actor_id, &acc);
	if (g != 0)
		return g < 0 ? cases_fail_db(db, e)
			     : cases_fail(e, CASES_ENOTFOUND, "no account %" PRId64, actor_id);
	if (cases_read(db, k, &c, e) != 0)
		return -1;
	time_t now = time(NULL);
	timestamp_format(now, at);
	cases_bundle_begin(&x.w, out, k->case_id, now);
	if (cases_bundle_add(&x.w, "README.txt", README, sizeof README - 1) != 0) {
		rc = -2;
		goto out;
	}
	if ((rc = put_case(&x, &c)) != 0 || (rc = put_moves(&x)) != 0 ||
	    (rc = put_records(&x)) != 0 || (rc = put_people(&x)) != 0 ||
	    (rc = put_files(&x)) != 0)
		goto out;
	for (size_t i = 0; i < c.nreports; i++)
		if ((rc = put_report(&x, c.reports[i])) != 0)
			goto out;
	struct cases_bundle_meta meta = {.case_id = k->case_id, .org_code = c.org_code,
					 .exported_at = at, .account_id = actor_id,
					 .username = acc.username};
	res->parts = x.w.nparts;
	if (cases_bundle_finish(&x.w, &meta, signer->key, res->manifest_sha256) != 0) {
		rc = -2;
		goto out;
	}
	sodium_bin2hex(hex, sizeof hex, res->manifest_sha256, sizeof res->manifest_sha256);
	snprintf(detail, sizeof detail, "parts %zu manifest sha256 %s", res->parts, hex);
	rc = authorise(db, signer, k, actor_id, detail, e);
out:
	if (rc == -2) {
		res->io_errno = x.w.io_errno;
		cases_fail(e, CASES_EINVALID, "%s", x.w.err);
		if (!x.w.io_errno)
			rc = -1;  /* a refused name: the storage's data, not the disk */
	}
	cases_bundle_writer_free(&x.w);
	return rc;
}
