/* access.c: see access.h. */
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "culture/access.h"

#define R(x) role_mask(x)

int culture_visible(db_t *db, const struct viewer *v, struct scope *out)
{
	/* a struct scope is about 15 kB: kept off the stack */
	struct scope *own = malloc(sizeof *own);
	if (!own)
		return -1;
	if (scope_coordinated(db, v, R(ROLE_COORDINATOR) | R(ROLE_AUDITOR), out) != 0 ||
	    scope_own(db, v, R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER), own) != 0) {
		free(own);
		return -1;
	}
	for (size_t i = 0; i < own->n && out->n < SCOPE_MAX; i++)
		if (!scope_find(out, own->dept[i].id))
			out->dept[out->n++] = own->dept[i];
	free(own);
	/* by code, as both lists are */
	for (size_t i = 1; i < out->n; i++)
		for (size_t j = i; j > 0 && strcmp(out->dept[j - 1].code, out->dept[j].code) > 0; j--) {
			struct scope_dept t = out->dept[j];
			out->dept[j] = out->dept[j - 1];
			out->dept[j - 1] = t;
		}
	return 0;
}
