/* prompt.c: see prompt.h. Reads byte by byte with read(2), not stdio, so
 * that nothing beyond the line is buffered away from the next call (several
 * lines, such as custodians' usernames and passwords, come from one pipe). */
#include "cli/prompt.h"

#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_tty;
static volatile sig_atomic_t tty_changed;

/* Puts echo back if the operator interrupts a prompt, then dies of the signal
 * as it would have. Only async-signal-safe calls. */
static void restore_and_die(int sig)
{
	if (tty_changed)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line from standard input into buf; see prompt_line for the result. */
static ssize_t read_line(char *buf, size_t cap)
{
	size_t n = 0;
	int got = 0, nul = 0;
	for (;;) {
		char ch;
		ssize_t r = read(STDIN_FILENO, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return PROMPT_EREAD;
		if (r == 0)
			break;
		got = 1;
		if (ch == '\n')
			break;
		if (n + 1 >= cap)
			return PROMPT_ELONG;
		nul |= ch == '\0';
		buf[n++] = ch;
	}
	buf[n] = '\0';
	if (!got)
		return PROMPT_EEOF;
	if (nul)
		return PROMPT_ENUL;
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return (ssize_t)n;
}

/* At the terminal, echo off: reads a line with the signals that could leave
 * the terminal silent caught. */
static ssize_t read_quiet(char *buf, size_t cap)
{
	struct termios quiet;
	struct sigaction sa = {.sa_handler = restore_and_die}, old[3];
	static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	if (tcgetattr(STDIN_FILENO, &saved_tty) != 0)
		return PROMPT_EREAD;
	quiet = saved_tty;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	ssize_t n = PROMPT_EREAD;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0) {
		tty_changed = 1;
		n = read_line(buf, cap);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
		tty_changed = 0;
	}
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	return n;
}

int prompt_is_tty(void)
{
	return isatty(STDIN_FILENO);
}

ssize_t prompt_line(const char *prompt, int secret, char *buf, size_t cap)
{
	ssize_t n;
	if (!prompt_is_tty()) {
		n = read_line(buf, cap);
	} else {
		fputs(prompt, stderr);
		fflush(stderr);
		n = secret ? read_quiet(buf, cap) : read_line(buf, cap);
	}
	if (n < 0)
		sodium_memzero(buf, cap);
	return n;
}
