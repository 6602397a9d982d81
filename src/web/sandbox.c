/* sandbox.c: the seccomp filter of the serving process. Once `probity serve`
 * listens, it needs files, sockets, memory, threads, time and randomness, and
 * nothing else the kernel offers. The filter takes away the system calls that
 * turn a memory-safety bug in request handling into control of the machine:
 * running another program, reading or steering other processes, mounting,
 * namespaces, kernel modules, BPF, keyrings, the clock, the host name.
 *
 * A deny-list, not an allow-list: the program links glibc, SQLite, libsodium,
 * libmicrohttpd and, in test builds, the sanitizers, and each release of those
 * may start using a system call we did not list (clone3, rseq and statx all
 * arrived that way). An allow-list would turn such an update into a server
 * that dies at an unlucky request; the calls denied here are ones a web
 * server has no business making, whatever its libraries do.
 *
 * Actions:
 * - execve, execveat and ptrace kill the whole process (SIGSYS). Nothing in
 *   Probity runs programs or traces, so an attempt is injected code, and
 *   stopping it at once leaves a trace instead of letting it try the next
 *   trick. Killing one thread would leave a half-working server behind.
 * - everything else fails with EPERM, so that a library that does call one
 *   of them sees an ordinary permission error and the request fails safely.
 * - clone3 fails with ENOSYS: its flags live in memory a seccomp filter cannot
 *   read, and ENOSYS makes glibc fall back to clone, whose flags it can.
 * - clone must create a thread (CLONE_THREAD): fork, vfork and posix_spawn
 *   fail with EPERM, and so does any clone asking for a new namespace.
 * - system calls of another ABI (i386 via int 0x80, x32) kill the process:
 *   the rules are written for the native numbers only, so a foreign number
 *   must never reach them.
 * The filter goes onto every thread at once (TSYNC), because libmicrohttpd's
 * thread pool exists before it, and with no_new_privs, so that no later exec
 * could gain privileges either.
 *
 * Sanitizer builds: LeakSanitizer checks for leaks at exit by cloning a
 * tracer task (CLONE_VM without CLONE_THREAD) that ptrace-attaches to every
 * thread. Denying either makes every sanitizer run of the server end in a
 * LeakSanitizer failure, and leaks in request handling are what those runs
 * are for. So builds with AddressSanitizer (SANDBOX_ALLOWS_LSAN) allow ptrace
 * and clones that share the address space. Release builds never do; the unit
 * tests assert each build's own rules. */
#include "web/sandbox.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "base/log.h"

/* clone's flags are its first argument, except on s390 */
#if defined(__s390__) || defined(__s390x__)
#define CLONE_FLAGS_ARG 1
#else
#define CLONE_FLAGS_ARG 0
#endif

/* Denied with EPERM. Names this architecture lacks (fork on arm64, say)
 * resolve to negative pseudo numbers and are skipped. */
static const int denied[] = {
	/* other processes: reading and writing their memory, their fds */
	SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev), SCMP_SYS(process_madvise),
	SCMP_SYS(pidfd_getfd), SCMP_SYS(kcmp),
	/* new processes; threads go through clone, checked below */
	SCMP_SYS(fork), SCMP_SYS(vfork),
	/* mounts, including the new mount API, which would bypass mount's rule */
	SCMP_SYS(mount), SCMP_SYS(umount), SCMP_SYS(umount2), SCMP_SYS(pivot_root),
	SCMP_SYS(chroot), SCMP_SYS(open_tree), SCMP_SYS(move_mount), SCMP_SYS(fsopen),
	SCMP_SYS(fsconfig), SCMP_SYS(fsmount), SCMP_SYS(fspick), SCMP_SYS(mount_setattr),
	/* namespaces: the usual first step of a kernel exploit */
	SCMP_SYS(unshare), SCMP_SYS(setns),
	/* the kernel itself */
	SCMP_SYS(init_module), SCMP_SYS(finit_module), SCMP_SYS(delete_module),
	SCMP_SYS(kexec_load), SCMP_SYS(kexec_file_load), SCMP_SYS(reboot),
	SCMP_SYS(swapon), SCMP_SYS(swapoff), SCMP_SYS(bpf), SCMP_SYS(perf_event_open),
	SCMP_SYS(userfaultfd), SCMP_SYS(iopl), SCMP_SYS(ioperm), SCMP_SYS(modify_ldt),
	SCMP_SYS(uselib), SCMP_SYS(personality), SCMP_SYS(acct), SCMP_SYS(syslog),
	SCMP_SYS(lookup_dcookie), SCMP_SYS(quotactl), SCMP_SYS(quotactl_fd),
	SCMP_SYS(vhangup),
	/* io_uring runs its operations without passing through this filter */
	SCMP_SYS(io_uring_setup), SCMP_SYS(io_uring_enter), SCMP_SYS(io_uring_register),
	/* keyrings */
	SCMP_SYS(keyctl), SCMP_SYS(add_key), SCMP_SYS(request_key),
	/* the clock and the host's names */
	SCMP_SYS(settimeofday), SCMP_SYS(clock_settime), SCMP_SYS(adjtimex),
	SCMP_SYS(clock_adjtime), SCMP_SYS(stime), SCMP_SYS(sethostname),
	SCMP_SYS(setdomainname),
	/* files by handle, which skips path permission checks */
	SCMP_SYS(open_by_handle_at), SCMP_SYS(name_to_handle_at),
};

