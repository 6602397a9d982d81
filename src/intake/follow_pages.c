/* follow_pages.c: "follow your report": the reporter signs in with the
 * receipt (no account), sees the status and both legal dates, reads the
 * handlers' messages, answers with text and files, and, for a report written
 * down by a manager or adviser, agrees to that record.
 *
 * The receipt opens the report key once, at sign-in; after that a receipt
 * session (rsession.h) carries it wrapped under a key only the cookie holds.
 * Wrong receipts are throttled per client and for all clients together
 * (counting only failures, so a reporter who types the code right is never
 * slowed by others); a mistyped one (its check symbols fail) is answered
 * "look again" and not counted, because it cannot be a guess that hit. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/log.h"
#include "intake/upload.h"
#include "intake/clock.h"
#include "intake/intake.h"
#include "intake/pages.h"
#include "intake/report_view.h"
#include "intake/rsession.h"
#include "intake/views.h"
#include "intake_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/throttle.h"

#define MAX_ATTACHMENTS 200

static void render_signin(struct page *p, const char *error)
{
	struct follow_signin_view v = {p->csrf, error};
	page_begin(p, page_tr(p, "Follow your report"));
	tmpl_intake_follow_signin(&p->res->body, &p->t, &v);
	page_end(p);
}

/* Seconds the visitor must wait before another receipt attempt, or 0. */
static int receipt_wait(struct page *p, double now)
{
	int a = p->receipt_throttle ? throttle_wait(p->receipt_throttle, p->db, p->req->client, now)
				    : 0;
	int b = p->receipt_throttle_all
			? throttle_wait(p->receipt_throttle_all, p->db, throttle_everyone, now)
			: 0;
	if (a == THROTTLE_EDB || b == THROTTLE_EDB)
		return THROTTLE_EDB;
	return a > b ? a : b;
}

static void receipt_failed(struct page *p, double now)
{
	if (p->receipt_throttle)
		throttle_take(p->receipt_throttle, p->db, p->req->client, now);
	if (p->receipt_throttle_all)
		throttle_take(p->receipt_throttle_all, p->db, throttle_everyone, now);
}

void intake_page_follow(struct page *p)
{
	render_signin(p, NULL);
}

void intake_page_follow_post(struct page *p)
{
	const char *typed = page_field(p, "receipt");
	if (!typed || !*typed) {
		p->res->status = 400;
		render_signin(p, page_tr(p, "Fill in your report code."));
		return;
	}
	double now = throttle_now();
	int wait = receipt_wait(p, now);
	if (wait == THROTTLE_EDB) {
		/* the attempts cannot be counted: refuse rather than allow */
		p->res->status = 503;
		render_signin(p, page_tr(p, "Report codes cannot be checked right now. Try again in a few minutes."));
		return;
	}
	if (wait) {
		p->res->status = 429;
		http_add_header(p->res, "Retry-After", arena_printf(p->a, "%d", wait));
		render_signin(p, page_tr1(p, "Too many wrong report codes were tried. For your safety, wait {} seconds and try again.",
					  arena_printf(p->a, "%d", wait)));
		return;
	}
	char token[SESSION_TOKEN_LEN + 1];
	struct intake_rsession rs;
	struct intake_error e;
	int r = intake_rsession_create(p->db, typed, p->lang, time(NULL), token, &rs, &e);
	sodium_memzero(&rs, sizeof rs);
	if (r != 0) {
		switch (e.code) {
		case INTAKE_EMISTYPED:
			p->res->status = 400;
			render_signin(p, page_tr(p, "This code has a typing error: one of its letters or digits is not right. Look at it again."));
			return;
		case INTAKE_EINVALID:
		case INTAKE_ENOTFOUND:
			receipt_failed(p, now);
			p->res->status = e.code == INTAKE_EINVALID ? 400 : 404;
			render_signin(p, page_tr(p, "There is no report with this code. Check that you copied it completely."));
			return;
		default:
			log_warn("receipt sign-in failed: code %d", e.code);
			p->res->status = 503;
			render_signin(p, page_tr(p, "Your report cannot be opened at the moment because of a problem on our side. Try again later."));
			return;
		}
	}
	long max_age = p->limits ? p->limits->absolute_seconds : 3600;
	page_cookie(p, INTAKE_RSESSION_COOKIE, token, max_age);
	sodium_memzero(token, sizeof token);
	page_redirect(p, "/melding/overzicht");
}

/* The receipt session of this request and its report key. Answers the
 * request itself (back to sign-in) and returns -1 when there is none. */
