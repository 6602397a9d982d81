/* test_sandbox.c: a real `probity serve` runs inside its seccomp filter on
 * every thread, with no_new_privs, still answers, and stops cleanly (in a
 * sanitizer build that exit runs LeakSanitizer, which needs the allowance
 * src/web/sandbox.c makes for it); a bad PROBITY_SANDBOX refuses to serve.
 *
 * The server's exit status is asserted inside a test, not in a group
 * teardown, because cmocka reports a failing group teardown without failing
 * the run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Reads a /proc status file into text (NUL-terminated, "" on failure). */
static void read_status(const char *path, char *text, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, text, size - 1) : -1;
	if (fd >= 0)
		close(fd);
	text[n > 0 ? n : 0] = 0;
}

/* Seccomp filters in a status text: Seccomp_filters where the kernel tells
 * (5.9 on), else 1 for mode 2 and 0 otherwise. A container may have put
 * filters on the test itself; the server inherits those and adds one. */
static int filter_count(const char *status)
{
	const char *f = strstr(status, "\nSeccomp_filters:\t");
	if (f)
		return atoi(f + strlen("\nSeccomp_filters:\t"));
	const char *m = strstr(status, "\nSeccomp:\t");
	return m && m[strlen("\nSeccomp:\t")] == '2' ? 1 : 0;
}

static void test_server_is_sandboxed(void **state)
{
	(void)state;
	char text[4096], path[300];
	read_status("/proc/self/status", text, sizeof text);
	int inherited = filter_count(text);

	struct server s;
	assert_int_equal(server_start(&s), 0);
	snprintf(path, sizeof path, "/proc/%d/status", (int)s.pid);
	read_status(path, text, sizeof text);
	assert_non_null(strstr(text, "\nSeccomp:\t2\n"));
	assert_non_null(strstr(text, "\nNoNewPrivs:\t1\n"));
	/* no core dumps: a core could hold decrypted reports and keys */
	snprintf(path, sizeof path, "/proc/%d/limits", (int)s.pid);
	read_status(path, text, sizeof text);
	const char *core = strstr(text, "Max core file size");
	assert_non_null(core);
	char soft[32], hard[32];
	assert_int_equal(sscanf(core + strlen("Max core file size"), "%31s %31s", soft, hard), 2);
	assert_string_equal(soft, "0");
	assert_string_equal(hard, "0");

	/* the thread pool started before the filter: every thread has it too */
	snprintf(path, sizeof path, "/proc/%d/task", (int)s.pid);
	DIR *d = opendir(path);
	assert_non_null(d);
	int tasks = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/%d/task/%s/status", (int)s.pid, e->d_name);
		read_status(path, text, sizeof text);
		assert_non_null(strstr(text, "\nSeccomp:\t2\n"));
		assert_non_null(strstr(text, "\nNoNewPrivs:\t1\n"));
		assert_int_equal(filter_count(text), inherited + 1);
		tasks++;
	}
	closedir(d);
	assert_true(tasks >= 2);

	struct http_result r;
	assert_int_equal(http_get(&s, "/healthz", &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "ok\n");
	http_result_free(&r);

	/* the start page reads the database: whatever it shows, it must not
	 * fail inside the filter */
	assert_int_equal(http_get(&s, "/", &r), 0);
	assert_true(r.status >= 200 && r.status < 500);
	http_result_free(&r);

	assert_int_equal(server_stop(&s), 0);
}

static void test_bad_setting_refuses_to_serve(void **state)
{
	(void)state;
	struct server s;
	assert_int_equal(server_start(&s), 0);
	/* a second server on the same database, told something meaningless:
	 * it must stop with EXIT_FAIL (1) instead of serving unsandboxed */
	setenv("PROBITY_SANDBOX", "no", 1);
	const char *args[] = {"serve", "--listen", "127.0.0.1:0", NULL};
	int rc = server_cli(&s, args);
	unsetenv("PROBITY_SANDBOX");
	assert_int_equal(rc, 1);
	assert_int_equal(server_stop(&s), 0);
}

int main(void)
{
	/* the server must run with its filter, whatever the caller set */
	unsetenv("PROBITY_SANDBOX");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_is_sandboxed),
		cmocka_unit_test(test_bad_setting_refuses_to_serve),
	};
	return cmocka_run_group_tests_name("http_sandbox", tests, NULL, NULL);
}
