/* test_cases_protocol.c: the protocol reader (cases_protocol_parse in
 * src/cases/protocol.c): the shipped protocol parses into the phases of
 * shared/domain §7 with their terms, movers, checklists, records, rights and
 * deviations; a small protocol reads into exactly what it says; and every
 * malformed shape is refused with a message naming its JSON path and the
 * rule: unknown and duplicate keys, bad ids, a "next" naming an unknown or
 * earlier phase (a cycle), an unreachable or second terminal phase, unknown
 * roles and record types, a deviation that is a normal move, texts beyond
 * their limits, wrong format and version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cases/protocol.h"

#define T(s) "{\"nl\": \"" s "\", \"en\": \"" s "\"}"

/* A small protocol using every field: a -> b -> c, a -> c, and b back to a
 * as a deviation. Variants replace one piece of it. */
static const char base[] =
	"{\"format\": \"probity-protocol\", \"version\": 1, \"id\": \"p\", \"revision\": 3, "
	"\"title\": " T("Protocol") ", \"description\": " T("Beschrijving") ", "
	"\"record_types\": [{\"id\": \"r1\", \"title\": " T("Record one") "}, "
	"{\"id\": \"r2\", \"title\": " T("Record two") "}], "
	"\"phases\": ["
	"{\"id\": \"a\", \"title\": " T("A") ", \"help\": " T("Help A") ", \"term_days\": 10, "
	"\"movers\": [\"investigator\", \"integrity_coordinator\"], "
	"\"checklist\": [{\"id\": \"c1\", \"text\": " T("Item 1") ", \"required\": true}, "
	"{\"id\": \"c2\", \"text\": " T("Item 2") "}], "
	"\"records\": [\"r2\"], "
	"\"rights\": [{\"right\": \"informed\", \"parties\": [\"person_concerned\", \"witness\"], "
	"\"text\": " T("Informed") "}, {\"right\": \"draft_reaction\", \"parties\": [\"reporter\"], "
	"\"days\": 14, \"text\": " T("React") "}], "
	"\"next\": [\"b\", \"c\"]}, "
	"{\"id\": \"b\", \"title\": " T("B") ", \"term_days\": 0, "
	"\"movers\": [\"competent_authority\"], \"next\": [\"c\"]}, "
	"{\"id\": \"c\", \"title\": " T("C") ", \"term_days\": 5}], "
	"\"deviations\": [{\"from\": \"b\", \"to\": \"a\", \"approver\": "
	"\"integrity_coordinator\", \"waive_requirements\": true, \"title\": " T("Back") "}]}";

/* base with the first `old` replaced by `new`; malloc'd. */
static char *variant(const char *old, const char *new)
{
	const char *at = strstr(base, old);
	if (!at)
		fail_msg("not in the base document: %s", old);
	size_t pre = (size_t)(at - base), lo = strlen(old), ln = strlen(new);
	char *out = malloc(sizeof base - lo + ln);
	assert_non_null(out);
	memcpy(out, base, pre);
	memcpy(out + pre, new, ln);
	strcpy(out + pre + ln, at + lo);
	return out;
}

static int parse(const char *text, struct cases_protocol *p, char *err, size_t errlen)
{
	return cases_protocol_parse(text, strlen(text), p, err, errlen);
}

/* Expects the variant (old -> new) to be refused with want in the message,
 * and the result left empty. */
static void refused(const char *old, const char *new, const char *want)
{
	char *text = variant(old, new);
	struct cases_protocol p;
	char err[512];
	int r = parse(text, &p, err, sizeof err);
	if (r != -1)
		fail_msg("accepted (wanted \"%s\"): %s", want, text);
	if (!strstr(err, want))
		fail_msg("message \"%s\" lacks \"%s\"", err, want);
	assert_null(p.mem);
	assert_null(p.phases);
	assert_int_equal(p.nphases, 0);
	free(text);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	char *buf = malloc(CASES_PROTOCOL_MAX_BYTES + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, CASES_PROTOCOL_MAX_BYTES + 1, f);
	fclose(f);
	assert_true(*len <= CASES_PROTOCOL_MAX_BYTES);
	return buf;
}

static void texts(const struct cases_text *t)
{
	assert_non_null(t->nl);
	assert_non_null(t->en);
	assert_true(t->nl[0] && t->en[0]);
}

static unsigned roles2(enum role a, enum role b)
{
	return role_mask(a) | role_mask(b);
}

/* The shipped protocol: the seven phases of shared/domain §7 in order, the
 * terms, who moves each on, what each requires, the rights, the deviations. */
