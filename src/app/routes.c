/* routes.c: every route of the web application, in one table, each declaring
 * who may use it. A test walks this table as every role (tests/http). */
#include "app/routes.h"

#include "accounts/accounts.h"
#include "accounts/pages.h"
#include "app/pages.h"
#include "assess/pages.h"
#include "cases/pages.h"
#include "culture/pages.h"
#include "frameworks/pages.h"
#include "guide/pages.h"
#include "intake/handler_pages.h"
#include "intake/pages.h"
#include "ipim/pages.h"
#include "loop/pages.h"
#include "monitor/annual_pages.h"
#include "monitor/pages.h"
#include "recs/pages.h"
#include "risks/pages.h"

#define R(role) (1u << (role))
#define PUB ROUTE_PUBLIC
#define IN ROUTE_SIGNED_IN
#define CHG ROUTE_CHANGES
#define PRE ROUTE_BEFORE_2FA
/* who works on case files, and who may ask for one */
#define CASE_TEAM (R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_INVESTIGATOR))
#define CASE_READERS (CASE_TEAM | R(ROLE_COMPETENT_AUTHORITY))

const struct route app_routes[] = {
	{"GET", "/", 0, PUB, app_page_home, "home"},
	{"GET", "/healthz", 0, PUB, app_page_health, "health"},
	{"GET", "/toegankelijkheid", 0, PUB, app_page_accessibility, "accessibility"},
	{"POST", "/lang", 0, PUB | CHG, app_page_lang, "language"},

	/* the reporting channel: no account; "follow your report" checks its
	 * receipt session itself */
	{"GET", "/melden", 0, PUB, intake_page_report, "report"},
	{"POST", "/melden", 0, PUB | CHG, intake_page_report_post, "report.post"},
	{"POST", "/melden/verzenden", 0, PUB | CHG | ROUTE_UPLOAD, intake_page_report_send,
	 "report.send"},
	{"GET", "/melding", 0, PUB, intake_page_follow, "follow"},
	{"POST", "/melding", 0, PUB | CHG, intake_page_follow_post, "follow.post"},
	{"GET", "/melding/overzicht", 0, PUB, intake_page_follow_report, "follow.report"},
	{"POST", "/melding/berichten", 0, PUB | CHG | ROUTE_UPLOAD, intake_page_follow_message,
	 "follow.message"},
	{"POST", "/melding/akkoord", 0, PUB | CHG, intake_page_follow_agree, "follow.agree"},
	{"POST", "/melding/afmelden", 0, PUB | CHG, intake_page_follow_signout, "follow.signout"},
	/* a file of the receipt session's own report: public to the router, the
	 * receipt session is the key (the page refuses a staff session, 403) */
	{"GET", "/melding/bestand/{id}", 0, PUB, intake_page_follow_file, "follow.file"},

	/* handlers of reports: integrity coordinators and confidential advisers
	 * (which reports each may open is the report's sealing, not the role);
	 * in-person reports written down by managers and confidential advisers */
	{"GET", "/meldingen", R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_CONFIDENTIAL_ADVISER), 0,
	 intake_page_inbox, "handler.inbox"},
	{"GET", "/meldingen/{id}", R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_CONFIDENTIAL_ADVISER), 0,
	 intake_page_handler_report, "handler.report"},
	{"GET", "/meldingen/{id}/bijlagen/{id}",
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_CONFIDENTIAL_ADVISER), 0, intake_page_attachment,
	 "handler.attachment"},
	{"POST", "/meldingen/{id}/ontvangst",
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_CONFIDENTIAL_ADVISER), CHG, intake_page_acknowledge,
	 "handler.acknowledge"},
	{"POST", "/meldingen/{id}/terugkoppeling",
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_CONFIDENTIAL_ADVISER), CHG, intake_page_feedback,
	 "handler.feedback"},
	{"POST", "/meldingen/{id}/overdragen",
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_CONFIDENTIAL_ADVISER), CHG, intake_page_hand_over,
	 "handler.hand-over"},
	{"POST", "/meldingen/{id}/berichten",
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_CONFIDENTIAL_ADVISER), CHG | ROUTE_UPLOAD,
	 intake_page_message, "handler.message"},
	{"POST", "/meldingen/{id}/notities",
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_CONFIDENTIAL_ADVISER), CHG, intake_page_note,
	 "handler.note"},
	{"GET", "/registreren", R(ROLE_MANAGER) | R(ROLE_CONFIDENTIAL_ADVISER), 0,
	 intake_page_register, "register"},
	{"POST", "/registreren", R(ROLE_MANAGER) | R(ROLE_CONFIDENTIAL_ADVISER),
	 CHG | ROUTE_UPLOAD, intake_page_register_post, "register.post"},
	/* guidance for whoever is told about a suspected wrongdoing: public,
	 * see src/guide/pages.h for why */
	{"GET", "/hulp/melding-ontvangen", 0, PUB, guide_page_received, "guide.received"},

	/* case handling (src/cases/pages.h): which case a user may open is
	 * decided by the case's keys, not the role, so a case that is not theirs
	 * answers 404 like one that does not exist; a competent authority may ask
	 * for a case file and gets that 404 too: they read the summary only,
	 * under /besluiten */
	{"GET", "/zaken", R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_INVESTIGATOR), 0, cases_page_list,
	 "cases"},
	{"POST", "/meldingen/{id}/zaak", R(ROLE_INTEGRITY_COORDINATOR), CHG, cases_page_open,
	 "cases.open"},
	{"GET", "/zaken/{id}", CASE_READERS, 0, cases_page_case, "case"},
	{"GET", "/zaken/{id}/meldingen/{id}", CASE_READERS, 0, cases_page_report, "case.report"},
	{"POST", "/zaken/{id}/fase", CASE_TEAM, CHG, cases_page_move, "case.move"},
	{"POST", "/zaken/{id}/checklist", CASE_TEAM, CHG, cases_page_check, "case.check"},
	{"POST", "/zaken/{id}/stukken", CASE_TEAM, CHG, cases_page_record, "case.record"},
	{"POST", "/zaken/{id}/sluiten", CASE_TEAM, CHG, cases_page_close, "case.close"},
	{"POST", "/zaken/{id}/team", CASE_TEAM, CHG, cases_page_team, "case.team"},
	{"POST", "/zaken/{id}/notities", CASE_TEAM, CHG | ROUTE_UPLOAD, cases_page_note,
	 "case.note"},
	{"GET", "/zaken/{id}/bestanden/{id}", CASE_TEAM, 0, cases_page_file, "case.file"},
	{"POST", "/zaken/{id}/betrokkenen", CASE_TEAM, CHG, cases_page_person, "case.person"},
	{"POST", "/zaken/{id}/betrokkenen/{id}/stap", CASE_TEAM, CHG, cases_page_step,
	 "case.person-step"},
	{"POST", "/zaken/{id}/uitkomst", CASE_TEAM, CHG, cases_page_outcome, "case.outcome"},
	{"POST", "/zaken/{id}/samenvatting", CASE_TEAM, CHG, cases_page_share, "case.share"},
	{"GET", "/besluiten", R(ROLE_COMPETENT_AUTHORITY), 0, cases_page_authority_list,
	 "authority"},
	{"GET", "/besluiten/{id}", R(ROLE_COMPETENT_AUTHORITY), 0, cases_page_authority_case,
	 "authority.case"},
	{"POST", "/besluiten/{id}", R(ROLE_COMPETENT_AUTHORITY), CHG, cases_page_authority_decide,
	 "authority.decide"},
	{"POST", "/besluiten/{id}/fase", R(ROLE_COMPETENT_AUTHORITY), CHG,
	 cases_page_authority_move, "authority.move"},
	{"POST", "/besluiten/{id}/checklist", R(ROLE_COMPETENT_AUTHORITY), CHG,
	 cases_page_authority_check, "authority.check"},
	{"GET", "/termijnen",
	 CASE_TEAM | R(ROLE_COMPETENT_AUTHORITY) | R(ROLE_CONFIDENTIAL_ADVISER), 0,
	 cases_page_deadlines, "deadlines"},

	/* self-assessment per department (src/assess/pages.h): drafted by its
	 * integrity coordinators and managers, signed off by an integrity
	 * coordinator, reviewed by the coordinator, read by those and the
	 * auditor in scope; which department is the storage's check, another's
	 * answers 404. Evidence files only for those who hold the key. */
