/* test_intake_questionnaire.c: the questionnaire reader (intake_q_parse in
 * src/intake/questionnaire.c): the real data file parses into what the pages
 * will show, every malformed shape is refused with a message naming its JSON
 * path and the rule, and every limit holds at its edge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake/questionnaire.h"

#define HEAD "{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"t\", " \
	     "\"revision\": 1, \"title\": " T("Titel") ", "
#define T(s) "{\"nl\": \"" s "\", \"en\": \"" s "\"}"
#define STEP(id, fields) "{\"id\": \"" id "\", \"title\": " T("S") ", \"fields\": [" fields "]}"
#define FIELD(id, type, extra) "{\"id\": \"" id "\", \"type\": \"" type "\", \"label\": " \
	T("L") extra "}"
#define CHOICES ", \"choices\": [{\"id\": \"a\", \"label\": " T("A") "}, {\"id\": \"b\", " \
	"\"label\": " T("B") "}]"
#define DOC(steps) HEAD "\"steps\": [" steps "]}"
#define ONE(field) DOC(STEP("s", field))

static int parse(const char *text, struct intake_questionnaire *q, char *err, size_t errlen)
{
	return intake_q_parse(text, strlen(text), q, err, errlen);
}

/* Reads a whole file under the source tree into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	char *buf = malloc(INTAKE_Q_MAX_BYTES + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, INTAKE_Q_MAX_BYTES + 1, f);
	fclose(f);
	assert_true(*len <= INTAKE_Q_MAX_BYTES);
	return buf;
}

static void check_text(const struct intake_text *t)
{
	assert_non_null(t->nl);
	assert_non_null(t->en);
	assert_true(strlen(t->nl) > 0);
	assert_true(strlen(t->en) > 0);
}

static void test_real_file(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp(SRCDIR "/data/questionnaires/melding-v1.json", &len);
	struct intake_questionnaire q;
	char err[512];
	if (intake_q_parse(text, len, &q, err, sizeof err) != 0)
		fail_msg("melding-v1.json refused: %s", err);
	free(text);
	assert_string_equal(q.id, "melding");
	assert_int_equal(q.revision, 1);
	check_text(&q.title);
	assert_int_equal(q.nsteps, 6);
	assert_string_equal(q.steps[0].title.nl, "Wat wilt u melden?");
	assert_string_equal(q.steps[1].title.nl, "Wat is er gebeurd?");
	assert_string_equal(q.steps[2].title.nl, "Wie zijn erbij betrokken?");
	for (size_t i = 0; i < q.nsteps; i++) {
		check_text(&q.steps[i].title);
		assert_true(q.steps[i].nfields > 0);
	}
	/* the kind comes first and names the three kinds of report */
	int kind = intake_q_field(&q, "kind");
	assert_int_equal(kind, 0);
	const struct intake_field *k = &q.fields[kind];
	assert_int_equal(k->type, INTAKE_F_CHOICE);
	assert_true(k->required);
	assert_int_equal(k->nchoices, 3);
	assert_string_equal(k->choices[0].id, "integrity_violation");
	assert_string_equal(k->choices[1].id, "wrongdoing");
	assert_string_equal(k->choices[2].id, "unwanted_behaviour");
	/* the description is the one other question every reporter must answer,
	 * apart from how to keep in touch */
	size_t required = 0;
	for (size_t i = 0; i < q.nfields; i++) {
		const struct intake_field *f = &q.fields[i];
		check_text(&f->label);
		assert_true(f->step < q.nsteps);
		assert_true(i >= q.steps[f->step].first &&
			    i < q.steps[f->step].first + q.steps[f->step].nfields);
		required += f->required && !f->show_if;
		for (size_t c = 0; c < f->nchoices; c++)
			check_text(&f->choices[c].label);
	}
	assert_int_equal(required, 3);
	int d = intake_q_field(&q, "description");
	assert_true(d > 0);
	assert_int_equal(q.fields[d].type, INTAKE_F_LONGTEXT);
	assert_true(q.fields[d].required);
	assert_int_equal(q.fields[d].max_len, INTAKE_LONGTEXT_DEFAULT);
	/* the conditional questions follow the kind */
	int pi = intake_q_field(&q, "public_interest"), af = intake_q_field(&q, "affected");
	assert_true(pi > 0 && af > 0);
	assert_non_null(q.fields[pi].show_if);
	assert_int_equal(q.fields[pi].show_if->field, (size_t)kind);
	assert_int_equal(q.fields[pi].show_if->nvalues, 1);
	assert_string_equal(q.fields[pi].show_if->values[0], "wrongdoing");
	assert_string_equal(q.fields[af].show_if->values[0], "unwanted_behaviour");
	assert_int_equal(q.fields[af].type, INTAKE_F_YESNO);
	/* persons involved: the help says it stays encrypted */
	int pe = intake_q_field(&q, "persons");
	assert_true(pe > 0);
	assert_non_null(strstr(q.fields[pe].help.nl, "versleuteld"));
	assert_non_null(strstr(q.fields[pe].help.en, "encrypted"));
	int ev = intake_q_field(&q, "evidence");
	assert_int_equal(q.fields[ev].type, INTAKE_F_FILE);
	assert_false(q.fields[ev].required);
	/* nothing asks for the reporter's identity */
	for (size_t i = 0; i < q.nfields; i++) {
		assert_null(strstr(q.fields[i].id, "name"));
		assert_null(strstr(q.fields[i].id, "email"));
		assert_null(strstr(q.fields[i].id, "phone"));
	}
	assert_string_equal(intake_text_get(&q.title, "en"), "Make a report");
	assert_string_equal(intake_text_get(&q.title, "nl"), "Melding doen");
	assert_string_equal(intake_text_get(&q.title, "de"), "Melding doen");
	assert_string_equal(intake_text_get(&q.title, NULL), "Melding doen");
	intake_q_free(&q);
	assert_null(q.mem);
	intake_q_free(&q); /* twice is harmless */
}