static void test_shipped(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp(SRCDIR "/data/protocols/onderzoeksprotocol-v1.json", &len);
	struct cases_protocol p;
	char err[512];
	if (cases_protocol_parse(text, len, &p, err, sizeof err) != 0)
		fail_msg("onderzoeksprotocol-v1.json refused: %s", err);
	free(text);
	assert_string_equal(p.id, "onderzoeksprotocol");
	assert_int_equal(p.revision, 1);
	texts(&p.title);
	texts(&p.description);
	static const struct {
		const char *id;
		int term;
		unsigned movers;
		const char *records[3];
		const char *next[3];
	} want[] = {
		{"intake", 14, 0, {"intake_summary"}, {"decision"}},
		{"decision", 14, 0, {"decision_memo"}, {"investigation", "closing"}},
		{"investigation", 90, 0, {"interview_record"}, {"draft_report"}},
		{"draft_report", 28, 0, {"draft_report", "hearing_reaction"}, {"final_report"}},
		{"final_report", 14, 0, {"final_report"}, {"authority_decision"}},
		{"authority_decision", 28, 0, {"authority_decision"}, {"closing"}},
		{"closing", 28, 0, {"closing_memo"}, {NULL}},
	};
	unsigned movers[] = {
		roles2(ROLE_INTEGRITY_COORDINATOR, ROLE_INVESTIGATOR),
		roles2(ROLE_INTEGRITY_COORDINATOR, ROLE_COMPETENT_AUTHORITY),
		roles2(ROLE_INTEGRITY_COORDINATOR, ROLE_INVESTIGATOR),
		roles2(ROLE_INTEGRITY_COORDINATOR, ROLE_INVESTIGATOR),
		roles2(ROLE_INTEGRITY_COORDINATOR, ROLE_INVESTIGATOR),
		role_mask(ROLE_COMPETENT_AUTHORITY),
		0,
	};
	assert_int_equal(p.nphases, 7);
	for (size_t i = 0; i < p.nphases; i++) {
		const struct cases_phase *ph = &p.phases[i];
		assert_string_equal(ph->id, want[i].id);
		assert_int_equal(ph->term_days, want[i].term);
		assert_int_equal(ph->movers, movers[i]);
		texts(&ph->title);
		texts(&ph->help);
		size_t n = 0;
		while (n < 3 && want[i].records[n])
			n++;
		assert_int_equal(ph->nrecords, n);
		for (size_t k = 0; k < n; k++)
			assert_string_equal(p.record_types[ph->records[k]].id, want[i].records[k]);
		n = 0;
		while (n < 3 && want[i].next[n])
			n++;
		assert_int_equal(ph->nnext, n);
		for (size_t k = 0; k < n; k++)
			assert_string_equal(p.phases[ph->next[k]].id, want[i].next[k]);
		/* every phase has a checklist with at least one required item */
		size_t required = 0;
		for (size_t k = 0; k < ph->nchecklist; k++) {
			texts(&ph->checklist[k].text);
			required += ph->checklist[k].required != 0;
		}
		assert_true(required > 0);
		assert_int_equal(cases_protocol_terminal(&p, i), i == 6);
	}
	assert_int_equal(p.nrecord_types, 8);
	for (size_t i = 0; i < p.nrecord_types; i++)
		texts(&p.record_types[i].title);
	assert_int_equal(cases_protocol_record_type(&p, "hearing_reaction"), 4);
	assert_int_equal(cases_protocol_record_type(&p, "nope"), -1);
	assert_int_equal(cases_protocol_phase(&p, "closing"), 6);
	assert_int_equal(cases_protocol_phase(&p, NULL), -1);
	/* rights: hearing of both sides with its term, assistance, inspection */
	const struct cases_phase *draft = &p.phases[3];
	const struct cases_right_due *r = cases_phase_right(draft, CASES_RIGHT_DRAFT_REACTION);
	assert_non_null(r);
	assert_int_equal(r->days, 14);
	assert_true(r->parties & (1u << CASES_PARTY_PERSON_CONCERNED));
	assert_true(r->parties & (1u << CASES_PARTY_REPORTER));
	assert_non_null(cases_phase_right(draft, CASES_RIGHT_ASSISTANCE));
	assert_null(cases_phase_right(draft, CASES_RIGHT_INSPECTION));
	const struct cases_phase *inv = &p.phases[2];
	assert_non_null(cases_phase_right(inv, CASES_RIGHT_INFORMED));
	assert_non_null(cases_phase_right(inv, CASES_RIGHT_HEARD));
	assert_non_null(cases_phase_right(inv, CASES_RIGHT_ASSISTANCE));
	assert_non_null(cases_phase_right(&p.phases[4], CASES_RIGHT_INSPECTION));
	assert_non_null(cases_phase_right(&p.phases[5], CASES_RIGHT_HEARD));
	for (size_t i = 0; i < p.nphases; i++)
		for (size_t k = 0; k < p.phases[i].nrights; k++) {
			texts(&p.phases[i].rights[k].text);
			assert_true(p.phases[i].rights[k].parties != 0);
		}
	/* deviations: skipping the hearing needs the competent authority; going
	 * back from the final report, the integrity coordinator */
	assert_int_equal(p.ndeviations, 5);
	const struct cases_deviation *d = cases_protocol_deviation(&p, 2, 4);
	assert_non_null(d);
	assert_int_equal(d->approver, ROLE_COMPETENT_AUTHORITY);
	assert_false(d->waive);
	d = cases_protocol_deviation(&p, 4, 2);
	assert_non_null(d);
	assert_int_equal(d->approver, ROLE_INTEGRITY_COORDINATOR);
	assert_true(d->waive);
	texts(&d->title);
	assert_null(cases_protocol_deviation(&p, 0, 1));
	assert_string_equal(cases_text_get(&p.phases[2].title, "en"), "Investigation");
	assert_string_equal(cases_text_get(&p.phases[2].title, "nl"), "Onderzoek");
	assert_string_equal(cases_text_get(&p.phases[2].title, "fr"), "Onderzoek");
	cases_protocol_free(&p);
	assert_null(p.mem);
	cases_protocol_free(&p);
}

