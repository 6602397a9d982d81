/* protocol.c: reads an investigation protocol (data/protocols/), and the
 * frame of JSON reading that this module's readers share. Pure: no I/O.
 *
 * Format (UTF-8 JSON, at most 256 KiB; unknown fields and duplicate keys are
 * refused, so that a misspelt field never goes silently unused):
 *
 *   {
 *     "format": "probity-protocol",     required, exactly this
 *     "version": 1,                     required: the FORMAT's version, exactly 1
 *     "id": ID,                         the protocol, e.g. "onderzoeksprotocol"
 *     "revision": N,                    1-9999; a case records id and revision
 *     "title": TEXT,
 *     "description": TEXT,              optional
 *     "record_types": [RECORD, ...],    1 to 40; ids unique
 *     "phases": [PHASE, ...],           2 to 20, in their normal order; ids unique
 *     "deviations": [DEVIATION, ...]    optional, up to 50
 *   }
 *
 *   RECORD    = {"id": ID, "title": TEXT}
 *   PHASE     = {"id": ID, "title": TEXT, "help": TEXT, "term_days": N,
 *                "movers": [ROLE, ...], "checklist": [ITEM, ...],
 *                "records": [ID, ...], "rights": [RIGHT, ...], "next": [ID, ...]}
 *               help optional. term_days required, 0-730 (0: no term).
 *               next: the normal successors, each a LATER phase, distinct;
 *               absent or [] only for the last phase, which is the terminal
 *               one; every phase reachable from the first through next.
 *               movers: the roles that may move a case out of the phase,
 *               distinct, at least one, and none for the terminal phase.
 *               checklist: optional, up to 40 items, ids unique in the phase.
 *               records: optional, up to 20 distinct record type ids that
 *               must exist before the case leaves the phase.
 *               rights: optional, each right at most once per phase.
 *   ITEM      = {"id": ID, "text": TEXT, "required": BOOL}   required: default false
 *   RIGHT     = {"right": "informed" | "heard" | "assistance" | "draft_reaction" |
 *                 "inspection",
 *                "parties": ["person_concerned" | "reporter" | "witness" | "other", ...],
 *                "days": N, "text": TEXT}
 *               parties: 1 or more, distinct. days: 0-365, optional, default 0;
 *               at least 1 for draft_reaction (the term to react).
 *   DEVIATION = {"from": ID, "to": ID, "approver": ROLE, "waive_requirements": BOOL,
 *                "title": TEXT}
 *               from, to: phases, different; from not terminal; not a normal
 *               move (to among from's next); each pair once.
 *               waive_requirements: default false (see cases_deviation).
 *   ROLE      = a role name of src/accounts that works on cases:
 *               "integrity_coordinator", "investigator" or "competent_authority".
 *   TEXT      = {"nl": "...", "en": "..."}: both, non-empty, at most 200 bytes for
 *               titles, 500 for checklist items and rights, 2000 for help,
 *               4000 for the description; no control or invisible
 *               characters, no space at either end.
 *   ID        = 1-32 of a-z, 0-9 and _.
 */
#include "cases/protocol.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

#define FORMAT_NAME "probity-protocol"

/* ---- names ---- */

static const char *const right_names[CASES_RIGHT_COUNT] = {
	"informed", "heard", "assistance", "draft_reaction", "inspection",
};
static const char *const party_names[CASES_PARTY_COUNT] = {
	"person_concerned", "reporter", "witness", "other",
};

const char *cases_right_name(enum cases_right r)
{
	return (unsigned)r < CASES_RIGHT_COUNT ? right_names[r] : "?";
}

const char *cases_party_name(enum cases_party p)
{
	return (unsigned)p < CASES_PARTY_COUNT ? party_names[p] : "?";
}

int cases_right_parse(const char *s, enum cases_right *out)
{
	for (int i = 0; s && i < CASES_RIGHT_COUNT; i++)
		if (strcmp(s, right_names[i]) == 0) {
			*out = (enum cases_right)i;
			return 0;
		}
	return -1;
}

int cases_party_parse(const char *s, enum cases_party *out)
{
	for (int i = 0; s && i < CASES_PARTY_COUNT; i++)
		if (strcmp(s, party_names[i]) == 0) {
			*out = (enum cases_party)i;
			return 0;
		}
	return -1;
}

/* The roles of shared/domain §2 that see case content; the others (the
 * administrator, the coordinator's aggregates, auditors, ...) must not be
 * able to move one, whatever a data file says. */
