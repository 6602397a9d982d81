/* api_recs.h: the recommendations tracker through the JSON API
 * (api_recs.c; docs/openapi.yaml, tag "recommendations"). Referenced by the
 * route table. */
#ifndef APP_API_RECS_H
#define APP_API_RECS_H

struct api_req;

/* GET /api/v1/recommendations: every source with its recommendations and
 * tally, and the tally of all */
void api_recs_list(struct api_req *r);
/* GET /api/v1/recommendations/{id}: one, with its progress notes */
void api_recs_get(struct api_req *r);
/* POST /api/v1/recommendations/sources: a new source */
void api_recs_source_create(struct api_req *r);
/* POST /api/v1/recommendations/sources/{id}/recommendations: a new
 * recommendation of the source */
void api_recs_create(struct api_req *r);
/* POST /api/v1/recommendations/{id}: changes the fields given */
void api_recs_update(struct api_req *r);
/* POST /api/v1/recommendations/{id}/notes: a progress note */
void api_recs_note(struct api_req *r);

#endif
