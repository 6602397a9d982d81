/* model.c: the rules of IPIM's records, its themes, the check that a
 * contact names no person and the escaping of a search (ipim.h). Pure: no
 * I/O, unit-tested without a database. */
#include <string.h>

#include "base/date.h"
#include "base/utf8.h"
#include "ipim/ipim.h"
#include "web/i18n.h"

const char *const ipim_themes[IPIM_NTHEMES + 1] = {"values", "interests", "information",
						   "relations", "abroad", "prevention", NULL};
/* the English titles of the Gedragscode's groups 1..6 */
static const char *const theme_labels[IPIM_NTHEMES] = {
	N_("What we stand for: our values"),
	N_("Conflicts of interest and use of public resources"),
	N_("Handling information and communication"),
	N_("Working and private relationships"),
	N_("Abroad"),
	N_("Prevention and enforcement"),
};

int ipim_theme_ok(const char *id)
{
	for (size_t i = 0; i < IPIM_NTHEMES; i++)
		if (strcmp(id, ipim_themes[i]) == 0)
			return 1;
	return 0;
}

const char *ipim_theme_label(const char *id)
{
	for (size_t i = 0; i < IPIM_NTHEMES; i++)
		if (strcmp(id, ipim_themes[i]) == 0)
			return theme_labels[i];
	return id;
}

const char *ipim_status_id(int s)
{
	return s == IPIM_DONE ? "done" : s == IPIM_OPEN ? "open" : NULL;
}

int ipim_status_parse(const char *id, int *out)
{
	if (strcmp(id, "open") == 0)
		*out = IPIM_OPEN;
	else if (strcmp(id, "done") == 0)
		*out = IPIM_DONE;
	else
		return -1;
	return 0;
}

static int text_ok(const char *s, size_t max, int multiline)
{
	size_t n = strlen(s);
	return n <= max && utf8_text_clean(s, n, multiline);
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-' || c == '+';
}

int ipim_names_a_person(const char *s)
{
	/* an e-mail address: word characters before '@', a dot after it among
	 * word characters */
	for (const char *at = strchr(s, '@'); at; at = strchr(at + 1, '@')) {
		if (at == s || !is_word(at[-1]))
			continue;
		const char *d = at + 1;
		int dot = 0;
		while (is_word(*d)) {
			dot |= *d == '.' && is_word(d[1]) && d > at + 1;
			d++;
		}
		if (dot)
			return 1;
	}
	/* a phone number: 9 or more digits, separators between them (a Dutch
	 * number has 10); a date or a span of years ("2019-2024") has 8 */
	int digits = 0;
	for (const char *c = s; *c; c++) {
		if (*c >= '0' && *c <= '9') {
			if (++digits >= 9)
				return 1;
		} else if (!(digits && strchr(" .-/()", *c)) && *c != '+') {
			digits = 0;
		}
	}
	return 0;
}

const char *ipim_meeting_check(const struct ipim_meeting *m)
{
	if (date_valid(m->held_on, strlen(m->held_on)) != 0)
		return N_("Give the date of the meeting as a date (YYYY-MM-DD).");
	if (blank(m->title))
		return N_("Give the meeting a title.");
	if (!text_ok(m->title, IPIM_TITLE_MAX, 0))
		return N_("The title is too long (at most 200 characters) or holds characters that cannot be stored.");
	if (blank(m->place))
		return N_("Say where the meeting is held, or write online.");
	if (!text_ok(m->place, IPIM_PLACE_MAX, 0))
		return N_("The place is too long (at most 200 characters) or holds characters that cannot be stored.");
	if (!text_ok(m->minutes, IPIM_MINUTES_MAX, 1))
		return N_("The minutes are too long (at most 8,000 characters) or hold characters that cannot be stored.");
	return NULL;
}

static int repeats(const struct ipim_ref *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (r[i].id == r[j].id)
				return 1;
	return 0;
}

