/* sandbox.h: the seccomp filter `probity serve` enters once it listens, so
 * that a bug in request handling cannot turn into running programs, tracing
 * processes or reconfiguring the kernel. sandbox.c explains what it denies
 * and why. */
#ifndef WEB_SANDBOX_H
#define WEB_SANDBOX_H
#include <stddef.h>

/* LeakSanitizer checks for leaks at exit by cloning a tracer that shares the
 * address space (clone with CLONE_VM, without CLONE_THREAD) and
 * ptrace-attaches to every thread. Builds with AddressSanitizer therefore
 * allow exactly those two things; release builds never do. Tests read this
 * to assert what the build they run in is meant to do. */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ALLOWS_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define SANDBOX_ALLOWS_LSAN 1
#endif
#endif
#ifndef SANDBOX_ALLOWS_LSAN
#define SANDBOX_ALLOWS_LSAN 0
#endif

/* Installs the filter on every thread of the process (the HTTP thread pool
 * exists already) and sets no_new_privs; there is no way back. The
 * environment variable PROBITY_SANDBOX=off skips it with a warning, for
 * debugging only; any value other than "on" or "off" is an error. Returns 0,
 * or -1 with the reason in err and no filter installed. */
int sandbox_enter(char *err, size_t errlen);

#endif