#define ASSESS_DRAFT_ROLES (R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER))
#define ASSESS_OVERSEE (R(ROLE_COORDINATOR) | R(ROLE_AUDITOR))
#define ASSESS_READ (ASSESS_DRAFT_ROLES | ASSESS_OVERSEE)
	{"GET", "/zelfevaluaties", ASSESS_READ, 0, assess_page_list, "assess"},
	{"GET", "/zelfevaluaties/nieuw", ASSESS_DRAFT_ROLES, 0, assess_page_new, "assess.new"},
	{"POST", "/zelfevaluaties/nieuw", ASSESS_DRAFT_ROLES, CHG, assess_page_new_post,
	 "assess.new.post"},
	{"GET", "/zelfevaluaties/vergelijking", ASSESS_OVERSEE, 0, assess_page_compare,
	 "assess.compare"},
	{"GET", "/zelfevaluaties/{id}", ASSESS_READ, 0, assess_page_view, "assess.view"},
	{"GET", "/zelfevaluaties/{id}/groepen/{id}", ASSESS_READ, 0, assess_page_group,
	 "assess.group"},
	{"POST", "/zelfevaluaties/{id}/groepen/{id}", ASSESS_DRAFT_ROLES, CHG | ROUTE_UPLOAD,
	 assess_page_group_post, "assess.group.post"},
	{"GET", "/zelfevaluaties/{id}/bewijs/{id}", ASSESS_DRAFT_ROLES | R(ROLE_COORDINATOR), 0,
	 assess_page_evidence, "assess.evidence"},
	{"POST", "/zelfevaluaties/{id}/aftekenen", R(ROLE_INTEGRITY_COORDINATOR), CHG,
	 assess_page_sign_off, "assess.sign-off"},
	{"POST", "/zelfevaluaties/{id}/beoordelen", R(ROLE_COORDINATOR), CHG, assess_page_review,
	 "assess.review"},
	{"POST", "/zelfevaluaties/{id}/terugsturen", R(ROLE_COORDINATOR), CHG, assess_page_return,
	 "assess.return"},
	{"GET", "/zelfevaluaties/{id}/export.csv", ASSESS_READ, 0, assess_page_export_csv,
	 "assess.export-csv"},
	{"GET", "/zelfevaluaties/{id}/export.xlsx", ASSESS_READ, 0, assess_page_export_xlsx,
	 "assess.export-xlsx"},

	/* the risk register per department (src/risks/pages.h): read by its
	 * integrity coordinators and managers and by the coordinator and
	 * auditor in scope, changed by its integrity coordinators; which
	 * department is the page's check, another's answers 404 */