static void test_small(void **state)
{
	(void)state;
	struct cases_protocol p;
	char err[512];
	if (parse(base, &p, err, sizeof err) != 0)
		fail_msg("refused: %s", err);
	assert_string_equal(p.id, "p");
	assert_int_equal(p.revision, 3);
	assert_string_equal(p.description.nl, "Beschrijving");
	assert_int_equal(p.nrecord_types, 2);
	assert_int_equal(p.nphases, 3);
	const struct cases_phase *a = &p.phases[0], *b = &p.phases[1], *c = &p.phases[2];
	assert_string_equal(a->help.en, "Help A");
	assert_null(b->help.nl);
	assert_int_equal(a->term_days, 10);
	assert_int_equal(b->term_days, 0);
	assert_int_equal(a->movers, roles2(ROLE_INVESTIGATOR, ROLE_INTEGRITY_COORDINATOR));
	assert_int_equal(b->movers, role_mask(ROLE_COMPETENT_AUTHORITY));
	assert_int_equal(c->movers, 0);
	assert_int_equal(a->nchecklist, 2);
	assert_true(a->checklist[0].required);
	assert_false(a->checklist[1].required);
	assert_string_equal(a->checklist[1].id, "c2");
	assert_int_equal(a->nrecords, 1);
	assert_int_equal(a->records[0], 1);
	assert_int_equal(a->nrights, 2);
	assert_int_equal(a->rights[0].right, CASES_RIGHT_INFORMED);
	assert_int_equal(a->rights[0].parties,
			 (1u << CASES_PARTY_PERSON_CONCERNED) | (1u << CASES_PARTY_WITNESS));
	assert_int_equal(a->rights[0].days, 0);
	assert_int_equal(a->rights[1].days, 14);
	assert_int_equal(a->nnext, 2);
	assert_int_equal(a->next[0], 1);
	assert_int_equal(a->next[1], 2);
	assert_int_equal(b->nchecklist, 0);
	assert_int_equal(c->nnext, 0);
	assert_int_equal(p.ndeviations, 1);
	assert_int_equal(p.deviations[0].from, 1);
	assert_int_equal(p.deviations[0].to, 0);
	assert_int_equal(p.deviations[0].approver, ROLE_INTEGRITY_COORDINATOR);
	assert_true(p.deviations[0].waive);
	cases_protocol_free(&p);
	/* deviations are optional; the names round-trip */
	char *t = strdup(base);
	assert_non_null(t);
	strcpy(strstr(t, ", \"deviations\""), "}");
	if (parse(t, &p, err, sizeof err) != 0)
		fail_msg("refused: %s", err);
	assert_int_equal(p.ndeviations, 0);
	cases_protocol_free(&p);
	free(t);
	for (int i = 0; i < CASES_RIGHT_COUNT; i++) {
		enum cases_right r;
		assert_int_equal(cases_right_parse(cases_right_name((enum cases_right)i), &r), 0);
		assert_int_equal(r, i);
	}
	for (int i = 0; i < CASES_PARTY_COUNT; i++) {
		enum cases_party x;
		assert_int_equal(cases_party_parse(cases_party_name((enum cases_party)i), &x), 0);
		assert_int_equal(x, i);
	}
	enum cases_right r;
	assert_int_equal(cases_right_parse("Informed", &r), -1);
	assert_int_equal(cases_right_parse(NULL, &r), -1);
	assert_string_equal(cases_right_name(CASES_RIGHT_COUNT), "?");
	assert_string_equal(cases_party_name((enum cases_party)-1), "?");
	for (int i = 0; i < ROLE_COUNT; i++)
		assert_int_equal(cases_role_acts_on_cases((enum role)i),
				 i == ROLE_INTEGRITY_COORDINATOR || i == ROLE_INVESTIGATOR ||
				 i == ROLE_COMPETENT_AUTHORITY);
}

