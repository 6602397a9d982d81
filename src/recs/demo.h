/* demo.h: the demo policy cycle and recommendations of `probity demo`
 * (data/demo/policy.json and data/demo/recommendations.json; formats at the
 * top of demo.c), written through the stores (policy.h, recs.h) as the
 * demo accounts would: the coordinator for items, sources and
 * recommendations, each department's integrity coordinator for its
 * adoption, so that the audit trail holds what they would have done.
 * Run after the demo accounts and self-assessments (an adoption's
 * evaluation names one), the policy file before the recommendations (a
 * recommendation names the policy items that answer it). */
#ifndef RECS_DEMO_H
#define RECS_DEMO_H
#include <stddef.h>

#include "accounts/accounts.h"
#include "crypto/audit.h"
#include "store/db.h"

/* What was loaded, for the one line `probity demo` prints. */
struct recs_demo_summary {
	size_t items, adoptions, evaluations;          /* policy.json */
	size_t sources, recs, notes, with_status;       /* recommendations.json */
};

/* Loads the file at path (policy 1: the policy file, 0: the
 * recommendations). The whole file is checked (every record by the
 * model's rules, departments, accounts, policy items and self-assessments
 * looked up) before anything is written; each record is then its own
 * transaction through the store (the demo removes its database on any
 * failure). Returns 0 with *sum's part filled, or -1 with "PATH: reason"
 * (the file's path first) in err. */
int recs_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			  int policy, const struct account_demo_login *logins, size_t nlogins,
			  struct recs_demo_summary *sum, char *err, size_t errlen);
/* The same for text already read (len bytes), for tests. */
int recs_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		     int policy, const struct account_demo_login *logins, size_t nlogins,
		     struct recs_demo_summary *sum, char *err, size_t errlen);

#endif