#define RISK_READ (R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER) | R(ROLE_COORDINATOR) | \
		   R(ROLE_AUDITOR))
#define RISK_EDIT R(ROLE_INTEGRITY_COORDINATOR)
	{"GET", "/risicos", RISK_READ, 0, risks_page_index, "risks"},
	{"GET", "/risicos/{id}", RISK_READ, 0, risks_page_register, "risks.register"},
	{"GET", "/risicos/{id}/heatmap.svg", RISK_READ, 0, risks_page_svg, "risks.heatmap"},
	{"GET", "/risicos/{id}/export.csv", RISK_READ, 0, risks_page_csv, "risks.csv"},
	{"GET", "/risicos/{id}/export.xlsx", RISK_READ, 0, risks_page_xlsx, "risks.xlsx"},
	{"GET", "/risicos/{id}/matrix", RISK_EDIT, 0, risks_page_matrix, "risks.matrix"},
	{"POST", "/risicos/{id}/matrix", RISK_EDIT, CHG, risks_page_matrix_post,
	 "risks.matrix.post"},
	{"GET", "/risicos/{id}/processen/nieuw", RISK_EDIT, 0, risks_page_process_form,
	 "risks.process.new"},
	{"GET", "/risicos/{id}/processen/{id}", RISK_EDIT, 0, risks_page_process_form,
	 "risks.process"},
	{"POST", "/risicos/{id}/processen", RISK_EDIT, CHG, risks_page_process_post,
	 "risks.process.add"},
	{"POST", "/risicos/{id}/processen/{id}", RISK_EDIT, CHG, risks_page_process_post,
	 "risks.process.update"},
	{"GET", "/risicos/{id}/functies/nieuw", RISK_EDIT, 0, risks_page_position_form,
	 "risks.position.new"},
	{"GET", "/risicos/{id}/functies/{id}", RISK_EDIT, 0, risks_page_position_form,
	 "risks.position"},
	{"POST", "/risicos/{id}/functies", RISK_EDIT, CHG, risks_page_position_post,
	 "risks.position.add"},
	{"POST", "/risicos/{id}/functies/{id}", RISK_EDIT, CHG, risks_page_position_post,
	 "risks.position.update"},
	{"GET", "/risicos/{id}/risicos/nieuw", RISK_EDIT, 0, risks_page_risk_form, "risks.risk.new"},
	{"GET", "/risicos/{id}/risicos/{id}", RISK_EDIT, 0, risks_page_risk_form, "risks.risk"},
	{"POST", "/risicos/{id}/risicos", RISK_EDIT, CHG, risks_page_risk_post, "risks.risk.add"},
	{"POST", "/risicos/{id}/risicos/{id}", RISK_EDIT, CHG, risks_page_risk_post,
	 "risks.risk.update"},
	{"GET", "/risicos/{id}/maatregelen/nieuw", RISK_EDIT, 0, risks_page_control_form,
	 "risks.control.new"},
	{"GET", "/risicos/{id}/maatregelen/{id}", RISK_EDIT, 0, risks_page_control_form,
	 "risks.control"},
	{"POST", "/risicos/{id}/maatregelen", RISK_EDIT, CHG, risks_page_control_post,
	 "risks.control.add"},
	{"POST", "/risicos/{id}/maatregelen/{id}", RISK_EDIT, CHG, risks_page_control_post,
	 "risks.control.update"},

	/* where were the risks greatest (src/loop/pages.h): a department's
	 * integrity coordinators and managers see it in full, the coordinator
	 * and auditor the departments in scope with small counts suppressed;
	 * which department is decided there with accounts/scope.h (404 else) */
	{"GET", "/schendingen-en-risicos",
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER) | R(ROLE_COORDINATOR) | R(ROLE_AUDITOR), 0,
	 loop_page_overview, "loop.overview"},
	{"GET", "/schendingen-en-risicos/{id}",
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER) | R(ROLE_COORDINATOR) | R(ROLE_AUDITOR), 0,
	 loop_page_dept, "loop.dept"},
	{"GET", "/schendingen-en-risicos/{id}/export.csv",
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER) | R(ROLE_COORDINATOR) | R(ROLE_AUDITOR), 0,
	 loop_page_csv, "loop.csv"},
	{"GET", "/schendingen-en-risicos/{id}/export.xlsx",
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER) | R(ROLE_COORDINATOR) | R(ROLE_AUDITOR), 0,
	 loop_page_xlsx, "loop.xlsx"},

	/* the coordinator's dashboard (src/monitor/pages.h): the coordinator
	 * and auditor per department in scope, an IPIM member the totals only;
	 * small counts suppressed, Defence in no figure (decided there) */
	{"GET", "/monitor", R(ROLE_COORDINATOR) | R(ROLE_AUDITOR) | R(ROLE_IPIM_MEMBER), 0,
	 monitor_page_dashboard, "monitor"},
	{"GET", "/monitor/export.csv", R(ROLE_COORDINATOR) | R(ROLE_AUDITOR) | R(ROLE_IPIM_MEMBER),
	 0, monitor_page_csv, "monitor.csv"},
	{"GET", "/monitor/export.xlsx", R(ROLE_COORDINATOR) | R(ROLE_AUDITOR) | R(ROLE_IPIM_MEMBER),
	 0, monitor_page_xlsx, "monitor.xlsx"},
	/* the annual report (src/monitor/annual_pages.h): the government's or a
	 * department in scope for the coordinator and auditor, its own for a
	 * department's integrity coordinator; decided there */
	{"GET", "/jaarverslag", R(ROLE_COORDINATOR) | R(ROLE_AUDITOR) |
	 R(ROLE_INTEGRITY_COORDINATOR), 0, annual_page_form, "annual"},
	{"GET", "/jaarverslag/rapport", R(ROLE_COORDINATOR) | R(ROLE_AUDITOR) |
	 R(ROLE_INTEGRITY_COORDINATOR), 0, annual_page_report, "annual.report"},
	/* culture indicators (src/culture/pages.h): departments in scope for the
	 * coordinator and auditor, its own for a department's integrity
	 * coordinator or manager; decided there */
	{"GET", "/cultuur", R(ROLE_COORDINATOR) | R(ROLE_AUDITOR) | R(ROLE_INTEGRITY_COORDINATOR) |
	 R(ROLE_MANAGER), 0, culture_page, "culture"},
	{"GET", "/cultuur/export.csv", R(ROLE_COORDINATOR) | R(ROLE_AUDITOR) |
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER), 0, culture_page_csv, "culture.csv"},
	{"GET", "/cultuur/export.xlsx", R(ROLE_COORDINATOR) | R(ROLE_AUDITOR) |
	 R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER), 0, culture_page_xlsx, "culture.xlsx"},

	/* the framework library (src/frameworks/pages.h): public knowledge, so
	 * every signed-in user with a role reads it, but not a reporter
	 * without one; changed by the coordinator only */
