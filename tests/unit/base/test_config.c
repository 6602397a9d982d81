/* test_config.c: the key = value parser and the settings built on it
 * (src/base/config.c). Operators write these files by hand, so every mistake
 * must be refused with a message that names the line, and limits must hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "base/config.h"
#include "base/log.h"

/* ---- a callback that records what the parser hands over ---- */

#define MAX_KV 16

struct seen {
	int n;
	char *key[MAX_KV];
	char *value[MAX_KV];
	int fail_at;          /* 1-based call that returns -1; 0: never */
};

static int collect(void *ctx, const char *key, const char *value, char *err, size_t errlen)
{
	struct seen *s = ctx;
	if (s->n >= MAX_KV)
		fail_msg("too many settings");
	s->key[s->n] = xstrdup(key);
	s->value[s->n] = xstrdup(value);
	s->n++;
	if (s->fail_at == s->n) {
		snprintf(err, errlen, "callback refused %s", key);
		return -1;
	}
	return 0;
}

static void seen_free(struct seen *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->key[i]);
		free(s->value[i]);
	}
	memset(s, 0, sizeof *s);
}

/* Parses a NUL-terminated text; returns the result, message in err. */
static int parse(const char *text, struct seen *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	err[0] = 0;
	return config_parse_text(text, strlen(text), collect, s, err, errlen);
}

/* Asserts that text is refused with a message that starts with "line N:" and
 * contains want. */
static void expect_refused(const char *text, int line, const char *want)
{
	struct seen s;
	char err[600], prefix[32];
	if (parse(text, &s, err, sizeof err) != -1)
		fail_msg("accepted \"%s\"", text);
	snprintf(prefix, sizeof prefix, "line %d: ", line);
	if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, want))
		fail_msg("for \"%s\": got \"%s\", want \"%s...%s\"", text, err, prefix, want);
	seen_free(&s);
}

/* ---- the parser ---- */

static void test_parse_basic(void **state)
{
	(void)state;
	struct seen s;
	char err[600];
	const char *text =
		"# Probity settings\n"
		"\n"
		"   # an indented comment\n"
		"\t\n"
		"db = /var/lib/probity/probity.db\n"
		"  listen\t=\t127.0.0.1:9090  \t\n"
		"log_level=debug\n"
		"data_dir = a value with  inner   spaces\n"
		"signing_key = x = y # not a comment\n"
		"empty =\n"
		"k2 = last line without newline";
	assert_int_equal(parse(text, &s, err, sizeof err), 0);
	assert_int_equal(s.n, 7);
	assert_string_equal(s.key[0], "db");
	assert_string_equal(s.value[0], "/var/lib/probity/probity.db");
	assert_string_equal(s.key[1], "listen");
	assert_string_equal(s.value[1], "127.0.0.1:9090");
	assert_string_equal(s.key[2], "log_level");
	assert_string_equal(s.value[2], "debug");
	assert_string_equal(s.value[3], "a value with  inner   spaces");
	assert_string_equal(s.value[4], "x = y # not a comment");
	assert_string_equal(s.key[5], "empty");
	assert_string_equal(s.value[5], "");
	assert_string_equal(s.key[6], "k2");
	assert_string_equal(s.value[6], "last line without newline");
	seen_free(&s);
}

static void test_parse_crlf_and_tabs(void **state)
{
	(void)state;
	struct seen s;
	char err[600];
	assert_int_equal(parse("a = b\r\nc = d\te\r\n", &s, err, sizeof err), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.value[0], "b");
	assert_string_equal(s.value[1], "d\te");
	seen_free(&s);
}

