/* api_culture.h: the culture indicators through the JSON API, read only
 * (api_culture.c; docs/openapi.yaml, tag "culture"). Referenced by the
 * route table. */
#ifndef APP_API_CULTURE_H
#define APP_API_CULTURE_H

struct api_req;

/* GET /api/v1/culture?department=&year=: per department the caller may
 * see, the survey figures per year beside the reports received and the
 * violations registered */
void api_culture(struct api_req *r);

#endif