int cases_role_acts_on_cases(enum role r)
{
	return r == ROLE_INTEGRITY_COORDINATOR || r == ROLE_INVESTIGATOR ||
	       r == ROLE_COMPETENT_AUTHORITY;
}

const char *cases_text_get(const struct cases_text *t, const char *lang)
{
	if (lang && strcmp(lang, "en") == 0)
		return t->en;
	return t->nl;
}

/* ---- lookups ---- */

int cases_protocol_phase(const struct cases_protocol *p, const char *id)
{
	for (size_t i = 0; id && i < p->nphases; i++)
		if (strcmp(p->phases[i].id, id) == 0)
			return (int)i;
	return -1;
}

int cases_protocol_record_type(const struct cases_protocol *p, const char *id)
{
	for (size_t i = 0; id && i < p->nrecord_types; i++)
		if (strcmp(p->record_types[i].id, id) == 0)
			return (int)i;
	return -1;
}

const struct cases_deviation *cases_protocol_deviation(const struct cases_protocol *p,
						       size_t from, size_t to)
{
	for (size_t i = 0; i < p->ndeviations; i++)
		if (p->deviations[i].from == from && p->deviations[i].to == to)
			return &p->deviations[i];
	return NULL;
}

int cases_protocol_terminal(const struct cases_protocol *p, size_t i)
{
	return i < p->nphases && p->phases[i].nnext == 0;
}

const struct cases_right_due *cases_phase_right(const struct cases_phase *ph,
						enum cases_right r)
{
	for (size_t i = 0; i < ph->nrights; i++)
		if (ph->rights[i].right == r)
			return &ph->rights[i];
	return NULL;
}

void cases_protocol_free(struct cases_protocol *p)
{
	if (p->mem) {
		arena_free(p->mem);
		free(p->mem);
	}
	memset(p, 0, sizeof *p);
}

/* ---- characters ---- */

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length, or 0 if
 * it is malformed, overlong, a surrogate or beyond U+10FFFF. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, v = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, v = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static int is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* Characters that print as nothing or reorder the text around them: in the
 * protocol's own texts they could only hide something. */