static void test_valid_shapes(void **state)
{
	(void)state;
	const char *text = HEAD "\"description\": \"for tests\", \"steps\": ["
		"{\"id\": \"one\", \"title\": " T("Een") ", \"help\": " T("Hulp") ", \"fields\": ["
		FIELD("k", "choice", ", \"required\": true, \"choices\": [{\"id\": \"a\", \"label\": "
		      T("A") ", \"help\": " T("HA") "}, {\"id\": \"b\", \"label\": " T("B") "}, "
		      "{\"id\": \"c_3\", \"label\": " T("C") "}]") ","
		FIELD("yn", "yesno", "") "]},"
		STEP("two",
		     FIELD("t", "text", ", \"help\": {\"nl\": \"H\\u00e9lp\", \"en\": \"Help\"}") ","
		     FIELD("lt", "longtext", ", \"max_length\": 50000, \"required\": false") ","
		     FIELD("t2", "text", ", \"max_length\": 1000, \"show_if\": {\"field\": \"k\", "
			   "\"in\": [\"a\", \"c_3\"]}") ","
		     FIELD("d", "date", ", \"show_if\": {\"field\": \"yn\", \"equals\": \"no\"}") ","
		     FIELD("f", "file", "") ","
		     FIELD("f2", "file", ", \"max_files\": 1, \"required\": true")) ","
		STEP("three", FIELD("x", "text", ", \"show_if\": {\"field\": \"t2\" , "
				    "\"equals\": \"a\"}")) "]}";
	struct intake_questionnaire q;
	char err[512];
	/* x's condition names a text field: refused; the rest is checked below */
	assert_int_equal(parse(text, &q, err, sizeof err), -1);
	assert_non_null(strstr(err, "steps[2].fields[0].show_if: \"field\" \"t2\" is a text field"));
	char *ok = strdup(text);
	assert_non_null(ok);
	char *cut = strstr(ok, ",{\"id\": \"three\"");
	assert_non_null(cut);
	strcpy(cut, "]}");
	if (parse(ok, &q, err, sizeof err) != 0)
		fail_msg("refused: %s", err);
	free(ok);
	assert_string_equal(q.id, "t");
	assert_int_equal(q.nsteps, 2);
	assert_int_equal(q.nfields, 8);
	assert_string_equal(q.steps[0].id, "one");
	assert_string_equal(q.steps[0].help.en, "Hulp");
	assert_null(q.steps[1].help.nl);
	assert_null(q.steps[1].help.en);
	assert_int_equal(q.steps[0].first, 0);
	assert_int_equal(q.steps[0].nfields, 2);
	assert_int_equal(q.steps[1].first, 2);
	assert_int_equal(q.steps[1].nfields, 6);
	const struct intake_field *f = q.fields;
	assert_int_equal(f[0].type, INTAKE_F_CHOICE);
	assert_true(f[0].required);
	assert_int_equal(f[0].nchoices, 3);
	assert_string_equal(f[0].choices[2].id, "c_3");
	assert_string_equal(f[0].choices[0].help.nl, "HA");
	assert_null(f[0].choices[1].help.nl);
	assert_int_equal(f[0].max_len, 0);
	assert_int_equal(f[1].type, INTAKE_F_YESNO);
	assert_false(f[1].required);
	assert_int_equal(f[2].type, INTAKE_F_TEXT);
	assert_int_equal(f[2].max_len, INTAKE_TEXT_DEFAULT);
	assert_string_equal(f[2].help.nl, "H\xc3\xa9lp");
	assert_int_equal(f[2].step, 1);
	assert_int_equal(f[3].type, INTAKE_F_LONGTEXT);
	assert_int_equal(f[3].max_len, INTAKE_LONGTEXT_CAP);
	assert_false(f[3].required);
	assert_int_equal(f[4].max_len, INTAKE_TEXT_CAP);
	assert_non_null(f[4].show_if);
	assert_int_equal(f[4].show_if->field, 0);
	assert_int_equal(f[4].show_if->nvalues, 2);
	assert_string_equal(f[4].show_if->values[1], "c_3");
	assert_int_equal(f[5].type, INTAKE_F_DATE);
	assert_int_equal(f[5].show_if->field, 1);
	assert_string_equal(f[5].show_if->values[0], "no");
	assert_int_equal(f[6].type, INTAKE_F_FILE);
	assert_int_equal(f[6].max_files, INTAKE_FILES_DEFAULT);
	assert_int_equal(f[7].max_files, 1);
	assert_true(f[7].required);
	assert_null(f[0].show_if);
	assert_int_equal(intake_q_field(&q, "f2"), 7);
	assert_int_equal(intake_q_field(&q, "nope"), -1);
	assert_string_equal(intake_ftype_name(INTAKE_F_LONGTEXT), "longtext");
	assert_string_equal(intake_ftype_name((enum intake_ftype)99), "?");
	intake_q_free(&q);
}

