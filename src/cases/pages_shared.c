/* pages_shared.c: what the case pages share (pages.h): opening a case's key
 * for the viewer, the one "not found", answering a storage failure, and the
 * words for phases, roles, parties, steps, outcomes and terms.
 *
 * Log lines name case ids and error codes only, never a text: the storage's
 * messages name rows and reasons, not content, but even those stay out of
 * what a visitor sees. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/log.h"
#include "cases/dataset.h"
#include "cases/pages.h"
#include "cases/taxonomy.h"
#include "cases/views.h"
#include "orgs/orgs.h"
#include "web/i18n.h"
#include "web/page.h"

int case_data(struct page *p)
{
	char err[300];
	if (cases_data_init(err, sizeof err) == 0)
		return 0;
	log_error("the protocols and categories do not load: %s", err);
	page_fail(p, 503, "Case handling is not available: this version's protocol data does not load. Tell your administrator.");
	return -1;
}

void case_not_found(struct page *p)
{
	page_fail(p, 404, "There is no case with this number that you can open.");
}

int case_secret_key(struct page *p, unsigned char sk[32])
{
	if (session_secret_key(p->db, &p->viewer->session, sk) == 0)
		return 0;
	sodium_memzero(sk, 32);
	page_fail(p, 503, "Your key could not be opened. Sign out, sign in again and try once more.");
	return -1;
}

int case_open_key(struct page *p, int64_t id, int authority, struct cases_key *k)
{
	unsigned char sk[32];
	memset(k, 0, sizeof *k);
	if (case_data(p) != 0 || case_secret_key(p, sk) != 0)
		return -1;
	struct cases_error e = {0};
	int r = authority ? cases_key_as_authority(p->db, id, p->viewer->account.id, sk, k, &e)
			  : cases_key_as_member(p->db, id, p->viewer->account.id, sk, k, &e);
	sodium_memzero(sk, sizeof sk);
	if (r == 0)
		return 0;
	cases_key_wipe(k);
	if (e.code == CASES_EDAMAGED) {
		/* the usual cause: a password reset gave this user a new key pair */
		log_warn("case %lld: the key sealed to account %lld does not open", (long long)id,
			 (long long)p->viewer->account.id);
		page_fail(p, 403, "This case was sealed to a key you no longer have, for example because your password was reset. The case's coordinator can add you to the team again.");
		return -1;
	}
	case_fail(p, id, &e);
	return -1;
}

void case_fail(struct page *p, int64_t id, const struct cases_error *e)
{
	switch (e->code) {
	case CASES_ENOTFOUND:
		case_not_found(p);
		return;
	case CASES_EDAMAGED:
		log_error("case %lld: stored data does not open", (long long)id);
		page_fail(p, 500, "Part of this case cannot be decrypted: the stored data is damaged. Tell your administrator; the audit trail and the backups can show what happened.");
		return;
	default:
		log_error("case %lld: the storage failed (code %d)", (long long)id, e->code);
		page_fail(p, 503, "Nothing was recorded because of a problem on our side. Try again later.");
	}
}

void case_back(struct page *p, const char *done, const char *anchor)
{
	page_redirect(p, arena_printf(p->a, "/zaken/%lld?done=%s%s", (long long)p->params[0],
				      done, anchor));
}

/* ---- the machine's answers in words ---- */

const char *const *case_move_items(struct page *p, const struct cases_move *m, size_t *n)
{
	const char **out = arena_alloc(p->a, (m->nopen + m->nmissing + 1) * sizeof *out);
	size_t k = 0;
	for (size_t i = 0; i < m->nopen; i++) {
		const char *t = cases_text_get(&m->open[i]->text, p->lang);
		out[k++] = page_tr1(p, "Checklist: {}", t ? t : m->open[i]->id);
	}
	for (size_t i = 0; i < m->nmissing; i++) {
		const char *t = cases_text_get(&m->missing[i]->title, p->lang);
		out[k++] = page_tr1(p, "Record missing: {}", t ? t : m->missing[i]->id);
	}
	*n = k;
	return out;
}