static int is_invisible(uint32_t cp)
{
	return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

int cases_id_valid(const char *s, size_t n)
{
	if (n == 0 || n > CASES_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* ---- the shared frame ---- */

#define perr(r, path, ...) jsondoc_fail(&(r)->e, (path), __VA_ARGS__)
#define subpath jsondoc_path
#define clean jsondoc_clean
#define PATH_LEN JSONDOC_PATH_MAX
#define QLEN (JSONDOC_CLEAN_MAX + 1)

int cases_rd_string(struct cases_reader *r, const char *path, const char *what, json_t *v,
		    const char **out, size_t *len)
{
	if (!json_is_string(v))
		return perr(r, path, "%s must be a string", what);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n)
		return perr(r, path, "%s contains a NUL character", what);
	*out = arena_strndup(r->a, s, n);
	if (len)
		*len = n;
	return 0;
}

/* Checks the string v (already known to be one) as an id; what names it. */
static int id_of(struct cases_reader *r, const char *path, const char *what, json_t *v,
		 const char **out)
{
	size_t n = 0;
	if (cases_rd_string(r, path, what, v, out, &n))
		return -1;
	if (!cases_id_valid(*out, n)) {
		char q[QLEN];
		return perr(r, path, "%s \"%s\" must be 1 to %d of a-z, 0-9 and _", what,
			    clean(*out, n, q, JSONDOC_CLEAN_MAX), CASES_ID_MAX);
	}
	return 0;
}

int cases_rd_id(struct cases_reader *r, const char *path, json_t *obj, const char *key,
		const char **out)
{
	char what[48];
	json_t *v = json_object_get(obj, key);
	snprintf(what, sizeof what, "\"%s\"", key);
	if (!v)
		return perr(r, path, "lacks the field \"%s\"", key);
	return id_of(r, path, what, v, out);
}

/* Checks one language's text s (n bytes) of a TEXT. */
static int text_ok(struct cases_reader *r, const char *path, const char *lang, const char *s,
		   size_t n, size_t max)
{
	if (n == 0)
		return perr(r, path, "\"%s\" is empty", lang);
	if (n > max)
		return perr(r, path, "\"%s\" is longer than %zu bytes", lang, max);
	if (s[0] == ' ' || s[n - 1] == ' ')
		return perr(r, path, "\"%s\" begins or ends with a space", lang);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = decode((const unsigned char *)s + i, n - i, &cp);
		if (len == 0)
			return perr(r, path, "\"%s\" is not valid UTF-8", lang);
		if (is_control(cp))
			return perr(r, path, "\"%s\" contains a control character (tab, newline "
				    "or similar)", lang);
		if (is_invisible(cp))
			return perr(r, path, "\"%s\" contains the invisible character U+%04X", lang,
				    (unsigned)cp);
		i += len;
	}
	return 0;
}

int cases_rd_text(struct cases_reader *r, const char *path, json_t *obj, const char *key,
		  int required, size_t max, struct cases_text *out)
{
	static const char *const langs[] = {"nl", "en", NULL};
	char sub[PATH_LEN];
	json_t *v = json_object_get(obj, key);
	out->nl = out->en = NULL;
	if (!v) {
		if (required)
			return perr(r, path, "lacks the field \"%s\"", key);
		return 0;
	}
	/* "title: ..." rather than "top level.title: ..." */
	if (strcmp(path, "top level") == 0)
		subpath(sub, "%s", key);
	else
		subpath(sub, "%s.%s", path, key);
	if (!json_is_object(v))
		return perr(r, sub, "must be an object {\"nl\": \"...\", \"en\": \"...\"}");
	if (jsondoc_only_fields(&r->e, sub, v, langs))
		return -1;
	for (int i = 0; langs[i]; i++) {
		const char **dst = i == 0 ? &out->nl : &out->en;
		char what[16];
		size_t n = 0;
		json_t *s = json_object_get(v, langs[i]);
		snprintf(what, sizeof what, "\"%s\"", langs[i]);
		if (!s) {
			out->nl = out->en = NULL;
			return perr(r, sub, "lacks the field \"%s\"", langs[i]);
		}
		if (cases_rd_string(r, sub, what, s, dst, &n) ||
		    text_ok(r, sub, langs[i], *dst, n, max)) {
			out->nl = out->en = NULL;
			return -1;
		}
	}
	return 0;
}

int cases_rd_int(struct cases_reader *r, const char *path, json_t *obj, const char *key,
		 int required, json_int_t min, json_int_t max, json_int_t *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			return perr(r, path, "lacks the field \"%s\"", key);
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return perr(r, path, "\"%s\" must be a whole number from %lld to %lld", key,
			    (long long)min, (long long)max);
	*out = json_integer_value(v);
	return 0;
}

int cases_rd_bool(struct cases_reader *r, const char *path, json_t *obj, const char *key,
		  int *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return perr(r, path, "\"%s\" must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

int cases_rd_list(struct cases_reader *r, const char *path, json_t *obj, const char *key,
		  size_t min, size_t max, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v && min == 0)
		return 0;
	if (!v || !json_is_array(v) || json_array_size(v) < min || json_array_size(v) > max)
		return perr(r, path, "\"%s\" must be a list of %zu to %zu entries", key, min, max);
	*out = v;
	return 0;
}

/* ---- the protocol reader ---- */

struct parser {
	struct cases_reader r;
	struct cases_record_type *types;
	size_t ntypes;
	struct cases_phase *phases;
	size_t nphases;
};

/* A role name at v (path) that may act on cases, into *out. */
static int role_of(struct cases_reader *r, const char *path, json_t *v, enum role *out)
{
	const char *name = NULL;
	char q[QLEN];
	if (cases_rd_string(r, path, "the role", v, &name, NULL))
		return -1;
	if (role_parse(name, out) != 0)
		return perr(r, path, "unknown role \"%s\"", clean(name, strlen(name), q,
								   JSONDOC_CLEAN_MAX));
	if (!cases_role_acts_on_cases(*out))
		return perr(r, path, "the role \"%s\" does not work on cases, so it may not move "
			    "one or approve a deviation; use integrity_coordinator, investigator "
			    "or competent_authority", name);
	return 0;
}

static int parse_record_types(struct parser *ps, json_t *root)
{
	static const char *const keys[] = {"id", "title", NULL};
	json_t *arr;
	char path[PATH_LEN];
	if (cases_rd_list(&ps->r, "top level", root, "record_types", 1, CASES_MAX_RECORD_TYPES,
			  &arr))
		return -1;
	size_t n = json_array_size(arr);
	ps->types = arena_alloc(ps->r.a, n * sizeof *ps->types);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		struct cases_record_type *t = &ps->types[i];
		subpath(path, "record_types[%zu]", i);
		if (!json_is_object(o))
			return perr(&ps->r, path, "must be an object {\"id\": ..., \"title\": ...}");
		if (jsondoc_only_fields(&ps->r.e, path, o, keys) ||
		    cases_rd_id(&ps->r, path, o, "id", &t->id) ||
		    cases_rd_text(&ps->r, path, o, "title", 1, CASES_TITLE_MAX, &t->title))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (strcmp(ps->types[k].id, t->id) == 0)
				return perr(&ps->r, path, "\"id\" \"%s\" is already used by "
					    "record_types[%zu]", t->id, k);
		ps->ntypes++;
	}
	return 0;
}

static int parse_checklist(struct parser *ps, const char *path, json_t *o,
			   struct cases_phase *ph)
{
	static const char *const keys[] = {"id", "text", "required", NULL};
	json_t *arr;
	char sub[PATH_LEN];
	if (cases_rd_list(&ps->r, path, o, "checklist", 0, CASES_MAX_CHECKLIST, &arr))
		return -1;
	if (!arr)
		return 0;
	size_t n = json_array_size(arr);
	struct cases_check_item *items = arena_alloc(ps->r.a, (n + 1) * sizeof *items);
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(arr, i);
		subpath(sub, "%s.checklist[%zu]", path, i);
		if (!json_is_object(it))
			return perr(&ps->r, sub, "must be an object {\"id\": ..., \"text\": ...}");
		if (jsondoc_only_fields(&ps->r.e, sub, it, keys) ||
		    cases_rd_id(&ps->r, sub, it, "id", &items[i].id) ||
		    cases_rd_text(&ps->r, sub, it, "text", 1, CASES_ITEM_MAX, &items[i].text) ||
		    cases_rd_bool(&ps->r, sub, it, "required", &items[i].required))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (strcmp(items[k].id, items[i].id) == 0)
				return perr(&ps->r, sub, "\"id\" \"%s\" is already used by "
					    "checklist[%zu]", items[i].id, k);
	}
	ph->checklist = items;
	ph->nchecklist = n;
	return 0;
}