static void test_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} cases[] = {
		/* the document */
		{"", "line 1"},
		{"[1, 2]", "top level: must be an object"},
		{ONE(FIELD("a", "text", "")) " x", "line 1"},
		{"{\"format\": \"x\", \"version\": 1}", "format: must be \"probity-questionnaire\""},
		{"{\"format\": \"probity-questionnaire\", \"version\": 2}", "version: must be 1"},
		{"{\"format\": \"probity-questionnaire\", \"version\": \"1\"}", "version: must be 1"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"version\": 1}", "duplicate"},
		{HEAD "\"colour\": 1, \"steps\": []}", "top level: unknown field \"colour\""},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"revision\": 1}",
		 "top level: lacks the field \"id\""},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"Melding\"}",
		 "top level: \"id\" \"Melding\" must be 1 to 32 of a-z, 0-9 and _"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"\"}",
		 "top level: \"id\" \"\" must be 1 to 32"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, "
		 "\"id\": \"abcdefghijklmnopqrstuvwxyz0123456\"}", "must be 1 to 32"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": 7}",
		 "top level: \"id\" must be a string"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\"}",
		 "top level: lacks the field \"revision\""},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 0}", "top level: \"revision\" must be a whole number from 1 to 9999"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 10000}", "\"revision\" must be a whole number from 1 to 9999"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1.0}", "\"revision\" must be a whole number"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": \"1\"}", "\"revision\" must be a whole number"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1}", "top level: lacks the field \"title\""},
		{HEAD "\"description\": 5, \"steps\": []}", "description: must be a string"},
		/* texts */
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": \"Melding\"}", "title: must be an object"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": {\"nl\": \"M\"}}", "title: lacks the field \"en\""},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": {\"nl\": \"M\", \"en\": \"M\", \"de\": \"M\"}}",
		 "title: unknown field \"de\""},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": {\"nl\": \"\", \"en\": \"M\"}}", "title: \"nl\" is empty"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": {\"nl\": \"M\", \"en\": 3}}",
		 "title: \"en\" must be a string"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": {\"nl\": \"M\\nN\", \"en\": \"M\"}}",
		 "title: \"nl\" contains a control character"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": {\"nl\": \"M\\u0085\", \"en\": \"M\"}}",
		 "title: \"nl\" contains a control character"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": {\"nl\": \"M\", \"en\": \"M\\u202eN\"}}",
		 "title: \"en\" contains the invisible character U+202E"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": {\"nl\": \" M\", \"en\": \"M\"}}",
		 "title: \"nl\" begins or ends with a space"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": {\"nl\": \"M\", \"en\": \"M \"}}",
		 "title: \"en\" begins or ends with a space"},
		{"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"m\", "
		 "\"revision\": 1, \"title\": {\"nl\": \"M\\u0000\", \"en\": \"M\"}}", "line 1"},
		/* steps */
		{HEAD "\"steps\": []}", "steps: must be a list of 1 to 30 steps"},
		{HEAD "\"steps\": {}}", "steps: must be a list"},
		{HEAD "\"title2\": 1}", "top level: unknown field \"title2\""},
		{HEAD "\"steps\": [3]}", "steps[0]: must be an object"},
		{DOC(STEP("a", FIELD("x", "text", "")) ", 3"), "steps[1]: must be an object"},
		{DOC("{\"id\": \"a\", \"title\": " T("S") ", \"fields\": [], \"x\": 1}"),
		 "steps[0]: unknown field \"x\""},
		{DOC("{\"id\": \"a\", \"title\": " T("S") ", \"fields\": []}"),
		 "steps[0]: \"fields\" must be a list of at least one field"},
		{DOC("{\"id\": \"a\", \"title\": " T("S") "}"), "steps[0]: \"fields\" must be a list"},
		{DOC("{\"id\": \"a\", \"fields\": [" FIELD("x", "text", "") "]}"),
		 "steps[0]: lacks the field \"title\""},
		{DOC("{\"title\": " T("S") ", \"fields\": [" FIELD("x", "text", "") "]}"),
		 "steps[0]: lacks the field \"id\""},
		{DOC("{\"id\": \"a\", \"title\": " T("S") ", \"help\": {\"nl\": \"h\"}, \"fields\": ["
		     FIELD("x", "text", "") "]}"), "steps[0].help: lacks the field \"en\""},
		{DOC(STEP("a", FIELD("x", "text", "")) "," STEP("a", FIELD("y", "text", ""))),
		 "steps[1]: \"id\" \"a\" is already used by steps[0]"},
		{DOC(STEP("a b", FIELD("x", "text", ""))), "steps[0]: \"id\" \"a b\" must be 1 to 32"},
		/* fields */
		{ONE("7"), "steps[0].fields[0]: must be an object"},
		{ONE(FIELD("x", "text", ", \"colour\": 1")), "steps[0].fields[0]: unknown field \"colour\""},
		{ONE("{\"type\": \"text\", \"label\": " T("L") "}"),
		 "steps[0].fields[0]: lacks the field \"id\""},
		{ONE(FIELD("X", "text", "")), "steps[0].fields[0]: \"id\" \"X\" must be 1 to 32"},
		{ONE(FIELD("a-b", "text", "")), "steps[0].fields[0]: \"id\" \"a-b\" must be"},
		{ONE(FIELD("x", "text", "") "," FIELD("x", "date", "")),
		 "steps[0].fields[1]: \"id\" \"x\" is already used by steps[0].fields[0]"},
		{DOC(STEP("a", FIELD("q", "text", "") "," FIELD("x", "text", "")) ","
		     STEP("b", FIELD("x", "date", ""))),
		 "steps[1].fields[0]: \"id\" \"x\" is already used by steps[0].fields[1]"},
		{ONE("{\"id\": \"x\", \"label\": " T("L") "}"), "steps[0].fields[0]: lacks the field \"type\""},
		{ONE(FIELD("x", "number", "")), "steps[0].fields[0]: unknown type \"number\""},
		{ONE(FIELD("x", "Text", "")), "unknown type \"Text\""},
		{ONE("{\"id\": \"x\", \"type\": 1, \"label\": " T("L") "}"),
		 "steps[0].fields[0]: \"type\" must be a string"},
		{ONE("{\"id\": \"x\", \"type\": \"text\"}"), "steps[0].fields[0]: lacks the field \"label\""},
		{ONE(FIELD("x", "text", ", \"help\": {\"nl\": \"h\", \"en\": \"h\", \"fr\": \"h\"}")),
		 "steps[0].fields[0].help: unknown field \"fr\""},
		{ONE(FIELD("x", "text", ", \"required\": \"yes\"")),
		 "steps[0].fields[0]: \"required\" must be true or false"},
		{ONE(FIELD("x", "text", ", \"required\": 1")), "\"required\" must be true or false"},
		{ONE(FIELD("x", "text", ", \"max_length\": 0")),
		 "steps[0].fields[0]: \"max_length\" must be a whole number from 1 to 1000"},
		{ONE(FIELD("x", "text", ", \"max_length\": 1001")), "from 1 to 1000"},
		{ONE(FIELD("x", "longtext", ", \"max_length\": 50001")), "from 1 to 50000"},
		{ONE(FIELD("x", "longtext", ", \"max_length\": -1")), "from 1 to 50000"},
		{ONE(FIELD("x", "longtext", ", \"max_length\": \"500\"")), "from 1 to 50000"},
		{ONE(FIELD("x", "date", ", \"max_length\": 10")),
		 "steps[0].fields[0]: \"max_length\" applies only to text and longtext fields"},
		{ONE(FIELD("x", "text", CHOICES)),
		 "steps[0].fields[0]: \"choices\" applies only to choice fields"},
		{ONE(FIELD("x", "yesno", CHOICES)), "\"choices\" applies only to choice fields"},
		{ONE(FIELD("x", "text", ", \"max_files\": 2")),
		 "steps[0].fields[0]: \"max_files\" applies only to file fields"},
		{ONE(FIELD("x", "file", ", \"max_files\": 21")),
		 "steps[0].fields[0]: \"max_files\" must be a whole number from 1 to 20"},
		{ONE(FIELD("x", "file", ", \"max_files\": 0")), "from 1 to 20"},
		/* choices */
		{ONE(FIELD("x", "choice", "")), "steps[0].fields[0]: a choice field needs \"choices\""},
		{ONE(FIELD("x", "choice", ", \"choices\": {}")),
		 "steps[0].fields[0]: \"choices\" must be a list of 2 to 50 choices"},
		{ONE(FIELD("x", "choice", ", \"choices\": [{\"id\": \"a\", \"label\": " T("A") "}]")),
		 "\"choices\" must be a list of 2 to 50 choices"},
		{ONE(FIELD("x", "choice", ", \"choices\": [{\"id\": \"a\", \"label\": " T("A") "}, 2]")),
		 "steps[0].fields[0].choices[1]: must be an object"},
		{ONE(FIELD("x", "choice", ", \"choices\": [{\"id\": \"a\", \"label\": " T("A") "}, "
			   "{\"id\": \"a\", \"label\": " T("B") "}]")),
		 "steps[0].fields[0].choices[1]: \"id\" \"a\" is already used by choices[0]"},
		{ONE(FIELD("x", "choice", ", \"choices\": [{\"id\": \"a\"}, {\"id\": \"b\"}]")),
		 "steps[0].fields[0].choices[0]: lacks the field \"label\""},
		{ONE(FIELD("x", "choice", ", \"choices\": [{\"id\": \"a\", \"label\": " T("A") ", "
			   "\"value\": 1}, {\"id\": \"b\", \"label\": " T("B") "}]")),
		 "steps[0].fields[0].choices[0]: unknown field \"value\""},
		{ONE(FIELD("x", "choice", ", \"choices\": [{\"id\": \"A\", \"label\": " T("A") "}, "
			   "{\"id\": \"b\", \"label\": " T("B") "}]")),
		 "steps[0].fields[0].choices[0]: \"id\" \"A\" must be"},
		{ONE(FIELD("x", "choice", ", \"choices\": [{\"id\": \"a\", \"label\": " T("A") "}, "
			   "{\"id\": \"b\", \"label\": {\"nl\": \"B\", \"en\": \"\"}}]")),
		 "steps[0].fields[0].choices[1].label: \"en\" is empty"},
		/* conditions */
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": \"k\""))),
		 "steps[1].fields[0].show_if: must be an object"},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"k\"}"))),
		 "steps[1].fields[0].show_if: needs exactly one of \"equals\" and \"in\""},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"k\", "
				     "\"equals\": \"a\", \"in\": [\"b\"]}"))),
		 "steps[1].fields[0].show_if: needs exactly one of \"equals\" and \"in\""},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"equals\": \"a\"}"))),
		 "steps[1].fields[0].show_if: lacks the field \"field\""},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"k\", "
				     "\"equal\": \"a\"}"))),
		 "steps[1].fields[0].show_if: unknown field \"equal\""},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"q\", "
				     "\"equals\": \"a\"}"))),
		 "steps[1].fields[0].show_if: \"field\" \"q\" names no field before this one"},
		/* a forward reference, which is also how a cycle would start */
		{DOC(STEP("a", FIELD("k", "choice", CHOICES ", \"show_if\": {\"field\": \"y\", "
				     "\"equals\": \"yes\"}")) ","
		     STEP("b", FIELD("y", "yesno", ", \"show_if\": {\"field\": \"k\", "
				     "\"equals\": \"a\"}"))),
		 "steps[0].fields[0].show_if: \"field\" \"y\" names no field before this one"},
		{ONE(FIELD("k", "choice", CHOICES ", \"show_if\": {\"field\": \"k\", "
			   "\"equals\": \"a\"}")),
		 "steps[0].fields[0].show_if: \"field\" names this field itself"},
		{ONE(FIELD("k", "choice", CHOICES) "," FIELD("x", "text", ", \"show_if\": "
			   "{\"field\": \"k\", \"equals\": \"a\"}")),
		 "steps[0].fields[1].show_if: \"field\" \"k\" is in the same step"},
		{DOC(STEP("a", FIELD("t", "text", "")) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"t\", "
				     "\"equals\": \"a\"}"))),
		 "steps[1].fields[0].show_if: \"field\" \"t\" is a text field"},
		{DOC(STEP("a", FIELD("f", "file", "")) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"f\", "
				     "\"equals\": \"1\"}"))),
		 "\"field\" \"f\" is a file field"},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"k\", "
				     "\"equals\": \"z\"}"))),
		 "steps[1].fields[0].show_if.equals: \"z\" is not one of the choices of field \"k\""},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"k\", "
				     "\"equals\": 1}"))),
		 "steps[1].fields[0].show_if.equals: the value must be a string"},
		{DOC(STEP("a", FIELD("y", "yesno", "")) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"y\", "
				     "\"equals\": \"ja\"}"))),
		 "steps[1].fields[0].show_if.equals: \"ja\" is not \"yes\" or \"no\""},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"k\", \"in\": []}"))),
		 "steps[1].fields[0].show_if: \"in\" must be a list of 1 to 50 values"},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"k\", \"in\": \"a\"}"))),
		 "\"in\" must be a list of 1 to 50 values"},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"k\", "
				     "\"in\": [\"a\", \"a\"]}"))),
		 "steps[1].fields[0].show_if.in[1]: \"a\" is listed twice"},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"k\", "
				     "\"in\": [\"a\", \"c\"]}"))),
		 "steps[1].fields[0].show_if.in[1]: \"c\" is not one of the choices"},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"k\", "
				     "\"in\": [null]}"))),
		 "steps[1].fields[0].show_if.in[0]: the value must be a string"},
		{DOC(STEP("a", FIELD("k", "choice", CHOICES)) ","
		     STEP("b", FIELD("x", "text", ", \"show_if\": {\"field\": \"K\", "
				     "\"equals\": \"a\"}"))),
		 "steps[1].fields[0].show_if: \"field\" \"K\" must be 1 to 32"},
		/* not UTF-8 */
		{ONE(FIELD("x", "text", ", \"help\": {\"nl\": \"\xff\", \"en\": \"h\"}")), "line 1"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct intake_questionnaire q;
		char err[512];
		memset(&q, 0x55, sizeof q);
		if (parse(cases[i].text, &q, err, sizeof err) != -1)
			fail_msg("case %zu accepted", i);
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: \"%s\" does not mention %s", i, err, cases[i].want);
		for (const char *p = err; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				fail_msg("case %zu: unprintable byte in \"%s\"", i, err);
		assert_null(q.fields);
		assert_null(q.steps);
		assert_null(q.mem);
		assert_int_equal(q.nfields, 0);
		intake_q_free(&q); /* harmless on an empty result */
	}
}

