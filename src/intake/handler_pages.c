/* handler_pages.c: what a handler reads (handler_pages.h): the inbox, one
 * report, and an attachment's download.
 *
 * The inbox lists metadata only and decrypts nothing. A report is opened per
 * request with the key sealed to the signed-in user; the opened key, the
 * user's secret key and every decrypted text live only until the page is
 * written, in wiped memory (secure allocations, and the request arena, which
 * is wiped when freed). Nothing decrypted is logged: log lines name report
 * ids and error codes only. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/date.h"
#include "base/log.h"
#include "crypto/vault.h"
#include "handler_tmpl.h"
#include "intake/clock.h"
#include "intake/handler_pages.h"
#include "intake/upload.h"
#include "intake/handler_views.h"
#include "intake/intake.h"
#include "intake/report_view.h"
#include "orgs/orgs.h"
#include "web/i18n.h"
#include "web/page.h"

/* Rows the inbox shows; the msgid of the count below says the same number. */
#define INBOX_CAP 50

void handler_not_found(struct page *p)
{
	page_fail(p, 404, "There is no report with this number that you can open.");
}

int handler_open_key(struct page *p, int64_t id, struct intake_key *k)
{
	unsigned char sk[32];
	memset(k, 0, sizeof *k);
	if (session_secret_key(p->db, &p->viewer->session, sk) != 0) {
		sodium_memzero(sk, sizeof sk);
		page_fail(p, 503, "Your key could not be opened. Sign out, sign in again and try once more.");
		return -1;
	}
	struct intake_error e;
	int r = intake_key_as_handler(p->db, id, p->viewer->account.id, sk, k, &e);
	sodium_memzero(sk, sizeof sk);
	if (r == 0)
		return 0;
	switch (e.code) {
	case INTAKE_ENOTFOUND:
		handler_not_found(p);
		break;
	case INTAKE_EDAMAGED:
		/* the usual cause: a password reset gave this user a new key pair */
		log_warn("report %lld: the key sealed to account %lld does not open", (long long)id,
			 (long long)p->viewer->account.id);
		page_fail(p, 403, "This report was sealed to a key you no longer have, for example because your password was reset. It can be opened for you again with the recovery key: ask your integrity coordinator.");
		break;
	default:
		log_error("report %lld: opening its key failed (code %d)", (long long)id, e.code);
		page_fail(p, 503, "The report cannot be opened at the moment. Try again later.");
	}
	return -1;
}

/* ---- words for the metadata ---- */

/* The inbox has metadata only; report_view_status reads just these dates. */
static const char *item_status(const struct page *p, const struct intake_inbox_item *it)
{
	struct intake_report r = {0};
	memcpy(r.acknowledged_on, it->acknowledged_on, sizeof r.acknowledged_on);
	memcpy(r.feedback_on, it->feedback_on, sizeof r.feedback_on);
	memcpy(r.handed_over_on, it->handed_over_on, sizeof r.handed_over_on);
	return report_view_status(p, &r);
}

/* prefix followed by v in decimal, in the page's arena. The inbox writes a
 * few numbers a row; through printf that was a sixth of its CPU
 * (docs/performance.md). */