static int parse_records(struct parser *ps, const char *path, json_t *o,
			 struct cases_phase *ph)
{
	json_t *arr;
	char sub[PATH_LEN], q[QLEN];
	if (cases_rd_list(&ps->r, path, o, "records", 0, CASES_MAX_PHASE_RECORDS, &arr))
		return -1;
	if (!arr)
		return 0;
	size_t n = json_array_size(arr);
	size_t *rec = arena_alloc(ps->r.a, (n + 1) * sizeof *rec);
	for (size_t i = 0; i < n; i++) {
		const char *id = NULL;
		subpath(sub, "%s.records[%zu]", path, i);
		if (id_of(&ps->r, sub, "the record type", json_array_get(arr, i), &id))
			return -1;
		size_t t = 0;
		while (t < ps->ntypes && strcmp(ps->types[t].id, id) != 0)
			t++;
		if (t == ps->ntypes)
			return perr(&ps->r, sub, "\"%s\" is not one of the record_types",
				    clean(id, strlen(id), q, JSONDOC_CLEAN_MAX));
		for (size_t k = 0; k < i; k++)
			if (rec[k] == t)
				return perr(&ps->r, sub, "\"%s\" is listed twice", id);
		rec[i] = t;
	}
	ph->records = rec;
	ph->nrecords = n;
	return 0;
}

