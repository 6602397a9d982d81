/* viewer.h: who is looking at a page: the signed-in account, its roles and its
 * session. web/page.h carries it as an opaque pointer. */
#ifndef ACCOUNTS_VIEWER_H
#define ACCOUNTS_VIEWER_H
#include <stddef.h>

#include "accounts/accounts.h"
#include "accounts/session.h"

#define VIEWER_MAX_ROLES 32

struct viewer {
	struct session session;
	struct account account;
	unsigned roles;  /* one bit per enum role held, at any organisation */
	struct account_role role[VIEWER_MAX_ROLES];
	size_t nroles;
};

#endif