static void test_parse_empty_and_comments_only(void **state)
{
	(void)state;
	struct seen s;
	char err[600];
	assert_int_equal(parse("", &s, err, sizeof err), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(parse("\n\n\n", &s, err, sizeof err), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(parse("#a = b\n  #c = d", &s, err, sizeof err), 0);
	assert_int_equal(s.n, 0);
	/* a comment may hold anything printable, even what would be an error */
	assert_int_equal(parse("# Key Without = sign and UPPER case\n", &s, err, sizeof err), 0);
	assert_int_equal(s.n, 0);
}

static void test_parse_utf8_value(void **state)
{
	(void)state;
	struct seen s;
	char err[600];
	assert_int_equal(parse("data_dir = /srv/caf\xc3\xa9/d\xc3\xa9mo\n", &s, err, sizeof err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.value[0], "/srv/caf\xc3\xa9/d\xc3\xa9mo");
	seen_free(&s);
}

static void test_parse_length_bound(void **state)
{
	(void)state;
	struct seen s = {0};
	char err[600];
	/* not NUL-terminated, and len cuts the text short */
	const char text[5] = {'a', ' ', '=', ' ', 'b'};
	assert_int_equal(config_parse_text(text, sizeof text, collect, &s, err, sizeof err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.value[0], "b");
	seen_free(&s);
	assert_int_equal(config_parse_text("a = bcd\nzz", 6, collect, &s, err, sizeof err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.value[0], "bc");
	seen_free(&s);
}

static void test_parse_missing_equals(void **state)
{
	(void)state;
	expect_refused("db /x\n", 1, "expected '=' after 'db'");
	expect_refused("justakey\n", 1, "expected '='");
	expect_refused("db\n", 1, "expected '='");
	expect_refused("db : /x\n", 1, "expected '='");
	expect_refused("ke-y = v\n", 1, "expected '='");
	expect_refused("key.sub = v\n", 1, "expected '='");
}

static void test_parse_bad_key(void **state)
{
	(void)state;
	expect_refused("Db = /x\n", 1, "lower-case key");
	expect_refused("DB = /x\n", 1, "lower-case key");
	expect_refused("1db = /x\n", 1, "lower-case key");
	expect_refused("_db = /x\n", 1, "lower-case key");
	expect_refused("= /x\n", 1, "lower-case key");
	expect_refused("  = /x\n", 1, "lower-case key");
	expect_refused("\"db\" = /x\n", 1, "lower-case key");
	expect_refused("[section]\n", 1, "lower-case key");
	expect_refused("caf\xc3\xa9 = 1\n", 1, "expected '='");
}

static void test_parse_key_length(void **state)
{
	(void)state;
	char line[200];
	struct seen s;
	char err[600];
	memset(line, 'k', 64);
	strcpy(line + 64, " = v\n");
	assert_int_equal(parse(line, &s, err, sizeof err), 0);
	assert_int_equal(strlen(s.key[0]), 64);
	seen_free(&s);
	memset(line, 'k', 65);
	strcpy(line + 65, " = v\n");
	expect_refused(line, 1, "key is too long");
}

static void test_parse_control_characters(void **state)
{
	(void)state;
	expect_refused("a = b\x01" "c\n", 1, "control character");
	expect_refused("a = b\x1b[31m\n", 1, "control character");
	expect_refused("a = b\x7f\n", 1, "control character");
	expect_refused("a = b\x0b\n", 1, "control character");
	expect_refused("ok = 1\na = \x0c\n", 2, "control character");
	/* an embedded NUL must not end the line early (and let junk pass) */
	struct seen s = {0};
	char err[600];
	static const char nul[] = "a = b\0c\n";
	assert_int_equal(config_parse_text(nul, sizeof nul - 1, collect, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 1: control character"));
	assert_int_equal(s.n, 0);
}

static void test_parse_line_numbers(void **state)
{
	(void)state;
	/* comments and blank lines count */
	expect_refused("# one\n\na = 1\nBAD\n", 4, "lower-case key");
	expect_refused("a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\nh = 8\ni = 9\nj = 10\nK\n",
		       11, "lower-case key");
	expect_refused("a = 1\r\nb\r\n", 2, "expected '='");
}

static void test_parse_stops_at_callback_error(void **state)
{
	(void)state;
	struct seen s = {.fail_at = 2};
	char err[600];
	const char *text = "a = 1\n\nb = 2\nc = 3\n";
	assert_int_equal(config_parse_text(text, strlen(text), collect, &s, err, sizeof err), -1);
	assert_string_equal(err, "line 3: callback refused b");
	assert_int_equal(s.n, 2); /* c was never handed over */
	seen_free(&s);
}

static void test_parse_line_limit(void **state)
{
	(void)state;
	/* exactly CONFIG_MAX_LINE bytes (without the newline) is allowed */
	size_t n = CONFIG_MAX_LINE;
	char *text = xmalloc(n + 64);
	memcpy(text, "k = ", 4);
	memset(text + 4, 'v', n - 4);
	text[n] = '\n';
	text[n + 1] = 0;
	struct seen s;
	char err[600];
	assert_int_equal(parse(text, &s, err, sizeof err), 0);
	assert_int_equal(strlen(s.value[0]), n - 4);
	seen_free(&s);
	/* one byte more is refused, on the right line */
	char *text2 = xasprintf("a = 1\n%.*sv\n", (int)n, text);
	assert_int_equal(parse(text2, &s, err, sizeof err), -1);
	char want[80];
	snprintf(want, sizeof want, "line 2: longer than %d characters", CONFIG_MAX_LINE);
	assert_string_equal(err, want);
	seen_free(&s);
	/* a long comment line counts too */
	memset(text2, '#', n + 1);
	text2[n + 1] = 0;
	assert_int_equal(parse(text2, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 1: longer than"));
	seen_free(&s);
	free(text);
	free(text2);
}

static void test_parse_file_limit(void **state)
{
	(void)state;
	size_t n = CONFIG_MAX_FILE;
	char *text = xmalloc(n + 1);
	/* comment lines of 64 bytes: exactly at the limit is fine */
	for (size_t i = 0; i < n; i++)
		text[i] = (i % 64 == 63) ? '\n' : '#';
	struct seen s = {0};
	char err[600];
	assert_int_equal(config_parse_text(text, n, collect, &s, err, sizeof err), 0);
	text[n] = '#';
	assert_int_equal(config_parse_text(text, n + 1, collect, &s, err, sizeof err), -1);
	char want[80];
	snprintf(want, sizeof want, "file is larger than %d bytes", CONFIG_MAX_FILE);
	assert_string_equal(err, want);
	assert_int_equal(s.n, 0);
	free(text);
}

static void test_parse_small_error_buffer(void **state)
{
	(void)state;
	struct seen s;
	char err[8];
	memset(err, 'x', sizeof err);
	assert_int_equal(parse("BAD = 1\n", &s, err, sizeof err), -1);
	assert_string_equal(err, "line 1:"); /* cut, but terminated */
}

/* ---- settings ---- */

static void test_config_defaults(void **state)
{
	(void)state;
	struct config c;
	config_init(&c);
	assert_null(c.db);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_null(c.signing_key);
	assert_null(c.data_dir);
	assert_int_equal(c.busy_timeout_ms, 5000);
	assert_int_equal(c.audit_checkpoint_interval, 100);
	assert_int_equal(c.log_level, LOG_INFO);
	config_free(&c);
	assert_null(c.listen);
}

static void test_config_each_key_sets_its_field(void **state)
{
	(void)state;
	/* catches a key table and a switch that have drifted apart */
	struct config c;
	char err[300];
	config_init(&c);
	assert_int_equal(config_set(&c, "db", "/d.db", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "listen", "[::1]:1", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "signing_key", "/k", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "data_dir", "/data", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "busy_timeout_ms", "250", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "audit_checkpoint_interval", "7", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "log_level", "warn", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "session_idle_minutes", "15", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "session_max_hours", "8", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "second_factor_roles", "auditor,manager", err, sizeof err), 0);
	assert_int_equal(c.session_idle_minutes, 15);
	assert_int_equal(c.session_max_hours, 8);
	assert_string_equal(c.second_factor_roles, "auditor,manager");
	assert_int_equal(config_set(&c, "session_idle_minutes", "0", err, sizeof err), -1);
	assert_int_equal(config_set(&c, "session_max_hours", "169", err, sizeof err), -1);
	assert_int_equal(config_set(&c, "second_factor_roles", "", err, sizeof err), -1);
	assert_string_equal(c.db, "/d.db");
	assert_string_equal(c.listen, "[::1]:1");
	assert_string_equal(c.signing_key, "/k");
	assert_string_equal(c.data_dir, "/data");
	assert_int_equal(c.busy_timeout_ms, 250);
	assert_int_equal(c.audit_checkpoint_interval, 7);
	assert_int_equal(c.log_level, LOG_WARN);
	assert_int_equal(c.monitor_threshold, 5); /* the default */
	assert_int_equal(config_set(&c, "monitor_threshold", "10", err, sizeof err), 0);
	assert_int_equal(c.monitor_threshold, 10);
	assert_int_equal(config_set(&c, "monitor_threshold", "2", err, sizeof err), -1);
	assert_int_equal(config_set(&c, "monitor_threshold", "101", err, sizeof err), -1);
	assert_int_equal(c.monitor_threshold, 10);
	/* and the list of keys is exactly these, NULL-terminated */
	static const char *const want[] = {"db", "listen", "signing_key", "data_dir",
		"busy_timeout_ms", "audit_checkpoint_interval", "log_level", "session_idle_minutes",
		"session_max_hours", "second_factor_roles", "smtp_url", "smtp_from", "reminders",
		"public_url", "monitor_threshold", "trusted_proxies"};
	int n = 0;
	while (config_keys[n])
		n++;
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (int i = 0; i < n; i++)
		assert_string_equal(config_keys[i], want[i]);
	/* setting again replaces (LeakSanitizer checks the old value is freed) */
	assert_int_equal(config_set(&c, "db", "/other.db", err, sizeof err), 0);
	assert_string_equal(c.db, "/other.db");
	config_free(&c);
}

/* The e-mail reminders' settings: off by default; URLs of the right scheme,
 * trailing slashes dropped (links are made by appending a path). */
static void test_config_reminders(void **state)
{
	(void)state;
	struct config c;
	char err[300];
	config_init(&c);
	assert_int_equal(c.reminders, 0);
	assert_null(c.smtp_url);
	assert_null(c.smtp_from);
	assert_null(c.public_url);
	assert_int_equal(config_set(&c, "reminders", "daily", err, sizeof err), 0);
	assert_int_equal(c.reminders, 1);
	assert_int_equal(config_set(&c, "reminders", "off", err, sizeof err), 0);
	assert_int_equal(c.reminders, 0);
	assert_int_equal(config_set(&c, "reminders", "weekly", err, sizeof err), -1);
	assert_string_equal(err, "reminders must be off or daily");
	assert_int_equal(config_set(&c, "smtp_url", "smtp://127.0.0.1:2525", err, sizeof err), 0);
	assert_string_equal(c.smtp_url, "smtp://127.0.0.1:2525");
	assert_int_equal(config_set(&c, "smtp_url", "smtps://mail.example.nl:465/", err,
				    sizeof err), 0);
	assert_string_equal(c.smtp_url, "smtps://mail.example.nl:465");
	static const char *const bad_smtp[] = {"http://mail", "smtp://", "smtp:///x", "mail:25",
					       "smtp://a b", "file:///etc/passwd"};
	for (size_t i = 0; i < sizeof bad_smtp / sizeof *bad_smtp; i++) {
		assert_int_equal(config_set(&c, "smtp_url", bad_smtp[i], err, sizeof err), -1);
		assert_non_null(strstr(err, "smtp_url must be a URL like"));
	}
	assert_string_equal(c.smtp_url, "smtps://mail.example.nl:465"); /* unchanged */
	assert_int_equal(config_set(&c, "public_url", "https://integriteit.example.nl//", err,
				    sizeof err), 0);
	assert_string_equal(c.public_url, "https://integriteit.example.nl");
	assert_int_equal(config_set(&c, "public_url", "ftp://x", err, sizeof err), -1);
	assert_int_equal(config_set(&c, "public_url", "/termijnen", err, sizeof err), -1);
	assert_int_equal(config_set(&c, "smtp_from", "probity@example.nl", err, sizeof err), 0);
	assert_string_equal(c.smtp_from, "probity@example.nl");
	assert_int_equal(config_set(&c, "smtp_from", "", err, sizeof err), -1);
	config_free(&c);
}

static void test_config_unknown_key(void **state)
{
	(void)state;
	struct config c;
	char err[300];
	config_init(&c);
	assert_int_equal(config_set(&c, "database", "/x", err, sizeof err), -1);
	assert_string_equal(err, "unknown setting 'database'");
	assert_int_equal(config_set(&c, "", "/x", err, sizeof err), -1);
	assert_int_equal(config_set(&c, "DB", "/x", err, sizeof err), -1);
	assert_null(c.db);
	config_free(&c);
}

static void test_config_empty_string_refused(void **state)
{
	(void)state;
	struct config c;
	char err[300];
	config_init(&c);
	assert_int_equal(config_set(&c, "listen", "", err, sizeof err), -1);
	assert_string_equal(err, "listen must not be empty");
	assert_string_equal(c.listen, "127.0.0.1:8080"); /* unchanged */
	assert_int_equal(config_set(&c, "db", "", err, sizeof err), -1);
	assert_null(c.db);
	config_free(&c);
}

/* Checks an integer setting at offset off of struct config over junk, both
 * ends of its range and one past each end. */
static void check_int_setting(const char *key, size_t off, int min, int max)
{
	struct config c;
	char err[300], v[32], want[200];
	config_init(&c);
	int *field = (int *)((char *)&c + off);
	snprintf(want, sizeof want, "%s must be a whole number from %d to %d", key, min, max);
	const int before = *field;
	static const char *const junk[] = {"", "abc", " 5", "5 ", "+5", "5.0", "0x10", "1e3",
		"99999999999999999999"};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		err[0] = 0;
		if (config_set(&c, key, junk[i], err, sizeof err) != -1)
			fail_msg("%s accepted \"%s\"", key, junk[i]);
		assert_string_equal(err, want);
		assert_int_equal(*field, before);
	}
	snprintf(v, sizeof v, "%d", min - 1);
	assert_int_equal(config_set(&c, key, v, err, sizeof err), -1);
	assert_string_equal(err, want);
	snprintf(v, sizeof v, "%lld", (long long)max + 1);
	assert_int_equal(config_set(&c, key, v, err, sizeof err), -1);
	assert_int_equal(*field, before);
	snprintf(v, sizeof v, "%d", min);
	assert_int_equal(config_set(&c, key, v, err, sizeof err), 0);
	assert_int_equal(*field, min);
	snprintf(v, sizeof v, "%d", max);
	assert_int_equal(config_set(&c, key, v, err, sizeof err), 0);
	assert_int_equal(*field, max);
	config_free(&c);
}

static void test_config_integer_ranges(void **state)
{
	(void)state;
	check_int_setting("busy_timeout_ms", offsetof(struct config, busy_timeout_ms), 0, 600000);
	check_int_setting("audit_checkpoint_interval",
			  offsetof(struct config, audit_checkpoint_interval), 1, 1000000);
}

static void test_config_log_levels(void **state)
{
	(void)state;
	struct config c;
	char err[300];
	config_init(&c);
	static const struct {
		const char *s;
		enum log_level l;
	} ok[] = {{"error", LOG_ERROR}, {"warn", LOG_WARN}, {"info", LOG_INFO}, {"debug", LOG_DEBUG}};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(config_set(&c, "log_level", ok[i].s, err, sizeof err), 0);
		assert_int_equal(c.log_level, ok[i].l);
	}
	static const char *const bad[] = {"", "INFO", "Info", "warning", "verbose", "0", "3",
		"info ", "debugx"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (config_set(&c, "log_level", bad[i], err, sizeof err) != -1)
			fail_msg("accepted log level \"%s\"", bad[i]);
		assert_string_equal(err, "log_level must be error, warn, info or debug");
		assert_int_equal(c.log_level, LOG_DEBUG);
	}
	enum log_level l = LOG_ERROR;
	assert_int_equal(log_parse_level("nope", &l), -1);
	assert_int_equal(l, LOG_ERROR);
	config_free(&c);
}

/* ---- files ---- */

static char *tmp_dir;

static int files_setup(void **state)
{
	(void)state;
	tmp_dir = xstrdup("/tmp/probity-config-test-XXXXXX");
	const char *t = getenv("TMPDIR");
	if (t && *t) {
		free(tmp_dir);
		tmp_dir = xasprintf("%s/probity-config-test-XXXXXX", t);
	}
	return mkdtemp(tmp_dir) ? 0 : -1;
}

static int files_teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", tmp_dir);
	int r = system(cmd);
	free(cmd);
	free(tmp_dir);
	return r == 0 ? 0 : -1;
}

static char *write_conf(const char *name, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", tmp_dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_load_file(void **state)
{
	(void)state;
	const char *text = "# test\ndb = /srv/p.db\nbusy_timeout_ms = 10\nlog_level = error\n";
	char *path = write_conf("ok.conf", text, strlen(text));
	struct config c;
	char err[1000];
	config_init(&c);
	assert_int_equal(config_load_file(&c, path, err, sizeof err), 0);
	assert_string_equal(c.db, "/srv/p.db");
	assert_int_equal(c.busy_timeout_ms, 10);
	assert_int_equal(c.log_level, LOG_ERROR);
	assert_string_equal(c.listen, "127.0.0.1:8080"); /* untouched default */
	config_free(&c);
	free(path);
}

/* Loads text from a file and expects failure with all of want1/want2 in err. */
static void expect_file_refused(const char *text, size_t len, const char *want1,
				const char *want2)
{
	char *path = write_conf("bad.conf", text, len);
	struct config c;
	char err[1000];
	config_init(&c);
	assert_int_equal(config_load_file(&c, path, err, sizeof err), -1);
	/* "config file PATH: line N: reason", as config.h promises */
	char *prefix = xasprintf("config file %s: %s", path, want1);
	if (strncmp(err, prefix, strlen(prefix)) != 0 || (want2 && !strstr(err, want2)))
		fail_msg("got \"%s\"; want \"%s...%s\"", err, prefix, want2 ? want2 : "");
	free(prefix);
	config_free(&c);
	unlink(path);
	free(path);
}

static void test_load_file_errors(void **state)
{
	(void)state;
	const char *dup = "db = /a\nlisten = 127.0.0.1:1\n\ndb = /b\n";
	expect_file_refused(dup, strlen(dup), "line 4", "'db' is set twice");
	const char *dup_int = "busy_timeout_ms = 1\nbusy_timeout_ms = 1\n";
	expect_file_refused(dup_int, strlen(dup_int), "line 2", "'busy_timeout_ms' is set twice");
	const char *unknown = "db = /a\nport = 80\n";
	expect_file_refused(unknown, strlen(unknown), "line 2", "unknown setting 'port'");
	const char *range = "audit_checkpoint_interval = 0\n";
	expect_file_refused(range, strlen(range), "line 1",
			    "audit_checkpoint_interval must be a whole number from 1 to 1000000");
	const char *level = "\nlog_level = loud\n";
	expect_file_refused(level, strlen(level), "line 2", "log_level must be");
	const char *syntax = "db = /a\nlisten\n";
	expect_file_refused(syntax, strlen(syntax), "line 2", "expected '='");

	size_t n = CONFIG_MAX_FILE + 1;
	char *big = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (i % 64 == 63) ? '\n' : '#';
	expect_file_refused(big, n, "file is larger than", NULL);
	/* much larger: the reader must stop, not read it all */
	size_t huge = 4u * CONFIG_MAX_FILE;
	big = xrealloc(big, huge);
	for (size_t i = 0; i < huge; i++)
		big[i] = (i % 64 == 63) ? '\n' : '#';
	expect_file_refused(big, huge, "file is larger than", NULL);
	free(big);
}

static void test_load_file_at_size_limit(void **state)
{
	(void)state;
	size_t n = CONFIG_MAX_FILE;
	char *text = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		text[i] = (i % 64 == 63) ? '\n' : '#';
	memcpy(text, "db = /x\n", 8);
	char *path = write_conf("max.conf", text, n);
	struct config c;
	char err[1000];
	config_init(&c);
	assert_int_equal(config_load_file(&c, path, err, sizeof err), 0);
	assert_string_equal(c.db, "/x");
	config_free(&c);
	free(path);
	free(text);
}

static void test_load_file_unreadable(void **state)
{
	(void)state;
	struct config c;
	char err[1000];
	config_init(&c);
	char *missing = xasprintf("%s/does-not-exist.conf", tmp_dir);
	assert_int_equal(config_load_file(&c, missing, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot read config file"));
	assert_non_null(strstr(err, missing));
	assert_non_null(strstr(err, "No such file"));
	/* a folder opens but cannot be read */
	assert_int_equal(config_load_file(&c, tmp_dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot read config file"));
	config_free(&c);
	free(missing);
}

/* ---- environment ---- */

static void clear_env(void)
{
	static const char *const vars[] = {"PROBITY_DB", "PROBITY_LISTEN", "PROBITY_SIGNING_KEY",
		"PROBITY_DATA_DIR", "PROBITY_BUSY_TIMEOUT_MS", "PROBITY_AUDIT_CHECKPOINT_INTERVAL",
		"PROBITY_LOG_LEVEL"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
}

static int env_setup(void **state)
{
	(void)state;
	clear_env();
	return 0;
}

static int env_teardown(void **state)
{
	(void)state;
	clear_env();
	return 0;
}

static void test_env_none(void **state)
{
	(void)state;
	struct config c;
	char err[600];
	config_init(&c);
	assert_int_equal(config_apply_env(&c, err, sizeof err), 0);
	assert_null(c.db);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.busy_timeout_ms, 5000);
	config_free(&c);
}

static void test_env_applies_every_key(void **state)
{
	(void)state;
	struct config c;
	char err[600];
	setenv("PROBITY_DB", "/env.db", 1);
	setenv("PROBITY_LISTEN", "127.0.0.1:7000", 1);
	setenv("PROBITY_SIGNING_KEY", "/env.key", 1);
	setenv("PROBITY_DATA_DIR", "/env-data", 1);
	setenv("PROBITY_BUSY_TIMEOUT_MS", "42", 1);
	setenv("PROBITY_AUDIT_CHECKPOINT_INTERVAL", "9", 1);
	setenv("PROBITY_LOG_LEVEL", "debug", 1);
	setenv("PROBITY_db", "/lower-case-is-not-ours", 1);
	config_init(&c);
	assert_int_equal(config_apply_env(&c, err, sizeof err), 0);
	assert_string_equal(c.db, "/env.db");
	assert_string_equal(c.listen, "127.0.0.1:7000");
	assert_string_equal(c.signing_key, "/env.key");
	assert_string_equal(c.data_dir, "/env-data");
	assert_int_equal(c.busy_timeout_ms, 42);
	assert_int_equal(c.audit_checkpoint_interval, 9);
	assert_int_equal(c.log_level, LOG_DEBUG);
	config_free(&c);
	unsetenv("PROBITY_db");
}

static void test_env_overrides_file(void **state)
{
	(void)state;
	const char *text = "db = /file.db\nbusy_timeout_ms = 1\n";
	char *path = write_conf("env.conf", text, strlen(text));
	struct config c;
	char err[1000];
	config_init(&c);
	assert_int_equal(config_load_file(&c, path, err, sizeof err), 0);
	setenv("PROBITY_DB", "/env.db", 1);
	/* the environment is not a second file: no "set twice" */
	assert_int_equal(config_apply_env(&c, err, sizeof err), 0);
	assert_string_equal(c.db, "/env.db");
	assert_int_equal(c.busy_timeout_ms, 1);
	config_free(&c);
	free(path);
}

static void test_env_invalid_names_variable(void **state)
{
	(void)state;
	struct config c;
	char err[600];
	config_init(&c);
	setenv("PROBITY_BUSY_TIMEOUT_MS", "soon", 1);
	assert_int_equal(config_apply_env(&c, err, sizeof err), -1);
	assert_non_null(strstr(err, "PROBITY_BUSY_TIMEOUT_MS"));
	assert_non_null(strstr(err, "busy_timeout_ms must be a whole number from 0 to 600000"));
	assert_int_equal(c.busy_timeout_ms, 5000);
	unsetenv("PROBITY_BUSY_TIMEOUT_MS");

	setenv("PROBITY_DB", "", 1);
	assert_int_equal(config_apply_env(&c, err, sizeof err), -1);
	assert_non_null(strstr(err, "environment variable PROBITY_DB"));
	assert_non_null(strstr(err, "db must not be empty"));
	unsetenv("PROBITY_DB");

	setenv("PROBITY_AUDIT_CHECKPOINT_INTERVAL", "0", 1);
	assert_int_equal(config_apply_env(&c, err, sizeof err), -1);
	assert_non_null(strstr(err, "PROBITY_AUDIT_CHECKPOINT_INTERVAL"));
	unsetenv("PROBITY_AUDIT_CHECKPOINT_INTERVAL");

	setenv("PROBITY_LOG_LEVEL", "LOUD", 1);
	assert_int_equal(config_apply_env(&c, err, sizeof err), -1);
	assert_non_null(strstr(err, "PROBITY_LOG_LEVEL"));
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest parser[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_crlf_and_tabs),
		cmocka_unit_test(test_parse_empty_and_comments_only),
		cmocka_unit_test(test_parse_utf8_value),
		cmocka_unit_test(test_parse_length_bound),
		cmocka_unit_test(test_parse_missing_equals),
		cmocka_unit_test(test_parse_bad_key),
		cmocka_unit_test(test_parse_key_length),
		cmocka_unit_test(test_parse_control_characters),
		cmocka_unit_test(test_parse_line_numbers),
		cmocka_unit_test(test_parse_stops_at_callback_error),
		cmocka_unit_test(test_parse_line_limit),
		cmocka_unit_test(test_parse_file_limit),
		cmocka_unit_test(test_parse_small_error_buffer),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_each_key_sets_its_field),
		cmocka_unit_test(test_config_reminders),
		cmocka_unit_test(test_config_unknown_key),
		cmocka_unit_test(test_config_empty_string_refused),
		cmocka_unit_test(test_config_integer_ranges),
		cmocka_unit_test(test_config_log_levels),
	};
	const struct CMUnitTest files[] = {
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_load_file_errors),
		cmocka_unit_test(test_load_file_at_size_limit),
		cmocka_unit_test(test_load_file_unreadable),
	};
	const struct CMUnitTest env[] = {
		cmocka_unit_test_setup_teardown(test_env_none, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_env_applies_every_key, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_env_overrides_file, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_env_invalid_names_variable, env_setup,
						env_teardown),
	};
	int failed = cmocka_run_group_tests_name("config parser and settings", parser, NULL, NULL);
	failed += cmocka_run_group_tests_name("config files", files, files_setup, files_teardown);
	failed += cmocka_run_group_tests_name("config environment", env, files_setup,
					      files_teardown);
	return failed;
}