/* Appends to a growing buffer; the tests build documents up to the limits. */
struct sb {
	char *s;
	size_t n, cap;
};

static void add(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
		va_end(ap);
		assert_true(k >= 0);
		if (b->s && b->n + (size_t)k < b->cap) {
			b->n += (size_t)k;
			return;
		}
		b->cap = (b->cap + (size_t)k + 1) * 2;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
}

/* A document of nsteps steps with fields spread over them, the first field a
 * choice of nchoices options; title of title_len bytes. */
static char *build(size_t nsteps, size_t nfields, size_t nchoices, size_t title_len)
{
	struct sb b = {0};
	add(&b, "{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"big\", "
		"\"revision\": 9999, \"title\": {\"nl\": \"");
	for (size_t i = 0; i < title_len; i++)
		add(&b, "%c", 'a' + (char)(i % 26));
	add(&b, "\", \"en\": \"T\"}, \"steps\": [");
	size_t f = 0;
	for (size_t s = 0; s < nsteps; s++) {
		add(&b, "%s{\"id\": \"s%zu\", \"title\": " T("S") ", \"fields\": [", s ? "," : "", s);
		size_t here = s + 1 == nsteps ? nfields - f : (nfields / nsteps ? nfields / nsteps : 1);
		for (size_t k = 0; k < here; k++, f++) {
			if (f == 0) {
				add(&b, "{\"id\": \"f0\", \"type\": \"choice\", \"label\": " T("L")
					", \"choices\": [");
				for (size_t c = 0; c < nchoices; c++)
					add(&b, "%s{\"id\": \"c%zu\", \"label\": " T("C") "}", c ? "," : "",
					    c);
				add(&b, "]}");
			} else {
				add(&b, "%s{\"id\": \"f%zu\", \"type\": \"text\", \"label\": " T("L") "}",
				    k ? "," : "", f);
			}
		}
		add(&b, "]}");
	}
	add(&b, "]}");
	return b.s;
}

