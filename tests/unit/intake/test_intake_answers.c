/* test_intake_answers.c: checking a reporter's answers against a questionnaire
 * (intake_answers_check and intake_shown in src/intake/questionnaire.c):
 * which fields show under which answers, chained conditions, required fields,
 * each type's form and limits, and refusals that name the field with a
 * message for the reporter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake/questionnaire.h"

#define T(s) "{\"nl\": \"" s "\", \"en\": \"" s "\"}"
#define FIELD(id, type, extra) "{\"id\": \"" id "\", \"type\": \"" type "\", \"label\": " \
	T("L") extra "}"
#define STEP(id, fields) "{\"id\": \"" id "\", \"title\": " T("S") ", \"fields\": [" fields "]}"

/* kind: x, y or z. why only for x; hurt only for y and z; detail only when
 * hurt is yes (so hidden too whenever hurt is); proof, a required file, only
 * for z. */
static const char FIXTURE[] =
	"{\"format\": \"probity-questionnaire\", \"version\": 1, \"id\": \"test\", "
	"\"revision\": 3, \"title\": " T("T") ", \"steps\": ["
	STEP("a", FIELD("kind", "choice", ", \"required\": true, \"choices\": ["
			"{\"id\": \"x\", \"label\": " T("X") "}, {\"id\": \"y\", \"label\": " T("Y") "},"
			"{\"id\": \"z\", \"label\": " T("Z") "}]")) ","
	STEP("b", FIELD("desc", "longtext", ", \"required\": true, \"max_length\": 50") ","
		  FIELD("title", "text", ", \"max_length\": 10") ","
		  FIELD("when", "date", "") ","
		  FIELD("ongoing", "yesno", "") ","
		  FIELD("photos", "file", ", \"max_files\": 2")) ","
	STEP("c", FIELD("why", "longtext", ", \"required\": true, \"show_if\": {\"field\": "
			"\"kind\", \"equals\": \"x\"}") ","
		  FIELD("hurt", "yesno", ", \"required\": true, \"show_if\": {\"field\": \"kind\", "
			"\"in\": [\"y\", \"z\"]}")) ","
	STEP("d", FIELD("detail", "text", ", \"show_if\": {\"field\": \"hurt\", \"equals\": "
			"\"yes\"}") ","
		  FIELD("proof", "file", ", \"required\": true, \"show_if\": {\"field\": \"kind\", "
			"\"equals\": \"z\"}"))
	"]}";

enum { KIND, DESC, TITLE, WHEN, ONGOING, PHOTOS, WHY, HURT, DETAIL, PROOF, NFIELDS };

#define TODAY "2024-07-02"
#define A(f, v) {(f), (v), sizeof(v) - 1, 0}
#define FILES(f, n) {(f), NULL, 0, (n)}
#define N(arr) (sizeof(arr) / sizeof *(arr))

static struct intake_questionnaire Q;
static struct intake_answer_errors E;

static int setup(void **state)
{
	(void)state;
	char err[512];
	if (intake_q_parse(FIXTURE, strlen(FIXTURE), &Q, err, sizeof err) != 0)
		fail_msg("fixture refused: %s", err);
	assert_int_equal(Q.nfields, NFIELDS);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	intake_q_free(&Q);
	return 0;
}

static int check(const struct intake_answer *a, size_t n)
{
	memset(&E, 0x55, sizeof E);
	int r = intake_answers_check(&Q, a, n, TODAY, &E);
	assert_true(r == 0 || r == -1);
	assert_int_equal(r == 0, E.total == 0);
	assert_true(E.n <= E.total && E.n <= INTAKE_MAX_ERRORS);
	for (size_t i = 0; i < E.n; i++) {
		assert_non_null(E.e[i].msgid);
		assert_non_null(memchr(E.e[i].field, 0, sizeof E.e[i].field));
		if (E.e[i].index >= 0)
			assert_string_equal(E.e[i].field, Q.fields[E.e[i].index].id);
	}
	return r;
}

/* Passes only if the check refused exactly one answer: field's, with msgid. */
static void only(const char *field, const char *msgid)
{
	if (E.total != 1)
		fail_msg("%zu refusals, wanted one for %s (first: %s: %s)", E.total, field,
			 E.n ? E.e[0].field : "-", E.n ? E.e[0].msgid : "-");
	assert_string_equal(E.e[0].field, field);
	assert_string_equal(E.e[0].msgid, msgid);
}

