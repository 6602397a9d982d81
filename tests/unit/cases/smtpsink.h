/* smtpsink.h: a tiny SMTP server for tests (tests/unit/cases/
 * test_cases_remind.c and the helper tests/cli/smtp_sink.c): a thread on a
 * free loopback port that speaks just enough SMTP for libcurl (220, EHLO
 * and HELO 250, MAIL 250, RCPT 250 or 550, DATA 354, "." 250, RSET and
 * NOOP 250, QUIT 221) and keeps every message it is given, with its
 * envelope, dot-stuffing undone. One connection at a time. */
#ifndef TESTS_SMTPSINK_H
#define TESTS_SMTPSINK_H
#include <pthread.h>
#include <stddef.h>

#define SMTP_SINK_MAX 64

struct smtp_mail {
	char from[300], to[300];   /* the envelope, without angle brackets */
	char *data;                /* malloc'd, NUL-terminated: headers and body, CRLFs kept */
	size_t len;
};

struct smtp_sink {
	int port;
	const char *refuse;        /* RCPT TO this address gets 550 (may be NULL) */
	pthread_mutex_t lock;
	struct smtp_mail mail[SMTP_SINK_MAX];
	size_t nmail;
	size_t sessions;           /* connections served */
	/* private */
	int fd, stop;
	pthread_t th;
};

/* Listens on 127.0.0.1 at a free port (s->port) and serves in a thread.
 * Returns 0 or -1. */
int smtp_sink_start(struct smtp_sink *s);
/* Stops the thread, closes the port and frees the messages. */
void smtp_sink_stop(struct smtp_sink *s);
/* The number of messages received so far (locked). */
size_t smtp_sink_count(struct smtp_sink *s);

#endif
