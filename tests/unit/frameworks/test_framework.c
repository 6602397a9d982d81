/* test_framework.c: the pure parts of src/frameworks: the shipped files
 * parse and are what the program carries; every limit and malformation is
 * refused with a message naming where; the canonical writer round-trips
 * (and the shipped files are already canonical, so an export of a shipped
 * revision is the file byte for byte); two revisions give exactly the
 * expected difference; the shipped mapping checks against both frameworks
 * and is found both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frameworks/framework.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(FW_FILE_MAX + 1);
	*len = fread(buf, 1, FW_FILE_MAX + 1, f);
	fclose(f);
	buf[*len] = 0;
	return buf;
}

/* A growing string for building documents. */
struct sb {
	char *s;
	size_t n, cap;
};

static void sb_add(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->n + (size_t)w + 1 > b->cap) {
		b->cap = (b->n + (size_t)w + 1) * 2;
		b->s = realloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)w;
}

#define HEAD "{\"format\": \"probity-framework\", \"version\": 1, \"code\": \"x\", \"revision\": 1, " \
	     "\"title\": {\"nl\": \"T\", \"en\": \"T\"}, \"source\": \"S\", \"published\": \"2006-04\", " \
	     "\"kind\": \"norms\", "
#define GROUP1 "{\"code\": \"1\", \"title\": {\"nl\": \"G\"}, \"requirements\": " \
	       "[{\"code\": \"1.1\", \"text\": {\"nl\": \"R\", \"en\": \"R\"}}]}"

static const char minimal[] = HEAD "\"groups\": [" GROUP1 "]}";

struct shipped {
	const char *file, *code, *kind;
	size_t npillars, ngroups;
};

static const struct shipped shipped[] = {
	{"basisnormen-2006-v1.json", "basisnormen-2006", "norms", 0, 13},
	{"gedragscode-rijk-2019-v1.json", "gedragscode-rijk-2019", "code", 0, 6},
	{"oecd-integrity-2017-v1.json", "oecd-integrity-2017", "principles", 3, 13},
	{"saint-v1.json", "saint", "maturity", 3, 13},
};

static void test_shipped(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
		char path[300], err[400];
		size_t len;
		struct framework f;
		snprintf(path, sizeof path, "%s/data/frameworks/%s", SRCDIR, shipped[i].file);
		char *text = slurp(path, &len);
		if (!text) {
			fail_msg("cannot read %s", path);
			return;
		}
		if (framework_parse(text, len, &f, err, sizeof err) != 0)
			fail_msg("%s: %s", shipped[i].file, err);
		assert_string_equal(f.code, shipped[i].code);
		assert_string_equal(f.kind, shipped[i].kind);
		assert_int_equal(f.revision, 1);
		assert_int_equal(f.npillars, shipped[i].npillars);
		assert_int_equal(f.ngroups, shipped[i].ngroups);
		/* every text in both languages, every group with requirements */
		assert_non_null(f.title_en);
		for (size_t g = 0; g < f.ngroups; g++) {
			assert_non_null(f.groups[g].title_en);
			assert_true(f.groups[g].n >= 2);
		}
		for (size_t r = 0; r < f.nreqs; r++)
			assert_non_null(f.reqs[r].text_en);
		/* the files are canonical: writing gives the same bytes */
		size_t wlen;
		char *w = framework_write(&f, &wlen);
		if (!w) {
			fail_msg("write failed");
			return;
		}
		assert_int_equal(wlen, len);
		assert_memory_equal(w, text, len);
		/* and the program carries exactly these files */
		int found = 0;
		for (size_t k = 0; frameworks_files[k].name; k++)
			if (strcmp(frameworks_files[k].name, shipped[i].file) == 0) {
				found = 1;
				assert_int_equal(frameworks_files[k].len, len);
				assert_memory_equal(frameworks_files[k].data, text, len);
			}
		assert_true(found);
		free(w);
		free(text);
		framework_free(&f);
	}
}

