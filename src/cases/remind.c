/* remind.c: the deadline reminders (remind.h): counting what /termijnen
 * would list for an account, the message of counts and a link, and the
 * daily run that sends one per account. */
#include "cases/remind.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/email.h"
#include "base/alloc.h"
#include "cases/cases.h"
#include "intake/clock.h"
#include "intake/intake.h"
#include "web/i18n.h"
#include "web/mail.h"

#define WRAP 76

/* ---- counting ---- */

static void tally(int32_t days, unsigned *overdue, unsigned *soon)
{
	if (days < 0)
		(*overdue)++;
	else if (days <= CASES_REMIND_SOON_DAYS)
		(*soon)++;
}

static int count_cases(db_t *db, int64_t account_id, const char *today,
		       struct cases_remind_counts *out)
{
	size_t cap = 64, n = 0, total = 0;
	struct cases_list_item *items = NULL;
	for (;;) {
		items = xcalloc(cap, sizeof *items);
		if (cases_list(db, account_id, items, cap, &n, &total) != 0) {
			free(items);
			return -1;
		}
		if (total <= cap)
			break;
		free(items);
		cap = total;
	}
	for (size_t i = 0; i < n; i++) {
		int32_t days;
		if (items[i].closed_on[0] || !items[i].phase_due[0] ||
		    date_days_between(today, items[i].phase_due, &days) != 0)
			continue;
		tally(days, &out->cases_overdue, &out->cases_soon);
	}
	free(items);
	return 0;
}

static int count_reports(db_t *db, int64_t account_id, const char *today,
			 struct cases_remind_counts *out)
{
	size_t cap = 64, n = 0, total = 0;
	struct intake_inbox_item *items = NULL;
	for (;;) {
		items = xcalloc(cap, sizeof *items);
		if (intake_inbox(db, account_id, items, cap, &n, &total) != 0) {
			free(items);
			return -1;
		}
		if (total <= cap)
			break;
		free(items);
		cap = total;
	}
	for (size_t i = 0; i < n; i++) {
		const struct intake_inbox_item *it = &items[i];
		struct intake_clocks c;
		if (intake_clocks_status(it->received_on,
					 it->acknowledged_on[0] ? it->acknowledged_on : NULL,
					 it->feedback_on[0] ? it->feedback_on : NULL, today, &c) != 0)
			continue;
		const struct intake_clock *clocks[2] = {&c.ack, &c.feedback};
		for (int k = 0; k < 2; k++) {
			if (clocks[k]->state == INTAKE_CLOCK_OVERDUE)
				out->reports_overdue++;
			else if (clocks[k]->state == INTAKE_CLOCK_RUNNING)
				tally(clocks[k]->days, &out->reports_overdue, &out->reports_soon);
		}
	}
	free(items);
	return 0;
}

