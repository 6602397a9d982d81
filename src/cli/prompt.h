/* prompt.h: asking the operator for a line at the terminal, or reading it
 * from standard input when that is not a terminal (scripts, tests), so that
 * secrets never have to go on a command line that `ps` shows.
 *
 * At a terminal the prompt goes to standard error and a secret is typed
 * without echo; echo comes back even if the operator interrupts. Without a
 * terminal no prompt is printed: each call takes the next line. */
#ifndef CLI_PROMPT_H
#define CLI_PROMPT_H
#include <stddef.h>
#include <sys/types.h>

enum {
	PROMPT_EREAD = -1,   /* read error (errno set) */
	PROMPT_ELONG = -2,   /* the line does not fit in cap - 1 bytes */
	PROMPT_EEOF = -3,    /* end of input before any byte */
	PROMPT_ENUL = -4,    /* the line holds a NUL byte */
};

/* Reads one line into buf (cap >= 2), without its newline or a trailing CR
 * (a line from a Windows editor). secret: no echo at a terminal. Returns the
 * length, or one of the PROMPT_E* codes with buf wiped. The caller wipes a
 * secret when done. */
ssize_t prompt_line(const char *prompt, int secret, char *buf, size_t cap);

/* 1 when standard input is a terminal. */
int prompt_is_tty(void);

#endif