static const char *with_number(struct page *p, const char *prefix, long long v)
{
	char d[24];
	size_t n = 0, lp = strlen(prefix);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		d[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	char *s = arena_alloc(p->a, lp + n + 2), *at = s + lp;
	memcpy(s, prefix, lp);
	if (v < 0)
		*at++ = '-';
	while (n)
		*at++ = d[--n];
	*at = 0;
	return s;
}

static const char *days_text(struct page *p, int days, const char *one, const char *many)
{
	return days == 1 ? page_tr(p, one) : page_tr1(p, many, with_number(p, "", days));
}

/* "a, b" in the page's arena. */
static const char *comma_join(struct page *p, const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = arena_alloc(p->a, na + nb + 3);
	memcpy(s, a, na);
	memcpy(s + na, ", ", 2);
	memcpy(s + na + 2, b, nb + 1);
	return s;
}

/* One clock in words. The msgids are passed through days_text, so they are
 * marked with N_ for the catalogue. */
static struct hv_clock clock_view(struct page *p, const struct intake_clock *c)
{
	struct hv_clock v = {.due = arena_strdup(p->a, c->due)};
	switch (c->state) {
	case INTAKE_CLOCK_RUNNING:
		v.text = c->days == 0 ? page_tr(p, "Due today")
				      : days_text(p, c->days, N_("1 day left"), N_("{} days left"));
		break;
	case INTAKE_CLOCK_OVERDUE:
		v.overdue = 1;
		v.text = days_text(p, c->days, N_("Overdue by 1 day"), N_("Overdue by {} days"));
		break;
	case INTAKE_CLOCK_MET:
		v.done = 1;
		v.text = page_tr1(p, "Done on {}", c->done); /* page_tr1 copies the argument */
		if (c->days > 0)
			v.text = comma_join(p, v.text,
					    days_text(p, c->days, N_("1 day late"),
						      N_("{} days late")));
		break;
	}
	return v;
}

/* Both clocks of a report on today. A report whose dates the clock rules
 * refuse (a server clock set back, say) still shows its due dates. */
static void clocks_view(struct page *p, const char *received, const char *acked,
			const char *feedback, const char *ack_due, const char *feedback_due,
			const char *today, struct hv_clock *ack, struct hv_clock *fb)
{
	struct intake_clocks c;
	if (intake_clocks_status(received, *acked ? acked : NULL, *feedback ? feedback : NULL,
				 today, &c) == 0) {
		*ack = clock_view(p, &c.ack);
		*fb = clock_view(p, &c.feedback);
		return;
	}
	*ack = (struct hv_clock){.due = arena_strdup(p->a, ack_due), .text = "", .done = !!*acked};
	*fb = (struct hv_clock){.due = arena_strdup(p->a, feedback_due), .text = "",
				.done = !!*feedback};
}

/* "Financiën (FIN)", by the organisation's latest name; the code alone when
 * the tree could not be read. */
static const char *org_label(struct page *p, const struct org_table *t, const char *code)
{
	const struct org *o = t ? org_find_latest(t, code) : NULL;
	return o ? arena_printf(p->a, "%s (%s)", o->name, o->code) : arena_strdup(p->a, code);
}

/* ---- the inbox ---- */

/* The labels made so far in one inbox, by the code as stored: 50 rows name a
 * few organisations, and org_find_latest scans the whole tree (7% of the
 * inbox when done for every row). Past ORG_MEMO codes, labels are made
 * afresh: the same answer, only slower. */
#define ORG_MEMO 16
struct org_memo {
	const char *code[ORG_MEMO], *label[ORG_MEMO];
	size_t n;
};

static const char *org_label_memo(struct page *p, const struct org_table *t, const char *code,
				  struct org_memo *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->code[i], code) == 0)
			return m->label[i];
	const char *label = org_label(p, t, code);
	if (m->n < ORG_MEMO) {
		m->code[m->n] = code;
		m->label[m->n++] = label;
	}
	return label;
}