static void test_refused_document(void **state)
{
	(void)state;
	struct cases_protocol p;
	char err[512];
	static const struct {
		const char *text, *want;
	} docs[] = {
		{"", "line 1"},
		{"[]", "top level: must be an object"},
		{"{\"format\": \"probity-protocol\", \"version\": 1,", "line 1"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1}",
		 "format: must be \"probity-protocol\""},
		{"{\"format\": \"probity-protocol\", \"version\": 2}", "version: must be 1"},
		{"{\"format\": \"probity-protocol\", \"version\": 0}", "version: must be 1"},
		{"{\"format\": \"probity-protocol\"}", "version: must be 1"},
		{"{\"version\": 1}", "format: must be"},
		{"{\"format\": \"probity-protocol\", \"version\": 1, \"version\": 1}", "duplicate"},
	};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		assert_int_equal(parse(docs[i].text, &p, err, sizeof err), -1);
		if (!strstr(err, docs[i].want))
			fail_msg("%s: message \"%s\" lacks \"%s\"", docs[i].text, err, docs[i].want);
		assert_null(p.mem);
	}
	/* the top level */
	refused("\"revision\": 3", "\"revision\": 3, \"colour\": 1",
		"top level: unknown field \"colour\"");
	refused("\"revision\": 3", "\"revision\": 3, \"revision\": 4", "duplicate object key");
	refused("\"id\": \"p\"", "\"id\": \"P\"", "top level: \"id\" \"P\" must be 1 to 32 of a-z");
	refused("\"id\": \"p\"", "\"id\": \"\"", "top level: \"id\" \"\" must be 1 to 32");
	refused("\"id\": \"p\"", "\"id\": \"abcdefghijklmnopqrstuvwxyz0123456\"", "must be 1 to 32");
	refused("\"id\": \"p\"", "\"id\": 1", "top level: \"id\" must be a string");
	refused("\"id\": \"p\", ", "", "top level: lacks the field \"id\"");
	refused("\"revision\": 3", "\"revision\": 0", "\"revision\" must be a whole number from 1 to 9999");
	refused("\"revision\": 3", "\"revision\": 10000", "from 1 to 9999");
	refused("\"revision\": 3", "\"revision\": \"3\"", "\"revision\" must be a whole number");
	refused("\"revision\": 3, ", "", "top level: lacks the field \"revision\"");
	refused("\"title\": " T("Protocol") ", ", "", "top level: lacks the field \"title\"");
	refused("\"description\": " T("Beschrijving"), "\"description\": \"text\"",
		"description: must be an object");
	refused("\"record_types\": [{", "\"record_types\": [], \"x_\": [{",
		"unknown field \"x_\"");
	refused("\"phases\": [", "\"phases\": 1, \"ph\": [", "unknown field \"ph\"");
	refused("\"deviations\": [", "\"deviations\": {}, \"dv\": [", "unknown field \"dv\"");
}