#define FW_READ (R(ROLE_CONFIDENTIAL_ADVISER) | R(ROLE_MANAGER) | R(ROLE_INTEGRITY_COORDINATOR) | \
		 R(ROLE_INVESTIGATOR) | R(ROLE_COMPETENT_AUTHORITY) | R(ROLE_COORDINATOR) |     \
		 R(ROLE_IPIM_MEMBER) | R(ROLE_AUDITOR) | R(ROLE_ADMINISTRATOR))
	{"GET", "/kaders", FW_READ, 0, frameworks_page_list, "frameworks"},
	{"GET", "/kaders/importeren", R(ROLE_COORDINATOR), 0, frameworks_page_import,
	 "frameworks.import"},
	{"POST", "/kaders/importeren", R(ROLE_COORDINATOR), CHG | ROUTE_UPLOAD,
	 frameworks_page_import_post, "frameworks.import.post"},
	{"GET", "/kaders/{id}", FW_READ, 0, frameworks_page_view, "framework"},
	{"GET", "/kaders/{id}/verschil", FW_READ, 0, frameworks_page_diff, "framework.diff"},
	{"GET", "/kaders/{id}/export", FW_READ, 0, frameworks_page_export, "framework.export"},
	{"GET", "/kaders/{id}/bewerken", R(ROLE_COORDINATOR), 0, frameworks_page_edit,
	 "framework.edit"},
	{"POST", "/kaders/{id}/bewerken", R(ROLE_COORDINATOR), CHG, frameworks_page_edit_post,
	 "framework.edit.post"},

	/* the recommendations tracker and the policy cycle (src/recs/pages.h):
	 * public documents, read by the coordinator, IPIM members, auditors
	 * and every integrity coordinator; changed by the coordinator (a
	 * coordinator who oversees no department is refused there); a
	 * department's adoption by its own integrity coordinator (another
	 * department answers 404 there) */
