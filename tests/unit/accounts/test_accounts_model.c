/* test_accounts_model.c: the pure rules of accounts (src/accounts/model.c and
 * password.c), without a database: the ten roles and which need 2FA, every
 * username, display-name and password rule with cases it accepts and refuses,
 * the lock-out schedule, and the common-password list, including the one
 * shipped in data/passwords/common.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/accounts.h"

#define COMMON_FILE SRCDIR "/data/passwords/common.txt"

static void test_roles(void **state)
{
	(void)state;
	/* shared/domain §2, in this order: stored names must never change */
	static const char *const names[ROLE_COUNT] = {
		"reporter", "confidential_adviser", "manager", "integrity_coordinator",
		"investigator", "competent_authority", "coordinator", "ipim_member", "auditor",
		"administrator",
	};
	assert_int_equal(ROLE_COUNT, 10);
	unsigned all = 0;
	for (int i = 0; i < ROLE_COUNT; i++) {
		enum role r;
		assert_string_equal(role_name((enum role)i), names[i]);
		assert_int_equal(role_parse(names[i], &r), 0);
		assert_int_equal(r, i);
		assert_true(strlen(role_label(r)) > 0);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(role_label((enum role)j), role_label(r));
		/* one bit each */
		assert_int_equal(role_mask(r), 1u << i);
		assert_int_equal(all & role_mask(r), 0);
		all |= role_mask(r);
	}
	assert_string_equal(role_label(ROLE_INTEGRITY_COORDINATOR), "Integrity coordinator");
	assert_string_equal(role_label(ROLE_IPIM_MEMBER), "IPIM member");
	enum role r = ROLE_AUDITOR;
	static const char *const bad[] = {"", "Reporter", "admin", "administrator ",
					  "integrity coordinator", "unknown", "auditors"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(role_parse(bad[i], &r), -1);
		assert_int_equal(r, ROLE_AUDITOR); /* untouched */
	}
	assert_string_equal(role_name(ROLE_COUNT), "unknown");
	assert_int_equal(role_mask(ROLE_COUNT), 0);
}

static void test_roles_2fa(void **state)
{
	(void)state;
	/* every role that can read case content, and the administrator */
	assert_true(role_needs_2fa(ROLE_CONFIDENTIAL_ADVISER));
	assert_true(role_needs_2fa(ROLE_MANAGER));
	assert_true(role_needs_2fa(ROLE_INTEGRITY_COORDINATOR));
	assert_true(role_needs_2fa(ROLE_INVESTIGATOR));
	assert_true(role_needs_2fa(ROLE_COMPETENT_AUTHORITY));
	assert_true(role_needs_2fa(ROLE_ADMINISTRATOR));
	assert_false(role_needs_2fa(ROLE_REPORTER));
	assert_false(role_needs_2fa(ROLE_COORDINATOR));
	assert_false(role_needs_2fa(ROLE_IPIM_MEMBER));
	assert_false(role_needs_2fa(ROLE_AUDITOR));
	/* an out-of-range role is treated as the strictest */
	assert_true(role_needs_2fa(ROLE_COUNT));

	struct account_role held[2] = {{.role = ROLE_AUDITOR}, {.role = ROLE_COORDINATOR}};
	assert_false(accounts_roles_need_2fa(held, 2));
	assert_int_equal(accounts_role_bits(held, 2),
			 role_mask(ROLE_AUDITOR) | role_mask(ROLE_COORDINATOR));
	held[1].role = ROLE_INVESTIGATOR;
	assert_true(accounts_roles_need_2fa(held, 2));
	assert_false(accounts_roles_need_2fa(held, 0));
}

