/* access.h: whose culture figures a viewer may see, one answer for the page
 * /cultuur (pages.c) and the API's GET /api/v1/culture (app/api_culture.c),
 * so that the two can never disagree. */
#ifndef CULTURE_ACCESS_H
#define CULTURE_ACCESS_H
#include "accounts/scope.h"
#include "accounts/viewer.h"
#include "store/db.h"

/* The departments v may see, ordered by code: every one in the coordinating
 * ministry's scope for a coordinator or auditor (never Defence), plus the
 * viewer's own for an integrity coordinator or manager. 0, or -1 on a
 * database error. */
int culture_visible(db_t *db, const struct viewer *v, struct scope *out);

#endif
