/* orgs.h: the organisation tree with its history. (placeholder face: the
 * organisations feature fills this in) */
#ifndef ORGS_ORGS_H
#define ORGS_ORGS_H
#include <stddef.h>

#include "crypto/audit.h"
#include "store/db.h"

/* Loads an organisations data file (data/demo/organisations.json) in one
 * transaction, with audit entries. Returns 0 or -1 with a reason in err. */
int orgs_import_file(db_t *db, const struct audit_signer *signer, const char *actor,
		     const char *path, char *err, size_t errlen);

#endif
