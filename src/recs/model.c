/* model.c: the rules of the recommendations tracker (recs.h): the status
 * scale, the kinds of source, what a source, a recommendation and a
 * progress note must hold, when a progress report is overdue and the
 * tally. Pure: no I/O; the messages are msgids. */
#include <string.h>

#include "base/utf8.h"
#include "recs/recs.h"
#include "web/i18n.h"

static const char *const status_ids[RECS_NSTATUS] = {"none", "implemented", "partly",
						     "not_implemented"};
static const char *const status_labels[RECS_NSTATUS] = {
	N_("no status yet"), N_("implemented satisfactorily"), N_("partly implemented"),
	N_("not implemented")};

const char *recs_status_id(int s)
{
	return s >= 0 && s < RECS_NSTATUS ? status_ids[s] : NULL;
}

int recs_status_parse(const char *id, int *out)
{
	for (int s = 0; id && s < RECS_NSTATUS; s++)
		if (strcmp(id, status_ids[s]) == 0) {
			*out = s;
			return 0;
		}
	return -1;
}

const char *recs_status_label(int s)
{
	return s >= 0 && s < RECS_NSTATUS ? status_labels[s] : "";
}

const char *const recs_kinds[] = {"court_of_audit", "greco", "venice_commission",
				  "parliamentary_inquiry", "other", NULL};
static const char *const kind_labels[] = {
	N_("Court of Audit report"), N_("GRECO evaluation round"), N_("Venice Commission opinion"),
	N_("parliamentary inquiry"), N_("other source")};

int recs_kind_ok(const char *s)
{
	for (size_t i = 0; s && recs_kinds[i]; i++)
		if (strcmp(s, recs_kinds[i]) == 0)
			return 1;
	return 0;
}

const char *recs_kind_label(const char *s)
{
	for (size_t i = 0; s && recs_kinds[i]; i++)
		if (strcmp(s, recs_kinds[i]) == 0)
			return kind_labels[i];
	return s ? s : "";
}

int recs_url_ok(const char *url)
{
	size_t n = url ? strlen(url) : 0;
	if (n < 9 || n > RECS_URL_MAX || strncmp(url, "https://", 8) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' ||
		    c == '\\' || c == '`')
			return -1;
	}
	/* a host before any path, and no userinfo that could hide the real one */
	const char *host = url + 8;
	size_t hn = strcspn(host, "/?#");
	if (hn == 0 || memchr(host, '@', hn) || host[0] == ':' || host[0] == '.')
		return -1;
	return 0;
}

/* Text of at most max bytes of valid UTF-8; multiline allows line breaks
 * and tabs, other control characters never. */
static int text_ok(const char *s, size_t max, int multiline)
{
	size_t n = strlen(s);
	return n <= max && utf8_text_clean(s, n, multiline);
}

/* Something other than spaces. */
static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* A date that happened: valid and not after today. */
static int past_date(const char *d, const char *today)
{
	return date_valid(d, strlen(d)) == 0 && strcmp(d, today) <= 0;
}

static int date_or_empty(const char *d)
{
	return !*d || date_valid(d, strlen(d)) == 0;
}

const char *recs_source_check(const struct recs_source *s, const char *today)
{
	if (!recs_kind_ok(s->kind))
		return N_("Choose the kind of source from the list.");
	if (blank(s->title))
		return N_("Give the source a title.");
	if (!text_ok(s->title, RECS_TITLE_MAX, 0))
		return N_("The title is too long (at most 200 characters) or holds characters that cannot be stored.");
	if (!text_ok(s->reference, RECS_REF_MAX, 0))
		return N_("The reference is too long (at most 100 characters) or holds characters that cannot be stored.");
	if (!text_ok(s->round, RECS_ROUND_MAX, 0))
		return N_("The round or cycle is too long (at most 100 characters) or holds characters that cannot be stored.");
	if (date_valid(s->issued_on, strlen(s->issued_on)) != 0)
		return N_("Give the date of the source as a date (YYYY-MM-DD).");
	if (strcmp(s->issued_on, today) > 0)
		return N_("The date of the source lies in the future.");
	if (*s->link && recs_url_ok(s->link) != 0)
		return N_("A link must start with https:// and name a host (at most 500 characters).");
	return NULL;
}

