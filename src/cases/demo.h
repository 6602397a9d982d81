/* demo.h: the demo cases of `probity demo` (data/demo/cases.json; format at
 * the top of demo.c): cases opened from the demo reports and walked through
 * the real case storage (cases.h) to the phase each names, so that the demo
 * shows a case in every phase of the protocol and one closed. */
#ifndef CASES_DEMO_H
#define CASES_DEMO_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/accounts.h"
#include "cases/protocol.h"
#include "crypto/audit.h"
#include "intake/intake.h"
#include "orgs/orgs.h"
#include "store/db.h"

#define CASES_DEMO_MAX 20

/* A demo case as stored, for printing. */
struct cases_demo_case {
	int64_t case_id;
	char org_code[ORG_CODE_MAX + 1];
	char phase[CASES_ID_MAX + 1];
	int closed;
};

/* Opens and walks the cases of a demo file (text, len bytes). logins are the
 * demo accounts just made (accounts_import_demo, with their passwords: the
 * demo signs in as the team to unwrap their secret keys); reports are the
 * demo reports just stored (intake_import_demo), which the file names by
 * their place in that list. The whole file, and every account and report it
 * names, is checked before anything is written; each step of the walk is
 * then its own transaction (the demo removes its database on any failure).
 * Returns 0 with out[0..*n) filled, or -1 with "PATH: reason" in err. */
int cases_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		      const struct account_demo_login *logins, size_t nlogins,
		      const struct intake_demo_report *reports, size_t nreports,
		      struct cases_demo_case *out, size_t cap, size_t *n, char *err,
		      size_t errlen);
/* The same for a file; err starts with its path. */
int cases_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			   const struct account_demo_login *logins, size_t nlogins,
			   const struct intake_demo_report *reports, size_t nreports,
			   struct cases_demo_case *out, size_t cap, size_t *n, char *err,
			   size_t errlen);

#endif