static void test_refused_texts(void **state)
{
	(void)state;
	refused(T("Protocol"), "\"Protocol\"", "title: must be an object");
	refused(T("Protocol"), "{\"nl\": \"P\"}", "title: lacks the field \"en\"");
	refused(T("Protocol"), "{\"nl\": \"P\", \"en\": \"P\", \"de\": \"P\"}",
		"title: unknown field \"de\"");
	refused(T("Protocol"), "{\"nl\": \"\", \"en\": \"P\"}", "title: \"nl\" is empty");
	refused(T("Protocol"), "{\"nl\": \"P\", \"en\": 1}", "title: \"en\" must be a string");
	refused(T("Protocol"), "{\"nl\": \"P\\tQ\", \"en\": \"P\"}",
		"title: \"nl\" contains a control character");
	refused(T("Protocol"), "{\"nl\": \"P\\u0085\", \"en\": \"P\"}",
		"title: \"nl\" contains a control character");
	refused(T("Protocol"), "{\"nl\": \"P\", \"en\": \"P\\u200bQ\"}",
		"title: \"en\" contains the invisible character U+200B");
	refused(T("Protocol"), "{\"nl\": \" P\", \"en\": \"P\"}",
		"title: \"nl\" begins or ends with a space");
	refused(T("Protocol"), "{\"nl\": \"P\\u0000\", \"en\": \"P\"}", "line 1");
	refused(T("Protocol"), "{\"nl\": \"P\xff\", \"en\": \"P\"}", "line 1");
	/* the limits, at their edge and one past it */
	char fill[CASES_DESCRIPTION_MAX + 2];
	memset(fill, 'x', sizeof fill - 1);
	fill[sizeof fill - 1] = 0;
	static const struct {
		const char *old;
		int en;         /* the English text is the long one */
		const char *want;
		size_t max;
	} lim[] = {
		{T("Protocol"), 0,
		 "title: \"nl\" is longer than 200 bytes", CASES_TITLE_MAX},
		{T("Item 1"), 1,
		 "phases[0].checklist[0].text: \"en\" is longer than 500 bytes", CASES_ITEM_MAX},
		{T("Help A"), 0,
		 "phases[0].help: \"nl\" is longer than 2000 bytes", CASES_HELP_MAX},
		{T("Beschrijving"), 0,
		 "description: \"nl\" is longer than 4000 bytes", CASES_DESCRIPTION_MAX},
		{T("Informed"), 0,
		 "phases[0].rights[0].text: \"nl\" is longer than 500 bytes", CASES_ITEM_MAX},
		{T("Back"), 0,
		 "deviations[0].title: \"nl\" is longer than 200 bytes", CASES_TITLE_MAX},
		{T("Record one"), 0,
		 "record_types[0].title: \"nl\" is longer than 200 bytes", CASES_TITLE_MAX},
	};
	for (size_t i = 0; i < sizeof lim / sizeof *lim; i++)
		for (size_t extra = 0; extra < 2; extra++) {
			char repl[CASES_DESCRIPTION_MAX + 64];
			if (lim[i].en)
				snprintf(repl, sizeof repl, "{\"nl\": \"I\", \"en\": \"%.*s\"}",
					 (int)(lim[i].max + extra), fill);
			else
				snprintf(repl, sizeof repl, "{\"nl\": \"%.*s\", \"en\": \"P\"}",
					 (int)(lim[i].max + extra), fill);
			char *t = variant(lim[i].old, repl);
			struct cases_protocol p;
			char err[512];
			int r = parse(t, &p, err, sizeof err);
			if (extra == 0) {
				if (r != 0)
					fail_msg("refused at the limit: %s", err);
				cases_protocol_free(&p);
			} else {
				assert_int_equal(r, -1);
				if (!strstr(err, lim[i].want))
					fail_msg("message \"%s\" lacks \"%s\"", err, lim[i].want);
			}
			free(t);
		}
}

/* A protocol of n phases in a chain p0 -> p1 -> ... into buf. */
static void chain(int n, char *buf, size_t cap)
{
	size_t k = (size_t)snprintf(buf, cap, "{\"format\": \"probity-protocol\", \"version\": 1, "
				    "\"id\": \"p\", \"revision\": 1, \"title\": " T("P") ", "
				    "\"record_types\": [{\"id\": \"r\", \"title\": " T("R") "}], "
				    "\"phases\": [");
	for (int i = 0; i < n; i++) {
		k += (size_t)snprintf(buf + k, cap - k, "%s{\"id\": \"p%d\", \"title\": " T("P")
				      ", \"term_days\": 1", i ? ", " : "", i);
		if (i + 1 < n)
			k += (size_t)snprintf(buf + k, cap - k, ", \"movers\": [\"investigator\"], "
					      "\"next\": [\"p%d\"]", i + 1);
		k += (size_t)snprintf(buf + k, cap - k, "}");
	}
	snprintf(buf + k, cap - k, "]}");
	assert_true(k + 2 < cap);
}

