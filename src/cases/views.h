/* views.h: what the templates of the case pages (src/cases/templates)
 * receive, filled by pages_*.c. Every string is already translated where it
 * is text for people (the protocol's own texts in the reader's language);
 * the templates escape it. Nothing here is kept beyond the request: the
 * decrypted texts point into the request arena or into secure memory that
 * the page frees after rendering. */
#ifndef CASES_VIEWS_H
#define CASES_VIEWS_H
#include <stddef.h>
#include <string.h> /* strcmp in the templates */

/* A term in words: the due date and where it stands ("3 days left",
 * "Overdue by 2 days"). overdue also marks the row, but the words say it
 * too: never colour alone. due is "" for a phase without a term. */
struct cv_clock {
	const char *due;
	const char *text;
	int overdue;
};

/* A choice in a select, a radio group or a list of checkboxes. */
struct cv_option {
	const char *value, *label;
	int selected;
};

/* ---- the list of cases (GET /zaken) ---- */

struct cv_case_row {
	const char *href, *number, *org, *phase, *opened_on, *closed_on, *role;
	struct cv_clock due;
};

/* A report handed over to case handling and not in a case yet. */
struct cv_waiting {
	const char *number;      /* "12" */
	const char *href;        /* "/meldingen/12" */
	const char *open_action; /* "/meldingen/12/zaak" */
	const char *org, *kind, *received, *handed_over_on;
};

struct case_list_view {
	const char *csrf;
	const struct cv_case_row *rows;
	size_t nrows;
	const char *count_text;          /* "Showing 100 of ...", or NULL */
	int coordinator;                 /* the viewer is an integrity coordinator */
	const struct cv_waiting *waiting;
	size_t nwaiting;
	const struct cv_option *join;    /* open cases the viewer coordinates */
	size_t njoin;
};

/* ---- one case (GET /zaken/{id}) ---- */

struct cv_check {
	const char *id, *text;
	int required, done;
};

/* A right of the people involved that falls due in the current phase. */
struct cv_right {
	const char *name, *parties, *text, *term;  /* term: "" or "14 days" */
};

/* A required record type and whether the case holds one. */
struct cv_required {
	const char *title;
	int present;
};

/* A record or a note. */
struct cv_text {
	const char *title;     /* a record's type in words; "" for a note */
	const char *author, *at, *text;
	int summary;           /* under the summary key: the authority reads it */
};

/* A move the protocol allows from the current phase. */
struct cv_move {
	const char *target;    /* the phase id, posted as "target" */
	const char *title;     /* the phase's title */
	int deviation;
	const char *deviation_title;
	const char *approver;  /* the role that must approve, in words */
	int waive;             /* the phase's requirements are waived */
	const char *form_id;   /* "move-investigation": ids for labels */
};

struct cv_history {
	const char *from, *to, *who, *on;
	int deviation;
	const char *approver, *reason;
};

struct cv_report {
	const char *href, *number;
};

struct cv_member {
	const char *account;   /* the account id, posted to remove */
	const char *name, *username, *role, *added_on, *removed_on;
	int current;
};

struct cv_step {
	const char *label, *on;
};

struct cv_person {
	const char *id;
	const char *step_action;  /* "/zaken/3/betrokkenen/7/stap" */
	const char *party, *name, *function, *contact, *added_on;
	const struct cv_step *steps;     /* the steps taken, with their dates */
	size_t nsteps;
	const struct cv_option *next;    /* the steps that may be recorded */
	size_t nnext;
	struct cv_clock reaction;        /* due is "" until the draft is sent */
	int reaction_open;               /* sent, not reacted yet */
};

/* A file of the case, to download. */
struct cv_case_file {
	const char *href, *name, *size, *author, *at;
};