const char *case_move_refusal(struct page *p, const struct cases_move *m)
{
	const char *why = m->msgid ? page_tr(p, m->msgid)
				   : page_tr(p, "The protocol does not allow this move.");
	if (m->kind == CASES_MOVE_DEVIATION &&
	    (m->code == CASES_MOVE_E_NO_APPROVAL || m->code == CASES_MOVE_E_WRONG_APPROVER))
		return arena_printf(p->a, "%s %s", why,
				    page_tr1(p, "It must be approved by: {}.",
					     page_tr(p, role_label(m->approver))));
	return why;
}

/* ---- words ---- */

const char *case_phase_title(const struct page *p, const struct cases_protocol *pr,
			     const char *phase)
{
	int i = pr ? cases_protocol_phase(pr, phase) : -1;
	const char *t = i >= 0 ? cases_text_get(&pr->phases[i].title, p->lang) : NULL;
	return t ? t : phase;
}

const char *case_role_words(const struct page *p, const char *role)
{
	if (strcmp(role, "coordinator") == 0)
		return page_tr(p, "Coordinator of the case");
	if (strcmp(role, "investigator") == 0)
		return page_tr(p, "Investigator");
	if (strcmp(role, "authority") == 0)
		return page_tr(p, "Competent authority");
	return role;
}

const char *case_party_words(const struct page *p, const char *party)
{
	if (strcmp(party, "person_concerned") == 0)
		return page_tr(p, "Person concerned");
	if (strcmp(party, "reporter") == 0)
		return page_tr(p, "Reporter");
	if (strcmp(party, "witness") == 0)
		return page_tr(p, "Witness");
	if (strcmp(party, "other") == 0)
		return page_tr(p, "Other person involved");
	return party;
}

const char *case_step_words(const struct page *p, enum cases_step s)
{
	static const char *const words[CASES_STEP_COUNT] = {
		[CASES_STEP_INFORMED] = N_("Informed about the investigation"),
		[CASES_STEP_HEARD] = N_("Heard"),
		[CASES_STEP_RECORD_OFFERED] = N_("Interview record offered for correction"),
		[CASES_STEP_RECORD_AGREED] = N_("Agreed to the interview record"),
		[CASES_STEP_ASSISTANCE_OFFERED] = N_("Told of the right to assistance"),
		[CASES_STEP_DRAFT_SENT] = N_("Draft report sent for reaction"),
		[CASES_STEP_REACTION] = N_("Reaction to the draft report received"),
		[CASES_STEP_FINAL_INSPECTED] = N_("Inspected the final report"),
	};
	return (unsigned)s < CASES_STEP_COUNT ? page_tr(p, words[s]) : "?";
}

const char *case_outcome_words(const struct page *p, const char *outcome)
{
	if (strcmp(outcome, "established") == 0)
		return page_tr(p, "Violation established");
	if (strcmp(outcome, "partly") == 0)
		return page_tr(p, "Partly established");
	if (strcmp(outcome, "not_established") == 0)
		return page_tr(p, "Not established");
	return outcome;
}

const char *case_police_words(const struct page *p, int police_report)
{
	if (police_report == 1)
		return page_tr(p, "Yes, a report was made to the police");
	if (police_report == 0)
		return page_tr(p, "No report to the police");
	return "";
}

static const char *days_text(struct page *p, int days, const char *one, const char *many)
{
	return days == 1 ? page_tr(p, one) : page_tr1(p, many, arena_printf(p->a, "%d", days));
}

