/* pages_shared.c: what the self-assessment pages share (pages.h): reading
 * an assessment for the viewer with the one 404, opening its key, and the
 * words for statuses, judgements, maturity and scores.
 *
 * Log lines name ids and error codes only, never a comment. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "assess/pages.h"
#include "base/log.h"
#include "web/i18n.h"
#include "web/page.h"

void assess_page_not_found(struct page *p)
{
	page_fail(p, 404, "There is no self-assessment with this number that you can open.");
}

int assess_page_read(struct page *p, int64_t id, struct assess_full *a)
{
	struct assess_error e;
	if (assess_read(p->db, p->viewer->account.id, id, a, &e) == 0)
		return 0;
	switch (e.code) {
	case ASSESS_ENOTFOUND:
		assess_page_not_found(p);
		break;
	case ASSESS_EDAMAGED:
		log_error("assessment %lld: its framework revision is missing", (long long)id);
		page_fail(p, 500, "This self-assessment cannot be shown: its framework is missing from the database. Tell your administrator.");
		break;
	default:
		log_error("assessment %lld: the storage failed (code %d)", (long long)id, e.code);
		page_fail(p, 503, "The self-assessment cannot be read at the moment. Try again later.");
	}
	return -1;
}

int assess_page_key(struct page *p, int64_t id, unsigned char key[ENVELOPE_KEY_BYTES])
{
	unsigned char sk[32];
	struct assess_error e;
	if (session_secret_key(p->db, &p->viewer->session, sk) != 0) {
		sodium_memzero(sk, sizeof sk);
		return -1;
	}
	int r = assess_key_open(p->db, p->signer, p->viewer->account.id, sk, id, key, &e);
	sodium_memzero(sk, sizeof sk);
	if (r == 0)
		return 0;
	if (e.code == ASSESS_ENOKEY || e.code == ASSESS_ENOTFOUND)
		return 1;
	/* the usual cause of a key that does not open: a password reset */
	log_warn("assessment %lld: the key of account %lld does not open (code %d)",
		 (long long)id, (long long)p->viewer->account.id, e.code);
	return -1;
}

const char *assess_words_status(const struct page *p, int status)
{
	switch (status) {
	case ASSESS_DRAFT:
		return page_tr(p, "Draft");
	case ASSESS_SIGNED_OFF:
		return page_tr(p, "Signed off, awaiting review");
	case ASSESS_REVIEWED:
		return page_tr(p, "Reviewed");
	default:
		return "?";
	}
}

const char *assess_words_judgement(const struct page *p, int j)
{
	static const char *const w[] = {N_("Not assessed"), N_("Absent"), N_("Partly"),
					N_("Adequate")};
	return j >= 0 && j <= ASSESS_J_ADEQUATE ? page_tr(p, w[j]) : "?";
}

const char *assess_words_maturity(const struct page *p, int m)
{
	static const char *const w[] = {N_("Not assessed"), N_("Nascent"), N_("Emerging"),
					N_("Established"), N_("Leading")};
	return m >= 0 && m <= ASSESS_M_LEADING ? page_tr(p, w[m]) : "?";
}

const char *assess_words_ap_status(const struct page *p, int s)
{
	static const char *const w[] = {N_("Open"), N_("In progress"), N_("Done")};
	return s >= 0 && s <= ASSESS_AP_DONE ? page_tr(p, w[s]) : "?";
}

const char *assess_words_dim(const struct page *p, int d)
{
	static const char *const w[] = {N_("Design (opzet)"), N_("Existence (bestaan)"),
					N_("Operation (werking)")};
	return d >= 0 && d < ASSESS_DIMS ? page_tr(p, w[d]) : "?";
}

const char *assess_words_score(struct page *p, const struct assess_score *s)
{
	if (s->shown < 0)
		return page_tr(p, "not assessed");
	return arena_printf(p->a, "%d", s->shown);
}

const char *assess_words_framework(struct page *p, const struct framework *f)
{
	return arena_printf(p->a, "%s (%s, %s %d)",
			    fw_lang(f->title_nl, f->title_en, p->lang), f->code,
			    page_tr(p, "revision"), f->revision);
}

const char *assess_words_title(struct page *p, const struct assess_full *a)
{
	return arena_printf(p->a, "%s %s %d: %s", page_tr(p, "Self-assessment"),
			    a->row.dept_code, a->row.year,
			    fw_lang(a->fw.title_nl, a->fw.title_en, p->lang));
}
