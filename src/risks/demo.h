/* demo.h: the demo risk registers of `probity demo` (data/demo/risks.json;
 * format at the top of demo.c): one register per department, written
 * through the risk store (risks.h) as the department's integrity
 * coordinator, so that the audit trail holds what a keeper would have done.
 * Run after the demo accounts; the closed-loop demo names these processes. */
#ifndef RISKS_DEMO_H
#define RISKS_DEMO_H
#include <stddef.h>

#include "accounts/accounts.h"
#include "crypto/audit.h"
#include "store/db.h"

#define RISKS_DEMO_REGISTERS_MAX 40

/* What was loaded, for the one line `probity demo` prints. */
struct risks_demo_summary {
	size_t registers, processes, positions, risks, controls;
	size_t matrices;   /* registers with a matrix of their own */
};

/* Loads the registers of a demo file (text, len bytes). logins are the demo
 * accounts just made (accounts_import_demo): each register's keeper must be
 * one of them, integrity coordinator at the register's department. The
 * whole file is checked (every record by the model's rules, against the
 * department's matrix) before anything is written; each record is then its
 * own transaction through the store (the demo removes its database on any
 * failure). Returns 0 with *sum filled, or -1 with "PATH: reason" in err. */
int risks_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		      const struct account_demo_login *logins, size_t nlogins,
		      struct risks_demo_summary *sum, char *err, size_t errlen);
/* The same for a file; err starts with its path. */
int risks_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			   const struct account_demo_login *logins, size_t nlogins,
			   struct risks_demo_summary *sum, char *err, size_t errlen);

#endif