#define RECS_READ (R(ROLE_COORDINATOR) | R(ROLE_IPIM_MEMBER) | R(ROLE_AUDITOR) | \
		   R(ROLE_INTEGRITY_COORDINATOR))
#define RECS_EDIT R(ROLE_COORDINATOR)
	{"GET", "/aanbevelingen", RECS_READ, 0, recs_page_index, "recs"},
	{"GET", "/aanbevelingen/overzicht", RECS_READ, 0, recs_page_overview, "recs.overview"},
	{"GET", "/aanbevelingen/overzicht.xlsx", RECS_READ, 0, recs_page_xlsx, "recs.xlsx"},
	{"GET", "/aanbevelingen/bronnen/nieuw", RECS_EDIT, 0, recs_page_source_form,
	 "recs.source.new"},
	{"POST", "/aanbevelingen/bronnen", RECS_EDIT, CHG, recs_page_source_post,
	 "recs.source.add"},
	{"GET", "/aanbevelingen/bronnen/{id}", RECS_READ, 0, recs_page_source, "recs.source"},
	{"GET", "/aanbevelingen/bronnen/{id}/bewerken", RECS_EDIT, 0, recs_page_source_form,
	 "recs.source.edit"},
	{"POST", "/aanbevelingen/bronnen/{id}", RECS_EDIT, CHG, recs_page_source_post,
	 "recs.source.update"},
	{"GET", "/aanbevelingen/bronnen/{id}/nieuw", RECS_EDIT, 0, recs_page_rec_new,
	 "recs.rec.new"},
	{"POST", "/aanbevelingen/bronnen/{id}/aanbevelingen", RECS_EDIT, CHG,
	 recs_page_rec_new_post, "recs.rec.add"},
	{"GET", "/aanbevelingen/{id}", RECS_READ, 0, recs_page_rec, "recs.rec"},
	{"GET", "/aanbevelingen/{id}/bewerken", RECS_EDIT, 0, recs_page_rec_edit, "recs.rec.edit"},
	{"POST", "/aanbevelingen/{id}/bewerken", RECS_EDIT, CHG, recs_page_rec_edit_post,
	 "recs.rec.update"},
	{"GET", "/aanbevelingen/{id}/reactie", RECS_EDIT, 0, recs_page_response, "recs.response"},
	{"POST", "/aanbevelingen/{id}/reactie", RECS_EDIT, CHG, recs_page_response_post,
	 "recs.response.post"},
	{"GET", "/aanbevelingen/{id}/status", RECS_EDIT, 0, recs_page_status, "recs.status"},
	{"POST", "/aanbevelingen/{id}/status", RECS_EDIT, CHG, recs_page_status_post,
	 "recs.status.post"},
	{"GET", "/aanbevelingen/{id}/voortgang", RECS_EDIT, 0, recs_page_note, "recs.note"},
	{"POST", "/aanbevelingen/{id}/voortgang", RECS_EDIT, CHG, recs_page_note_post,
	 "recs.note.post"},
	{"GET", "/beleid", RECS_READ, 0, policy_page_index, "policy"},
	{"GET", "/beleid/nieuw", RECS_EDIT, 0, policy_page_form, "policy.new"},
	{"POST", "/beleid", RECS_EDIT, CHG, policy_page_post, "policy.add"},
	{"GET", "/beleid/{id}", RECS_READ, 0, policy_page_item, "policy.item"},
	{"GET", "/beleid/{id}/bewerken", RECS_EDIT, 0, policy_page_form, "policy.edit"},
	{"POST", "/beleid/{id}", RECS_EDIT, CHG, policy_page_post, "policy.update"},
	{"GET", "/beleid/{id}/adoptie/{id}", R(ROLE_INTEGRITY_COORDINATOR), 0, policy_page_adoption,
	 "policy.adoption"},
	{"POST", "/beleid/{id}/adoptie/{id}", R(ROLE_INTEGRITY_COORDINATOR), CHG,
	 policy_page_adoption_post, "policy.adoption.post"},

	/* IPIM (src/ipim/pages.h): read by the coordinator, IPIM members,
	 * auditors and every integrity coordinator; meetings changed by the
	 * coordinator and IPIM members; practices shared by those and by an
	 * integrity coordinator for its own department (the page checks which
	 * department: another answers 404) */
