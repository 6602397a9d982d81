/* test_sandbox.c: the seccomp filter `probity serve` enters. A filter cannot
 * be left once entered, so every check runs in a forked child that reports
 * through its exit status; the parent asserts.
 *
 * Each denied call is made with arguments the kernel would reject before any
 * privilege check (a missing path, a bad descriptor, a bad flag), and each is
 * also made without the filter: there it must give another answer than the
 * filter's, so that a missing rule cannot pass unnoticed, as root or not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "web/sandbox.h"

#define NOWHERE "/nonexistent-probity-sandbox-test/x"
/* exit status of a child whose set-up failed, distinct from any errno */
#define SETUP_FAILED 250

typedef int (*probe_fn)(void);

/* Filters on the test process itself (a container may add its own): a
 * sandboxed child must show exactly one more. */
static int base_filters;

/* 0 when call succeeded, else its errno */
#define RESULT(call) ((call) < 0 ? errno : 0)

/* ---- the child ---------------------------------------------------------- */

/* What the forked child runs; set before fork, so the child inherits it. */
static struct {
	probe_fn fn;
	int sandboxed;
	int on_worker;  /* run fn on a thread started before the filter */
} job;

/* A thread started before the filter, as libmicrohttpd's pool is: probes run
 * on it, so that every probe also proves the filter reached threads that
 * already existed. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int go;
	int result;
} worker = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static void *worker_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&worker.lock);
	while (!worker.go)
		pthread_cond_wait(&worker.cond, &worker.lock);
	pthread_mutex_unlock(&worker.lock);
	worker.result = job.fn();
	return NULL;
}

/* The child's whole life: never returns. */
static void child(void)
{
	/* a killed child would dump core */
	struct rlimit no_core = {0, 0};
	setrlimit(RLIMIT_CORE, &no_core);
	pthread_t t;
	if (job.on_worker && pthread_create(&t, NULL, worker_main, NULL) != 0)
		_exit(SETUP_FAILED);
	char err[300];
	if (job.sandboxed && sandbox_enter(err, sizeof err) != 0) {
		fprintf(stderr, "sandbox_enter: %s\n", err);
		_exit(SETUP_FAILED);
	}
	int result;
	if (job.on_worker) {
		pthread_mutex_lock(&worker.lock);
		worker.go = 1;
		pthread_cond_signal(&worker.cond);
		pthread_mutex_unlock(&worker.lock);
		pthread_join(t, NULL);
		result = worker.result;
	} else {
		result = job.fn();
	}
	/* _exit: the parent's atexit handlers (LeakSanitizer's among them) are
	 * not the child's business */
	_exit(result);
}

/* Runs fn in a forked child, after the sandbox when sandboxed is set;
 * returns the child's wait status. */
static int run(probe_fn fn, int sandboxed, int on_worker)
{
	job.fn = fn;
	job.sandboxed = sandboxed;
	job.on_worker = on_worker;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child();
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

/* The child's exit code, or -signal when a signal killed it. */
static int outcome(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : -1000;
}

/* ---- denied with an error ----------------------------------------------- */

static int p_mount(void)
{
	return RESULT(mount("none", NOWHERE, "tmpfs", 0, NULL));
}

static int p_umount2(void)
{
	return RESULT(umount2(NOWHERE, 0));
}

static int p_chroot(void)
{
	return RESULT(chroot(NOWHERE));
}

/* the worker is not alone in its process, so the kernel refuses a new user
 * namespace with EINVAL before it looks at privileges */
static int p_unshare(void)
{
	return RESULT(unshare(CLONE_NEWUSER));
}

static int p_setns(void)
{
	return RESULT(setns(-1, 0));
}

/* a thread in a new user namespace: the kernel says EINVAL, so only the
 * namespace rule (not the rule for new processes) can answer EPERM */
static int p_clone_namespace(void)
{
	return RESULT(syscall(SYS_clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_NEWUSER,
			      NULL, NULL, NULL, NULL));
}

static int p_clone3(void)
{
	return RESULT(syscall(SYS_clone3, NULL, 0));
}

static int p_fork(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return errno;
	waitpid(pid, NULL, 0);
	return 0;
}

static int p_process_vm_readv(void)
{
	return RESULT(process_vm_readv(getpid(), NULL, 0, NULL, 0, 0));
}

static int p_keyctl(void)
{
	return RESULT(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0));
}

static int p_add_key(void)
{
	return RESULT(syscall(SYS_add_key, NULL, NULL, NULL, 0, 0));
}

static int p_request_key(void)
{
	return RESULT(syscall(SYS_request_key, NULL, NULL, NULL, 0));
}