static void test_refused_phases(void **state)
{
	(void)state;
	/* the list and each phase */
	refused("\"phases\": [{\"id\": \"a\"", "\"phases\": [7, {\"id\": \"a\"",
		"phases[0]: must be an object");
	refused("\"term_days\": 10,", "\"term_days\": 10, \"colour\": \"red\",",
		"phases[0]: unknown field \"colour\"");
	refused("\"term_days\": 10,", "\"term_days\": 10, \"term_days\": 11,", "duplicate");
	refused("{\"id\": \"a\", ", "{\"id\": \"A\", ", "phases[0]: \"id\" \"A\" must be 1 to 32");
	refused("{\"id\": \"a\", ", "{\"id\": \"a b\", ", "phases[0]: \"id\" \"a b\" must be");
	refused("{\"id\": \"a\", ", "{\"id\": \"a-b\", ", "phases[0]: \"id\" \"a-b\" must be");
	refused("{\"id\": \"a\", ", "{", "phases[0]: lacks the field \"id\"");
	refused("{\"id\": \"b\", ", "{\"id\": \"a\", ",
		"phases[1]: \"id\" \"a\" is already used by phases[0]");
	refused("\"title\": " T("A") ", ", "", "phases[0]: lacks the field \"title\"");
	refused("\"term_days\": 10, ", "", "phases[0]: lacks the field \"term_days\"");
	refused("\"term_days\": 10", "\"term_days\": -1",
		"phases[0]: \"term_days\" must be a whole number from 0 to 730");
	refused("\"term_days\": 10", "\"term_days\": 731", "from 0 to 730");
	refused("\"term_days\": 10", "\"term_days\": 1.5", "\"term_days\" must be a whole number");
	/* two phases at least, twenty at most */
	struct cases_protocol p;
	char err[512], buf[16384];
	chain(1, buf, sizeof buf);
	assert_int_equal(parse(buf, &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "top level: \"phases\" must be a list of 2 to 20 entries"));
	chain(21, buf, sizeof buf);
	assert_int_equal(parse(buf, &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "top level: \"phases\" must be a list of 2 to 20 entries"));
	chain(20, buf, sizeof buf);
	if (parse(buf, &p, err, sizeof err) != 0)
		fail_msg("twenty phases refused: %s", err);
	assert_int_equal(p.nphases, 20);
	assert_int_equal(p.phases[19].nnext, 0);
	cases_protocol_free(&p);
}

static void test_refused_route(void **state)
{
	(void)state;
	/* next: an unknown phase, the phase itself, an earlier one (a cycle), twice */
	refused("\"next\": [\"b\", \"c\"]", "\"next\": [\"b\", \"zz\"]",
		"phases[0].next[1]: \"zz\" is not a phase of this protocol");
	refused("\"next\": [\"b\", \"c\"]", "\"next\": [\"b\", \"Zz\"]",
		"phases[0].next[1]: the phase \"Zz\" must be 1 to 32");
	refused("\"next\": [\"b\", \"c\"]", "\"next\": [\"b\", 3]",
		"phases[0].next[1]: the phase must be a string");
	refused("\"next\": [\"b\", \"c\"]", "\"next\": \"b\"",
		"phases[0]: \"next\" must be a list of 0 to 20 entries");
	refused("\"next\": [\"b\", \"c\"]", "\"next\": [\"a\", \"c\"]",
		"phases[0].next[0]: \"a\" is this phase itself: the normal route cannot loop");
	refused("\"next\": [\"c\"]", "\"next\": [\"a\"]",
		"phases[1].next[0]: \"a\" is an earlier phase: the normal route only goes forward, "
		"so that it cannot loop");
	refused("\"next\": [\"b\", \"c\"]", "\"next\": [\"b\", \"b\"]",
		"phases[0].next[1]: \"b\" is listed twice");
	/* the terminal phase: only the last; the last cannot go on (that would loop) */
	refused(", \"next\": [\"c\"]", "", "phases[1]: \"b\" has no \"next\", but only the last "
		"phase may be terminal");
	refused(", \"next\": [\"c\"]", ", \"next\": []", "phases[1]: \"b\" has no \"next\"");
	refused("\"term_days\": 5}", "\"term_days\": 5, \"movers\": [\"investigator\"], "
		"\"next\": [\"a\"]}", "phases[2].next[0]: \"a\" is an earlier phase");
	/* every phase on the normal route from the first */
	refused("\"next\": [\"b\", \"c\"]", "\"next\": [\"c\"]",
		"phases[1]: \"b\" cannot be reached from the first phase through \"next\"");
	/* movers */
	refused("\"movers\": [\"investigator\", \"integrity_coordinator\"]",
		"\"movers\": [\"detective\"]", "phases[0].movers[0]: unknown role \"detective\"");
	refused("\"movers\": [\"investigator\", \"integrity_coordinator\"]",
		"\"movers\": [\"Investigator\"]", "unknown role \"Investigator\"");
	refused("\"movers\": [\"investigator\", \"integrity_coordinator\"]",
		"\"movers\": [\"investigator\", \"administrator\"]",
		"phases[0].movers[1]: the role \"administrator\" does not work on cases");
	refused("\"movers\": [\"investigator\", \"integrity_coordinator\"]",
		"\"movers\": [\"auditor\"]", "the role \"auditor\" does not work on cases");
	refused("\"movers\": [\"investigator\", \"integrity_coordinator\"]",
		"\"movers\": [\"investigator\", \"investigator\"]",
		"phases[0].movers[1]: \"investigator\" is listed twice");
	refused("\"movers\": [\"investigator\", \"integrity_coordinator\"]", "\"movers\": []",
		"phases[0]: \"movers\" must name at least one role");
	refused("\"movers\": [\"competent_authority\"], ", "",
		"phases[1]: \"movers\" must name at least one role");
	refused("\"term_days\": 5}", "\"term_days\": 5, \"movers\": [\"investigator\"]}",
		"phases[2]: the terminal phase (no \"next\") cannot have \"movers\"");
	refused("\"movers\": [\"investigator\", \"integrity_coordinator\"]",
		"\"movers\": [1]", "phases[0].movers[0]: the role must be a string");
}