#define IPIM_READ (R(ROLE_COORDINATOR) | R(ROLE_IPIM_MEMBER) | R(ROLE_AUDITOR) | \
		   R(ROLE_INTEGRITY_COORDINATOR))
#define IPIM_EDIT (R(ROLE_COORDINATOR) | R(ROLE_IPIM_MEMBER))
#define IPIM_SHARE (IPIM_EDIT | R(ROLE_INTEGRITY_COORDINATOR))
	{"GET", "/ipim", IPIM_READ, 0, ipim_page_index, "ipim"},
	{"GET", "/ipim/vergaderingen/nieuw", IPIM_EDIT, 0, ipim_page_meeting_new, "ipim.meeting.new"},
	{"POST", "/ipim/vergaderingen", IPIM_EDIT, CHG, ipim_page_meeting_add, "ipim.meeting.add"},
	{"GET", "/ipim/vergaderingen/{id}", IPIM_READ, 0, ipim_page_meeting, "ipim.meeting"},
	{"GET", "/ipim/vergaderingen/{id}/bewerken", IPIM_EDIT, 0, ipim_page_meeting_edit,
	 "ipim.meeting.edit"},
	{"POST", "/ipim/vergaderingen/{id}", IPIM_EDIT, CHG, ipim_page_meeting_update,
	 "ipim.meeting.update"},
	{"GET", "/ipim/vergaderingen/{id}/agendapunten/nieuw", IPIM_EDIT, 0, ipim_page_item_new,
	 "ipim.item.new"},
	{"POST", "/ipim/vergaderingen/{id}/agendapunten", IPIM_EDIT, CHG, ipim_page_item_add,
	 "ipim.item.add"},
	{"GET", "/ipim/agendapunten/{id}/bewerken", IPIM_EDIT, 0, ipim_page_item_edit,
	 "ipim.item.edit"},
	{"POST", "/ipim/agendapunten/{id}", IPIM_EDIT, CHG, ipim_page_item_update,
	 "ipim.item.update"},
	{"GET", "/ipim/agendapunten/{id}/besluiten/nieuw", IPIM_EDIT, 0, ipim_page_decision_new,
	 "ipim.decision.new"},
	{"POST", "/ipim/agendapunten/{id}/besluiten", IPIM_EDIT, CHG, ipim_page_decision_add,
	 "ipim.decision.add"},
	{"GET", "/ipim/besluiten/{id}/bewerken", IPIM_EDIT, 0, ipim_page_decision_edit,
	 "ipim.decision.edit"},
	{"POST", "/ipim/besluiten/{id}", IPIM_EDIT, CHG, ipim_page_decision_update,
	 "ipim.decision.update"},
	{"GET", "/ipim/praktijken", IPIM_READ, 0, ipim_page_practices, "ipim.practices"},
	{"GET", "/ipim/praktijken/nieuw", IPIM_SHARE, 0, ipim_page_practice_new,
	 "ipim.practice.new"},
	{"POST", "/ipim/praktijken", IPIM_SHARE, CHG, ipim_page_practice_add, "ipim.practice.add"},
	{"GET", "/ipim/praktijken/{id}/bewerken", IPIM_SHARE, 0, ipim_page_practice_edit,
	 "ipim.practice.edit"},
	{"POST", "/ipim/praktijken/{id}", IPIM_SHARE, CHG, ipim_page_practice_update,
	 "ipim.practice.update"},

	{"GET", "/login", 0, PUB, accounts_page_login, "login"},
	{"POST", "/login", 0, PUB | CHG, accounts_page_login_post, "login.post"},
	{"GET", "/login/2fa", 0, IN | PRE, accounts_page_second_factor, "second-factor"},
	{"POST", "/login/2fa", 0, IN | PRE | CHG, accounts_page_second_factor_post,
	 "second-factor.post"},
	{"POST", "/logout", 0, IN | PRE | CHG, accounts_page_logout, "logout"},
	{"GET", "/account", 0, IN, accounts_page_account, "account"},
	{"POST", "/account/password", 0, IN | CHG, accounts_page_password, "account.password"},
	{"GET", "/account/2fa", 0, IN | PRE, accounts_page_enrol, "enrol"},
	{"GET", "/account/2fa/qr.svg", 0, IN | PRE, accounts_page_enrol_qr, "enrol.qr"},
	{"POST", "/account/2fa", 0, IN | PRE | CHG, accounts_page_enrol_post, "enrol.post"},

	{"GET", "/start", 0, IN, app_page_start, "start"},
	{"GET", "/start/reporter", R(ROLE_REPORTER), 0, app_page_role_start, "start.reporter"},
	{"GET", "/start/confidential-adviser", R(ROLE_CONFIDENTIAL_ADVISER), 0, app_page_role_start,
	 "start.confidential-adviser"},
	{"GET", "/start/manager", R(ROLE_MANAGER), 0, app_page_role_start, "start.manager"},
	{"GET", "/start/integrity-coordinator", R(ROLE_INTEGRITY_COORDINATOR), 0,
	 app_page_role_start, "start.integrity-coordinator"},
	{"GET", "/start/investigator", R(ROLE_INVESTIGATOR), 0, app_page_role_start,
	 "start.investigator"},
	{"GET", "/start/competent-authority", R(ROLE_COMPETENT_AUTHORITY), 0, app_page_role_start,
	 "start.competent-authority"},
	{"GET", "/start/coordinator", R(ROLE_COORDINATOR), 0, app_page_role_start,
	 "start.coordinator"},
	{"GET", "/start/ipim-member", R(ROLE_IPIM_MEMBER), 0, app_page_role_start,
	 "start.ipim-member"},
	{"GET", "/start/auditor", R(ROLE_AUDITOR), 0, app_page_role_start, "start.auditor"},
	{"GET", "/start/administrator", R(ROLE_ADMINISTRATOR), 0, app_page_role_start,
	 "start.administrator"},
};

const size_t app_nroutes = sizeof app_routes / sizeof app_routes[0];