static int open_session_or(struct page *p, struct intake_rsession *rs, struct intake_key *k,
			   int refuse_staff)
{
	const char *token = http_cookie(p->req, INTAKE_RSESSION_COOKIE);
	int r = token && p->limits ? intake_rsession_load(p->db, token, p->limits, time(NULL), rs)
				   : 1;
	if (r == 0 && intake_rsession_touch(p->db, rs, time(NULL)) == 0 &&
	    intake_rsession_key(p->db, rs, k) == 0)
		return 0;
	if (r < 0) {
		page_fail(p, 503, "Your report cannot be opened at the moment because of a problem on our side. Try again later.");
		return -1;
	}
	if (refuse_staff && p->viewer) {
		/* a staff account opens no reporter's file: only the receipt does */
		page_fail(p, 403, "Only the reporter, signed in with the report code, can open this file.");
	} else if (strcmp(p->req->method, "GET") == 0) {
		page_redirect(p, "/melding");
	} else {
		p->res->status = 403;
		render_signin(p, page_tr(p, "You were signed out of your report after a while without activity. Fill in your code again; what you wrote was not sent."));
	}
	return -1;
}

static int open_session(struct page *p, struct intake_rsession *rs, struct intake_key *k)
{
	return open_session_or(p, rs, k, 0);
}

static void render_report(struct page *p, const struct intake_key *k, const char *notice,
			  const char *error)
{
	struct intake_report r;
	struct intake_error e;
	if (intake_read(p->db, k, &r, &e) != 0) {
		page_fail(p, e.code == INTAKE_EDB ? 503 : 500,
			  "Your report cannot be opened at the moment because of a problem on our side. Try again later.");
		return;
	}
	struct follow_view v = {.csrf = p->csrf, .notice = notice, .error = error};
	v.status = report_view_status(p, &r);
	v.received_on = arena_strdup(p->a, r.received_on);
	v.ack_due = arena_strdup(p->a, r.ack_due);
	v.acknowledged_on = arena_strdup(p->a, r.acknowledged_on);
	v.feedback_due = arena_strdup(p->a, r.feedback_due);
	v.feedback_on = arena_strdup(p->a, r.feedback_on);
	v.kind = report_view_kind(p, r.kind);
	v.mode = report_view_mode(p, r.mode);
	v.registered = r.registered_by != 0;
	v.record_agreed_on = arena_strdup(p->a, r.record_agreed_on);
	char today[DATE_LEN + 1];
	date_today(today);
	struct intake_clocks c;
	if (intake_clocks_status(r.received_on, r.acknowledged_on[0] ? r.acknowledged_on : NULL,
				 r.feedback_on[0] ? r.feedback_on : NULL, today, &c) == 0) {
		v.ack_overdue = c.ack.state == INTAKE_CLOCK_OVERDUE;
		v.feedback_overdue = c.feedback.state == INTAKE_CLOCK_OVERDUE;
	}
	int bad = report_view_lines(p, &r, &v.lines, &v.nlines, &v.identity);
	intake_report_free(&r);
	struct intake_message *m = NULL;
	size_t nm = 0;
	if (bad || intake_messages(p->db, k, &m, &nm, &e) != 0) {
		page_fail(p, 500, "Your report cannot be opened at the moment because of a problem on our side. Try again later.");
		return;
	}
	struct rv_message *mv = arena_alloc(p->a, (nm + 1) * sizeof *mv);
	for (size_t i = 0; i < nm; i++)
		mv[i] = (struct rv_message){
			m[i].from_reporter ? page_tr(p, "You")
					   : page_tr(p, "The handler"),
			arena_strdup(p->a, m[i].created_at),
			arena_strndup(p->a, m[i].text, m[i].text_len), m[i].from_reporter};
	intake_messages_free(m, nm);
	v.messages = mv;
	v.nmessages = nm;
	struct intake_attachment *att = arena_alloc(p->a, MAX_ATTACHMENTS * sizeof *att);
	size_t na = 0;
	if (intake_attachments(p->db, k, att, MAX_ATTACHMENTS, &na, &e) != 0) {
		page_fail(p, 500, "Your report cannot be opened at the moment because of a problem on our side. Try again later.");
		return;
	}
	struct rv_attachment *av = arena_alloc(p->a, (na + 1) * sizeof *av);
	for (size_t i = 0; i < na; i++)
		av[i] = (struct rv_attachment){
			att[i].name, att[i].created_at, report_view_size(p, att[i].size),
			att[i].from_reporter,
			arena_printf(p->a, "/melding/bestand/%" PRId64, att[i].id)};
	v.attachments = av;
	v.nattachments = na;
	page_begin(p, page_tr(p, "Your report"));
	tmpl_intake_follow(&p->res->body, &p->t, &v);
	page_end(p);
}