static int p_perf_event_open(void)
{
	return RESULT(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
}

/* 0xffffffff only asks for the current persona */
static int p_personality(void)
{
	return RESULT(personality(0xffffffff));
}

static int p_name_to_handle_at(void)
{
	return RESULT(syscall(SYS_name_to_handle_at, -1, "x", NULL, NULL, 0));
}

static int p_clock_settime(void)
{
	struct timespec ts = {0, 0};
	return RESULT(clock_settime(CLOCK_MONOTONIC, &ts));
}

static int p_adjtimex(void)
{
	return RESULT(syscall(SYS_adjtimex, NULL));
}

static int p_pidfd_getfd(void)
{
	return RESULT(syscall(SYS_pidfd_getfd, -1, 0, 0));
}

static int p_kcmp(void)
{
	return RESULT(syscall(SYS_kcmp, getpid(), getpid(), 99, 0, 0));
}

static int p_open_tree(void)
{
	return RESULT(syscall(SYS_open_tree, -1, "x", 0));
}

static int p_mount_setattr(void)
{
	return RESULT(syscall(SYS_mount_setattr, -1, "x", 0, NULL, 0));
}

static const struct {
	const char *name;
	probe_fn fn;
	int denied;  /* the filter's answer */
} probes[] = {
	{"mount", p_mount, EPERM},
	{"umount2", p_umount2, EPERM},
	{"chroot", p_chroot, EPERM},
	{"unshare", p_unshare, EPERM},
	{"setns", p_setns, EPERM},
	{"clone with a new namespace", p_clone_namespace, EPERM},
	{"clone3", p_clone3, ENOSYS},
	{"fork", p_fork, EPERM},
	{"process_vm_readv", p_process_vm_readv, EPERM},
	{"keyctl", p_keyctl, EPERM},
	{"add_key", p_add_key, EPERM},
	{"request_key", p_request_key, EPERM},
	{"perf_event_open", p_perf_event_open, EPERM},
	{"personality", p_personality, EPERM},
	{"name_to_handle_at", p_name_to_handle_at, EPERM},
	{"clock_settime", p_clock_settime, EPERM},
	{"adjtimex", p_adjtimex, EPERM},
	{"pidfd_getfd", p_pidfd_getfd, EPERM},
	{"kcmp", p_kcmp, EPERM},
	{"open_tree", p_open_tree, EPERM},
	{"mount_setattr", p_mount_setattr, EPERM},
};

static void test_denied_calls_fail(void **state)
{
	(void)state;
	size_t proving = 0;
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		int without = outcome(run(probes[i].fn, 0, 1));
		int with = outcome(run(probes[i].fn, 1, 1));
		print_message("%-28s without filter: %-4d with: %d\n", probes[i].name, without, with);
		assert_int_equal(with, probes[i].denied);
		/* the probe must be able to tell the filter apart; a container's
		 * own filter may already deny the call, and then it cannot */
		assert_true(without >= 0);
		if (without == probes[i].denied && base_filters == 0)
			fail_msg("%s answers %d even without a filter", probes[i].name, without);
		if (without != probes[i].denied)
			proving++;
	}
	print_message("%zu of %zu probes told the filter apart\n", proving,
		      sizeof probes / sizeof probes[0]);
}

/* ---- denied by killing the process --------------------------------------- */

static int p_execve(void)
{
	char *argv[] = {"true", NULL};
	char *envp[] = {NULL};
	execve("/bin/true", argv, envp);
	return errno;
}

static int p_execveat(void)
{
	char *argv[] = {"true", NULL};
	char *envp[] = {NULL};
	syscall(SYS_execveat, AT_FDCWD, "/bin/true", argv, envp, 0);
	return errno;
}

static void test_exec_kills(void **state)
{
	(void)state;
	/* on the worker: the whole process must die, not just the thread */
	assert_int_equal(outcome(run(p_execve, 0, 1)), 0);
	assert_int_equal(outcome(run(p_execve, 1, 1)), -SIGSYS);
	assert_int_equal(outcome(run(p_execveat, 0, 1)), 0);
	assert_int_equal(outcome(run(p_execveat, 1, 1)), -SIGSYS);
}

/* On the main thread: a traced thread that is not the leader would hold up
 * the parent's waitpid. */