int cases_remind_count(db_t *db, int64_t account_id, const char *today,
		       struct cases_remind_counts *out)
{
	memset(out, 0, sizeof *out);
	if (count_cases(db, account_id, today, out) != 0 ||
	    count_reports(db, account_id, today, out) != 0) {
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

int cases_remind_any(const struct cases_remind_counts *c)
{
	return c->cases_overdue || c->cases_soon || c->reports_overdue || c->reports_soon;
}

/* ---- the message ---- */

static const char *const SUBJECT = N_("Probity: deadlines need your attention");
static const char *const INTRO = N_("Deadlines in Probity need your attention:");
static const char *const LINES[4] = {
	N_("case phases overdue: {}"),
	N_("case phases due within 3 days: {}"),
	N_("report deadlines overdue (acknowledgement of receipt, feedback): {}"),
	N_("report deadlines due within 3 days: {}"),
};
static const char *const LINK = N_("Sign in to see them: {}");
static const char *const WHY = N_("This message names no case, report, person or organisation on purpose: e-mail is not a safe place for them.");
static const char *const WHO = N_("You get it on days when something is due, because an e-mail address is set for your Probity account. Ask your administrator to remove it if you no longer want these messages.");

/* tmpl with its "{}" replaced by arg (once). */
static void fill(struct buf *b, const char *tmpl, const char *arg)
{
	const char *at = strstr(tmpl, "{}");
	if (!at) {
		buf_adds(b, tmpl);
		return;
	}
	buf_add(b, tmpl, (size_t)(at - tmpl));
	buf_adds(b, arg);
	buf_adds(b, at + 2);
}

/* Adds text as lines of at most WRAP bytes where it has spaces to break at,
 * each ended by CRLF, the first indented by indent spaces and the rest by
 * hang (under the text of a "- " item). */
static void para(struct buf *out, const char *text, int indent, int hang)
{
	const char *s = text;
	do {
		size_t width = WRAP - (size_t)indent;
		size_t n = strlen(s), cut = n;
		if (n > width) {
			cut = width;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0) /* one long word (a link): keep it whole */
				cut = strcspn(s, " ");
		}
		for (int i = 0; i < indent; i++)
			buf_addc(out, ' ');
		/* a line starting with '.' could end the SMTP data */
		if (indent == 0 && s[0] == '.')
			buf_addc(out, ' ');
		buf_add(out, s, cut);
		buf_adds(out, "\r\n");
		s += cut;
		while (*s == ' ')
			s++;
		indent = hang;
	} while (*s);
}

static void body(struct buf *out, const char *lang, const struct cases_remind_counts *c,
		 const char *link)
{
	unsigned v[4] = {c->cases_overdue, c->cases_soon, c->reports_overdue, c->reports_soon};
	struct buf line = BUF_INIT;
	para(out, i18n_translate(lang, INTRO), 0, 0);
	buf_adds(out, "\r\n");
	for (int i = 0; i < 4; i++) {
		char num[16];
		snprintf(num, sizeof num, "%u", v[i]);
		buf_reset(&line);
		buf_adds(&line, "- ");
		fill(&line, i18n_translate(lang, LINES[i]), num);
		para(out, line.p, 2, 4);
	}
	buf_adds(out, "\r\n");
	buf_reset(&line);
	fill(&line, i18n_translate(lang, LINK), link);
	para(out, line.p, 0, 0);
	buf_adds(out, "\r\n");
	para(out, i18n_translate(lang, WHY), 0, 0);
	buf_adds(out, "\r\n");
	para(out, i18n_translate(lang, WHO), 0, 0);
	buf_free(&line);
}

static int ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* A Subject header, as RFC 2047 encoded words when it is not ASCII: chunks
 * of at most 45 bytes, cut at character boundaries. */
static void subject(struct buf *out, const char *s)
{
	buf_adds(out, "Subject: ");
	if (ascii(s)) {
		buf_adds(out, s);
		buf_adds(out, "\r\n");
		return;
	}
	size_t n = strlen(s), at = 0;
	while (at < n) {
		size_t k = n - at > 45 ? 45 : n - at;
		while (at + k < n && ((unsigned char)s[at + k] & 0xc0) == 0x80)
			k--;
		char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + at, k,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "%s=?UTF-8?B?%s?=", at ? "\r\n " : "", b64);
		at += k;
	}
	buf_adds(out, "\r\n");
}

static void rfc5322_date(char *out, size_t cap, time_t now)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(out, cap, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7],
		 tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

