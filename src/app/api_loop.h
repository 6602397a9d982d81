/* api_loop.h: "where were the risks greatest" through the JSON API
 * (api_loop.c; docs/openapi.yaml, tag "risks"). Referenced by the route
 * table. */
#ifndef APP_API_LOOP_H
#define APP_API_LOOP_H

struct api_req;

/* GET /api/v1/risk-registers/{id}/violations?from=&to=&n=: the department's
 * established violations per process and category against its assessed
 * risk, with the flags and the controls judged (src/loop/loop.h) */
void api_loop_view(struct api_req *r);

#endif