static void ok(const struct intake_answer *a, size_t n)
{
	if (check(a, n) != 0)
		fail_msg("refused %s: %s", E.e[0].field, E.e[0].msgid);
}

#define REQUIRED "Please answer this question."
#define HIDDEN "This question does not apply to your earlier answers; leave it empty."
#define BADCHARS "This answer contains characters that are not allowed."

static void test_minimal(void **state)
{
	(void)state;
	struct intake_answer a[] = {A("kind", "y"), A("desc", "Er is geld verdwenen."),
				    A("hurt", "no")};
	ok(a, N(a));
	struct intake_answer b[] = {A("kind", "x"), A("desc", "d"), A("why", "omdat")};
	ok(b, N(b));
	/* the order of answers does not matter */
	struct intake_answer c[] = {A("why", "omdat"), A("desc", "d"), A("kind", "x")};
	ok(c, N(c));
	/* empty answers to optional fields are as good as none */
	struct intake_answer d[] = {A("kind", "y"), A("desc", "d"), A("hurt", "yes"),
				    A("title", ""), A("when", ""), A("ongoing", ""),
				    A("detail", ""), FILES("photos", 0)};
	ok(d, N(d));
	/* everything filled in */
	struct intake_answer e[] = {A("kind", "z"), A("desc", "regel 1\r\nregel 2\n\tverder"),
				    A("title", "kort\tstuk"), A("when", TODAY),
				    A("ongoing", "yes"), FILES("photos", 2), A("hurt", "yes"),
				    A("detail", "meer"), FILES("proof", 1)};
	ok(e, N(e));
}

static void test_required(void **state)
{
	(void)state;
	/* nothing at all: the kind and the description are missing; the rest
	 * depends on the kind, so is hidden */
	assert_int_equal(check(NULL, 0), -1);
	assert_int_equal(E.total, 2);
	assert_string_equal(E.e[0].field, "kind");
	assert_int_equal(E.e[0].index, KIND);
	assert_string_equal(E.e[0].msgid, REQUIRED);
	assert_string_equal(E.e[1].field, "desc");
	assert_int_equal(E.e[1].index, DESC);
	struct intake_answer a[] = {A("kind", "y"), A("desc", ""), A("hurt", "no")};
	assert_int_equal(check(a, N(a)), -1);
	only("desc", REQUIRED);
	/* blank is not an answer */
	struct intake_answer b[] = {A("kind", "y"), A("desc", " \r\n\t "), A("hurt", "no")};
	assert_int_equal(check(b, N(b)), -1);
	only("desc", REQUIRED);
	struct intake_answer c[] = {A("kind", ""), A("desc", "d")};
	assert_int_equal(check(c, N(c)), -1);
	only("kind", REQUIRED);
	/* a value given as NULL with length 0 is no answer either */
	struct intake_answer d[] = {A("kind", "y"), {"desc", NULL, 0, 0}, A("hurt", "no")};
	assert_int_equal(check(d, N(d)), -1);
	only("desc", REQUIRED);
}

