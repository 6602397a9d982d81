/* smtpsink.c: see smtpsink.h. */
#include "smtpsink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct conn {
	int fd;
	char buf[65536];
	size_t n;
};

static void say(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

/* The next line (without CRLF) into out; 1, or 0 when the peer is gone. */
static int line(struct conn *c, char *out, size_t cap)
{
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->n);
		if (nl) {
			size_t k = (size_t)(nl - c->buf);
			size_t m = k && c->buf[k - 1] == '\r' ? k - 1 : k;
			if (m >= cap)
				m = cap - 1;
			memcpy(out, c->buf, m);
			out[m] = 0;
			memmove(c->buf, nl + 1, c->n - k - 1);
			c->n -= k + 1;
			return 1;
		}
		if (c->n == sizeof c->buf)
			return 0;
		struct pollfd p = {c->fd, POLLIN, 0};
		if (poll(&p, 1, 10000) <= 0)
			return 0;
		ssize_t r = read(c->fd, c->buf + c->n, sizeof c->buf - c->n);
		if (r <= 0)
			return 0;
		c->n += (size_t)r;
	}
}

static void bracketed(const char *arg, char *out, size_t cap)
{
	const char *a = strchr(arg, '<'), *b = a ? strchr(a, '>') : NULL;
	if (!a || !b) {
		snprintf(out, cap, "%s", arg);
		return;
	}
	snprintf(out, cap, "%.*s", (int)(b - a - 1), a + 1);
}

static void serve(struct smtp_sink *s, int fd)
{
	struct conn *c = calloc(1, sizeof *c);
	char l[2048], from[300] = "", to[300] = "";
	c->fd = fd;
	say(fd, "220 sink ESMTP test\r\n");
	while (line(c, l, sizeof l)) {
		if (!strncasecmp(l, "EHLO", 4)) {
			say(fd, "250-sink\r\n250 8BITMIME\r\n");
		} else if (!strncasecmp(l, "HELO", 4)) {
			say(fd, "250 sink\r\n");
		} else if (!strncasecmp(l, "MAIL FROM:", 10)) {
			bracketed(l + 10, from, sizeof from);
			to[0] = 0;
			say(fd, "250 ok\r\n");
		} else if (!strncasecmp(l, "RCPT TO:", 8)) {
			bracketed(l + 8, to, sizeof to);
			if (s->refuse && strcmp(to, s->refuse) == 0) {
				to[0] = 0;
				say(fd, "550 no such mailbox\r\n");
			} else {
				say(fd, "250 ok\r\n");
			}
		} else if (!strncasecmp(l, "DATA", 4)) {
			say(fd, "354 go ahead\r\n");
			size_t cap = 4096, n = 0;
			char *d = malloc(cap);
			while (line(c, l, sizeof l) && strcmp(l, ".") != 0) {
				const char *t = l[0] == '.' ? l + 1 : l;  /* dot-stuffing */
				size_t k = strlen(t);
				while (n + k + 3 > cap)
					d = realloc(d, cap *= 2);
				memcpy(d + n, t, k);
				memcpy(d + n + k, "\r\n", 2);
				n += k + 2;
			}
			d[n] = 0;
			pthread_mutex_lock(&s->lock);
			if (s->nmail < SMTP_SINK_MAX) {
				struct smtp_mail *m = &s->mail[s->nmail++];
				snprintf(m->from, sizeof m->from, "%s", from);
				snprintf(m->to, sizeof m->to, "%s", to);
				m->data = d;
				m->len = n;
				d = NULL;
			}
			pthread_mutex_unlock(&s->lock);
			free(d);
			say(fd, "250 queued\r\n");
		} else if (!strncasecmp(l, "RSET", 4) || !strncasecmp(l, "NOOP", 4)) {
			say(fd, "250 ok\r\n");
		} else if (!strncasecmp(l, "QUIT", 4)) {
			say(fd, "221 bye\r\n");
			break;
		} else {
			say(fd, "502 not here\r\n");
		}
	}
	free(c);
}

static void *loop(void *arg)
{
	struct smtp_sink *s = arg;
	while (!s->stop) {
		struct pollfd p = {s->fd, POLLIN, 0};
		if (poll(&p, 1, 50) <= 0)
			continue;
		int fd = accept(s->fd, NULL, NULL);
		if (fd < 0)
			continue;
		pthread_mutex_lock(&s->lock);
		s->sessions++;
		pthread_mutex_unlock(&s->lock);
		serve(s, fd);
		close(fd);
	}
	return NULL;
}

int smtp_sink_start(struct smtp_sink *s)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof a;
	s->nmail = 0;
	s->sessions = 0;
	s->stop = 0;
	pthread_mutex_init(&s->lock, NULL);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(s->fd, 8) != 0 || getsockname(s->fd, (struct sockaddr *)&a, &len) != 0) {
		if (s->fd >= 0)
			close(s->fd);
		return -1;
	}
	s->port = ntohs(a.sin_port);
	if (pthread_create(&s->th, NULL, loop, s) != 0) {
		close(s->fd);
		return -1;
	}
	return 0;
}

void smtp_sink_stop(struct smtp_sink *s)
{
	s->stop = 1;
	pthread_join(s->th, NULL);
	close(s->fd);
	for (size_t i = 0; i < s->nmail; i++)
		free(s->mail[i].data);
	s->nmail = 0;
	pthread_mutex_destroy(&s->lock);
}

size_t smtp_sink_count(struct smtp_sink *s)
{
	pthread_mutex_lock(&s->lock);
	size_t n = s->nmail;
	pthread_mutex_unlock(&s->lock);
	return n;
}