const char *ipim_item_check(const struct ipim_item *it)
{
	if (blank(it->title))
		return N_("Give the agenda item a title.");
	if (!text_ok(it->title, IPIM_TITLE_MAX, 0))
		return N_("The title is too long (at most 200 characters) or holds characters that cannot be stored.");
	if (!text_ok(it->note, IPIM_NOTE_MAX, 1))
		return N_("The note is too long (at most 4,000 characters) or holds characters that cannot be stored.");
	if (it->nrecs > IPIM_LINKS_MAX || it->npolicies > IPIM_LINKS_MAX)
		return N_("Link at most 16 recommendations and 16 policy items to one agenda item.");
	for (size_t i = 0; i < it->nrecs; i++)
		if (it->recs[i].id <= 0)
			return N_("There is no such recommendation.");
	for (size_t i = 0; i < it->npolicies; i++)
		if (it->policies[i].id <= 0)
			return N_("There is no such policy item.");
	if (repeats(it->recs, it->nrecs) || repeats(it->policies, it->npolicies))
		return N_("A recommendation or policy item is linked twice.");
	return NULL;
}

const char *ipim_decision_check(const struct ipim_decision *d)
{
	if (blank(d->text))
		return N_("Give the text of the decision.");
	if (!text_ok(d->text, IPIM_NOTE_MAX, 1))
		return N_("The decision is too long (at most 4,000 characters) or holds characters that cannot be stored.");
	if (blank(d->owner))
		return N_("Say who follows the decision up: a role or a department.");
	if (!text_ok(d->owner, IPIM_OWNER_MAX, 0))
		return N_("Who follows it up is too long (at most 200 characters) or holds characters that cannot be stored.");
	if (ipim_names_a_person(d->owner))
		return N_("Name a role or a department, not a person: no e-mail addresses or phone numbers.");
	if (*d->due_on && date_valid(d->due_on, strlen(d->due_on)) != 0)
		return N_("Give the due date as a date (YYYY-MM-DD), or leave it empty.");
	if (!ipim_status_id(d->status))
		return N_("Choose open or done.");
	return NULL;
}

const char *ipim_practice_check(const struct ipim_practice *p, const char *today)
{
	if (p->org_id <= 0)
		return N_("Choose the department from the list.");
	if (!ipim_theme_ok(p->theme))
		return N_("Choose the theme from the list.");
	if (blank(p->title))
		return N_("Give the practice a title.");
	if (!text_ok(p->title, IPIM_TITLE_MAX, 0))
		return N_("The title is too long (at most 200 characters) or holds characters that cannot be stored.");
	if (blank(p->description))
		return N_("Describe the practice.");
	if (!text_ok(p->description, IPIM_DESC_MAX, 1))
		return N_("The description is too long (at most 8,000 characters) or holds characters that cannot be stored.");
	if (blank(p->contact))
		return N_("Give the role to contact, for example the integrity coordinator of the department.");
	if (!text_ok(p->contact, IPIM_CONTACT_MAX, 0))
		return N_("The contact role is too long (at most 200 characters) or holds characters that cannot be stored.");
	if (ipim_names_a_person(p->contact))
		return N_("Give a role to contact, never a person: no e-mail addresses or phone numbers.");
	if (date_valid(p->practised_on, strlen(p->practised_on)) != 0 ||
	    strcmp(p->practised_on, today) > 0)
		return N_("Give the date as a date (YYYY-MM-DD) that is not in the future.");
	return NULL;
}

int ipim_like_pattern(const char *q, char *out, size_t cap)
{
	size_t k = 0;
	if (cap < 3)
		return -1;
	out[k++] = '%';
	for (; *q; q++) {
		if (k + 4 > cap)
			return -1;
		if (*q == '%' || *q == '_' || *q == '\\')
			out[k++] = '\\';
		out[k++] = *q;
	}
	out[k++] = '%';
	out[k] = '\0';
	return 0;
}
