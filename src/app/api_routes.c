/* api_routes.c: every route of the JSON API, in one table, each declaring who
 * may use it and which body fields it takes (api_routes.h), and the matching
 * of a request against it. docs/openapi.yaml describes the same routes; a
 * test keeps the two in step. */
#include "app/api_routes.h"

#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "app/api_assess.h"
#include "app/api_culture.h"
#include "app/api_frameworks.h"
#include "app/api_ipim.h"
#include "app/api_req.h"
#include "app/api_loop.h"
#include "app/api_policy.h"
#include "app/api_recs.h"
#include "app/api_risks.h"
#include "base/num.h"

#define R(role) (1u << (role))
/* the handlers of reports: only they hold report keys (intake.h) */
#define HANDLERS (R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_CONFIDENTIAL_ADVISER))
/* who works on cases; which case each may open is the case's keys */
#define CASE_TEAM (R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_INVESTIGATOR))
#define CASE_ROLES (CASE_TEAM | R(ROLE_COMPETENT_AUTHORITY))
/* who reads self-assessments; which department each may read is src/assess */
#define ASSESS_READERS (R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER) | R(ROLE_COORDINATOR) | \
			R(ROLE_AUDITOR))
/* who reads a risk register; which department each may read is risks_access */
#define RISK_READERS (R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER) | R(ROLE_COORDINATOR) | \
		      R(ROLE_AUDITOR))
/* who reads the recommendations tracker: public documents (src/recs/pages.h) */
#define RECS_READERS (R(ROLE_COORDINATOR) | R(ROLE_IPIM_MEMBER) | R(ROLE_AUDITOR) | \
		      R(ROLE_INTEGRITY_COORDINATOR))
/* who reads the culture indicators: the departments in scope for the
 * coordinator and auditor, its own for a department's integrity
 * coordinator or manager (src/culture/pages.c) */
#define CULTURE_READERS (R(ROLE_COORDINATOR) | R(ROLE_AUDITOR) | R(ROLE_INTEGRITY_COORDINATOR) | \
			 R(ROLE_MANAGER))
/* who reads the framework library: every role but a bare reporter's, as on
 * the pages (src/frameworks/pages.h) */
#define FW_READERS (R(ROLE_CONFIDENTIAL_ADVISER) | R(ROLE_MANAGER) |                      \
		    R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_INVESTIGATOR) |                  \
		    R(ROLE_COMPETENT_AUTHORITY) | R(ROLE_COORDINATOR) | R(ROLE_IPIM_MEMBER) | \
		    R(ROLE_AUDITOR) | R(ROLE_ADMINISTRATOR))

static const char *const f_report[] = {"organisation", "kind", "mode", "answers", "identity",
				       "recused", "questionnaire_revision", NULL};
static const char *const f_receipt[] = {"receipt", NULL};
static const char *const f_session[] = {"username", "password", "code", NULL};
static const char *const f_text[] = {"text", NULL};
static const char *const f_phase[] = {"target", "deviation", NULL};
static const char *const f_risk[] = {"title", "description", "process_id", "category",
				     "inherent_likelihood", "inherent_impact",
				     "residual_likelihood", "residual_impact", "treatment",
				     "owner", "review_on", "status", NULL};
static const char *const f_outcome[] = {"outcome", "category", "measures", "police_report", NULL};
static const char *const f_assess_item[] = {"requirement", "design", "existence", "operation",
					   "maturity", "comment", NULL};
static const char *const f_assess_review[] = {"comment", NULL};
static const char *const f_rec_source[] = {"kind", "title", "reference", "issued_on", "round",
					   "link", NULL};
static const char *const f_rec[] = {"number", "text", "addressees", "report_due", "policy_items",
				    "response", "response_on", "status", "status_on", NULL};
static const char *const f_rec_note[] = {"noted_on", "department", "text", "evidence", NULL};

