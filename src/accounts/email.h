/* email.h: an account's optional work e-mail address (migration 0010), for
 * the reminders of due and overdue deadlines (src/cases/remind.h), and the
 * day the last reminder went to it. Set by an administrator with `probity
 * user email`; no page shows or sets it, and nothing but a reminder of
 * counts is ever sent to it (docs/security.md). */
#ifndef ACCOUNTS_EMAIL_H
#define ACCOUNTS_EMAIL_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/accounts.h"
#include "base/date.h"
#include "web/mail.h"

/* Sets (email not NULL: an address mail_address_valid accepts) or removes
 * (NULL) the address of account id, in one transaction with
 * "account.email" (detail "set" or "removed": never the address, which the
 * account row holds anyway). *changed (may be NULL) is 0 when it already was
 * so; nothing is written then. Returns 0, or -1 with e set: ACCOUNT_EINVALID
 * (not an address), ACCOUNT_ENOTFOUND, ACCOUNT_EDB. */
int accounts_set_email(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
		       const char *email, int *changed, struct account_error *e);

/* The address of account id into out ("" when none). 0, 1 no such account,
 * -1 db error. */
int accounts_email(db_t *db, int64_t id, char out[MAIL_ADDRESS_MAX + 1]);

/* An enabled account with an address. */
struct account_mailbox {
	int64_t id;
	char username[ACCOUNT_USERNAME_MAX + 1];
	char email[MAIL_ADDRESS_MAX + 1];
	char reminded_on[DATE_LEN + 1];      /* "" when never */
};

/* Every enabled account with an address, by id, into a fresh array (*out
 * NULL when *n is 0; free it). 0 or -1 (db error). */
int accounts_mailboxes(db_t *db, struct account_mailbox **out, size_t *n);

/* Records that a reminder went to account id on date `on`. 0 or -1. */
int accounts_set_reminded(db_t *db, int64_t id, const char *on);

#endif