struct cv_clock case_clock(struct page *p, const char *due, const char *today)
{
	struct cv_clock c = {.due = arena_strdup(p->a, due ? due : "")};
	int32_t left = 0;
	if (!due || !*due) {
		c.text = page_tr(p, "No term");
		return c;
	}
	if (date_days_between(today, due, &left) != 0) {
		c.text = "";
		return c;
	}
	if (left == 0)
		c.text = page_tr(p, "Due today");
	else if (left > 0)
		c.text = days_text(p, (int)left, N_("1 day left"), N_("{} days left"));
	else {
		c.overdue = 1;
		c.text = days_text(p, (int)-left, N_("Overdue by 1 day"), N_("Overdue by {} days"));
	}
	return c;
}

void case_orgs_load(struct page *p, struct case_orgs *o)
{
	org_table_init(&o->t);
	o->ok = orgs_load(p->db, &o->t) == 0;
}

void case_orgs_free(struct case_orgs *o)
{
	org_table_free(&o->t);
	o->ok = 0;
}

const char *case_org_label(struct page *p, const struct case_orgs *o, const char *code)
{
	if (!o) {
		struct case_orgs one;
		case_orgs_load(p, &one);
		const char *s = case_org_label(p, &one, code);
		case_orgs_free(&one);
		return s;
	}
	const struct org *x = o->ok ? org_find_latest(&o->t, code) : NULL;
	return x ? arena_printf(p->a, "%s (%s)", x->name, x->code) : arena_strdup(p->a, code);
}

const char *case_measures_words(struct page *p, const char (*codes)[CASES_ID_MAX + 1], size_t n)
{
	const struct cases_measures *ms = cases_data_measures();
	const char *out = "";
	for (size_t i = 0; i < n; i++) {
		const struct cases_measure *m = ms ? cases_measures_find(ms, codes[i]) : NULL;
		const char *t = m ? cases_text_get(&m->title, p->lang) : NULL;
		out = arena_printf(p->a, "%s%s%s", out, i ? ", " : "", t ? t : codes[i]);
	}
	return out;
}

/* The "measure" checkboxes of the form, each a code of the current list,
 * distinct. Returns how many, or -1 with *why. */
int case_form_measures(struct page *p, const char **out, const char **why)
{
	const struct cases_measures *ms = cases_data_measures();
	int n = 0;
	for (size_t i = 0; i < p->form.n; i++) {
		const struct form_field *x = &p->form.fields[i];
		if (x->filename || strcmp(x->name, "measure") != 0)
			continue;
		if (n == CASES_CASE_MEASURES_MAX) {
			*why = page_tr(p, "Choose at most 10 measures.");
			return -1;
		}
		if (!ms || !cases_measures_find(ms, x->value)) {
			*why = page_tr(p, "A measure is not on the current list of measures.");
			return -1;
		}
		for (int j = 0; j < n; j++)
			if (strcmp(out[j], x->value) == 0) {
				*why = page_tr(p, "Choose each measure once.");
				return -1;
			}
		out[n++] = x->value;
	}
	return n;
}

int case_blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

int64_t case_account_by_name(struct page *p, const char *username)
{
	struct account a;
	if (!username || !*username)
		return 0;
	/* accounts_by_name folds case and refuses malformed names as unknown */
	return accounts_by_name(p->db, username, &a) == 0 ? a.id : 0;
}

const char *case_read_move(struct page *p, const char **target, struct cases_approval_in *appr,
			   int *deviation)
{
	const char *approver = page_field(p, "approver"), *reason = page_field(p, "reason");
	*target = page_field(p, "target");
	*appr = (struct cases_approval_in){0};
	*deviation = 0;
	if (!*target || !cases_id_valid(*target, strlen(*target)))
		return page_tr(p, "Choose the phase to move the case to.");
	*deviation = (approver && *approver) || (reason && !case_blank(reason));
	if (!*deviation)
		return NULL;
	appr->approver_id = case_account_by_name(p, approver);
	appr->reason = reason ? reason : "";
	if (!appr->approver_id)
		return page_tr(p, "Give the user name of the person who approved this departure from the protocol.");
	return NULL;
}
