/* api_policy.h: the policy cycle through the JSON API, read only
 * (api_policy.c; docs/openapi.yaml, tag "policy"). Referenced by the route
 * table. */
#ifndef APP_API_POLICY_H
#define APP_API_POLICY_H

struct api_req;

/* GET /api/v1/policy-items: every policy item with its stage and how many
 * of the departments the caller sees recorded its adoption */
void api_policy_items(struct api_req *r);
/* GET /api/v1/policy-items/{id}: one, with each visible department's
 * adoption and the recommendations it answers */
void api_policy_item(struct api_req *r);

#endif