static void test_conditions(void **state)
{
	(void)state;
	/* x: why is required and hurt hidden */
	struct intake_answer a[] = {A("kind", "x"), A("desc", "d")};
	assert_int_equal(check(a, N(a)), -1);
	only("why", REQUIRED);
	struct intake_answer b[] = {A("kind", "x"), A("desc", "d"), A("why", "w"), A("hurt", "no")};
	assert_int_equal(check(b, N(b)), -1);
	only("hurt", HIDDEN);
	/* y: hurt required, why hidden */
	struct intake_answer c[] = {A("kind", "y"), A("desc", "d")};
	assert_int_equal(check(c, N(c)), -1);
	only("hurt", REQUIRED);
	struct intake_answer d[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"), A("why", "w")};
	assert_int_equal(check(d, N(d)), -1);
	only("why", HIDDEN);
	/* a hidden field must be empty: even blanks are refused */
	struct intake_answer e[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"), A("why", " ")};
	assert_int_equal(check(e, N(e)), -1);
	only("why", HIDDEN);
	/* chained: detail shows only when hurt (itself conditional) is yes */
	struct intake_answer f[] = {A("kind", "y"), A("desc", "d"), A("hurt", "yes"),
				    A("detail", "x")};
	ok(f, N(f));
	struct intake_answer g[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"),
				    A("detail", "x")};
	assert_int_equal(check(g, N(g)), -1);
	only("detail", HIDDEN);
	/* kind x hides hurt, so detail is hidden even with a (refused) hurt=yes */
	struct intake_answer h[] = {A("kind", "x"), A("desc", "d"), A("why", "w"), A("hurt", "yes"),
				    A("detail", "x")};
	assert_int_equal(check(h, N(h)), -1);
	assert_int_equal(E.total, 2);
	assert_string_equal(E.e[0].field, "hurt");
	assert_string_equal(E.e[0].msgid, HIDDEN);
	assert_string_equal(E.e[1].field, "detail");
	assert_string_equal(E.e[1].msgid, HIDDEN);
	/* an invalid kind shows none of the conditional fields */
	struct intake_answer i[] = {A("kind", "w"), A("desc", "d")};
	assert_int_equal(check(i, N(i)), -1);
	only("kind", "Please choose one of the options.");
	/* "in": z shows hurt too, and requires the proof */
	struct intake_answer j[] = {A("kind", "z"), A("desc", "d"), A("hurt", "no")};
	assert_int_equal(check(j, N(j)), -1);
	only("proof", "Please add a file.");
	struct intake_answer k[] = {A("kind", "z"), A("desc", "d"), A("hurt", "no"),
				    FILES("proof", 2)};
	ok(k, N(k));
	struct intake_answer l[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"),
				    FILES("proof", 1)};
	assert_int_equal(check(l, N(l)), -1);
	only("proof", HIDDEN);
}

static void test_shown(void **state)
{
	(void)state;
	unsigned char shown[NFIELDS];
	static const unsigned char none[NFIELDS] = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
	intake_shown(&Q, NULL, 0, shown);
	assert_memory_equal(shown, none, NFIELDS);
	struct intake_answer a[] = {A("kind", "z"), A("hurt", "yes")};
	static const unsigned char za[NFIELDS] = {1, 1, 1, 1, 1, 1, 0, 1, 1, 1};
	intake_shown(&Q, a, N(a), shown);
	assert_memory_equal(shown, za, NFIELDS);
	struct intake_answer b[] = {A("kind", "x"), A("hurt", "yes")};
	static const unsigned char xb[NFIELDS] = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
	intake_shown(&Q, b, N(b), shown);
	assert_memory_equal(shown, xb, NFIELDS);
	/* of repeated answers the first counts; unknown ids are ignored */
	struct intake_answer c[] = {A("nope", "x"), A("kind", "y"), A("kind", "x")};
	static const unsigned char yc[NFIELDS] = {1, 1, 1, 1, 1, 1, 0, 1, 0, 0};
	intake_shown(&Q, c, N(c), shown);
	assert_memory_equal(shown, yc, NFIELDS);
	/* a value is compared whole: a prefix or a longer string does not match */
	struct intake_answer d[] = {{"kind", "xx", 1, 0}};
	intake_shown(&Q, d, N(d), shown);
	assert_int_equal(shown[WHY], 1);
	struct intake_answer e[] = {A("kind", "xx")};
	intake_shown(&Q, e, N(e), shown);
	assert_int_equal(shown[WHY], 0);
}

static void test_ids(void **state)
{
	(void)state;
	struct intake_answer a[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"),
				    A("colour", "red")};
	assert_int_equal(check(a, N(a)), -1);
	only("colour", "This question is not part of the form.");
	assert_int_equal(E.e[0].index, -1);
	/* an id that could not be one is shown printable and cut */
	struct intake_answer b[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"),
				    A("a\x1b[31mb\xc3\xa9", "v"),
				    A("abcdefghijklmnopqrstuvwxyz0123456789", "v")};
	assert_int_equal(check(b, N(b)), -1);
	assert_int_equal(E.total, 2);
	assert_string_equal(E.e[0].field, "a?[31mb??");
	assert_string_equal(E.e[1].field, "abcdefghijklmnopqrstuvwxyz012345");
	struct intake_answer c[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"), A("KIND", "y"),
				    {NULL, "v", 1, 0}, A("", "v")};
	assert_int_equal(check(c, N(c)), -1);
	assert_int_equal(E.total, 3);
	assert_string_equal(E.e[0].field, "KIND");
	assert_string_equal(E.e[1].field, "");
	assert_string_equal(E.e[2].field, "");
	/* answered twice, even with the same value */
	struct intake_answer d[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"), A("desc", "d")};
	assert_int_equal(check(d, N(d)), -1);
	only("desc", "This question was answered more than once.");
	assert_int_equal(E.e[0].index, DESC);
}

static void test_text(void **state)
{
	(void)state;
	static const struct {
		const char *field, *value;
		size_t len;
		const char *msgid;
	} cases[] = {
		{"title", "0123456789", 10, NULL},
		{"title", "01234567890", 11, "This answer is too long."},
		{"title", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 10, NULL}, /* bytes, not characters */
		{"title", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 12, "This answer is too long."},
		{"title", "a\tb", 3, NULL},
		{"title", "a\nb", 3, BADCHARS},
		{"title", "a\rb", 3, BADCHARS},
		{"title", "a\x01", 2, BADCHARS},
		{"title", "a\x7f", 2, BADCHARS},
		{"title", "a\xc2\x85", 3, BADCHARS},   /* U+0085, a C1 control */
		{"title", "a\xc3", 2, BADCHARS},       /* cut short */
		{"title", "\xc0\xaf", 2, BADCHARS},    /* overlong */
		{"title", "\xed\xa0\x80", 3, BADCHARS}, /* surrogate */
		{"title", "a\0b", 3, BADCHARS},        /* NUL inside */
		{"title", "\xe2\x80\xae", 3, NULL},    /* bidi controls are the reporter's own text */
		{"title", "   ", 3, NULL},             /* optional: blank is kept as given */
		{"desc", "a\r\nb\nc\td", 8, NULL},
		{"desc", "a\x0b", 2, BADCHARS},
		{"desc", "a\x1b[2J", 5, BADCHARS},
		{"desc", "\xf0\x9f\x98\x80 ok", 7, NULL},
		{"desc", "\xf4\x90\x80\x80", 4, BADCHARS}, /* beyond U+10FFFF */
		{"desc", "01234567890123456789012345678901234567890123456789", 50, NULL},
		{"desc", "012345678901234567890123456789012345678901234567890", 51,
		 "This answer is too long."},
	};
	for (size_t i = 0; i < N(cases); i++) {
		struct intake_answer a[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"),
					    {cases[i].field, cases[i].value, cases[i].len, 0}};
		if (strcmp(cases[i].field, "desc") == 0)
			a[1] = a[3];
		int r = check(a, strcmp(cases[i].field, "desc") == 0 ? 3 : 4);
		if (!cases[i].msgid) {
			if (r != 0)
				fail_msg("case %zu refused: %s", i, E.e[0].msgid);
			continue;
		}
		if (r != -1)
			fail_msg("case %zu accepted", i);
		only(cases[i].field, cases[i].msgid);
	}
}

static void test_choice_date_yesno(void **state)
{
	(void)state;
	static const struct {
		const char *field, *value, *msgid;
	} cases[] = {
		{"kind", "X", "Please choose one of the options."},
		{"kind", "x ", "Please choose one of the options."},
		{"kind", "xy", "Please choose one of the options."},
		{"when", TODAY, NULL},
		{"when", "2024-07-01", NULL},
		{"when", "1900-01-01", NULL},
		{"when", "2024-07-03", "The date cannot be in the future."},
		{"when", "2025-01-01", "The date cannot be in the future."},
		{"when", "2024-02-30", "Please enter a real date."},
		{"when", "2023-02-29", "Please enter a real date."},
		{"when", "2024-7-1", "Please enter a real date."},
		{"when", "1 juli 2024", "Please enter a real date."},
		{"when", "2024-07-01 ", "Please enter a real date."},
		{"when", "1899-12-31", "Please enter a real date."},
		{"ongoing", "yes", NULL},
		{"ongoing", "no", NULL},
		{"ongoing", "Yes", "Please answer yes or no."},
		{"ongoing", "ja", "Please answer yes or no."},
		{"ongoing", "yes ", "Please answer yes or no."},
		{"ongoing", "n", "Please answer yes or no."},
		{"ongoing", "1", "Please answer yes or no."},
	};
	for (size_t i = 0; i < N(cases); i++) {
		struct intake_answer a[] = {A("desc", "d"), A("hurt", "no"),
					    {cases[i].field, cases[i].value, strlen(cases[i].value), 0},
					    A("kind", "y")};
		/* when the case is about the kind, it replaces the valid one */
		size_t n = strcmp(cases[i].field, "kind") == 0 ? 3 : 4;
		int r = check(a, n);
		if (!cases[i].msgid) {
			if (r != 0)
				fail_msg("case %zu refused: %s", i, E.e[0].msgid);
			continue;
		}
		if (r != -1)
			fail_msg("case %zu accepted", i);
		/* a bad kind also hides hurt, which was answered */
		if (n == 3) {
			assert_string_equal(E.e[0].field, "kind");
			assert_string_equal(E.e[0].msgid, cases[i].msgid);
			continue;
		}
		only(cases[i].field, cases[i].msgid);
	}
	/* today bounds the future: the same date passes a day later */
	struct intake_answer b[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"),
				    A("when", "2024-07-03")};
	assert_int_equal(intake_answers_check(&Q, b, N(b), "2024-07-03", &E), 0);
}

static void test_files(void **state)
{
	(void)state;
	struct intake_answer a[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"),
				    FILES("photos", 3)};
	assert_int_equal(check(a, N(a)), -1);
	only("photos", "There are too many files for this question.");
	a[3].files = 2;
	ok(a, N(a));
	/* a text where files go, or files where text goes */
	struct intake_answer b[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no"),
				    A("photos", "a.jpg")};
	assert_int_equal(check(b, N(b)), -1);
	only("photos", "This answer is not valid.");
	struct intake_answer c[] = {A("kind", "y"), {"desc", "d", 1, 1}, A("hurt", "no")};
	assert_int_equal(check(c, N(c)), -1);
	only("desc", "This question does not take files.");
	struct intake_answer d[] = {A("kind", "y"), A("desc", "d"), {"hurt", NULL, 0, 1}};
	assert_int_equal(check(d, N(d)), -1);
	only("hurt", "This question does not take files.");
}

static void test_bad_calls(void **state)
{
	(void)state;
	struct intake_answer a[] = {A("kind", "y"), A("desc", "d"), A("hurt", "no")};
	static const char *const days[] = {"2024-02-30", "", "2024-07-02x", "yesterday"};
	for (size_t i = 0; i < N(days); i++) {
		assert_int_equal(intake_answers_check(&Q, a, N(a), days[i], &E), -1);
		assert_int_equal(E.total, 1);
		assert_string_equal(E.e[0].field, "");
	}
	assert_int_equal(intake_answers_check(&Q, a, N(a), NULL, &E), -1);
	/* a value pointer missing while a length is given is refused, not read */
	struct intake_answer b[] = {A("kind", "y"), {"desc", NULL, 5, 0}, A("hurt", "no")};
	assert_int_equal(check(b, N(b)), -1);
	only("desc", "This answer is not valid.");
	/* more answers than a questionnaire can have fields */
	struct intake_answer *many = calloc(INTAKE_MAX_ANSWERS + 1, sizeof *many);
	assert_non_null(many);
	for (size_t i = 0; i <= INTAKE_MAX_ANSWERS; i++)
		many[i] = (struct intake_answer)A("kind", "y");
	assert_int_equal(check(many, INTAKE_MAX_ANSWERS + 1), -1);
	only("", "There are too many answers.");
	/* at the limit they are read, and each repeat refused; the list of
	 * refusals stops at INTAKE_MAX_ERRORS while the count goes on */
	assert_int_equal(check(many, INTAKE_MAX_ANSWERS), -1);
	assert_int_equal(E.n, INTAKE_MAX_ERRORS);
	assert_int_equal(E.total, INTAKE_MAX_ANSWERS - 1 + 2); /* repeats, desc, hurt */
	assert_string_equal(E.e[0].msgid, "This question was answered more than once.");
	free(many);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_shown),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_choice_date_yesno),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_bad_calls),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