void intake_page_follow_report(struct page *p)
{
	struct intake_rsession rs;
	struct intake_key k;
	if (open_session(p, &rs, &k) != 0)
		return;
	const char *n = http_query(p->req, "sent");
	render_report(p, &k, n ? page_tr(p, "Your message was sent.") : NULL, NULL);
	intake_key_wipe(&k);
	sodium_memzero(&rs, sizeof rs);
}

void intake_page_follow_message(struct page *p)
{
	struct intake_rsession rs;
	struct intake_key k;
	if (open_session(p, &rs, &k) != 0)
		return;
	const char *text = page_field(p, "text");
	size_t len = text ? strlen(text) : 0;
	struct upload up = {0};
	const char *why = NULL;
	for (size_t i = 0; i < p->form.n && !why; i++) {
		const struct form_field *x = &p->form.fields[i];
		if (strcmp(x->name, "files") == 0 && upload_chosen(x))
			why = upload_take(p, x, &up, NULL);
	}
	if (!why && len == 0 && up.n == 0)
		why = page_tr(p, "Write a message or add a file.");
	else if (!why && len > INTAKE_MESSAGE_MAX)
		why = page_tr(p, "Your message is longer than 20,000 characters. Split it over two messages.");
	struct intake_error e;
	if (!why && intake_message_add(p->db, p->signer, &k, 0, text ? text : "", len, up.files,
				       up.n, NULL, &e) != 0)
		why = page_tr(p, e.code == INTAKE_EINVALID
					 ? N_("Your message could not be sent: it contains characters that cannot be stored. Remove special characters and try again.")
					 : N_("Your message could not be sent because of a problem on our side. Nothing was stored. Try again later."));
	if (why) {
		p->res->status = 422;
		render_report(p, &k, NULL,
			      page_tr1(p, "{} Nothing was sent; your text is not kept, so copy it before you leave this page.",
				       why));
	} else {
		page_redirect(p, "/melding/overzicht?sent=1");
	}
	intake_key_wipe(&k);
	sodium_memzero(&rs, sizeof rs);
}

void intake_page_follow_agree(struct page *p)
{
	struct intake_rsession rs;
	struct intake_key k;
	if (open_session(p, &rs, &k) != 0)
		return;
	char today[DATE_LEN + 1];
	date_today(today);
	struct intake_error e;
	if (intake_record_agree(p->db, p->signer, &k, today, &e) != 0) {
		p->res->status = e.code == INTAKE_ECONFLICT ? 409 : 503;
		render_report(p, &k, NULL,
			      page_tr(p, e.code == INTAKE_ECONFLICT
						 ? N_("There is no written record to agree to, or you agreed already.")
						 : N_("Your agreement could not be recorded because of a problem on our side. Try again later.")));
	} else {
		render_report(p, &k, page_tr(p, "You agreed to the written record."), NULL);
	}
	intake_key_wipe(&k);
	sodium_memzero(&rs, sizeof rs);
}

void intake_page_follow_signout(struct page *p)
{
	const char *token = http_cookie(p->req, INTAKE_RSESSION_COOKIE);
	struct intake_rsession rs;
	if (token && p->limits &&
	    intake_rsession_load(p->db, token, p->limits, time(NULL), &rs) == 0)
		intake_rsession_destroy(p->db, &rs);
	sodium_memzero(&rs, sizeof rs);
	page_cookie(p, INTAKE_RSESSION_COOKIE, "", -1);
	render_signin(p, NULL);
}

/* The file is looked up with the session's report id (intake_attachment_get
 * selects by id AND report): another report's file answers 404 like one that
 * does not exist. Both sides' files are the reporter's to read: the handlers
 * sent theirs to the reporter, and their own uploads are theirs. Served by
 * upload_send: the stored (allow-listed) type, attachment, no-store, nosniff
 * and a CSP sandbox; the name and bytes are never logged. */
void intake_page_follow_file(struct page *p)
{
	struct intake_rsession rs;
	struct intake_key k;
	if (open_session_or(p, &rs, &k, 1) != 0)
		return;
	struct intake_attachment info;
	unsigned char *data = NULL;
	size_t len = 0;
	struct intake_error e;
	int r = intake_attachment_get(p->db, &k, p->params[0], &info, &data, &len, &e);
	intake_key_wipe(&k);
	sodium_memzero(&rs, sizeof rs);
	if (r != 0) {
		if (e.code == INTAKE_ENOTFOUND) {
			page_fail(p, 404, "Your report has no such file.");
		} else {
			log_warn("reporter's file did not open: code %d", e.code);
			page_fail(p, e.code == INTAKE_EDB ? 503 : 500,
				  "Your report cannot be opened at the moment because of a problem on our side. Try again later.");
		}
		return;
	}
	upload_send(p, info.name, info.mime, data, len);
	sodium_memzero(&info, sizeof info);
}