void intake_page_inbox(struct page *p)
{
	struct intake_inbox_item *items = arena_alloc(p->a, INBOX_CAP * sizeof *items);
	size_t n = 0, total = 0;
	if (intake_inbox(p->db, p->viewer->account.id, items, INBOX_CAP, &n, &total) != 0) {
		log_error("inbox of account %lld: %s", (long long)p->viewer->account.id,
			  db_error(p->db)->msg);
		page_fail(p, 503, "The reports cannot be listed at the moment. Try again later.");
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	struct org_table t;
	org_table_init(&t);
	int have_orgs = orgs_load_recent(p->db, &t) == 0; /* names only */
	struct org_memo memo = {.n = 0};
	struct hv_inbox_row *rows = arena_alloc(p->a, (n ? n : 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		const struct intake_inbox_item *it = &items[i];
		struct hv_inbox_row *r = &rows[i];
		r->href = with_number(p, "/meldingen/", it->id);
		r->number = r->href + strlen("/meldingen/");
		r->received = it->received_on;
		r->org = org_label_memo(p, have_orgs ? &t : NULL, it->org_code, &memo);
		r->kind = report_view_kind(p, it->kind);
		r->mode = report_view_mode(p, it->mode);
		r->status = item_status(p, it);
		r->registered = it->registered;
		clocks_view(p, it->received_on, it->acknowledged_on, it->feedback_on, it->ack_due,
			    it->feedback_due, today, &r->ack, &r->feedback);
	}
	org_table_free(&t);
	struct inbox_view v = {
		.rows = rows,
		.nrows = n,
		.can_register = (p->viewer->roles & ((1u << ROLE_MANAGER) |
						     (1u << ROLE_CONFIDENTIAL_ADVISER))) != 0,
	};
	if (total > n)
		v.count_text = page_tr1(p, "Showing the 50 most urgent of {} reports. Deal with these first; the others appear here as these are done.",
					arena_printf(p->a, "%zu", total));
	page_begin(p, page_tr(p, "Inbox"));
	/* A row is about 550 bytes: room for them all at once. Growing from
	 * page_begin's 16 KB by copy and wipe moved a 50-row inbox twice into
	 * fresh memory, 8% of its CPU (docs/performance.md). */
	buf_reserve(&p->res->body, p->res->body.n + 8192 + 768 * n);
	tmpl_handler_handler_inbox(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- one report ---- */

static struct hv_file file_view(struct page *p, const char *base,
				const struct intake_attachment *a)
{
	return (struct hv_file){
		.href = arena_printf(p->a, "%s/bijlagen/%lld", base, (long long)a->id),
		.name = a->name,
		.mime = a->mime,
		.size = report_view_size(p, a->size),
		.at = a->created_at,
		.from = a->from_reporter ? page_tr(p, "from the reporter")
					 : page_tr(p, "from a handler"),
	};
}

/* Messages or notes with their files (files only for messages). */
static struct hv_message *thread_view(struct page *p, const char *base,
				      const struct intake_message *m, size_t n,
				      const struct intake_attachment *att, size_t natt)
{
	struct hv_message *out = arena_alloc(p->a, (n ? n : 1) * sizeof *out);
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		for (size_t j = 0; j < natt; j++)
			k += att[j].message_id == m[i].id;
		struct hv_file *f = arena_alloc(p->a, (k ? k : 1) * sizeof *f);
		k = 0;
		for (size_t j = 0; j < natt; j++)
			if (att[j].message_id == m[i].id)
				f[k++] = file_view(p, base, &att[j]);
		out[i] = (struct hv_message){
			.author = m[i].from_reporter ? page_tr(p, "The reporter") : m[i].author_name,
			.at = m[i].created_at,
			.text = m[i].text,
			.from_reporter = m[i].from_reporter,
			.files = f,
			.nfiles = k,
		};
	}
	return out;
}

/* A stored part of the report did not open or could not be read. */
static void read_failed(struct page *p, int64_t id, const struct intake_error *e)
{
	if (e->code == INTAKE_ENOTFOUND) {
		handler_not_found(p);
		return;
	}
	log_error("report %lld: reading it failed (code %d)", (long long)id, e->code);
	if (e->code == INTAKE_EDAMAGED)
		page_fail(p, 500, "Part of this report cannot be decrypted: the stored data is damaged. Tell your administrator; the audit trail and the backups can show what happened.");
	else
		page_fail(p, 503, "The report cannot be read at the moment. Try again later.");
}

/* Everything decrypted for one page, freed (and wiped) together. */
struct opened {
	struct intake_report r;
	struct intake_message *msgs, *notes;
	size_t nmsgs, nnotes;
	struct intake_attachment *att;
	size_t natt;
};

static void opened_free(struct opened *o)
{
	intake_report_free(&o->r);
	intake_messages_free(o->msgs, o->nmsgs);
	intake_messages_free(o->notes, o->nnotes);
	memset(o, 0, sizeof *o);
}

static int open_all(struct page *p, const struct intake_key *k, struct opened *o,
		    struct intake_error *e)
{
	if (intake_read(p->db, k, &o->r, e) != 0 ||
	    intake_messages(p->db, k, &o->msgs, &o->nmsgs, e) != 0 ||
	    intake_notes(p->db, k, &o->notes, &o->nnotes, e) != 0)
		return -1;
	o->att = arena_alloc(p->a, (o->r.nattachments ? o->r.nattachments : 1) * sizeof *o->att);
	return intake_attachments(p->db, k, o->att, o->r.nattachments, &o->natt, e);
}

void handler_show_report(struct page *p, int64_t id, int status, const struct handler_form *f)
{
	static const struct handler_form none;
	if (!f)
		f = &none;
	struct intake_key k;
	if (handler_open_key(p, id, &k) != 0)
		return;
	struct opened o = {0};
	struct intake_error e = {0};
	int r = open_all(p, &k, &o, &e);
	intake_key_wipe(&k);
	if (r != 0) {
		opened_free(&o);
		read_failed(p, id, &e);
		return;
	}
	const struct intake_report *rep = &o.r;
	char today[DATE_LEN + 1];
	date_today(today);
	struct org_table t;
	org_table_init(&t);
	int have_orgs = orgs_load_recent(p->db, &t) == 0; /* names only */
	const char *base = arena_printf(p->a, "/meldingen/%lld", (long long)id);
	struct handler_report_view v = {
		.csrf = p->csrf,
		.base = base,
		.title = page_tr1(p, "Report {}", arena_printf(p->a, "%lld", (long long)id)),
		.org = org_label(p, have_orgs ? &t : NULL, rep->org_code),
		.kind = report_view_kind(p, rep->kind),
		.mode = report_view_mode(p, rep->mode),
		.received = rep->received_on,
		.status = report_view_status(p, rep),
		.handed_over_on = rep->handed_over_on,
		.registered = rep->registered_by != 0,
		.record_agreed_on = rep->record_agreed_on,
		.can_ack = !*rep->acknowledged_on,
		.can_feedback = !*rep->feedback_on,
		.can_handover = !*rep->handed_over_on,
		.can_open_case = (p->viewer->roles & (1u << ROLE_INTEGRITY_COORDINATOR)) != 0,
		.message_text = f->message_text,
		.message_error = f->message_error,
		.note_text = f->note_text,
		.note_error = f->note_error,
		.step_error = f->step_error,
	};
	org_table_free(&t);
	clocks_view(p, rep->received_on, rep->acknowledged_on, rep->feedback_on, rep->ack_due,
		    rep->feedback_due, today, &v.ack, &v.feedback);
	/* the same lines the reporter sees of their report (report_view.h) */
	const struct rv_line *lines;
	const char *identity;
	if (report_view_lines(p, rep, &lines, &v.nanswers, &identity) != 0) {
		log_error("report %lld: its answers cannot be shown (questionnaire %s revision %lld)",
			  (long long)id, rep->questionnaire, (long long)rep->questionnaire_revision);
		v.answers_note = page_tr(p, "The answers of this report cannot be shown: the questionnaire it was answered with is not part of this version of Probity, or the stored text is damaged. Tell your administrator.");
	}
	v.answers = lines;
	if (strcmp(rep->mode, "anonymous") != 0 && identity && *identity) {
		v.identity = identity;
		v.identity_open = strcmp(rep->mode, "open") == 0;
	}
	struct hv_file *files = arena_alloc(p->a, (o.natt ? o.natt : 1) * sizeof *files);
	for (size_t i = 0; i < o.natt; i++)
		if (o.att[i].message_id == 0)
			files[v.nfiles++] = file_view(p, base, &o.att[i]);
	v.files = files;
	v.messages = thread_view(p, base, o.msgs, o.nmsgs, o.att, o.natt);
	v.nmessages = o.nmsgs;
	v.notes = thread_view(p, base, o.notes, o.nnotes, NULL, 0);
	v.nnotes = o.nnotes;
	if (!p->notice) {
		const char *done = http_query(p->req, "done");
		if (done && strcmp(done, "ack") == 0)
			p->notice = page_tr(p, "Acknowledgement of receipt recorded.");
		else if (done && strcmp(done, "feedback") == 0)
			p->notice = page_tr(p, "Feedback recorded.");
		else if (done && strcmp(done, "handover") == 0)
			p->notice = page_tr(p, "The report was handed over to case handling.");
		else if (done && strcmp(done, "message") == 0)
			p->notice = page_tr(p, "Your message was sent to the reporter.");
		else if (done && strcmp(done, "note") == 0)
			p->notice = page_tr(p, "Your note was added.");
	}
	p->res->status = status;
	page_begin(p, v.title);
	tmpl_handler_handler_report(&p->res->body, &p->t, &v);
	page_end(p);
	opened_free(&o);
}

void intake_page_handler_report(struct page *p)
{
	handler_show_report(p, p->params[0], 200, NULL);
}

/* ---- downloading an attachment ---- */

void intake_page_attachment(struct page *p)
{
	int64_t id = p->params[0], aid = p->params[1];
	struct intake_key k;
	if (handler_open_key(p, id, &k) != 0)
		return;
	struct intake_attachment info;
	unsigned char *data = NULL;
	size_t len = 0;
	struct intake_error e;
	int r = intake_attachment_get(p->db, &k, aid, &info, &data, &len, &e);
	intake_key_wipe(&k);
	if (r != 0) {
		if (e.code == INTAKE_ENOTFOUND)
			page_fail(p, 404, "This report has no such attachment.");
		else
			read_failed(p, id, &e);
		return;
	}
	upload_send(p, info.name, info.mime, data, len);
	sodium_memzero(&info, sizeof info);
}