void cases_remind_message(struct buf *out, const struct cases_remind_counts *c,
			  const char *public_url, const char *from, const char *to, time_t now)
{
	char date[64], id[33], link[600];
	unsigned char rnd[16];
	const char *nl_intro = i18n_translate("nl", INTRO);
	int dutch = strcmp(nl_intro, INTRO) != 0;
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
	rfc5322_date(date, sizeof date, now);
	snprintf(link, sizeof link, "%s/termijnen", public_url);
	const char *domain = strchr(from, '@');
	buf_printf(out, "Date: %s\r\nFrom: Probity <%s>\r\nTo: <%s>\r\n", date, from, to);
	struct buf subj = BUF_INIT;
	if (dutch) {
		buf_adds(&subj, i18n_translate("nl", SUBJECT));
		buf_adds(&subj, " / ");
	}
	buf_adds(&subj, SUBJECT);
	subject(out, subj.p);
	buf_free(&subj);
	buf_printf(out, "Message-ID: <%s.reminder@%s>\r\n", id, domain ? domain + 1 : "probity");
	buf_adds(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		      "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n");
	if (dutch) {
		body(out, "nl", c, link);
		buf_adds(out, "\r\n----\r\n\r\n");
	}
	body(out, "en", c, link);
}

/* ---- the daily run ---- */

static int run_fail(char *err, size_t errlen, const char *what, db_t *db)
{
	snprintf(err, errlen, "%s: %s", what, db ? db_error(db)->msg : "");
	return -1;
}

int cases_remind_run(db_t *db, const struct audit_signer *signer, const char *actor,
		     const struct cases_remind_settings *s, struct cases_remind_result *r,
		     char *err, size_t errlen)
{
	struct account_mailbox *mb = NULL;
	size_t n = 0;
	memset(r, 0, sizeof *r);
	if (!s->today || date_valid(s->today, strlen(s->today)) != 0) {
		snprintf(err, errlen, "today is not a date");
		return -1;
	}
	if (!s->dry_run && (!s->smtp_url || !s->public_url || !s->from ||
			    !mail_address_valid(s->from))) {
		snprintf(err, errlen, "reminders need smtp_url, smtp_from (an address) and "
			 "public_url");
		return -1;
	}
	if (accounts_mailboxes(db, &mb, &n) != 0)
		return run_fail(err, errlen, "cannot read the accounts", db);
	r->mailboxes = n;
	r->lines = xcalloc(n ? n : 1, sizeof *r->lines);
	struct buf msg = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct cases_remind_counts c;
		if (!s->again && strcmp(mb[i].reminded_on, s->today) == 0) {
			r->skipped++;
			continue;
		}
		if (cases_remind_count(db, mb[i].id, s->today, &c) != 0) {
			rc = run_fail(err, errlen, "cannot count the deadlines", db);
			break;
		}
		if (!cases_remind_any(&c))
			continue;
		r->due++;
		struct cases_remind_line *l = &r->lines[r->nlines++];
		snprintf(l->username, sizeof l->username, "%s", mb[i].username);
		l->counts = c;
		if (s->dry_run)
			continue;
		buf_reset(&msg);
		cases_remind_message(&msg, &c, s->public_url, s->from, mb[i].email, time(NULL));
		if (mail_send(s->smtp_url, s->from, mb[i].email, msg.p, msg.n, CASES_REMIND_TIMEOUT,
			      l->error, sizeof l->error) != 0) {
			r->failed++;
			continue;
		}
		l->sent = 1;
		r->sent++;
		if (accounts_set_reminded(db, mb[i].id, s->today) != 0) {
			rc = run_fail(err, errlen, "cannot record a reminder as sent", db);
			break;
		}
	}
	buf_free(&msg);
	free(mb);
	if (!s->dry_run && (r->sent || r->failed)) {
		char detail[120];
		snprintf(detail, sizeof detail, "sent %zu failed %zu on %s", r->sent, r->failed,
			 s->today);
		struct audit_entry ae = {.actor = actor, .action = "reminders.send",
					 .detail = detail};
		if (db_begin(db) != 0 || audit_append(db, signer, &ae) != 0 || db_commit(db) != 0) {
			db_rollback(db);
			if (rc == 0)
				rc = run_fail(err, errlen, "cannot record the run in the audit trail",
					      db);
		}
	}
	return rc;
}

void cases_remind_result_free(struct cases_remind_result *r)
{
	free(r->lines);
	r->lines = NULL;
	r->nlines = 0;
}
