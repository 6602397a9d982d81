/* pages_report.c: a report joined to a case, read through the case
 * (GET /zaken/{id}/meldingen/{id}). Every team member reads the case's
 * reports with the report keys wrapped under the case key (cases.h), also
 * an investigator who holds no key of the report itself. Read-only: the
 * conversation with the reporter and the clocks stay with the report's
 * handlers (/meldingen). The handlers' internal notes on the report are not
 * shown: they were written for the handlers, not for the case team.
 *
 * Both keys and every decrypted text live only until the page is written. */
#include <string.h>

#include "base/log.h"
#include "cases/pages.h"
#include "cases/views.h"
#include "cases_tmpl.h"
#include "intake/intake.h"
#include "intake/report_view.h"
#include "web/i18n.h"
#include "web/page.h"

static void report_not_found(struct page *p)
{
	page_fail(p, 404, "There is no report with this number in this case.");
}

void cases_page_report(struct page *p)
{
	int64_t id = p->params[0], rid = p->params[1];
	struct cases_key k;
	if (case_open_key(p, id, 0, &k) != 0)
		return;
	struct intake_key ik;
	struct cases_error ce = {0};
	int r = cases_report_key(p->db, &k, rid, &ik, &ce);
	cases_key_wipe(&k);
	if (r != 0) {
		if (ce.code == CASES_ENOTFOUND)
			report_not_found(p);
		else
			case_fail(p, id, &ce);
		return;
	}
	struct intake_report rep = {0};
	struct intake_message *msgs = NULL;
	size_t nmsgs = 0, natt = 0;
	struct intake_attachment *att = NULL;
	struct intake_error e = {0};
	r = intake_read(p->db, &ik, &rep, &e);
	if (r == 0)
		r = intake_messages(p->db, &ik, &msgs, &nmsgs, &e);
	if (r == 0) {
		att = arena_alloc(p->a, (rep.nattachments ? rep.nattachments : 1) * sizeof *att);
		r = intake_attachments(p->db, &ik, att, rep.nattachments, &natt, &e);
	}
	intake_key_wipe(&ik);
	if (r != 0) {
		log_error("case %lld, report %lld: reading it failed (code %d)", (long long)id,
			  (long long)rid, e.code);
		intake_report_free(&rep);
		intake_messages_free(msgs, nmsgs);
		if (e.code == INTAKE_EDAMAGED)
			page_fail(p, 500, "Part of this report cannot be decrypted: the stored data is damaged. Tell your administrator; the audit trail and the backups can show what happened.");
		else
			page_fail(p, 503, "The report cannot be read at the moment. Try again later.");
		return;
	}
	struct case_report_view v = {
		.back = arena_printf(p->a, "/zaken/%lld", (long long)id),
		.title = page_tr1(p, "Report {}", arena_printf(p->a, "%lld", (long long)rid)),
		.org = case_org_label(p, NULL, rep.org_code),
		.kind = report_view_kind(p, rep.kind),
		.mode = report_view_mode(p, rep.mode),
		.received = rep.received_on,
	};
	const struct rv_line *lines;
	const char *identity;
	if (report_view_lines(p, &rep, &lines, &v.nanswers, &identity) != 0) {
		log_error("case %lld, report %lld: its answers cannot be shown", (long long)id,
			  (long long)rid);
		v.answers_note = page_tr(p, "The answers of this report cannot be shown: the questionnaire it was answered with is not part of this version of Probity, or the stored text is damaged. Tell your administrator.");
	}
	/* rv_line and cv_line are the same pair of strings */
	struct cv_line *answers = arena_alloc(p->a, (v.nanswers ? v.nanswers : 1) * sizeof *answers);
	for (size_t i = 0; i < v.nanswers; i++)
		answers[i] = (struct cv_line){lines[i].label, lines[i].value};
	v.answers = answers;
	if (strcmp(rep.mode, "anonymous") != 0 && identity && *identity) {
		v.identity = identity;
		v.identity_open = strcmp(rep.mode, "open") == 0;
	}
	struct cv_file *files = arena_alloc(p->a, (natt ? natt : 1) * sizeof *files);
	for (size_t i = 0; i < natt; i++)
		files[i] = (struct cv_file){att[i].name, att[i].mime, report_view_size(p, att[i].size),
					    att[i].created_at};
	v.files = files;
	v.nfiles = natt;
	struct cv_message *m = arena_alloc(p->a, (nmsgs ? nmsgs : 1) * sizeof *m);
	for (size_t i = 0; i < nmsgs; i++)
		m[i] = (struct cv_message){
			msgs[i].from_reporter ? page_tr(p, "The reporter") : msgs[i].author_name,
			msgs[i].created_at, msgs[i].text, msgs[i].from_reporter};
	v.messages = m;
	v.nmessages = nmsgs;
	page_begin(p, v.title);
	tmpl_cases_case_report(&p->res->body, &p->t, &v);
	page_end(p);
	intake_report_free(&rep);
	intake_messages_free(msgs, nmsgs);
}