static void test_basisnormen(void **state)
{
	(void)state;
	char path[300], err[400];
	size_t len;
	struct framework f;
	snprintf(path, sizeof path, "%s/data/frameworks/basisnormen-2006-v1.json", SRCDIR);
	char *text = slurp(path, &len);
	if (!text || framework_parse(text, len, &f, err, sizeof err) != 0) {
		fail_msg("basisnormen: %s", text ? err : "unreadable");
		free(text);
		return;
	}
	/* the 13 norms of the Modelaanpak, in order, each with 2-5 elements */
	for (size_t g = 0; g < 13; g++) {
		char code[8];
		snprintf(code, sizeof code, "%zu", g + 1);
		assert_string_equal(f.groups[g].code, code);
		assert_in_range(f.groups[g].n, 2, 5);
	}
	assert_string_equal(f.groups[3].title_nl, "Kwetsbare functies");
	const struct fw_req *q = framework_req(&f, "4.1");
	if (!q) {
		fail_msg("4.1 missing");
		return;
	}
	assert_int_equal(q->group, 3);
	assert_null(framework_req(&f, "4.9"));
	assert_null(framework_req(&f, NULL));
	assert_int_equal(framework_group(&f, "13"), 12);
	assert_int_equal(framework_group(&f, "14"), -1);
	assert_string_equal(fw_lang(q->text_nl, q->text_en, "en"), q->text_en);
	assert_string_equal(fw_lang(q->text_nl, q->text_en, "nl"), q->text_nl);
	assert_string_equal(fw_lang(q->text_nl, NULL, "en"), q->text_nl);
	assert_string_equal(fw_lang(q->text_nl, q->text_en, NULL), q->text_nl);
	framework_free(&f);
	framework_free(&f);  /* harmless twice */
	free(text);
}

