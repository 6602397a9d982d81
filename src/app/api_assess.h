/* api_assess.h: the self-assessment handlers of the JSON API
 * (api_assess.c), referenced by the route table (api_routes.c). */
#ifndef APP_API_ASSESS_H
#define APP_API_ASSESS_H

struct api_req;

void api_assessments(struct api_req *r);
void api_assessment_get(struct api_req *r);
void api_assessment_item(struct api_req *r);
void api_assessment_sign_off(struct api_req *r);
void api_assessment_review(struct api_req *r);

#endif
