/* viewer.c: the signed-in user behind a session token (viewer.h). */
#include "app/viewer.h"

#include <sodium.h>

int app_viewer_load(struct page *p, const char *token, const struct session_limits *lim,
		    time_t now, struct viewer **out)
{
	*out = NULL;
	struct viewer *v = arena_alloc(p->a, sizeof *v);
	int r = session_load(p->db, token, lim, now, &v->session);
	if (r != 0)
		return r;
	int f = accounts_get(p->db, v->session.account_id, &v->account);
	if (f < 0)
		goto fail;
	if (f == 1 || v->account.disabled) {
		session_destroy(p->db, &v->session);
		sodium_memzero(&v->session, sizeof v->session);
		return 1;
	}
	if (accounts_roles(p->db, v->account.id, v->role, VIEWER_MAX_ROLES, &v->nroles) != 0)
		goto fail;
	v->roles = accounts_role_bits(v->role, v->nroles);
	if (session_touch(p->db, &v->session, now) != 0)
		goto fail;
	*out = v;
	return 0;
fail:
	sodium_memzero(&v->session, sizeof v->session);
	return -1;
}