static void expect(char *text, int ok, const char *want)
{
	struct intake_questionnaire q;
	char err[512];
	int r = parse(text, &q, err, sizeof err);
	free(text);
	if (ok && r != 0)
		fail_msg("refused: %s", err);
	if (!ok && r == 0)
		fail_msg("accepted, wanted \"%s\"", want);
	if (!ok && !strstr(err, want))
		fail_msg("\"%s\" does not mention %s", err, want);
	intake_q_free(&q);
}

static void test_limits(void **state)
{
	(void)state;
	expect(build(1, 1, 2, 1), 1, NULL);
	expect(build(30, 200, 50, 200), 1, NULL);
	expect(build(31, 200, 2, 1), 0, "steps: must be a list of 1 to 30 steps");
	expect(build(30, 201, 2, 1), 0, "steps: more than 200 fields in all");
	expect(build(1, 201, 2, 1), 0, "steps: more than 200 fields in all");
	expect(build(2, 3, 51, 1), 0, "steps[0].fields[0]: \"choices\" must be a list of 2 to 50");
	expect(build(2, 3, 2, 201), 0, "title: \"nl\" is longer than 200 bytes");
	/* labels and help at and past their limits */
	char buf[8192], fill[INTAKE_HELP_MAX + 2];
	memset(fill, 'x', sizeof fill - 1);
	fill[sizeof fill - 1] = 0;
	for (int extra = 0; extra < 2; extra++) {
		char *t;
		snprintf(buf, sizeof buf, ONE("{\"id\": \"x\", \"type\": \"text\", \"label\": "
					      "{\"nl\": \"%.*s\", \"en\": \"e\"}}"),
			 INTAKE_LABEL_MAX + extra, fill);
		assert_non_null(t = strdup(buf));
		expect(t, !extra, "steps[0].fields[0].label: \"nl\" is longer than 300 bytes");
		snprintf(buf, sizeof buf, ONE(FIELD("x", "text", ", \"help\": {\"nl\": \"e\", "
						    "\"en\": \"%.*s\"}")),
			 INTAKE_HELP_MAX + extra, fill);
		assert_non_null(t = strdup(buf));
		expect(t, !extra, "steps[0].fields[0].help: \"en\" is longer than 2000 bytes");
		snprintf(buf, sizeof buf, DOC("{\"id\": \"s\", \"title\": {\"nl\": \"%.*s\", "
					      "\"en\": \"e\"}, \"fields\": [" FIELD("x", "date", "")
					      "]}"), INTAKE_TITLE_MAX + extra, fill);
		assert_non_null(t = strdup(buf));
		expect(t, !extra, "steps[0].title: \"nl\" is longer than 200 bytes");
	}
	/* the size limit counts bytes before parsing: padding to exactly the limit
	 * is read, one byte more is not */
	char *doc = build(1, 1, 2, 1);
	size_t len = strlen(doc);
	char *big = malloc(INTAKE_Q_MAX_BYTES + 1);
	assert_non_null(big);
	memcpy(big, doc, len);
	memset(big + len, ' ', INTAKE_Q_MAX_BYTES + 1 - len);
	free(doc);
	struct intake_questionnaire q;
	char err[512];
	assert_int_equal(intake_q_parse(big, INTAKE_Q_MAX_BYTES, &q, err, sizeof err), 0);
	intake_q_free(&q);
	assert_int_equal(intake_q_parse(big, INTAKE_Q_MAX_BYTES + 1, &q, err, sizeof err), -1);
	assert_non_null(strstr(err, "larger than 262144 bytes"));
	assert_null(q.mem);
	free(big);
	/* a small message buffer is cut, never overrun */
	char small[12];
	memset(small, 'x', sizeof small);
	assert_int_equal(intake_q_parse("[]", 2, &q, small, sizeof small), -1);
	assert_non_null(memchr(small, 0, sizeof small));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_file),
		cmocka_unit_test(test_valid_shapes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