static void test_refused_contents(void **state)
{
	(void)state;
	/* record types */
	refused("{\"id\": \"r2\", ", "{\"id\": \"r1\", ",
		"record_types[1]: \"id\" \"r1\" is already used by record_types[0]");
	refused("{\"id\": \"r2\", ", "{\"id\": \"R2\", ", "record_types[1]: \"id\" \"R2\" must be");
	refused("\"title\": " T("Record two") "}", "\"title\": " T("Record two") ", \"x\": 1}",
		"record_types[1]: unknown field \"x\"");
	refused("\"record_types\": [{\"id\": \"r1\", \"title\": " T("Record one") "}, "
		"{\"id\": \"r2\", \"title\": " T("Record two") "}]", "\"record_types\": []",
		"top level: \"record_types\" must be a list of 1 to 40 entries");
	refused("\"records\": [\"r2\"]", "\"records\": [\"r9\"]",
		"phases[0].records[0]: \"r9\" is not one of the record_types");
	refused("\"records\": [\"r2\"]", "\"records\": [\"r2\", \"r2\"]",
		"phases[0].records[1]: \"r2\" is listed twice");
	refused("\"records\": [\"r2\"]", "\"records\": \"r2\"",
		"phases[0]: \"records\" must be a list of 0 to 20 entries");
	/* checklist */
	refused("{\"id\": \"c2\"", "{\"id\": \"c1\"",
		"phases[0].checklist[1]: \"id\" \"c1\" is already used by checklist[0]");
	refused("\"required\": true}", "\"required\": \"yes\"}",
		"phases[0].checklist[0]: \"required\" must be true or false");
	refused("\"required\": true}", "\"required\": true, \"due\": 3}",
		"phases[0].checklist[0]: unknown field \"due\"");
	refused("{\"id\": \"c1\", \"text\": " T("Item 1") ", ", "{",
		"phases[0].checklist[0]: lacks the field \"id\"");
	refused("\"checklist\": [{", "\"checklist\": [3, {", "phases[0].checklist[0]: must be an object");
	/* rights */
	refused("\"right\": \"informed\"", "\"right\": \"silence\"",
		"phases[0].rights[0]: unknown right \"silence\"");
	refused("[\"person_concerned\", \"witness\"]", "[\"person_concerned\", \"bystander\"]",
		"phases[0].rights[0].parties[1]: unknown party \"bystander\"");
	refused("[\"person_concerned\", \"witness\"]", "[\"witness\", \"witness\"]",
		"phases[0].rights[0].parties[1]: \"witness\" is listed twice");
	refused("[\"person_concerned\", \"witness\"]", "[]",
		"phases[0].rights[0]: \"parties\" must be a list of 1 to 4 entries");
	refused("\"days\": 14, ", "", "phases[0].rights[1]: draft_reaction needs \"days\"");
	refused("\"days\": 14", "\"days\": 366",
		"phases[0].rights[1]: \"days\" must be a whole number from 0 to 365");
	refused("\"right\": \"draft_reaction\"", "\"right\": \"informed\"",
		"phases[0].rights[1]: the right \"informed\" is already listed in rights[0]");
	refused("\"text\": " T("Informed") "}", "\"text\": " T("Informed") ", \"who\": 1}",
		"phases[0].rights[0]: unknown field \"who\"");
	refused(", \"text\": " T("Informed"), "", "phases[0].rights[0]: lacks the field \"text\"");
	/* deviations */
	refused("{\"from\": \"b\", \"to\": \"a\"", "{\"from\": \"a\", \"to\": \"b\"",
		"deviations[0]: from \"a\" to \"b\" is a normal move (in \"next\"), not a deviation");
	refused("{\"from\": \"b\", \"to\": \"a\"", "{\"from\": \"b\", \"to\": \"b\"",
		"deviations[0]: \"from\" and \"to\" are both \"b\"");
	refused("{\"from\": \"b\", \"to\": \"a\"", "{\"from\": \"c\", \"to\": \"a\"",
		"deviations[0]: \"from\" \"c\" is the terminal phase");
	refused("{\"from\": \"b\", \"to\": \"a\"", "{\"from\": \"b\", \"to\": \"zz\"",
		"deviations[0]: \"to\" \"zz\" is not a phase of this protocol");
	refused("{\"from\": \"b\", \"to\": \"a\"", "{\"from\": \"x\", \"to\": \"a\"",
		"deviations[0]: \"from\" \"x\" is not a phase of this protocol");
	refused("\"approver\": \"integrity_coordinator\"", "\"approver\": \"boss\"",
		"deviations[0].approver: unknown role \"boss\"");
	refused("\"approver\": \"integrity_coordinator\"", "\"approver\": \"administrator\"",
		"deviations[0].approver: the role \"administrator\" does not work on cases");
	refused("\"approver\": \"integrity_coordinator\", ", "",
		"deviations[0]: lacks the field \"approver\"");
	refused("\"waive_requirements\": true", "\"waive_requirements\": 1",
		"deviations[0]: \"waive_requirements\" must be true or false");
	refused("\"waive_requirements\": true", "\"waive_requirements\": true, \"why\": 1",
		"deviations[0]: unknown field \"why\"");
	refused(", \"title\": " T("Back") "}]", "}]", "deviations[0]: lacks the field \"title\"");
	refused("\"title\": " T("Back") "}]", "\"title\": " T("Back") "}, {\"from\": \"b\", "
		"\"to\": \"a\", \"approver\": \"competent_authority\", \"title\": " T("Again") "}]",
		"deviations[1]: from \"b\" to \"a\" is already deviations[0]");
	refused("\"deviations\": [{", "\"deviations\": [1, {",
		"deviations[0]: must be an object");
}