const char *recs_rec_check(const struct recs_rec *r, const char *today)
{
	if (blank(r->number))
		return N_("Give the recommendation's number within its source.");
	if (!text_ok(r->number, RECS_NUMBER_MAX, 0))
		return N_("The number is too long (at most 20 characters) or holds characters that cannot be stored.");
	if (blank(r->text))
		return N_("Give the text of the recommendation.");
	if (!text_ok(r->text, RECS_TEXT_MAX, 1))
		return N_("The text is too long (at most 4,000 characters) or holds characters that cannot be stored.");
	if (!text_ok(r->response, RECS_TEXT_MAX, 1))
		return N_("The response is too long (at most 4,000 characters) or holds characters that cannot be stored.");
	if (!date_or_empty(r->response_on) || (*r->response_on && strcmp(r->response_on, today) > 0))
		return N_("Give the date of the response as a date (YYYY-MM-DD) that is not in the future.");
	if (!blank(r->response) && !*r->response_on)
		return N_("Give the date of the response.");
	if (blank(r->response) && *r->response_on)
		return N_("A date of response needs the response itself.");
	if (r->status < 0 || r->status >= RECS_NSTATUS)
		return N_("Choose a status from the list.");
	if (r->status == RECS_STATUS_NONE && *r->status_on)
		return N_("A recommendation without a status has no date of status.");
	if (r->status != RECS_STATUS_NONE && !past_date(r->status_on, today))
		return N_("Give the date the status was given, as a date (YYYY-MM-DD) that is not in the future.");
	if (!date_or_empty(r->report_due))
		return N_("Give the due date of the next progress report as a date (YYYY-MM-DD), or leave it empty.");
	if (r->naddressees > RECS_ADDRESSEES_MAX || r->npolicies > RECS_POLICIES_MAX)
		return N_("Too many departments or policy items are chosen.");
	for (size_t i = 0; i < r->naddressees; i++)
		for (size_t j = 0; j < i; j++)
			if (r->addressees[i].id == r->addressees[j].id)
				return N_("A department is chosen twice.");
	for (size_t i = 0; i < r->npolicies; i++)
		for (size_t j = 0; j < i; j++)
			if (r->policies[i].id == r->policies[j].id)
				return N_("A policy item is chosen twice.");
	return NULL;
}

const char *recs_note_check(const struct recs_note *n, const char *today)
{
	if (!past_date(n->noted_on, today))
		return N_("Give the date of the progress as a date (YYYY-MM-DD) that is not in the future.");
	if (blank(n->text))
		return N_("Say what progress was made.");
	if (!text_ok(n->text, RECS_TEXT_MAX, 1))
		return N_("The note is too long (at most 4,000 characters) or holds characters that cannot be stored.");
	if (n->nlinks > RECS_LINKS_MAX)
		return N_("A note takes at most five evidence links.");
	for (size_t i = 0; i < n->nlinks; i++)
		if (recs_url_ok(n->links[i]) != 0)
			return N_("An evidence link must start with https:// and name a host (at most 500 characters).");
	return NULL;
}

int recs_overdue(const struct recs_rec *r, const char *today)
{
	return *r->report_due && r->status != RECS_STATUS_IMPLEMENTED &&
	       strcmp(r->report_due, today) < 0;
}

void recs_tally_add(struct recs_tally *t, const struct recs_rec *r, const char *today)
{
	if (r->status >= 0 && r->status < RECS_NSTATUS)
		t->count[r->status]++;
	t->total++;
	t->overdue += recs_overdue(r, today);
}
