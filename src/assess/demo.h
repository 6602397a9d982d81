/* demo.h: the demo self-assessments of `probity demo`
 * (data/demo/assessments.json; format at the top of demo.c): assessments of
 * every department for several years, made, filled in, signed off and
 * reviewed through the assessment store (assess.h) as the demo accounts
 * whose roles allow each step, so that the comparison across departments
 * and the change since the previous assessment show something real. */
#ifndef ASSESS_DEMO_H
#define ASSESS_DEMO_H
#include <stddef.h>

#include "accounts/accounts.h"
#include "crypto/audit.h"
#include "store/db.h"

#define ASSESS_DEMO_MAX 100

/* What was loaded, for the one line `probity demo` prints. */
struct assess_demo_summary {
	size_t assessments, drafts, signed_off, reviewed;
	size_t departments;        /* distinct departments with an assessment */
	size_t actions, links, comments;
	int first_year, last_year;
};

/* Loads the assessments of a demo file (text, len bytes). logins are the
 * demo accounts just made (accounts_import_demo). The whole file is
 * checked (departments, frameworks, requirements, every text's limit,
 * who takes each step, dates) before anything is written; each step is
 * then its own transaction through the store (the demo removes its
 * database on any failure). Returns 0 with *sum filled, or -1 with
 * "PATH: reason" in err. */
int assess_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		       const struct account_demo_login *logins, size_t nlogins,
		       struct assess_demo_summary *sum, char *err, size_t errlen);
/* The same for a file; err starts with its path. */
int assess_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			    const struct account_demo_login *logins, size_t nlogins,
			    struct assess_demo_summary *sum, char *err, size_t errlen);

#endif