/* Kill the process: see the file comment. */
static const int killed[] = {
	SCMP_SYS(execve), SCMP_SYS(execveat),
#if !SANDBOX_ALLOWS_LSAN
	SCMP_SYS(ptrace),
#endif
};

/* clone flags that make a new namespace. CLONE_NEWTIME is left out: in
 * clone's flags that bit is part of the exit signal, and only clone3 (denied)
 * and unshare (denied) accept it. */
static const uint64_t new_namespace[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
};

/* Adds every rule to ctx. Returns 0, or -1 with libseccomp's negative errno
 * in *error and the system call's number in *bad. */
static int add_rules(scmp_filter_ctx ctx, int *bad, int *error)
{
	int rc = -1, e = 0;
	for (size_t i = 0; i < sizeof killed / sizeof killed[0]; i++) {
		*bad = killed[i];
		if (killed[i] >= 0 &&
		    (e = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, killed[i], 0)) < 0)
			goto fail;
	}
	for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
		*bad = denied[i];
		if (denied[i] >= 0 &&
		    (e = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0)) < 0)
			goto fail;
	}
	*bad = SCMP_SYS(clone3);
	if ((e = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0)) < 0)
		goto fail;
	*bad = SCMP_SYS(clone);
	/* a clone that shares neither the thread group nor (in sanitizer builds,
	 * for LeakSanitizer's tracer) the address space makes a new process */
	uint64_t shares = CLONE_THREAD | (SANDBOX_ALLOWS_LSAN ? CLONE_VM : 0);
	if ((e = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				  SCMP_CMP(CLONE_FLAGS_ARG, SCMP_CMP_MASKED_EQ, shares, 0))) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof new_namespace / sizeof new_namespace[0]; i++) {
		uint64_t f = new_namespace[i];
		if ((e = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
					  SCMP_CMP(CLONE_FLAGS_ARG, SCMP_CMP_MASKED_EQ, f, f))) < 0)
			goto fail;
	}
	*bad = -1;
	rc = 0;
fail:
	*error = e;
	return rc;
}

int sandbox_enter(char *err, size_t errlen)
{
	int rc = -1, bad = -1, e = 0;
	const char *what = "";
	scmp_filter_ctx ctx = NULL;
	const char *env = getenv("PROBITY_SANDBOX");
	if (env && strcmp(env, "off") == 0) {
		log_warn("sandbox: PROBITY_SANDBOX=off: serving WITHOUT the seccomp filter; "
			 "for debugging only");
		rc = 0;
		goto out;
	}
	if (env && strcmp(env, "on") != 0) {
		snprintf(err, errlen, "PROBITY_SANDBOX must be 'on' or 'off'");
		goto out;
	}
	/* no core dumps: a core of this process could hold decrypted reports and
	 * unwrapped keys. Not dumpable also keeps same-user processes from
	 * attaching a debugger; LeakSanitizer's exit check needs to attach, so
	 * sanitizer builds stay dumpable (core dumps are off there too). */
	struct rlimit nocore = {0, 0};
	if (setrlimit(RLIMIT_CORE, &nocore) != 0) {
		snprintf(err, errlen, "cannot turn core dumps off: %s", strerror(errno));
		goto out;
	}
#ifndef SANDBOX_ALLOWS_LSAN
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		snprintf(err, errlen, "cannot make the process undumpable: %s", strerror(errno));
		goto out;
	}
#endif
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		snprintf(err, errlen, "cannot set up the seccomp filter (libseccomp failed)");
		goto out;
	}
	what = "setting the filter's attributes";
	/* raw kernel errors make a failed load explain itself */
	if ((e = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1)) < 0 ||
	    (e = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) < 0 ||
	    (e = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0 ||
	    (e = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0)
		goto fail;
	what = "adding a rule";
	if (add_rules(ctx, &bad, &e) != 0)
		goto fail;
	what = "loading the filter into the kernel";
	if ((e = seccomp_load(ctx)) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:;
	char *name = bad >= 0 ? seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, bad) : NULL;
	snprintf(err, errlen, "cannot enter the seccomp sandbox: %s%s%s: %s", what,
		 name ? " for " : "", name ? name : "", strerror(-e));
	free(name);
out:
	if (ctx)
		seccomp_release(ctx);
	return rc;
}