static void test_username(void **state)
{
	(void)state;
	char out[ACCOUNT_USERNAME_MAX + 1];
	struct account_error e;
	static const char *const good[][2] = {
		{"abc", "abc"},
		{"jan.devries", "jan.devries"},
		{"Jan.DeVries", "jan.devries"},
		{"coordinator.fin", "coordinator.fin"},
		{"a_b-c.9", "a_b-c.9"},
		{"Z999", "z999"},
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		assert_int_equal(account_check_username(good[i][0], out, &e), 0);
		assert_string_equal(out, good[i][1]);
	}
	char max[ACCOUNT_USERNAME_MAX + 2];
	memset(max, 'q', ACCOUNT_USERNAME_MAX);
	max[ACCOUNT_USERNAME_MAX] = 0;
	assert_int_equal(account_check_username(max, out, &e), 0);
	max[ACCOUNT_USERNAME_MAX] = 'q';
	max[ACCOUNT_USERNAME_MAX + 1] = 0;
	assert_int_equal(account_check_username(max, out, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_non_null(strstr(e.msg, "3 to 64"));

	static const struct {
		const char *s, *why;
	} bad[] = {
		{"", "3 to 64"},
		{"ab", "3 to 64"},
		{"1abc", "starts with a letter"},
		{".abc", "starts with a letter"},
		{"_abc", "starts with a letter"},
		{"jan devries", "only letters"},
		{"jan@fin.nl", "only letters"},
		{"j\xc3\xa4n", "only letters"},     /* jän */
		{"jan/..", "only letters"},
		{"jan\tx", "only letters"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(out, 'x', sizeof out);
		assert_int_equal(account_check_username(bad[i].s, out, &e), -1);
		assert_int_equal(e.code, ACCOUNT_EINVALID);
		if (!strstr(e.msg, bad[i].why))
			fail_msg("'%s': message '%s' lacks '%s'", bad[i].s, e.msg, bad[i].why);
		assert_string_equal(out, "");
	}
}

static void test_display_name(void **state)
{
	(void)state;
	struct account_error e;
	static const char *const good[] = {
		"Jan de Vries", "Fatima el Amrani", "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m", "X",
		"O'Neill-van der Berg (IenW)",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_int_equal(account_check_display_name(good[i], &e), 0);
	char max[ACCOUNT_DISPLAY_MAX + 2];
	memset(max, 'n', ACCOUNT_DISPLAY_MAX);
	max[ACCOUNT_DISPLAY_MAX] = 0;
	assert_int_equal(account_check_display_name(max, &e), 0);
	max[ACCOUNT_DISPLAY_MAX] = 'n';
	max[ACCOUNT_DISPLAY_MAX + 1] = 0;
	assert_int_equal(account_check_display_name(max, &e), -1);
	assert_non_null(strstr(e.msg, "200 bytes"));

	static const struct {
		const char *s, *why;
	} bad[] = {
		{"", "empty"},
		{"Jan\tde Vries", "control"},
		{"Jan\nde Vries", "control"},
		{"Jan\x7f", "control"},
		{"Jan\xc2\x85", "control"},         /* U+0085, a C1 control */
		{"Jan\xff", "UTF-8"},
		{"Jan\xc0\xaf", "UTF-8"},           /* overlong '/' */
		{"Jan\xed\xa0\x80", "UTF-8"},       /* a surrogate */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(account_check_display_name(bad[i].s, &e), -1);
		assert_int_equal(e.code, ACCOUNT_EINVALID);
		if (!strstr(e.msg, bad[i].why))
			fail_msg("case %zu: message '%s' lacks '%s'", i, e.msg, bad[i].why);
	}
	/* U+00A0 (no-break space) is printable, not a control */
	assert_int_equal(account_check_display_name("Jan\xc2\xa0" "de Vries", &e), 0);
}

static void test_lock_schedule(void **state)
{
	(void)state;
	for (int i = 0; i < ACCOUNT_LOCK_AFTER; i++)
		assert_int_equal(account_lock_seconds(i), 0);
	assert_int_equal(account_lock_seconds(5), 60);
	assert_int_equal(account_lock_seconds(6), 120);
	assert_int_equal(account_lock_seconds(7), 240);
	assert_int_equal(account_lock_seconds(10), 1920);
	assert_int_equal(account_lock_seconds(11), 3600); /* 3840, capped at an hour */
	assert_int_equal(account_lock_seconds(1000), 3600);
	assert_int_equal(account_lock_seconds(INT64_MAX), 3600);
	assert_int_equal(account_lock_seconds(-1), 0);
}

static struct account_wordlist *list_of(const char *text)
{
	struct account_wordlist *w = NULL;
	char err[200];
	if (account_wordlist_parse(text, strlen(text), &w, err, sizeof err) != 0)
		fail_msg("parse: %s", err);
	return w;
}

static void test_wordlist_parse(void **state)
{
	(void)state;
	struct account_wordlist *w = list_of("# comment\r\n\nWelkom2024!!\r\nwelkom2024!!\n"
					     "wachtwoord123\nzomer\xc3\xa9t\xc3\xa9 2024\nlast");
	assert_int_equal(account_wordlist_size(w), 4); /* the duplicate, folded, once */
	assert_true(account_wordlist_has(w, "welkom2024!!"));
	assert_true(account_wordlist_has(w, "WELKOM2024!!"));
	assert_true(account_wordlist_has(w, "WachtWoord123"));
	assert_true(account_wordlist_has(w, "zomer\xc3\xa9t\xc3\xa9 2024"));
	assert_true(account_wordlist_has(w, "last"));
	assert_false(account_wordlist_has(w, "# comment"));
	assert_false(account_wordlist_has(w, ""));
	assert_false(account_wordlist_has(w, "welkom2024!"));
	account_wordlist_free(w);

	struct {
		const char *text;
		size_t len;
		const char *why;
	} bad[] = {
		{"", 0, "no passwords"},
		{"# only a comment\n\n", 18, "no passwords"},
		{"ok\nbad\xff\n", 8, "line 2: not valid UTF-8"},
		{"ok\nnul\0inside\n", 14, "line 2: not valid UTF-8"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char err[200];
		w = (void *)1;
		assert_int_equal(account_wordlist_parse(bad[i].text, bad[i].len, &w, err,
							sizeof err), -1);
		assert_null(w);
		if (!strstr(err, bad[i].why))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, bad[i].why);
	}
	char longline[ACCOUNT_PASSWORD_MAX + 3];
	memset(longline, 'a', ACCOUNT_PASSWORD_MAX + 1);
	longline[ACCOUNT_PASSWORD_MAX + 1] = '\n';
	longline[ACCOUNT_PASSWORD_MAX + 2] = 0;
	char err[200];
	assert_int_equal(account_wordlist_parse(longline, strlen(longline), &w, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "line 1: longer than 256"));
	char *huge = calloc(1, ACCOUNT_WORDLIST_MAX_BYTES + 1);
	memset(huge, 'a', ACCOUNT_WORDLIST_MAX_BYTES + 1);
	assert_int_equal(account_wordlist_parse(huge, ACCOUNT_WORDLIST_MAX_BYTES + 1, &w, err,
						sizeof err), -1);
	assert_non_null(strstr(err, "larger than"));
	free(huge);
}

static void test_wordlist_file(void **state)
{
	(void)state;
	struct account_wordlist *w;
	char err[400];
	if (account_wordlist_load(COMMON_FILE, &w, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_true(account_wordlist_size(w) >= 250);
	static const char *const on[] = {"welkom01", "Wachtwoord", "zomer2024", "123456",
					 "password", "welkom123456", "Wachtwoord2024!",
					 "Rijksoverheid2024", "feyenoord1908"};
	for (size_t i = 0; i < sizeof on / sizeof *on; i++)
		if (!account_wordlist_has(w, on[i]))
			fail_msg("'%s' is not on the shipped list", on[i]);
	account_wordlist_free(w);
	/* a missing list is an error, never an empty policy */
	w = (void *)1;
	assert_int_equal(account_wordlist_load(SRCDIR "/data/passwords/nope.txt", &w, err,
					       sizeof err), -1);
	assert_null(w);
	assert_non_null(strstr(err, "nope.txt"));
	assert_int_equal(account_wordlist_load(SRCDIR "/data/passwords", &w, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a regular file"));
}

static void test_password_policy(void **state)
{
	(void)state;
	struct account_wordlist *w = list_of("welkom123456\nabcdefghijkl\nWachtwoord2024!\n");
	struct account_error e;
	static const char *const good[] = {
		"paard batterij nietje",
		"abcdefghijkx",                        /* exactly 12 */
		"\xc3\xa9\xc3\xa0\xc3\xa8\xc3\xb9\xc3\xa2\xc3\xaa\xc3\xae\xc3\xb4\xc3\xbb\xc3\xab"
		"\xc3\xaf\xc3\xbc",                    /* 12 accented letters, 24 bytes */
		"aaaaaaaaaaab",                        /* not all one character */
		"jan.devrie5 en de rest",              /* near the username is fine */
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (account_check_password(w, "jan.devries", good[i], &e) != 0)
			fail_msg("'%s' refused: %s", good[i], e.msg);
	char max[ACCOUNT_PASSWORD_MAX + 2];
	for (int i = 0; i < ACCOUNT_PASSWORD_MAX; i++)
		max[i] = (char)('a' + i % 26);
	max[ACCOUNT_PASSWORD_MAX] = 0;
	assert_int_equal(account_check_password(w, "jan.devries", max, &e), 0);
	max[ACCOUNT_PASSWORD_MAX] = 'x';
	max[ACCOUNT_PASSWORD_MAX + 1] = 0;

	static const struct {
		const char *pw, *why;
	} bad[] = {
		{"", "shorter than 12"},
		{"abcdefghijk", "shorter than 12"},    /* 11 */
		/* 11 accented letters are 22 bytes, still 11 characters */
		{"\xc3\xa9\xc3\xa0\xc3\xa8\xc3\xb9\xc3\xa2\xc3\xaa\xc3\xae\xc3\xb4\xc3\xbb\xc3\xab"
		 "\xc3\xaf", "shorter than 12"},
		{"aaaaaaaaaaaaaaaa", "one character repeated"},
		{"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		 "\xc3\xa9\xc3\xa9", "one character repeated"},
		{"welkom123456", "common passwords"},
		{"WELKOM123456", "common passwords"},
		{"wachtwoord2024!", "common passwords"},
		{"abcdefghijkl", "common passwords"},
		{"xxjan.devriesxx", "contains the username"},
		{"XXJAN.DEVRIESXX", "contains the username"},
		{"jan.devries2024", "contains the username"},
		{"goed wachtwoord\xff\xfe", "UTF-8"},
		{"goed wachtwoord\xc0\xaf", "UTF-8"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (account_check_password(w, "jan.devries", bad[i].pw, &e) == 0)
			fail_msg("case %zu accepted", i);
		assert_int_equal(e.code, ACCOUNT_EINVALID);
		if (!strstr(e.msg, bad[i].why))
			fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, bad[i].why);
	}
	assert_int_equal(account_check_password(w, "jan.devries", max, &e), -1);
	assert_non_null(strstr(e.msg, "longer than 256"));
	/* the policy refuses to run without its list */
	assert_int_equal(account_check_password(NULL, "jan.devries", "paard batterij nietje", &e),
			 -1);
	assert_int_equal(e.code, ACCOUNT_EINTERNAL);
	account_wordlist_free(w);
}

static void test_roles_2fa_configured(void **state)
{
	(void)state;
	char err[200];
	assert_int_equal(role_set_2fa("auditor, coordinator", err, sizeof err), 0);
	assert_true(role_needs_2fa(ROLE_AUDITOR));
	assert_true(role_needs_2fa(ROLE_COORDINATOR));
	assert_false(role_needs_2fa(ROLE_INVESTIGATOR));
	assert_int_equal(role_set_2fa("none", err, sizeof err), 0);
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_false(role_needs_2fa((enum role)r));
	/* a bad list changes nothing */
	assert_int_equal(role_set_2fa("auditor,wizard", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown role 'wizard'"));
	assert_false(role_needs_2fa(ROLE_AUDITOR));
	assert_int_equal(role_set_2fa("auditor,,manager", err, sizeof err), -1);
	assert_int_equal(role_set_2fa("default", err, sizeof err), 0);
	assert_true(role_needs_2fa(ROLE_INVESTIGATOR));
	assert_false(role_needs_2fa(ROLE_AUDITOR));
	/* whatever is configured, an unknown role is the strictest */
	assert_true(role_needs_2fa((enum role)ROLE_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_roles_2fa),
		cmocka_unit_test(test_roles_2fa_configured),
		cmocka_unit_test(test_username),
		cmocka_unit_test(test_display_name),
		cmocka_unit_test(test_lock_schedule),
		cmocka_unit_test(test_wordlist_parse),
		cmocka_unit_test(test_wordlist_file),
		cmocka_unit_test(test_password_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