const struct api_route api_routes[] = {
	{"GET", "/api/v1/questionnaire", API_PUBLIC, 0, NULL, api_questionnaire, "questionnaire"},
	{"GET", "/api/v1/organisations/{code}/recipients", API_PUBLIC, 0, NULL, api_recipients,
	 "recipients"},
	{"POST", "/api/v1/reports", API_PUBLIC, 0, f_report, api_report_submit, "report.submit"},

	{"POST", "/api/v1/receipt/session", API_PUBLIC, 0, f_receipt, api_receipt_session,
	 "receipt.session"},
	{"DELETE", "/api/v1/receipt/session", API_RECEIPT, 0, NULL, api_receipt_session_end,
	 "receipt.session.end"},
	{"GET", "/api/v1/receipt/report", API_RECEIPT, 0, NULL, api_receipt_report,
	 "receipt.report"},
	{"POST", "/api/v1/receipt/messages", API_RECEIPT, 0, f_text, api_receipt_message,
	 "receipt.message"},

	{"POST", "/api/v1/session", API_PUBLIC, 0, f_session, api_session, "session"},
	{"DELETE", "/api/v1/session", API_USER, 0, NULL, api_session_end, "session.end"},
	{"GET", "/api/v1/inbox", API_USER, HANDLERS, NULL, api_inbox, "inbox"},
	{"GET", "/api/v1/reports/{id}", API_USER, HANDLERS, NULL, api_report_get, "report"},
	{"POST", "/api/v1/reports/{id}/acknowledge", API_USER, HANDLERS, NULL, api_report_ack,
	 "report.acknowledge"},
	{"POST", "/api/v1/reports/{id}/messages", API_USER, HANDLERS, f_text, api_report_message,
	 "report.message"},
	{"GET", "/api/v1/cases", API_USER, CASE_ROLES, NULL, api_cases, "cases"},
	{"GET", "/api/v1/cases/{id}", API_USER, CASE_ROLES, NULL, api_case_get, "case"},
	{"POST", "/api/v1/cases/{id}/phase", API_USER, CASE_ROLES, f_phase, api_case_phase,
	 "case.phase"},
	{"POST", "/api/v1/cases/{id}/outcome", API_USER, CASE_TEAM, f_outcome, api_case_outcome,
	 "case.outcome"},
	/* self-assessments (api_assess.c): which department is the storage's
	 * check, as on the pages (src/assess/access.c) */
	{"GET", "/api/v1/assessments", API_USER, ASSESS_READERS, NULL, api_assessments,
	 "assessments"},
	{"GET", "/api/v1/assessments/{id}", API_USER, ASSESS_READERS, NULL, api_assessment_get,
	 "assessment"},
	{"POST", "/api/v1/assessments/{id}/items", API_USER,
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER), f_assess_item, api_assessment_item,
	 "assessment.item"},
	{"POST", "/api/v1/assessments/{id}/sign-off", API_USER, R(ROLE_INTEGRITY_COORDINATOR), NULL,
	 api_assessment_sign_off, "assessment.sign-off"},
	{"POST", "/api/v1/assessments/{id}/review", API_USER, R(ROLE_COORDINATOR), f_assess_review,
	 api_assessment_review, "assessment.review"},
	/* the risk register (api_risks.c): which department is the handler's
	 * check, as on the pages (risks_access) */
	{"GET", "/api/v1/risk-registers/{id}", API_USER, RISK_READERS, NULL, api_risk_register,
	 "risks.register"},
	{"GET", "/api/v1/risk-registers/{id}/heatmap", API_USER, RISK_READERS, NULL,
	 api_risk_heatmap, "risks.heatmap"},
	/* where were the risks greatest (api_loop.c): the same readers; small
	 * counts suppressed for the coordinator and auditor, as on the page */
	{"GET", "/api/v1/risk-registers/{id}/violations", API_USER, RISK_READERS, NULL,
	 api_loop_view, "loop.view"},
	{"POST", "/api/v1/risk-registers/{id}/risks", API_USER, R(ROLE_INTEGRITY_COORDINATOR),
	 f_risk, api_risk_create, "risks.create"},
	{"POST", "/api/v1/risks/{id}", API_USER, R(ROLE_INTEGRITY_COORDINATOR), f_risk,
	 api_risk_update, "risks.update"},
	/* the recommendations tracker (api_recs.c): public documents for their
	 * readers; changed by a coordinator who oversees departments, as on the
	 * pages (src/recs/pages.h) */
	{"GET", "/api/v1/recommendations", API_USER, RECS_READERS, NULL, api_recs_list,
	 "recs.list"},
	{"POST", "/api/v1/recommendations/sources", API_USER, R(ROLE_COORDINATOR), f_rec_source,
	 api_recs_source_create, "recs.source.create"},
	{"POST", "/api/v1/recommendations/sources/{id}/recommendations", API_USER,
	 R(ROLE_COORDINATOR), f_rec, api_recs_create, "recs.create"},
	{"GET", "/api/v1/recommendations/{id}", API_USER, RECS_READERS, NULL, api_recs_get,
	 "recs.get"},
	{"POST", "/api/v1/recommendations/{id}", API_USER, R(ROLE_COORDINATOR), f_rec,
	 api_recs_update, "recs.update"},
	{"POST", "/api/v1/recommendations/{id}/notes", API_USER, R(ROLE_COORDINATOR), f_rec_note,
	 api_recs_note, "recs.note"},
	/* IPIM, the policy cycle and the culture indicators, read only
	 * (api_ipim.c, api_policy.c, api_culture.c): the roles of their pages
	 * (src/app/routes.c); which department each may see is the handler's
	 * check, as on the pages */
	{"GET", "/api/v1/ipim/meetings", API_USER, RECS_READERS, NULL, api_ipim_meetings,
	 "ipim.meetings"},
	{"GET", "/api/v1/ipim/meetings/{id}", API_USER, RECS_READERS, NULL, api_ipim_meeting,
	 "ipim.meeting"},
	{"GET", "/api/v1/good-practices", API_USER, RECS_READERS, NULL, api_ipim_practices,
	 "ipim.practices"},
	{"GET", "/api/v1/policy-items", API_USER, RECS_READERS, NULL, api_policy_items,
	 "policy.items"},
	{"GET", "/api/v1/policy-items/{id}", API_USER, RECS_READERS, NULL, api_policy_item,
	 "policy.item"},
	{"GET", "/api/v1/culture", API_USER, CULTURE_READERS, NULL, api_culture, "culture"},
	/* the framework library (api_frameworks.c) */
	{"GET", "/api/v1/frameworks", API_USER, FW_READERS, NULL, api_frameworks, "frameworks"},
	{"GET", "/api/v1/frameworks/{id}", API_USER, FW_READERS, NULL, api_framework_get,
	 "framework"},
};

