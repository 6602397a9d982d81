/* api_frameworks.h: the framework library through the JSON API
 * (api_frameworks.c; docs/openapi.yaml, tag "frameworks"). Referenced by the
 * route table. */
#ifndef APP_API_FRAMEWORKS_H
#define APP_API_FRAMEWORKS_H

struct api_req;

/* GET /api/v1/frameworks: every stored revision, by code and revision */
void api_frameworks(struct api_req *r);
/* GET /api/v1/frameworks/{id}: one revision, the canonical JSON document */
void api_framework_get(struct api_req *r);

#endif
