/* mail.h: sending one plain e-mail message over SMTP with libcurl, and the
 * address syntax Probity accepts. Infrastructure only: what a message says
 * is the caller's (src/cases/remind.c), and so is deciding that it may be
 * sent at all.
 *
 * Addresses are the common form local@domain: a local part of letters,
 * digits and !#$%&'*+-/=?^_`{|}~ with single dots between, at most 64
 * bytes; a domain of labels of letters, digits and inner hyphens; at most
 * 254 bytes in all. No quoted local parts, comments or address literals:
 * work addresses never need them, and an address that can hold no space,
 * angle bracket, CR or LF can never break out of an SMTP command or a
 * header line. */
#ifndef WEB_MAIL_H
#define WEB_MAIL_H
#include <stddef.h>

#define MAIL_ADDRESS_MAX 254

/* 1 if s is an address as above, else 0. Pure. */
int mail_address_valid(const char *s);

/* Sends msg (len bytes: the header lines, an empty line and the body, lines
 * ending in CRLF; no line may start with '.') from `from` to `to` (both
 * valid addresses) through the server at url ("smtp://host:port", with
 * STARTTLS when the server offers it, or "smtps://host:port"; user:password@
 * in the URL to log in). Waits at most timeout_seconds in all. Returns 0, or
 * -1 with the reason in err (never the URL, which may hold a password). */
int mail_send(const char *url, const char *from, const char *to, const char *msg, size_t len,
	      long timeout_seconds, char *err, size_t errlen);

#endif