const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];

static int code_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* Matches one pattern; returns 1 and fills id and code on a match. */
static int match_pattern(const char *pat, const char *path, int64_t *id,
			 char code[ORG_CODE_MAX + 1])
{
	while (*pat && *path) {
		if (strncmp(pat, "{id}", 4) == 0) {
			size_t n = strcspn(path, "/");
			/* 2^53: ids survive a trip through JSON numbers */
			if (n == 0 || path[0] == '0' ||
			    num_parse_i64(path, n, 1, (int64_t)1 << 53, id) != 0)
				return 0;
			pat += 4;
			path += n;
		} else if (strncmp(pat, "{code}", 6) == 0) {
			size_t n = strcspn(path, "/");
			if (n == 0 || n > ORG_CODE_MAX)
				return 0;
			for (size_t i = 0; i < n; i++)
				if (!code_char(path[i]))
					return 0;
			memcpy(code, path, n);
			code[n] = 0;
			pat += 6;
			path += n;
		} else if (*pat++ != *path++) {
			return 0;
		}
	}
	return *pat == 0 && *path == 0;
}

enum api_match_result api_match(const char *method, const char *path,
				 const struct api_route **out, int64_t *id,
				 char code[ORG_CODE_MAX + 1], char *allow, size_t allowlen)
{
	enum api_match_result r = API_NOT_FOUND;
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	*out = NULL;
	if (allowlen)
		allow[0] = 0;
	for (size_t i = 0; i < api_nroutes; i++) {
		int64_t pid = 0;
		char pcode[ORG_CODE_MAX + 1] = "";
		if (!match_pattern(api_routes[i].pattern, path, &pid, pcode))
			continue;
		if (strcmp(api_routes[i].method, m) != 0) {
			size_t used = strlen(allow);
			snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "",
				 api_routes[i].method);
			r = API_BAD_METHOD;
			continue;
		}
		*id = pid;
		memcpy(code, pcode, sizeof pcode);
		*out = &api_routes[i];
		return API_FOUND;
	}
	return r;
}

static int pattern_ok(const char *p)
{
	if (strncmp(p, "/api/v1/", 8) != 0)
		return 0;
	int params = 0;
	for (const char *s = p; *s; s++) {
		if (*s == '{') {
			size_t n = strncmp(s, "{id}", 4) == 0 ? 4 : strncmp(s, "{code}", 6) == 0 ? 6 : 0;
			if (!n || s[-1] != '/' || (s[n] && s[n] != '/') || ++params > 1)
				return 0;
			s += n - 1;
		} else if (*s == '}' || *s == '?' || *s == '#' || *s == ' ') {
			return 0;
		}
	}
	return p[strlen(p) - 1] != '/';
}

int api_routes_check(char *err, size_t errlen)
{
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct api_route *r = &api_routes[i];
		const char *why = NULL;
		int post = strcmp(r->method, "POST") == 0;
		if (!r->handler || !r->name)
			why = "has no handler or name";
		else if (!post && strcmp(r->method, "GET") != 0 && strcmp(r->method, "DELETE") != 0)
			why = "uses a method other than GET, POST or DELETE";
		else if (!pattern_ok(r->pattern))
			why = "has a malformed pattern";
		else if (r->access != API_PUBLIC && r->access != API_RECEIPT && r->access != API_USER)
			why = "must allow exactly one kind of caller";
		else if (r->roles && r->access != API_USER)
			why = "gives roles to a route that is not for users";
		else if (r->fields && !post)
			why = "takes a body but is not POST";
		for (size_t j = 0; !why && j < i; j++)
			if (strcmp(api_routes[j].method, r->method) == 0 &&
			    strcmp(api_routes[j].pattern, r->pattern) == 0)
				why = "duplicates an earlier route";
		if (why) {
			snprintf(err, errlen, "API route %s %s %s", r->method, r->pattern, why);
			return -1;
		}
	}
	return 0;
}
