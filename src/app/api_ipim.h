/* api_ipim.h: IPIM's meetings and the good-practice library through the
 * JSON API, read only (api_ipim.c; docs/openapi.yaml, tag "ipim").
 * Referenced by the route table. */
#ifndef APP_API_IPIM_H
#define APP_API_IPIM_H

struct api_req;

/* GET /api/v1/ipim/meetings: every meeting, newest first */
void api_ipim_meetings(struct api_req *r);
/* GET /api/v1/ipim/meetings/{id}: one, with its agenda, links and decisions */
void api_ipim_meeting(struct api_req *r);
/* GET /api/v1/good-practices?q=&theme=&department=&page=: the library's
 * search, pages of 50 */
void api_ipim_practices(struct api_req *r);

#endif