static void test_minimal_round_trip(void **state)
{
	(void)state;
	char err[400];
	struct framework f, g, c;
	if (framework_parse(minimal, strlen(minimal), &f, err, sizeof err) != 0) {
		fail_msg("%s", err);
		return;
	}
	assert_null(f.groups[0].title_en);  /* English may be left out */
	assert_int_equal(f.groups[0].pillar, -1);
	size_t len;
	char *w = framework_write(&f, &len);
	if (!w) {
		fail_msg("write");
		return;
	}
	assert_int_equal(strlen(w), len);
	assert_int_equal(w[len - 1], '\n');
	if (framework_parse(w, len, &g, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_true(framework_equal(&f, &g));
	assert_int_equal(framework_copy(&f, &c), 0);
	assert_true(framework_equal(&f, &c));
	c.revision = 2;
	assert_false(framework_equal(&f, &c));
	assert_true(framework_same_content(&f, &c));
	free(c.reqs[0].text_en);
	c.reqs[0].text_en = NULL;
	assert_false(framework_same_content(&f, &c));
	/* a copy of something that fails the checks is refused */
	struct framework bad;
	c.ngroups = 0;
	assert_int_equal(framework_copy(&c, &bad), -1);
	c.ngroups = 1;
	free(w);
	framework_free(&f);
	framework_free(&g);
	framework_free(&c);
}

/* The minimal document with `from` replaced by `to` (once). */
static char *with(const char *from, const char *to)
{
	const char *at = strstr(minimal, from);
	if (!at)
		return NULL;
	struct sb b = {0};
	sb_add(&b, "%.*s%s%s", (int)(at - minimal), minimal, to, at + strlen(from));
	return b.s;
}

static void refused(const char *doc, const char *want)
{
	char err[600];
	struct framework f;
	if (!doc) {
		fail_msg("test document not built for %s", want);
		return;
	}
	if (framework_parse(doc, strlen(doc), &f, err, sizeof err) == 0) {
		framework_free(&f);
		fail_msg("accepted; wanted \"%s\"", want);
		return;
	}
	if (!strstr(err, want))
		fail_msg("got \"%s\", wanted \"%s\"", err, want);
	assert_null(f.groups);  /* nothing left behind */
	assert_int_equal(f.nreqs, 0);
}

static void refused_with(const char *from, const char *to, const char *want)
{
	char *doc = with(from, to);
	refused(doc, want);
	free(doc);
}

static void test_malformed(void **state)
{
	(void)state;
	char long_code[40], long_title[FW_TITLE_MAX + 40], *long_text;
	memset(long_code, 'a', 33);
	long_code[33] = 0;
	char q[80];
	snprintf(q, sizeof q, "\"code\": \"%s\"", long_code);
	refused_with("\"code\": \"1.1\"", q, "groups[0].requirements[0].code: must be 1 to 32");
	refused_with("\"code\": \"1.1\"", "\"code\": \"A!\"", "groups[0].requirements[0].code: must be");
	refused_with("\"code\": \"1\"", "\"code\": \"\"", "groups[0].code: must be");
	refused_with("\"code\": \"x\"", "\"code\": \"X\"", "code: must be");
	refused_with("\"code\": \"1.1\"", "\"code\": 11", "groups[0].requirements[0].code: must be text");
	refused_with("\"code\": \"1.1\"", "\"cod\": \"1.1\"", "groups[0].requirements[0]: unknown field \"cod\"");
	/* texts: length, control characters, spaces, NUL, type */
	long_text = malloc(FW_TEXT_MAX + 40);
	memset(long_text, 'r', FW_TEXT_MAX + 1);
	long_text[FW_TEXT_MAX + 1] = 0;
	struct sb b = {0};
	sb_add(&b, "\"nl\": \"%s\", \"en\": \"R\"", long_text);
	refused_with("\"nl\": \"R\", \"en\": \"R\"", b.s,
		     "groups[0].requirements[0].text.nl: is longer than 2000 bytes");
	free(b.s);
	/* exactly the limit is fine */
	long_text[FW_TEXT_MAX] = 0;
	b = (struct sb){0};
	sb_add(&b, "\"nl\": \"%s\", \"en\": \"R\"", long_text);
	char *ok = with("\"nl\": \"R\", \"en\": \"R\"", b.s);
	struct framework f;
	char err[400];
	if (!ok || framework_parse(ok, strlen(ok), &f, err, sizeof err) != 0) {
		fail_msg("2000 bytes refused: %s", ok ? err : "");
		return;
	}
	framework_free(&f);
	free(ok);
	free(b.s);
	free(long_text);
	memset(long_title, 't', FW_TITLE_MAX + 1);
	long_title[FW_TITLE_MAX + 1] = 0;
	b = (struct sb){0};
	sb_add(&b, "\"title\": {\"nl\": \"%s\"}", long_title);
	refused_with("\"title\": {\"nl\": \"G\"}", b.s, "groups[0].title.nl: is longer than 200 bytes");
	free(b.s);
	refused_with("\"en\": \"R\"}}", "\"en\": \"R\\u0001\"}}",
		     "groups[0].requirements[0].text.en: must be UTF-8 without control characters");
	refused_with("\"en\": \"R\"}}", "\"en\": \"R\\nS\"}}",
		     "groups[0].requirements[0].text.en: must be UTF-8 without control characters");
	refused_with("\"en\": \"R\"}}", "\"en\": \"R\\u0000\"}}",
		     "\\u0000 is not allowed");  /* jansson refuses it first */
	refused_with("\"en\": \"R\"}}", "\"en\": \"R \"}}",
		     "groups[0].requirements[0].text.en: must not start or end with a space");
	refused_with("\"en\": \"R\"}}", "\"en\": \"\"}}",
		     "groups[0].requirements[0].text.en: must not be empty");
	refused_with("\"en\": \"R\"}}", "\"en\": 1}}", "groups[0].requirements[0].text.en: must be text");
	refused_with("\"en\": \"R\"}}", "\"en\": \"R\", \"de\": \"R\"}}",
		     "groups[0].requirements[0].text: unknown field \"de\"");
	refused_with("{\"nl\": \"R\", \"en\": \"R\"}", "{\"en\": \"R\"}",
		     "groups[0].requirements[0].text: lacks the field \"nl\"");
	refused_with("{\"nl\": \"R\", \"en\": \"R\"}", "\"R\"",
		     "groups[0].requirements[0].text: must be an object");
	refused_with("\"en\": \"R\"}}", "\"en\": \"\xff\"}}", "line 1");  /* jansson: bad UTF-8 */
	/* the framework's own fields */
	refused_with("\"revision\": 1", "\"revision\": 0", "revision: must be a whole number");
	refused_with("\"revision\": 1", "\"revision\": 10000", "revision: must be a whole number");
	refused_with("\"revision\": 1", "\"revision\": \"1\"", "revision: must be a whole number");
	refused_with("\"revision\": 1, ", "", "top level: lacks the field \"revision\"");
	refused_with("\"published\": \"2006-04\"", "\"published\": \"2006-13\"", "published: must be a date");
	refused_with("\"published\": \"2006-04\"", "\"published\": \"2006-02-30\"", "published: must be a date");
	refused_with("\"published\": \"2006-04\"", "\"published\": \"20x6\"", "published: must be a date");
	refused_with("\"published\": \"2006-04\"", "\"published\": \"april\"", "published: must be a date");
	refused_with("\"kind\": \"norms\"", "\"kind\": \"rules\"", "kind: must be");
	refused_with("\"source\": \"S\", ", "", "top level: lacks the field \"source\"");
	refused_with("\"format\": \"probity-framework\"", "\"format\": \"probity-guide\"",
		     "format: must be \"probity-framework\"");
	refused_with("\"version\": 1", "\"version\": 2", "version: must be 1");
	refused_with("\"kind\": \"norms\", ", "\"kind\": \"norms\", \"extra\": 1, ",
		     "top level: unknown field \"extra\"");
	refused_with("\"kind\": \"norms\", ", "\"kind\": \"norms\", \"kind\": \"code\", ",
		     "duplicate object key");
	refused_with("\"title\": {\"nl\": \"T\", \"en\": \"T\"}", "\"title\": {\"nl\": \" T\", \"en\": \"T\"}",
		     "title.nl: must not start or end with a space");
	refused("[1]", "top level: must be an object");
	refused("{", "line 1");
	/* structure */
	refused_with("\"groups\": [" GROUP1 "]", "\"groups\": []", "groups: must have at least one entry");
	refused_with("\"groups\": [" GROUP1 "]", "\"groups\": {}", "groups: must be a list");
	refused_with("\"requirements\": [{\"code\": \"1.1\", \"text\": {\"nl\": \"R\", \"en\": \"R\"}}]",
		     "\"requirements\": []", "groups[0]: \"requirements\" must have at least one entry");
	refused_with("\"requirements\": [{\"code\": \"1.1\", \"text\": {\"nl\": \"R\", \"en\": \"R\"}}]",
		     "\"requirements\": [{\"code\": \"1.1\", \"text\": {\"nl\": \"R\"}}, "
		     "{\"code\": \"1.1\", \"text\": {\"nl\": \"S\"}}]",
		     "groups[0].requirements[1].code: \"1.1\" is used twice");
	refused_with("\"requirements\": [{\"code\": \"1.1\"", "\"requirements\": [{\"code\": \"1\"",
		     "groups[0].requirements[0].code: \"1\" is used twice");
	refused_with("\"requirements\": [{", "\"requirements\": [1, {", "groups[0].requirements[0]: must be an object");
	refused_with("\"groups\": [" GROUP1, "\"groups\": [" GROUP1 ", " GROUP1,
		     "groups[1].code: \"1\" is used twice");
	/* pillars */
	refused_with("\"groups\": [{\"code\": \"1\", ", "\"groups\": [{\"code\": \"1\", \"pillar\": \"zz\", ",
		     "groups[0].pillar: \"zz\" is not a pillar of this framework");
	refused_with("\"groups\": [", "\"pillars\": [{\"code\": \"p\", \"title\": {\"nl\": \"P\"}}], \"groups\": [",
		     "groups[0].pillar: is missing: this framework has pillars");
	refused_with("\"groups\": [{\"code\": \"1\", ",
		     "\"pillars\": [{\"code\": \"p\", \"title\": {\"nl\": \"P\"}}, "
		     "{\"code\": \"q\", \"title\": {\"nl\": \"Q\"}}], \"groups\": [{\"code\": \"1\", \"pillar\": \"p\", ",
		     "pillars[1]: no group belongs to pillar \"q\"");
	refused_with("\"groups\": [{\"code\": \"1\", ",
		     "\"pillars\": [{\"code\": \"p\", \"title\": {\"nl\": \"P\"}}, "
		     "{\"code\": \"p\", \"title\": {\"nl\": \"Q\"}}], \"groups\": [{\"code\": \"1\", \"pillar\": \"p\", ",
		     "pillars[1].code: \"p\" is used twice");
	refused_with("\"groups\": [", "\"pillars\": [], \"groups\": [", "pillars: must have at least one entry");
	/* counts: 9 pillars, 65 groups, 501 requirements */
	b = (struct sb){0};
	sb_add(&b, "\"pillars\": [");
	for (int i = 0; i < 9; i++)
		sb_add(&b, "%s{\"code\": \"p%d\", \"title\": {\"nl\": \"P\"}}", i ? ", " : "", i);
	sb_add(&b, "], \"groups\": [");
	refused_with("\"groups\": [", b.s, "pillars: has 9 entries, more than 8");
	free(b.s);
	b = (struct sb){0};
	sb_add(&b, "\"groups\": [");
	for (int i = 0; i < 65; i++)
		sb_add(&b, "%s{\"code\": \"g%d\", \"title\": {\"nl\": \"G\"}, \"requirements\": "
			   "[{\"code\": \"r%d\", \"text\": {\"nl\": \"R\"}}]}", i ? ", " : "", i, i);
	sb_add(&b, "]}");
	refused_with("\"groups\": [" GROUP1 "]}", b.s, "groups: has 65 entries, more than 64");
	free(b.s);
	b = (struct sb){0};
	sb_add(&b, "\"groups\": [");
	for (int g = 0; g < 2; g++) {
		sb_add(&b, "%s{\"code\": \"g%d\", \"title\": {\"nl\": \"G\"}, \"requirements\": [",
		       g ? ", " : "", g);
		for (int r = 0; r < (g ? 251 : 250); r++)
			sb_add(&b, "%s{\"code\": \"r%d-%d\", \"text\": {\"nl\": \"R\"}}", r ? ", " : "", g, r);
		sb_add(&b, "]}");
	}
	sb_add(&b, "]}");
	refused_with("\"groups\": [" GROUP1 "]}", b.s, "groups[1]: brings the requirements to more than 500");
	/* 500 exactly is fine */
	char *cut = strstr(b.s, ", {\"code\": \"r1-250\"");
	if (!cut) {
		fail_msg("no r1-250");
		return;
	}
	memmove(cut, cut + strlen(", {\"code\": \"r1-250\", \"text\": {\"nl\": \"R\"}}"),
		strlen(cut + strlen(", {\"code\": \"r1-250\", \"text\": {\"nl\": \"R\"}}")) + 1);
	ok = with("\"groups\": [" GROUP1 "]}", b.s);
	if (!ok || framework_parse(ok, strlen(ok), &f, err, sizeof err) != 0) {
		fail_msg("500 refused: %s", ok ? err : "");
		return;
	}
	assert_int_equal(f.nreqs, 500);
	framework_free(&f);
	free(ok);
	free(b.s);
	/* a document over the size limit */
	char *big = malloc(FW_FILE_MAX + 2);
	memset(big, ' ', FW_FILE_MAX + 1);
	big[FW_FILE_MAX + 1] = 0;
	refused(big, "larger than 1048576 bytes");
	free(big);
}

/* framework_check on a framework changed in memory, as the edit form does */
static void test_check_in_memory(void **state)
{
	(void)state;
	char err[400];
	struct framework f;
	if (framework_parse(minimal, strlen(minimal), &f, err, sizeof err) != 0) {
		fail_msg("%s", err);
		return;
	}
	assert_int_equal(framework_check(&f, err, sizeof err), 0);
	char *saved = f.reqs[0].text_nl;
	f.reqs[0].text_nl = NULL;
	assert_int_equal(framework_check(&f, err, sizeof err), -1);
	assert_string_equal(err, "groups[0].requirements[0].text.nl: is missing");
	f.reqs[0].text_nl = saved;
	f.groups[0].pillar = 3;
	assert_int_equal(framework_check(&f, err, sizeof err), -1);
	assert_string_equal(err, "groups[0].pillar: names no pillar of this framework");
	f.groups[0].pillar = -1;
	f.groups[0].n = 2;
	assert_int_equal(framework_check(&f, err, sizeof err), -1);
	assert_string_equal(err, "groups[0].requirements: must have at least one entry");
	f.groups[0].n = 1;
	f.reqs[0].group = 1;
	assert_int_equal(framework_check(&f, err, sizeof err), -1);
	assert_string_equal(err, "groups[0].requirements[0].code: is filed under another group");
	f.reqs[0].group = 0;
	assert_int_equal(framework_check(&f, err, sizeof err), 0);
	framework_free(&f);
}

#define A_DOC HEAD "\"pillars\": [{\"code\": \"p\", \"title\": {\"nl\": \"P\", \"en\": \"P\"}}, " \
	"{\"code\": \"q\", \"title\": {\"nl\": \"Q\"}}], \"groups\": [" \
	"{\"code\": \"1\", \"title\": {\"nl\": \"Een\", \"en\": \"One\"}, \"pillar\": \"p\", \"requirements\": [" \
	"{\"code\": \"1.1\", \"text\": {\"nl\": \"oud\", \"en\": \"old\"}}, " \
	"{\"code\": \"1.2\", \"text\": {\"nl\": \"weg\"}}, " \
	"{\"code\": \"1.3\", \"text\": {\"nl\": \"verhuist\"}}]}, " \
	"{\"code\": \"2\", \"title\": {\"nl\": \"Twee\"}, \"pillar\": \"q\", \"requirements\": [" \
	"{\"code\": \"2.1\", \"text\": {\"nl\": \"blijft\"}}]}, " \
	"{\"code\": \"3\", \"title\": {\"nl\": \"Drie\"}, \"pillar\": \"q\", \"requirements\": [" \
	"{\"code\": \"3.1\", \"text\": {\"nl\": \"gaat\"}}]}]}"

#define B_DOC "{\"format\": \"probity-framework\", \"version\": 1, \"code\": \"x\", \"revision\": 2, " \
	"\"title\": {\"nl\": \"T2\", \"en\": \"T\"}, \"source\": \"S\", \"published\": \"2006-04\", " \
	"\"kind\": \"norms\", " \
	"\"pillars\": [{\"code\": \"p\", \"title\": {\"nl\": \"P\", \"en\": \"Pillar\"}}, " \
	"{\"code\": \"r\", \"title\": {\"nl\": \"R\"}}], \"groups\": [" \
	"{\"code\": \"1\", \"title\": {\"nl\": \"Eén\", \"en\": \"One\"}, \"pillar\": \"p\", \"requirements\": [" \
	"{\"code\": \"1.1\", \"text\": {\"nl\": \"nieuw\", \"en\": \"old\"}}, " \
	"{\"code\": \"1.4\", \"text\": {\"nl\": \"erbij\"}}]}, " \
	"{\"code\": \"2\", \"title\": {\"nl\": \"Twee\"}, \"pillar\": \"r\", \"requirements\": [" \
	"{\"code\": \"2.1\", \"text\": {\"nl\": \"blijft\", \"en\": \"stays\"}}, " \
	"{\"code\": \"1.3\", \"text\": {\"nl\": \"verhuist\"}}]}, " \
	"{\"code\": \"4\", \"title\": {\"nl\": \"Vier\"}, \"pillar\": \"r\", \"requirements\": [" \
	"{\"code\": \"4.1\", \"text\": {\"nl\": \"nieuw\"}}]}]}"

static void test_diff(void **state)
{
	(void)state;
	static const char *const want[] = {
		"Framework title.nl changed from \"T\" to \"T2\"",
		"Pillar q removed: \"Q\"",
		"Pillar p: title (en) changed from \"P\" to \"Pillar\"",
		"Pillar r added: \"R\"",
		"Group 3 removed: \"Drie\"",
		"Group 1: title (nl) changed from \"Een\" to \"Eén\"",
		"Group 2 moved from pillar q to pillar r",
		"Group 4 added: \"Vier\"",
		"Requirement 1.2 removed from group 1: \"weg\"",
		"Requirement 3.1 removed from group 3: \"gaat\"",
		"Requirement 1.1: text (nl) changed from \"oud\" to \"nieuw\"",
		"Requirement 1.4 added to group 1: \"erbij\"",
		"Requirement 2.1: text (en) changed from (none) to \"stays\"",
		"Requirement 1.3 moved from group 1 to group 2",
		"Requirement 4.1 added to group 4: \"nieuw\"",
	};
	const size_t nwant = sizeof want / sizeof want[0];
	char err[400];
	struct framework a, b;
	struct fw_diff d;
	if (framework_parse(A_DOC, strlen(A_DOC), &a, err, sizeof err) != 0 ||
	    framework_parse(B_DOC, strlen(B_DOC), &b, err, sizeof err) != 0) {
		fail_msg("%s", err);
		return;
	}
	assert_int_equal(fw_diff(&a, &b, &d), 0);
	for (size_t i = 0; i < d.n && i < nwant; i++) {
		char line[400];
		size_t n = fw_change_line(&d.changes[i], line, sizeof line);
		assert_int_equal(n, strlen(line));
		assert_string_equal(line, want[i]);
	}
	assert_int_equal(d.n, nwant);
	/* the parts the page uses */
	assert_int_equal(d.changes[10].kind, FW_CH_REQ_TEXT);
	assert_string_equal(d.changes[10].code, "1.1");
	assert_string_equal(d.changes[10].what, "nl");
	assert_string_equal(d.changes[10].before, "oud");
	assert_string_equal(d.changes[10].after, "nieuw");
	assert_string_equal(d.changes[10].where, "1");
	fw_diff_free(&d);
	/* no change, no lines; the reverse has as many changes */
	assert_int_equal(fw_diff(&a, &a, &d), 0);
	assert_int_equal(d.n, 0);
	fw_diff_free(&d);
	assert_int_equal(fw_diff(&b, &a, &d), 0);
	assert_int_equal(d.n, nwant);
	fw_diff_free(&d);
	fw_diff_free(&d);
	/* a long text is cut at a character boundary */
	struct fw_change c = {.kind = FW_CH_REQ_ADDED, .code = "9", .what = "", .before = "",
		.after = "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
			 "ééééééééééééééééééééééé", .where = "1"};
	char line[400];
	fw_change_line(&c, line, sizeof line);
	assert_non_null(strstr(line, "é...\""));
	/* a buffer too small gets a cut, terminated line */
	char tiny[10];
	assert_int_equal(fw_change_line(&c, tiny, sizeof tiny), 9);
	assert_string_equal(tiny, "Requireme");
	framework_free(&a);
	framework_free(&b);
}

static void test_mapping(void **state)
{
	(void)state;
	char err[400];
	if (fw_mappings_init(err, sizeof err) != 0)
		fail_msg("%s", err);
	const char *out[8];
	size_t n = fw_map("basisnormen-2006", "4", "oecd-integrity-2017", out, 8);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "10");
	assert_string_equal(out[1], "6.c");
	n = fw_map("basisnormen-2006", "4.2", "oecd-integrity-2017", out, 8);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "10.b");
	assert_string_equal(out[1], "10.c");
	/* the other way: which basic norms say something about OECD 10.b */
	n = fw_map("oecd-integrity-2017", "10.b", "basisnormen-2006", out, 8);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "4.1");
	assert_string_equal(out[1], "4.2");
	assert_string_equal(out[2], "4.4");
	/* more than cap: counted, not written beyond */
	n = fw_map("basisnormen-2006", "10", "oecd-integrity-2017", out, 1);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "4.d");
	/* nothing for unmapped codes and unknown frameworks */
	assert_int_equal(fw_map("basisnormen-2006", "4.3", "oecd-integrity-2017", out, 8), 0);
	assert_int_equal(fw_map("basisnormen-2006", "4", "saint", out, 8), 0);
	assert_int_equal(fw_map(NULL, "4", "saint", out, 8), 0);
	const struct fw_mapping *const *all = fw_mappings();
	assert_non_null(all[0]);
	assert_null(all[1]);
	/* every norm of the basic norms maps somewhere, and the mapping
	 * names only codes that exist (fw_mappings_init checked that) */
	for (int g = 1; g <= 13; g++) {
		char code[16];
		snprintf(code, sizeof code, "%d", g);
		assert_true(fw_map("basisnormen-2006", code, "oecd-integrity-2017", out, 8) >= 1);
	}
}