struct case_view {
	const char *csrf;
	const char *base;          /* "/zaken/3": the forms' paths start here */
	const char *title;
	const char *org, *protocol, *opened_on, *closed_on, *my_role;
	int coordinator;           /* the viewer coordinates this case */
	int closed;
	/* the current phase */
	const char *phase_title, *phase_help, *term, *phase_started;
	struct cv_clock due;
	int terminal;
	const char *movers;        /* who may move the case on, in words */
	const struct cv_check *checks;
	size_t nchecks;
	const struct cv_right *rights;
	size_t nrights;
	const struct cv_required *required;
	size_t nrequired;
	const char *const *open_items;   /* what keeps the case in its phase */
	size_t nopen_items;
	const struct cv_move *moves;
	size_t nmoves;
	const struct cv_history *history;
	size_t nhistory;
	/* records and the record types one may add */
	const struct cv_text *records;
	size_t nrecords;
	const struct cv_option *record_types;
	size_t nrecord_types;
	const struct cv_report *reports;
	size_t nreports;
	const struct cv_member *members;
	size_t nmembers;
	const struct cv_option *member_roles;
	size_t nmember_roles;
	const struct cv_person *people;
	size_t npeople;
	const struct cv_option *parties;
	size_t nparties;
	const struct cv_text *notes;
	size_t nnotes;
	const struct cv_case_file *files;   /* the case's own files, with notes and records */
	size_t nfiles;
	/* the outcome */
	const char *outcome, *category, *measures_text, *police;  /* "" when not set */
	const struct cv_option *outcomes;
	size_t noutcomes;
	const struct cv_option *categories;
	size_t ncategories;
	const struct cv_option *measures;
	size_t nmeasures;
	const struct cv_option *police_options;
	size_t npolice_options;
	/* where the violation happened: the process of the department's risk
	 * register and the unit ("" when not recorded), and the choices */
	const char *place_process, *place_unit;
	const struct cv_option *processes;
	size_t nprocesses;
	const struct cv_option *units;
	size_t nunits;
	const char *decided_on;    /* "" until the competent authority decided */
	const char *purge_after;
	/* what a refused form gives back, per section */
	const char *phase_error, *check_error, *record_error, *record_text;
	const char *team_error, *person_error, *step_error, *note_error, *note_text;
	const char *outcome_error, *share_error, *close_error;
	const char *const *refusal_items;  /* a refused move's open items */
	size_t nrefusal_items;
};

/* ---- a joined report read through the case ---- */

struct cv_line {
	const char *label, *value;
};

struct cv_message {
	const char *author, *at, *text;
	int from_reporter;
};

struct cv_file {
	const char *name, *mime, *size, *at;
};

struct case_report_view {
	const char *back;          /* "/zaken/3" */
	const char *title;
	const char *org, *kind, *mode, *received;
	const char *identity;      /* NULL when anonymous */
	int identity_open;
	const char *answers_note;
	const struct cv_line *answers;
	size_t nanswers;
	const struct cv_file *files;
	size_t nfiles;
	const struct cv_message *messages;
	size_t nmessages;
};

/* ---- the competent authority ---- */

struct authority_list_view {
	const struct cv_case_row *rows;
	size_t nrows;
};

struct authority_case_view {
	const char *csrf;
	const char *base;          /* "/besluiten/3" */
	const char *title;
	const char *org, *protocol, *opened_on, *closed_on;
	const char *phase_title;
	struct cv_clock due;
	const struct cv_check *checks;     /* when the authority moves this phase */
	size_t nchecks;
	const char *check_error;
	const char *outcome, *category, *measures_text, *police;
	const struct cv_text *summaries;   /* the summary and the decision */
	size_t nsummaries;
	const struct cv_history *history;  /* moves, with deviations' reasons */
	size_t nhistory;
	const char *decided_on;            /* "" until decided */
	const struct cv_option *measures;
	size_t nmeasures;
	const char *decision_text, *decision_error;
	const struct cv_move *moves;       /* the moves this authority may make */
	size_t nmoves;
	const char *const *open_items;
	size_t nopen_items;
	const char *phase_error;
	const char *const *refusal_items;
	size_t nrefusal_items;
	int closed;
};

/* ---- due and overdue (GET /termijnen) ---- */

struct cv_deadline {
	const char *date;          /* the due date */
	const char *what;          /* "Case 3: Investigation", "Report 12: acknowledgement" */
	const char *href;          /* NULL when the viewer cannot open it */
	const char *org;
	struct cv_clock clock;
};

struct cv_deadline_group {
	const char *title;         /* "Financiën (FIN)" */
	const struct cv_deadline *rows;
	size_t nrows;
};

struct deadlines_view {
	const char *today;
	const struct cv_deadline *mine;
	size_t nmine;
	const struct cv_deadline_group *groups;  /* per department (coordinators) */
	size_t ngroups;
};

#endif
