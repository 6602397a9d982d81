/* demo.h: the demo IPIM of `probity demo` (data/demo/ipim.json; format at
 * the top of demo.c): meetings with agenda items linked to the demo
 * recommendations and policy items, decisions, and the departments' good
 * practices, written through the stores as the demo accounts would: the
 * editor (an IPIM member or the coordinator) for meetings, each
 * department's integrity coordinator for its practices. Run after the
 * demo recommendations and policy cycle (src/recs/demo.h), which the
 * agenda names. */
#ifndef IPIM_DEMO_H
#define IPIM_DEMO_H
#include <stddef.h>

#include "accounts/accounts.h"
#include "crypto/audit.h"
#include "store/db.h"

struct ipim_demo_summary {
	size_t meetings, items, links, decisions, practices;
};

/* Loads the file at path. The whole file is checked (every record by the
 * model's rules, accounts, departments, recommendations and policy items
 * looked up) before anything is written; each record is then its own
 * transaction through the store (the demo removes its database on any
 * failure). 0 with *sum filled, or -1 with "PATH: reason" in err. */
int ipim_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			  const struct account_demo_login *logins, size_t nlogins,
			  struct ipim_demo_summary *sum, char *err, size_t errlen);
/* The same for text already read (len bytes), for tests. */
int ipim_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		     const struct account_demo_login *logins, size_t nlogins,
		     struct ipim_demo_summary *sum, char *err, size_t errlen);

#endif
