/* api_risks.h: the risk register through the JSON API (api_risks.c;
 * docs/openapi.yaml, tag "risks"). Referenced by the route table. */
#ifndef APP_API_RISKS_H
#define APP_API_RISKS_H

struct api_req;

/* GET /api/v1/risk-registers/{id}: matrix, processes, positions, risks with
 * their bands, controls */
void api_risk_register(struct api_req *r);
/* GET /api/v1/risk-registers/{id}/heatmap: counts per cell, inherent and
 * residual */
void api_risk_heatmap(struct api_req *r);
/* POST /api/v1/risk-registers/{id}/risks: a new risk */
void api_risk_create(struct api_req *r);
/* POST /api/v1/risks/{id}: changes the fields given of a risk */
void api_risk_update(struct api_req *r);

#endif