static int p_traceme(void)
{
	return RESULT(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
}

static void test_ptrace(void **state)
{
	(void)state;
	assert_int_equal(outcome(run(p_traceme, 0, 0)), 0);
#if SANDBOX_ALLOWS_LSAN
	/* sanitizer build: LeakSanitizer needs ptrace at exit (sandbox.c) */
	assert_int_equal(outcome(run(p_traceme, 1, 0)), 0);
#else
	assert_int_equal(outcome(run(p_traceme, 1, 0)), -SIGSYS);
#endif
}

static int clone_child(void *arg)
{
	(void)arg;
	return 0;
}

/* A new process that shares the address space, as LeakSanitizer's tracer is. */
static int p_clone_vm(void)
{
	size_t size = 256 * 1024;
	char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED)
		return SETUP_FAILED;
	int rc = 0;
	pid_t pid = clone(clone_child, stack + size, CLONE_VM | SIGCHLD, NULL);
	if (pid < 0)
		rc = errno;
	else if (waitpid(pid, NULL, __WALL) != pid)
		rc = SETUP_FAILED;
	munmap(stack, size);
	return rc;
}

static void test_clone_sharing_memory(void **state)
{
	(void)state;
	assert_int_equal(outcome(run(p_clone_vm, 0, 1)), 0);
#if SANDBOX_ALLOWS_LSAN
	assert_int_equal(outcome(run(p_clone_vm, 1, 1)), 0);
#else
	assert_int_equal(outcome(run(p_clone_vm, 1, 1)), EPERM);
#endif
}

#if defined(__x86_64__)
/* getpid through the x32 ABI: the native rules never see these numbers */
static int p_x32(void)
{
	return RESULT(syscall(0x40000000 | SYS_getpid));
}

/* getpid (20) through the i386 ABI */
static int p_int80(void)
{
	long r = 20;
	__asm__ volatile("int $0x80" : "+a"(r) : : "r8", "r9", "r10", "r11", "memory");
	return r < 0 ? (int)-r : 0;
}

static void test_foreign_abi_kills(void **state)
{
	(void)state;
	int x32 = outcome(run(p_x32, 0, 1));
	assert_true(x32 == 0 || x32 == ENOSYS);
	assert_int_equal(outcome(run(p_x32, 1, 1)), -SIGSYS);
	/* a kernel without i386 emulation answers int 0x80 with SIGSEGV before
	 * any filter sees it */
	if (outcome(run(p_int80, 0, 1)) == -SIGSEGV) {
		print_message("no i386 emulation: int 0x80 not checked\n");
		return;
	}
	assert_int_equal(outcome(run(p_int80, 1, 1)), -SIGSYS);
}
#endif

/* ---- installed on every thread, with no_new_privs ------------------------ */

/* How many seccomp filters a task's status text shows: Seccomp_filters where
 * the kernel tells (5.9 on), else 1 for mode 2 (filter) and 0 otherwise. */
static int filter_count(const char *status)
{
	const char *f = strstr(status, "\nSeccomp_filters:\t");
	if (f)
		return atoi(f + strlen("\nSeccomp_filters:\t"));
	const char *m = strstr(status, "\nSeccomp:\t");
	return m && m[strlen("\nSeccomp:\t")] == '2' ? 1 : 0;
}

/* Reads a /proc status file into text (NUL-terminated, "" on failure). */
static void read_status(const char *path, char *text, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, text, size - 1) : -1;
	if (fd >= 0)
		close(fd);
	text[n > 0 ? n : 0] = 0;
}

/* Every task of the process carries one filter more than the test process,
 * in mode 2, with no_new_privs; there are at least two tasks (main and
 * worker). Returns 0 or a step number. */
static int p_status(void)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return 1;
	int tasks = 0, bad = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[300], text[4096];
		snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
		read_status(path, text, sizeof text);
		tasks++;
		if (filter_count(text) != base_filters + 1 || !strstr(text, "\nSeccomp:\t2\n") ||
		    !strstr(text, "\nNoNewPrivs:\t1\n"))
			bad++;
	}
	closedir(d);
	return bad ? 2 : tasks < 2 ? 3 : 0;
}

static void test_every_thread_filtered(void **state)
{
	(void)state;
	assert_int_equal(outcome(run(p_status, 0, 1)), 2);
	assert_int_equal(outcome(run(p_status, 1, 1)), 0);
}

/* ---- what serving needs still works -------------------------------------- */

static void *thread_echo(void *arg)
{
	return arg;
}

/* Files, sockets, threads, memory, time, randomness and SQLite through
 * db.h. Returns 0 or the number of the step that failed. */
