/* viewer.c: the signed-in user behind a session token (viewer.h). */
#include "app/viewer.h"

#include <sodium.h>

int app_viewer_load(struct page *p, const char *token, const struct session_limits *lim,
		    time_t now, struct viewer **out)
{
	*out = NULL;
	struct viewer *v = arena_alloc(p->a, sizeof *v);
	/* the session, its account and roles in one query: the check against the
	 * database on every request stays, at the cost of one read */
	int r = session_load_viewer(p->db, token, lim, now, &v->session, &v->account, v->role,
				    VIEWER_MAX_ROLES, &v->nroles);
	if (r != 0)
		return r;
	v->roles = accounts_role_bits(v->role, v->nroles);
	if (session_touch(p->db, &v->session, now) != 0)
		goto fail;
	*out = v;
	return 0;
fail:
	sodium_memzero(&v->session, sizeof v->session);
	return -1;
}