#define MAP_HEAD "{\"format\": \"probity-framework-mapping\", \"version\": 1, \"from\": \"x\", " \
	"\"to\": \"y\", \"title\": {\"nl\": \"M\"}, \"source\": \"S\", \"maps\": "

static void map_refused(const char *doc, const char *want)
{
	char err[400];
	struct fw_mapping m;
	if (fw_mapping_parse(doc, strlen(doc), &m, err, sizeof err) == 0) {
		fw_mapping_free(&m);
		fail_msg("accepted; wanted \"%s\"", want);
		return;
	}
	if (!strstr(err, want))
		fail_msg("got \"%s\", wanted \"%s\"", err, want);
}

static void test_mapping_malformed(void **state)
{
	(void)state;
	char err[400];
	struct fw_mapping m;
	struct framework x, y;
	const char *good = MAP_HEAD "[{\"from\": \"1.1\", \"to\": [\"1\"], \"why\": {\"nl\": \"w\"}}]}";
	if (fw_mapping_parse(good, strlen(good), &m, err, sizeof err) != 0) {
		fail_msg("%s", err);
		return;
	}
	assert_int_equal(m.n, 1);
	assert_int_equal(m.entries[0].nto, 1);
	/* checked against two frameworks */
	if (framework_parse(minimal, strlen(minimal), &x, err, sizeof err) != 0) {
		fail_msg("%s", err);
		return;
	}
	char *ydoc = with("\"code\": \"x\"", "\"code\": \"y\"");
	if (!ydoc || framework_parse(ydoc, strlen(ydoc), &y, err, sizeof err) != 0) {
		fail_msg("y");
		return;
	}
	assert_int_equal(fw_mapping_check(&m, &x, &y, err, sizeof err), 0);
	strcpy(m.entries[0].to[0], "9");
	assert_int_equal(fw_mapping_check(&m, &x, &y, err, sizeof err), -1);
	assert_string_equal(err, "maps[0].to[0]: \"9\" is not part of y");
	strcpy(m.entries[0].from, "9");
	assert_int_equal(fw_mapping_check(&m, &x, &y, err, sizeof err), -1);
	assert_string_equal(err, "maps[0].from: \"9\" is no group or requirement of x");
	assert_int_equal(fw_mapping_check(&m, &y, &x, err, sizeof err), -1);
	fw_mapping_free(&m);
	fw_mapping_free(&m);
	framework_free(&x);
	framework_free(&y);
	free(ydoc);
	map_refused(MAP_HEAD "[]}", "maps: must be a list of 1 to 1000 entries");
	map_refused(MAP_HEAD "[{\"from\": \"1.1\", \"to\": [], \"why\": {\"nl\": \"w\"}}]}",
		    "maps[0].to: must be a list of 1 to 16 codes");
	map_refused(MAP_HEAD "[{\"from\": \"1.1\", \"to\": [\"1\", \"1\"], \"why\": {\"nl\": \"w\"}}]}",
		    "maps[0].to[1]: \"1\" is listed twice");
	map_refused(MAP_HEAD "[{\"from\": \"1.1\", \"to\": [\"A\"], \"why\": {\"nl\": \"w\"}}]}",
		    "maps[0].to[0]: must be 1 to 32");
	map_refused(MAP_HEAD "[{\"from\": \"1.1\", \"to\": [\"1\"], \"why\": {\"nl\": \"w\"}}, "
		    "{\"from\": \"1.1\", \"to\": [\"2\"], \"why\": {\"nl\": \"w\"}}]}",
		    "maps[1]: \"1.1\" is mapped twice");
	map_refused(MAP_HEAD "[{\"from\": \"1.1\", \"to\": [\"1\"]}]}", "maps[0].why: is missing");
	map_refused(MAP_HEAD "[{\"from\": \"1.1\", \"to\": [\"1\"], \"why\": {\"nl\": \"w\"}, \"x\": 1}]}",
		    "maps[0]: unknown field \"x\"");
	map_refused("{\"format\": \"probity-framework-mapping\", \"version\": 1, \"from\": \"x\", "
		    "\"to\": \"x\", \"title\": {\"nl\": \"M\"}, \"source\": \"S\", \"maps\": []}",
		    "to: must name another framework");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_basisnormen),
		cmocka_unit_test(test_minimal_round_trip),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_check_in_memory),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_mapping),
		cmocka_unit_test(test_mapping_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
