/* import.c: placeholder until the organisations feature lands. */
#include <stdio.h>

#include "orgs/orgs.h"

int orgs_import_file(db_t *db, const struct audit_signer *signer, const char *actor,
		     const char *path, char *err, size_t errlen)
{
	(void)db;
	(void)signer;
	(void)actor;
	snprintf(err, errlen, "%s: organisations import not built yet", path);
	return -1;
}