static int parse_right(struct parser *ps, const char *path, json_t *o,
		       struct cases_right_due *d)
{
	static const char *const keys[] = {"right", "parties", "days", "text", NULL};
	const char *name = NULL;
	json_t *arr, *v;
	char sub[PATH_LEN], q[QLEN];
	if (!json_is_object(o))
		return perr(&ps->r, path, "must be an object {\"right\": ..., \"parties\": [...], "
			    "\"text\": ...}");
	if (jsondoc_only_fields(&ps->r.e, path, o, keys))
		return -1;
	v = json_object_get(o, "right");
	if (!v)
		return perr(&ps->r, path, "lacks the field \"right\"");
	if (cases_rd_string(&ps->r, path, "\"right\"", v, &name, NULL))
		return -1;
	if (cases_right_parse(name, &d->right) != 0)
		return perr(&ps->r, path, "unknown right \"%s\": use informed, heard, assistance, "
			    "draft_reaction or inspection", clean(name, strlen(name), q,
								  JSONDOC_CLEAN_MAX));
	if (cases_rd_list(&ps->r, path, o, "parties", 1, CASES_PARTY_COUNT, &arr))
		return -1;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *pn = NULL;
		enum cases_party party;
		subpath(sub, "%s.parties[%zu]", path, i);
		if (cases_rd_string(&ps->r, sub, "the party", json_array_get(arr, i), &pn, NULL))
			return -1;
		if (cases_party_parse(pn, &party) != 0)
			return perr(&ps->r, sub, "unknown party \"%s\": use person_concerned, "
				    "reporter, witness or other", clean(pn, strlen(pn), q,
									JSONDOC_CLEAN_MAX));
		if (d->parties & (1u << party))
			return perr(&ps->r, sub, "\"%s\" is listed twice", pn);
		d->parties |= 1u << party;
	}
	json_int_t days = 0;
	if (cases_rd_int(&ps->r, path, o, "days", 0, 0, CASES_MAX_RIGHT_DAYS, &days))
		return -1;
	if (d->right == CASES_RIGHT_DRAFT_REACTION && days == 0)
		return perr(&ps->r, path, "draft_reaction needs \"days\": the term to react, "
			    "1 to %d", CASES_MAX_RIGHT_DAYS);
	d->days = (int)days;
	return cases_rd_text(&ps->r, path, o, "text", 1, CASES_ITEM_MAX, &d->text);
}

static int parse_rights(struct parser *ps, const char *path, json_t *o,
			struct cases_phase *ph)
{
	json_t *arr;
	char sub[PATH_LEN];
	if (cases_rd_list(&ps->r, path, o, "rights", 0, CASES_RIGHT_COUNT, &arr))
		return -1;
	if (!arr)
		return 0;
	size_t n = json_array_size(arr);
	struct cases_right_due *d = arena_alloc(ps->r.a, (n + 1) * sizeof *d);
	for (size_t i = 0; i < n; i++) {
		subpath(sub, "%s.rights[%zu]", path, i);
		if (parse_right(ps, sub, json_array_get(arr, i), &d[i]))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (d[k].right == d[i].right)
				return perr(&ps->r, sub, "the right \"%s\" is already listed in "
					    "rights[%zu]", cases_right_name(d[i].right), k);
	}
	ph->rights = d;
	ph->nrights = n;
	return 0;
}

static int parse_movers(struct parser *ps, const char *path, json_t *o,
			struct cases_phase *ph, int terminal)
{
	json_t *arr;
	char sub[PATH_LEN];
	if (cases_rd_list(&ps->r, path, o, "movers", 0, ROLE_COUNT, &arr))
		return -1;
	size_t n = arr ? json_array_size(arr) : 0;
	if (terminal && n)
		return perr(&ps->r, path, "the terminal phase (no \"next\") cannot have \"movers\": "
			    "no case leaves it");
	if (!terminal && n == 0)
		return perr(&ps->r, path, "\"movers\" must name at least one role that may move "
			    "a case on");
	for (size_t i = 0; i < n; i++) {
		enum role role;
		subpath(sub, "%s.movers[%zu]", path, i);
		if (role_of(&ps->r, sub, json_array_get(arr, i), &role))
			return -1;
		if (ph->movers & role_mask(role))
			return perr(&ps->r, sub, "\"%s\" is listed twice", role_name(role));
		ph->movers |= role_mask(role);
	}
	return 0;
}