/* The size limit counts bytes before parsing; a short message buffer is cut,
 * never overrun. */
static void test_limits(void **state)
{
	(void)state;
	size_t len = strlen(base);
	char *big = malloc(CASES_PROTOCOL_MAX_BYTES + 1);
	assert_non_null(big);
	memcpy(big, base, len);
	memset(big + len, ' ', CASES_PROTOCOL_MAX_BYTES + 1 - len);
	struct cases_protocol p;
	char err[512];
	assert_int_equal(cases_protocol_parse(big, CASES_PROTOCOL_MAX_BYTES, &p, err, sizeof err), 0);
	cases_protocol_free(&p);
	assert_int_equal(cases_protocol_parse(big, CASES_PROTOCOL_MAX_BYTES + 1, &p, err,
					      sizeof err), -1);
	assert_non_null(strstr(err, "larger than 262144 bytes"));
	free(big);
	char small[12];
	memset(small, 'x', sizeof small);
	char *t = variant("\"next\": [\"c\"]", "\"next\": [\"a\"]");
	assert_int_equal(parse(t, &p, small, sizeof small), -1);
	assert_non_null(memchr(small, 0, sizeof small));
	free(t);
	/* untrusted text in a message is cut to printable ASCII */
	t = variant("\"next\": [\"b\", \"c\"]", "\"next\": [\"b\", \"\\u00e9\\u0007x\"]");
	assert_int_equal(parse(t, &p, err, sizeof err), -1);
	for (const char *c = err; *c; c++)
		assert_true(*c >= 0x20 && *c < 0x7f);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_refused_document),
		cmocka_unit_test(test_refused_texts),
		cmocka_unit_test(test_refused_phases),
		cmocka_unit_test(test_refused_route),
		cmocka_unit_test(test_refused_contents),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