static int p_serving_works(void)
{
	int step = 0;
	char dir[] = "/tmp/probity-sandbox-XXXXXX";
	char file[64], dbpath[64];
	db_t *db = NULL;
	struct db_error dberr;
	step++;	/* 1: files */
	if (!mkdtemp(dir))
		goto fail;
	snprintf(file, sizeof file, "%s/f", dir);
	int fd = open(file, O_RDWR | O_CREAT | O_EXCL, 0600);
	char back[6] = {0};
	if (fd < 0 || write(fd, "hello", 5) != 5 || lseek(fd, 0, SEEK_SET) != 0 ||
	    read(fd, back, 5) != 5 || strcmp(back, "hello") != 0 || close(fd) != 0 ||
	    unlink(file) != 0)
		goto fail;
	step++;	/* 2: a listening socket on a free loopback port */
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t slen = sizeof sin;
	if (s < 0 || bind(s, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(s, 4) != 0 ||
	    getsockname(s, (struct sockaddr *)&sin, &slen) != 0 || sin.sin_port == 0 ||
	    close(s) != 0)
		goto fail;
	step++;	/* 3: a new thread (clone3 refused, glibc falls back to clone) */
	pthread_t t;
	void *ret = NULL;
	if (pthread_create(&t, NULL, thread_echo, dir) != 0 || pthread_join(t, &ret) != 0 ||
	    ret != dir)
		goto fail;
	step++;	/* 4: a large allocation, which malloc serves with mmap */
	size_t big = 64u << 20;
	char *p = malloc(big);
	if (!p)
		goto fail;
	memset(p, 0xa5, big);
	int same = p[0] == p[big - 1];
	free(p);
	if (!same)
		goto fail;
	step++;	/* 5: clocks */
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 1700000000 ||
	    clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		goto fail;
	step++;	/* 6: randomness */
	unsigned char r[32] = {0}, zero[32] = {0};
	randombytes_buf(r, sizeof r);
	if (memcmp(r, zero, sizeof r) == 0)
		goto fail;
	step++;	/* 7: SQLite: create, write, read back */
	snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	int64_t n = 0;
	if (db_open(dbpath, DB_OPEN_CREATE, NULL, &db, &dberr) != 0 ||
	    db_exec(db, "CREATE TABLE t (x INTEGER) STRICT; INSERT INTO t VALUES (1), (2)") != 0 ||
	    db_query_i64(db, "SELECT count(*) FROM t", NULL, &n) != 0 || n != 2)
		goto fail;
	db_close(db);
	db = NULL;
	step++;	/* 8: clean up */
	static const char *const suffix[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(file, sizeof file, "%s%s", dbpath, suffix[i]);
		if (unlink(file) != 0 && errno != ENOENT)
			goto fail;
	}
	if (rmdir(dir) != 0)
		goto fail;
	step = 0;
fail:
	if (step)
		fprintf(stderr, "serving work failed at step %d: %s\n", step, strerror(errno));
	if (db)
		db_close(db);
	return step;
}

static void test_serving_still_works(void **state)
{
	(void)state;
	assert_int_equal(outcome(run(p_serving_works, 1, 1)), 0);
	assert_int_equal(outcome(run(p_serving_works, 1, 0)), 0);
}

/* ---- the escape hatch --------------------------------------------------- */

static char hatch_err[300];

static int own_filters(void)
{
	char text[4096];
	read_status("/proc/self/status", text, sizeof text);
	return filter_count(text);
}

/* Returns 0 when sandbox_enter's result and the filters installed are what
 * the PROBITY_SANDBOX value set before the fork asks for. */
static int p_hatch(void)
{
	int rc = sandbox_enter(hatch_err, sizeof hatch_err);
	const char *v = getenv("PROBITY_SANDBOX");
	if (strcmp(v, "off") == 0)
		return rc == 0 && own_filters() == base_filters ? 0 : 1;
	if (strcmp(v, "on") == 0)
		return rc == 0 && own_filters() == base_filters + 1 ? 0 : 2;
	/* anything else is refused, and nothing is installed */
	return rc == -1 && own_filters() == base_filters && strstr(hatch_err, "PROBITY_SANDBOX")
		       ? 0
		       : 3;
}

static void test_escape_hatch(void **state)
{
	(void)state;
	static const char *const values[] = {"off", "on", "0", "OFF", ""};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		setenv("PROBITY_SANDBOX", values[i], 1);
		int st = run(p_hatch, 0, 0);
		unsetenv("PROBITY_SANDBOX");
		print_message("PROBITY_SANDBOX='%s'\n", values[i]);
		assert_int_equal(outcome(st), 0);
	}
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	/* the probes are for the filter, not for an operator's setting */
	unsetenv("PROBITY_SANDBOX");
	base_filters = own_filters();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_denied_calls_fail),
		cmocka_unit_test(test_exec_kills),
		cmocka_unit_test(test_ptrace),
		cmocka_unit_test(test_clone_sharing_memory),
#if defined(__x86_64__)
		cmocka_unit_test(test_foreign_abi_kills),
#endif
		cmocka_unit_test(test_every_thread_filtered),
		cmocka_unit_test(test_serving_still_works),
		cmocka_unit_test(test_escape_hatch),
	};
	return cmocka_run_group_tests_name("web_sandbox", tests, NULL, NULL);
}