static int parse_phase(struct parser *ps, const char *path, json_t *o, size_t index,
		       json_t **next)
{
	static const char *const keys[] = {"id", "title", "help", "term_days", "movers",
					   "checklist", "records", "rights", "next", NULL};
	struct cases_phase *ph = &ps->phases[index];
	if (!json_is_object(o))
		return perr(&ps->r, path, "must be an object");
	if (jsondoc_only_fields(&ps->r.e, path, o, keys) ||
	    cases_rd_id(&ps->r, path, o, "id", &ph->id))
		return -1;
	for (size_t k = 0; k < index; k++)
		if (strcmp(ps->phases[k].id, ph->id) == 0)
			return perr(&ps->r, path, "\"id\" \"%s\" is already used by phases[%zu]",
				    ph->id, k);
	json_int_t term = 0;
	if (cases_rd_text(&ps->r, path, o, "title", 1, CASES_TITLE_MAX, &ph->title) ||
	    cases_rd_text(&ps->r, path, o, "help", 0, CASES_HELP_MAX, &ph->help) ||
	    cases_rd_int(&ps->r, path, o, "term_days", 1, 0, CASES_MAX_TERM_DAYS, &term))
		return -1;
	ph->term_days = (int)term;
	if (parse_checklist(ps, path, o, ph) || parse_records(ps, path, o, ph) ||
	    parse_rights(ps, path, o, ph))
		return -1;
	if (cases_rd_list(&ps->r, path, o, "next", 0, CASES_MAX_PHASES, next))
		return -1;
	int terminal = !*next || json_array_size(*next) == 0;
	if (terminal && index + 1 != ps->nphases)
		return perr(&ps->r, path, "\"%s\" has no \"next\", but only the last phase may be "
			    "terminal; list its normal successors", ph->id);
	return parse_movers(ps, path, o, ph, terminal);
}

/* Resolves phase i's next (after every phase has been read, so that names
 * can point ahead): later phases only, each once. */
static int resolve_next(struct parser *ps, size_t i, json_t *next)
{
	struct cases_phase *ph = &ps->phases[i];
	char path[PATH_LEN], q[QLEN];
	size_t n = next ? json_array_size(next) : 0;
	if (n == 0)
		return 0;  /* the last phase: parse_phase refused any other without next */
	size_t *out = arena_alloc(ps->r.a, n * sizeof *out);
	for (size_t k = 0; k < n; k++) {
		const char *id = NULL;
		subpath(path, "phases[%zu].next[%zu]", i, k);
		if (id_of(&ps->r, path, "the phase", json_array_get(next, k), &id))
			return -1;
		size_t t = 0;
		while (t < ps->nphases && strcmp(ps->phases[t].id, id) != 0)
			t++;
		if (t == ps->nphases)
			return perr(&ps->r, path, "\"%s\" is not a phase of this protocol",
				    clean(id, strlen(id), q, JSONDOC_CLEAN_MAX));
		if (t == i)
			return perr(&ps->r, path, "\"%s\" is this phase itself: the normal route "
				    "cannot loop", id);
		if (t < i)
			return perr(&ps->r, path, "\"%s\" is an earlier phase: the normal route only "
				    "goes forward, so that it cannot loop (a way back is a "
				    "deviation)", id);
		for (size_t j = 0; j < k; j++)
			if (out[j] == t)
				return perr(&ps->r, path, "\"%s\" is listed twice", id);
		out[k] = t;
	}
	ph->next = out;
	ph->nnext = n;
	return 0;
}

/* Every phase must lie on the normal route from the first: next only goes
 * forward, so one pass in order sees each phase's predecessors first. */
static int check_reachable(struct parser *ps)
{
	unsigned char seen[CASES_MAX_PHASES] = {1};
	for (size_t i = 0; i < ps->nphases; i++) {
		if (!seen[i]) {
			char path[PATH_LEN];
			subpath(path, "phases[%zu]", i);
			return perr(&ps->r, path, "\"%s\" cannot be reached from the first phase "
				    "through \"next\"", ps->phases[i].id);
		}
		for (size_t k = 0; k < ps->phases[i].nnext; k++)
			seen[ps->phases[i].next[k]] = 1;
	}
	return 0;
}

/* The phase named by field key of o, into *out. */
static int phase_ref(struct parser *ps, const char *path, json_t *o, const char *key,
		     size_t *out)
{
	const char *id = NULL;
	char q[QLEN];
	if (cases_rd_id(&ps->r, path, o, key, &id))
		return -1;
	for (size_t t = 0; t < ps->nphases; t++)
		if (strcmp(ps->phases[t].id, id) == 0) {
			*out = t;
			return 0;
		}
	return perr(&ps->r, path, "\"%s\" \"%s\" is not a phase of this protocol", key,
		    clean(id, strlen(id), q, JSONDOC_CLEAN_MAX));
}

static int parse_deviations(struct parser *ps, json_t *root, struct cases_protocol *out)
{
	static const char *const keys[] = {"from", "to", "approver", "waive_requirements",
					   "title", NULL};
	json_t *arr;
	char path[PATH_LEN];
	if (cases_rd_list(&ps->r, "top level", root, "deviations", 0, CASES_MAX_DEVIATIONS,
			  &arr))
		return -1;
	size_t n = arr ? json_array_size(arr) : 0;
	struct cases_deviation *d = arena_alloc(ps->r.a, (n + 1) * sizeof *d);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i), *v;
		subpath(path, "deviations[%zu]", i);
		if (!json_is_object(o))
			return perr(&ps->r, path, "must be an object {\"from\": ..., \"to\": ..., "
				    "\"approver\": ...}");
		if (jsondoc_only_fields(&ps->r.e, path, o, keys) ||
		    phase_ref(ps, path, o, "from", &d[i].from) ||
		    phase_ref(ps, path, o, "to", &d[i].to))
			return -1;
		const struct cases_phase *from = &ps->phases[d[i].from];
		if (d[i].from == d[i].to)
			return perr(&ps->r, path, "\"from\" and \"to\" are both \"%s\"", from->id);
		if (from->nnext == 0)
			return perr(&ps->r, path, "\"from\" \"%s\" is the terminal phase, which no "
				    "case leaves", from->id);
		for (size_t k = 0; k < from->nnext; k++)
			if (from->next[k] == d[i].to)
				return perr(&ps->r, path, "from \"%s\" to \"%s\" is a normal move "
					    "(in \"next\"), not a deviation", from->id,
					    ps->phases[d[i].to].id);
		for (size_t k = 0; k < i; k++)
			if (d[k].from == d[i].from && d[k].to == d[i].to)
				return perr(&ps->r, path, "from \"%s\" to \"%s\" is already "
					    "deviations[%zu]", from->id, ps->phases[d[i].to].id, k);
		v = json_object_get(o, "approver");
		if (!v)
			return perr(&ps->r, path, "lacks the field \"approver\"");
		char sub[PATH_LEN];
		subpath(sub, "%s.approver", path);
		if (role_of(&ps->r, sub, v, &d[i].approver) ||
		    cases_rd_bool(&ps->r, path, o, "waive_requirements", &d[i].waive) ||
		    cases_rd_text(&ps->r, path, o, "title", 1, CASES_TITLE_MAX, &d[i].title))
			return -1;
	}
	out->deviations = d;
	out->ndeviations = n;
	return 0;
}

int cases_protocol_parse(const char *text, size_t len, struct cases_protocol *out, char *err,
			 size_t errlen)
{
	static const char *const top[] = {"format", "version", "id", "revision", "title",
					  "description", "record_types", "phases",
					  "deviations", NULL};
	struct parser ps = {.r = {.e = {err, errlen}}};
	json_t *root, *phases;
	json_t *nexts[CASES_MAX_PHASES];
	json_int_t revision = 0;
	memset(out, 0, sizeof *out);
	root = jsondoc_load(&ps.r.e, text, len, CASES_PROTOCOL_MAX_BYTES, FORMAT_NAME, 1, top);
	if (!root)
		return -1;
	out->mem = xcalloc(1, sizeof(struct arena));
	ps.r.a = out->mem;
	if (cases_rd_id(&ps.r, "top level", root, "id", &out->id) ||
	    cases_rd_int(&ps.r, "top level", root, "revision", 1, 1, CASES_MAX_REVISION,
			 &revision) ||
	    cases_rd_text(&ps.r, "top level", root, "title", 1, CASES_TITLE_MAX, &out->title) ||
	    cases_rd_text(&ps.r, "top level", root, "description", 0, CASES_DESCRIPTION_MAX,
			  &out->description) ||
	    parse_record_types(&ps, root) ||
	    cases_rd_list(&ps.r, "top level", root, "phases", 2, CASES_MAX_PHASES, &phases))
		goto fail;
	out->revision = (int)revision;
	ps.nphases = json_array_size(phases);
	ps.phases = arena_alloc(ps.r.a, ps.nphases * sizeof *ps.phases);
	for (size_t i = 0; i < ps.nphases; i++) {
		char path[PATH_LEN];
		subpath(path, "phases[%zu]", i);
		if (parse_phase(&ps, path, json_array_get(phases, i), i, &nexts[i]))
			goto fail;
	}
	for (size_t i = 0; i < ps.nphases; i++)
		if (resolve_next(&ps, i, nexts[i]))
			goto fail;
	if (check_reachable(&ps) || parse_deviations(&ps, root, out))
		goto fail;
	out->record_types = ps.types;
	out->nrecord_types = ps.ntypes;
	out->phases = ps.phases;
	out->nphases = ps.nphases;
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	cases_protocol_free(out);
	return -1;
}
