/* pages_case.c: one case as its team sees it (GET /zaken/{id}), also
 * re-rendered with a refused form's message (case_show, pages.h).
 *
 * The case is opened per request with the key sealed to the signed-in
 * member; the records, notes, people and deviation reasons are decrypted
 * into secure memory, rendered, and freed (wiped) before the handler
 * returns, with the opened key. What the protocol says (phases, checklists,
 * record types, rights) comes from the revision the case started under. */
#include <string.h>

#include "accounts/viewer.h"
#include "base/log.h"
#include "cases/dataset.h"
#include "cases/pages.h"
#include "intake/report_view.h"
#include "cases/taxonomy.h"
#include "cases/views.h"
#include "cases_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"

#define CASES_PAGE_FILES 200 /* files listed on a case page */

/* Everything decrypted or read for one page, freed together. */
struct opened {
	struct cases_case c;
	char done[CASES_MAX_CHECKLIST][CASES_ID_MAX + 1];
	size_t ndone;
	struct cases_move open;
	int has_open;
	struct cases_text_item *records, *notes;
	size_t nrecords, nnotes;
	struct cases_member members[CASES_MEMBERS_MAX];
	size_t nmembers;
	struct cases_person *people;
	size_t npeople;
	struct cases_move_entry *moves;
	size_t nmoves;
	struct cases_file files[CASES_PAGE_FILES];
	size_t nfiles, files_total;
};

static void opened_free(struct opened *o)
{
	cases_text_items_free(o->records, o->nrecords);
	cases_text_items_free(o->notes, o->nnotes);
	cases_people_free(o->people, o->npeople);
	cases_moves_free(o->moves, o->nmoves);
	memset(o, 0, sizeof *o);
}

static int open_all(struct page *p, const struct cases_key *k, struct opened *o,
		    struct cases_error *e)
{
	int r;
	if (cases_read(p->db, k, &o->c, e) != 0 ||
	    cases_checked(p->db, k, o->done, CASES_MAX_CHECKLIST, &o->ndone, e) != 0 ||
	    (r = cases_open_items(p->db, k, &o->open, e)) < 0 ||
	    cases_records(p->db, k, &o->records, &o->nrecords, e) != 0 ||
	    cases_notes(p->db, k, &o->notes, &o->nnotes, e) != 0 ||
	    cases_members(p->db, k, o->members, CASES_MEMBERS_MAX, &o->nmembers, e) != 0 ||
	    cases_people(p->db, k, &o->people, &o->npeople, e) != 0 ||
	    cases_moves(p->db, k, &o->moves, &o->nmoves, e) != 0 ||
	    cases_files(p->db, k, o->files, CASES_PAGE_FILES, &o->nfiles, &o->files_total, e) != 0)
		return -1;
	o->has_open = r == 1;
	return 0;
}

/* The display name of account id: a member's from the team list, anyone
 * else's (an approver, the authority) from the accounts. */
static const char *name_of(struct page *p, const struct opened *o, int64_t id)
{
	for (size_t i = 0; i < o->nmembers; i++)
		if (o->members[i].account_id == id)
			return o->members[i].display_name;
	struct account a;
	if (accounts_get(p->db, id, &a) == 0)
		return arena_strdup(p->a, a.display_name);
	return arena_printf(p->a, "#%lld", (long long)id);
}

static const char *record_title(struct page *p, const struct cases_protocol *pr,
				const char *type)
{
	if (strcmp(type, CASES_RECORD_SUMMARY) == 0)
		return page_tr(p, "Summary for the competent authority");
	if (strcmp(type, CASES_RECORD_DECISION) == 0)
		return page_tr(p, "Decision of the competent authority");
	int i = cases_protocol_record_type(pr, type);
	const char *t = i >= 0 ? cases_text_get(&pr->record_types[i].title, p->lang) : NULL;
	return t ? t : type;
}

static struct cv_text *texts_view(struct page *p, const struct opened *o,
				  const struct cases_protocol *pr,
				  const struct cases_text_item *t, size_t n)
{
	struct cv_text *out = arena_alloc(p->a, (n ? n : 1) * sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = (struct cv_text){
			.title = *t[i].type ? record_title(p, pr, t[i].type) : "",
			.author = *t[i].author_name ? t[i].author_name
						    : name_of(p, o, t[i].account_id),
			.at = t[i].created_at,
			.text = t[i].text,
			.summary = t[i].summary,
		};
	return out;
}

/* "Integrity coordinator, Investigator": the roles of a role mask. */
static const char *roles_words(struct page *p, unsigned mask)
{
	const char *out = "";
	for (int r = 0; r < ROLE_COUNT; r++)
		if (mask & role_mask((enum role)r))
			out = arena_printf(p->a, "%s%s%s", out, *out ? ", " : "",
					   page_tr(p, role_label((enum role)r)));
	return out;
}

static const char *parties_words(struct page *p, unsigned parties)
{
	const char *out = "";
	for (int i = 0; i < CASES_PARTY_COUNT; i++)
		if (parties & (1u << i))
			out = arena_printf(p->a, "%s%s%s", out, *out ? ", " : "",
					   case_party_words(p, cases_party_name((enum cases_party)i)));
	return out;
}

static const char *right_words(const struct page *p, enum cases_right r)
{
	static const char *const words[CASES_RIGHT_COUNT] = {
		[CASES_RIGHT_INFORMED] = N_("To be informed"),
		[CASES_RIGHT_HEARD] = N_("To be heard"),
		[CASES_RIGHT_ASSISTANCE] = N_("To be assisted"),
		[CASES_RIGHT_DRAFT_REACTION] = N_("To react to the draft report"),
		[CASES_RIGHT_INSPECTION] = N_("To inspect the final report"),
	};
	return (unsigned)r < CASES_RIGHT_COUNT ? page_tr(p, words[r]) : "?";
}

/* The phase, its checklist, rights, requirements and the moves from it. */
static void phase_view(struct page *p, struct case_view *v, const struct opened *o,
		       const struct cases_protocol *pr, const char *today)
{
	int pi = cases_protocol_phase(pr, o->c.phase);
	v->phase_title = case_phase_title(p, pr, o->c.phase);
	v->phase_started = o->c.phase_started_on;
	v->due = o->c.closed_on[0] ? (struct cv_clock){.due = "", .text = page_tr(p, "Closed")}
				   : case_clock(p, o->c.phase_due, today);
	if (pi < 0)
		return;
	const struct cases_phase *ph = &pr->phases[pi];
	const char *help = cases_text_get(&ph->help, p->lang);
	v->phase_help = help ? help : "";
	v->term = ph->term_days ? page_tr1(p, "{} days", arena_printf(p->a, "%d", ph->term_days))
				: page_tr(p, "No term");
	v->terminal = cases_protocol_terminal(pr, (size_t)pi);
	v->movers = v->terminal ? "" : roles_words(p, ph->movers);
	struct cv_check *checks = arena_alloc(p->a, (ph->nchecklist + 1) * sizeof *checks);
	for (size_t i = 0; i < ph->nchecklist; i++) {
		const struct cases_check_item *it = &ph->checklist[i];
		int done = 0;
		for (size_t j = 0; j < o->ndone; j++)
			done |= strcmp(o->done[j], it->id) == 0;
		const char *t = cases_text_get(&it->text, p->lang);
		checks[i] = (struct cv_check){it->id, t ? t : it->id, it->required, done};
	}
	v->checks = checks;
	v->nchecks = ph->nchecklist;
	struct cv_right *rights = arena_alloc(p->a, (ph->nrights + 1) * sizeof *rights);
	for (size_t i = 0; i < ph->nrights; i++) {
		const struct cases_right_due *r = &ph->rights[i];
		const char *t = cases_text_get(&r->text, p->lang);
		rights[i] = (struct cv_right){
			.name = right_words(p, r->right),
			.parties = parties_words(p, r->parties),
			.text = t ? t : "",
			.term = r->days ? page_tr1(p, "{} days", arena_printf(p->a, "%d", r->days)) : "",
		};
	}
	v->rights = rights;
	v->nrights = ph->nrights;
	struct cv_required *req = arena_alloc(p->a, (ph->nrecords + 1) * sizeof *req);
	for (size_t i = 0; i < ph->nrecords; i++) {
		const struct cases_record_type *rt = &pr->record_types[ph->records[i]];
		int present = 0;
		for (size_t j = 0; j < o->nrecords; j++)
			present |= strcmp(o->records[j].type, rt->id) == 0;
		const char *t = cases_text_get(&rt->title, p->lang);
		req[i] = (struct cv_required){t ? t : rt->id, present};
	}
	v->required = req;
	v->nrequired = ph->nrecords;
	if (o->has_open)
		v->open_items = case_move_items(p, &o->open, &v->nopen_items);
	if (o->c.closed_on[0] || v->terminal)
		return;
	size_t targets[CASES_MAX_PHASES];
	size_t nt = cases_move_targets(pr, (size_t)pi, targets, CASES_MAX_PHASES);
	if (nt > CASES_MAX_PHASES)
		nt = CASES_MAX_PHASES;
	struct cv_move *moves = arena_alloc(p->a, (nt + 1) * sizeof *moves);
	for (size_t i = 0; i < nt; i++) {
		const struct cases_phase *to = &pr->phases[targets[i]];
		const struct cases_deviation *d = cases_protocol_deviation(pr, (size_t)pi, targets[i]);
		moves[i] = (struct cv_move){
			.target = to->id,
			.title = case_phase_title(p, pr, to->id),
			.deviation = d != NULL,
			.form_id = arena_printf(p->a, "move-%s", to->id),
		};
		if (d) {
			const char *t = cases_text_get(&d->title, p->lang);
			moves[i].deviation_title = t ? t : "";
			moves[i].approver = page_tr(p, role_label(d->approver));
			moves[i].waive = d->waive;
		}
	}
	v->moves = moves;
	v->nmoves = nt;
}

static void history_view(struct page *p, struct case_view *v, const struct opened *o,
			 const struct cases_protocol *pr)
{
	struct cv_history *h = arena_alloc(p->a, (o->nmoves ? o->nmoves : 1) * sizeof *h);
	for (size_t i = 0; i < o->nmoves; i++) {
		const struct cases_move_entry *m = &o->moves[i];
		h[i] = (struct cv_history){
			.from = case_phase_title(p, pr, m->from),
			.to = case_phase_title(p, pr, m->to),
			.who = name_of(p, o, m->account_id),
			.on = m->on,
			.deviation = m->deviation,
			.approver = m->deviation ? name_of(p, o, m->approver_id) : "",
			.reason = m->reason ? m->reason : "",
		};
	}
	v->history = h;
	v->nhistory = o->nmoves;
}

static void team_view(struct page *p, struct case_view *v, const struct opened *o)
{
	struct cv_member *m = arena_alloc(p->a, (o->nmembers ? o->nmembers : 1) * sizeof *m);
	for (size_t i = 0; i < o->nmembers; i++) {
		const struct cases_member *x = &o->members[i];
		m[i] = (struct cv_member){
			.account = arena_printf(p->a, "%lld", (long long)x->account_id),
			.name = x->display_name,
			.username = x->username,
			.role = case_role_words(p, x->role),
			.added_on = x->added_on,
			.removed_on = x->removed_on,
			.current = !x->removed_on[0],
		};
		if (!x->removed_on[0] && x->account_id == p->viewer->account.id) {
			v->my_role = m[i].role;
			v->coordinator = strcmp(x->role, "coordinator") == 0;
		}
	}
	v->members = m;
	v->nmembers = o->nmembers;
	static const char *const roles[] = {"investigator", "coordinator"};
	struct cv_option *r = arena_alloc(p->a, 2 * sizeof *r);
	for (size_t i = 0; i < 2; i++)
		r[i] = (struct cv_option){roles[i], case_role_words(p, roles[i]), i == 0};
	v->member_roles = r;
	v->nmember_roles = 2;
}

static void people_view(struct page *p, struct case_view *v, const struct opened *o,
			const char *today)
{
	struct cv_person *out = arena_alloc(p->a, (o->npeople ? o->npeople : 1) * sizeof *out);
	for (size_t i = 0; i < o->npeople; i++) {
		const struct cases_person *x = &o->people[i];
		struct cv_step *steps = arena_alloc(p->a, CASES_STEP_COUNT * sizeof *steps);
		struct cv_option *next = arena_alloc(p->a, CASES_STEP_COUNT * sizeof *next);
		size_t ns = 0, nn = 0;
		for (int s = 0; s < CASES_STEP_COUNT; s++) {
			const char *label = case_step_words(p, (enum cases_step)s);
			if (x->on[s][0])
				steps[ns++] = (struct cv_step){label, x->on[s]};
			else
				next[nn++] = (struct cv_option){cases_step_name((enum cases_step)s),
								label, 0};
		}
		out[i] = (struct cv_person){
			.id = arena_printf(p->a, "%lld", (long long)x->id),
			.step_action = arena_printf(p->a, "%s/betrokkenen/%lld/stap", v->base,
						    (long long)x->id),
			.party = case_party_words(p, x->party),
			.name = x->name ? x->name : "",
			.function = x->function ? x->function : "",
			.contact = x->contact ? x->contact : "",
			.added_on = x->added_on,
			.steps = steps,
			.nsteps = ns,
			.next = next,
			.nnext = nn,
			.reaction = (struct cv_clock){.due = "", .text = ""},
		};
		if (x->reaction_due[0] && !x->on[CASES_STEP_REACTION][0]) {
			out[i].reaction = case_clock(p, x->reaction_due, today);
			out[i].reaction_open = 1;
		}
	}
	v->people = out;
	v->npeople = o->npeople;
	struct cv_option *parties = arena_alloc(p->a, CASES_PARTY_COUNT * sizeof *parties);
	for (int i = 0; i < CASES_PARTY_COUNT; i++) {
		const char *name = cases_party_name((enum cases_party)i);
		parties[i] = (struct cv_option){name, case_party_words(p, name), i == 0};
	}
	v->parties = parties;
	v->nparties = CASES_PARTY_COUNT;
}

/* The choices for the place of the violation: the processes of the case's
 * department's risk register and its units, with the recorded one (or the
 * refused form's) selected; the recorded names for reading. */
static void place_view(struct page *p, struct case_view *v, const struct opened *o,
		       const struct case_form *f)
{
	const struct cases_case *c = &o->c;
	int64_t proc = f->place_given ? f->process_id : c->process_id;
	int64_t unit = f->place_given ? f->unit_id : c->unit_id;
	v->place_process = c->process_name;
	v->place_unit = c->unit_id ? case_org_label(p, NULL, c->unit_code) : "";
	int64_t dept = 0;
	size_t np = 0, nu = 0;
	struct case_q_choice *ch = arena_alloc(p->a, CASE_Q_CHOICES_MAX * sizeof *ch);
	char today[DATE_LEN + 1];
	date_today(today);
	if (cases_place_department(p->db, c->org_id, &dept) != 0 ||
	    (dept && case_q_processes(p->db, dept, ch, CASE_Q_CHOICES_MAX, &np) != 0))
		np = 0; /* the form then offers "not recorded" only */
	struct cv_option *po = arena_alloc(p->a, (np + 1) * sizeof *po);
	for (size_t i = 0; i < np; i++)
		po[i] = (struct cv_option){arena_printf(p->a, "%lld", (long long)ch[i].id),
					   arena_strdup(p->a, ch[i].name), ch[i].id == proc};
	v->processes = po;
	v->nprocesses = np;
	if (!dept || case_q_units(p->db, dept, today, ch, CASE_Q_CHOICES_MAX, &nu) != 0)
		nu = 0;
	struct cv_option *uo = arena_alloc(p->a, (nu + 2) * sizeof *uo);
	int listed = 0;
	for (size_t i = 0; i < nu; i++) {
		uo[i] = (struct cv_option){arena_printf(p->a, "%lld", (long long)ch[i].id),
					   arena_strdup(p->a, ch[i].name), ch[i].id == unit};
		listed |= ch[i].id == unit;
	}
	/* a recorded unit that has since closed stays choosable, so that saving
	 * the outcome again does not drop it */
	if (c->unit_id && unit == c->unit_id && !listed)
		uo[nu++] = (struct cv_option){arena_printf(p->a, "%lld", (long long)c->unit_id),
					      v->place_unit, 1};
	v->units = uo;
	v->nunits = nu;
}

static void outcome_view(struct page *p, struct case_view *v, const struct opened *o)
{
	const struct cases_case *c = &o->c;
	v->outcome = *c->outcome ? case_outcome_words(p, c->outcome) : "";
	const struct cases_taxonomy *tx = cases_data_taxonomy_find(c->taxonomy,
								   c->taxonomy_revision);
	const struct cases_category *cat = *c->category && tx ? cases_taxonomy_find(tx, c->category)
							      : NULL;
	const char *ct = cat ? cases_text_get(&cat->title, p->lang) : NULL;
	v->category = !*c->category ? "" : ct ? arena_printf(p->a, "%s. %s", c->category, ct)
					      : c->category;
	v->measures_text = case_measures_words(p, c->measures, c->nmeasures);
	v->police = case_police_words(p, c->police_report);
	v->decided_on = c->decided_on;
	v->purge_after = c->purge_after;
	static const char *const outcomes[] = {"established", "partly", "not_established"};
	struct cv_option *oo = arena_alloc(p->a, 3 * sizeof *oo);
	for (size_t i = 0; i < 3; i++)
		oo[i] = (struct cv_option){outcomes[i], case_outcome_words(p, outcomes[i]),
					   strcmp(c->outcome, outcomes[i]) == 0};
	v->outcomes = oo;
	v->noutcomes = 3;
	/* the current taxonomy and measures: what a new outcome is recorded in */
	const struct cases_taxonomy *cur = cases_data_taxonomy();
	size_t nc = cur ? cur->ncategories : 0;
	struct cv_option *cats = arena_alloc(p->a, (nc + 1) * sizeof *cats);
	for (size_t i = 0; i < nc; i++) {
		const struct cases_category *k = &cur->categories[i];
		const char *t = cases_text_get(&k->title, p->lang);
		cats[i] = (struct cv_option){k->code, arena_printf(p->a, "%s. %s", k->code, t ? t : ""),
					     tx == cur && strcmp(c->category, k->code) == 0};
	}
	v->categories = cats;
	v->ncategories = nc;
	const struct cases_measures *ms = cases_data_measures();
	size_t nm = ms ? ms->nmeasures : 0;
	struct cv_option *meas = arena_alloc(p->a, (nm + 1) * sizeof *meas);
	for (size_t i = 0; i < nm; i++) {
		const struct cases_measure *m = &ms->measures[i];
		const char *t = cases_text_get(&m->title, p->lang);
		int on = 0;
		for (size_t j = 0; j < c->nmeasures; j++)
			on |= strcmp(c->measures[j], m->code) == 0;
		meas[i] = (struct cv_option){m->code, t ? t : m->code, on};
	}
	v->measures = meas;
	v->nmeasures = nm;
	struct cv_option *pol = arena_alloc(p->a, 2 * sizeof *pol);
	pol[0] = (struct cv_option){"no", page_tr(p, "No"), c->police_report == 0};
	pol[1] = (struct cv_option){"yes", page_tr(p, "Yes"), c->police_report == 1};
	v->police_options = pol;
	v->npolice_options = 2;
}

/* The kinds of record the viewer may add: the protocol's, but not the
 * authority's decision; the summary for the authority only for a
 * coordinator. */
static struct cv_option *record_type_options(struct page *p, const struct cases_protocol *pr,
					     int coordinator, const char *selected, size_t *n)
{
	struct cv_option *out = arena_alloc(p->a, (pr->nrecord_types + 1) * sizeof *out);
	size_t k = 0;
	for (size_t i = 0; i < pr->nrecord_types; i++) {
		const struct cases_record_type *rt = &pr->record_types[i];
		if (strcmp(rt->id, CASES_RECORD_DECISION) == 0)
			continue; /* the competent authority's own */
		out[k++] = (struct cv_option){rt->id, record_title(p, pr, rt->id),
					      selected && strcmp(selected, rt->id) == 0};
	}
	if (coordinator)
		out[k++] = (struct cv_option){CASES_RECORD_SUMMARY,
					      record_title(p, pr, CASES_RECORD_SUMMARY),
					      selected && strcmp(selected, CASES_RECORD_SUMMARY) == 0};
	*n = k;
	return out;
}

static const char *notice(struct page *p)
{
	static const struct {
		const char *code, *msgid;
	} notices[] = {
		{"opened", N_("The case was opened. Add the investigators to the team.")},
		{"joined", N_("The report was added to the case.")},
		{"moved", N_("The case moved to its next phase.")},
		{"check", N_("The checklist was updated.")},
		{"record", N_("The record was added.")},
		{"team", N_("The team was changed.")},
		{"person", N_("The person was added.")},
		{"step", N_("The step was recorded.")},
		{"note", N_("Your note was added.")},
		{"outcome", N_("The outcome was recorded.")},
		{"shared", N_("The summary was shared with the competent authority.")},
		{"closed", N_("The case was closed.")},
	};
	const char *done = http_query(p->req, "done");
	for (size_t i = 0; done && i < sizeof notices / sizeof notices[0]; i++)
		if (strcmp(done, notices[i].code) == 0)
			return page_tr(p, notices[i].msgid);
	return NULL;
}

void case_show(struct page *p, int64_t id, int status, const struct case_form *f)
{
	static const struct case_form none;
	if (!f)
		f = &none;
	struct cases_key k;
	if (case_open_key(p, id, 0, &k) != 0)
		return;
	struct opened *o = arena_alloc(p->a, sizeof *o);
	memset(o, 0, sizeof *o);
	struct cases_error e = {0};
	int r = open_all(p, &k, o, &e);
	cases_key_wipe(&k);
	if (r != 0) {
		opened_free(o);
		case_fail(p, id, &e);
		return;
	}
	const struct cases_protocol *pr = cases_data_protocol_find(o->c.protocol,
								   o->c.protocol_revision);
	if (!pr) {
		log_error("case %lld: protocol %s revision %d is not in this build", (long long)id,
			  o->c.protocol, o->c.protocol_revision);
		opened_free(o);
		page_fail(p, 500, "This case runs under a protocol version that is not part of this version of Probity. Tell your administrator.");
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	const char *title = cases_text_get(&pr->title, p->lang);
	struct case_view v = {
		.csrf = p->csrf,
		.base = arena_printf(p->a, "/zaken/%lld", (long long)id),
		.title = page_tr1(p, "Case {}", arena_printf(p->a, "%lld", (long long)id)),
		.org = case_org_label(p, NULL, o->c.org_code),
		.protocol = arena_printf(p->a, "%s, %s", title ? title : pr->id,
					 page_tr1(p, "revision {}",
						  arena_printf(p->a, "%d", pr->revision))),
		.opened_on = o->c.opened_on,
		.closed_on = o->c.closed_on,
		.my_role = "",
		.closed = o->c.closed_on[0] != 0,
		.phase_error = f->phase_error,
		.check_error = f->check_error,
		.record_error = f->record_error,
		.record_text = f->record_text,
		.team_error = f->team_error,
		.person_error = f->person_error,
		.step_error = f->step_error,
		.note_error = f->note_error,
		.note_text = f->note_text,
		.outcome_error = f->outcome_error,
		.share_error = f->share_error,
		.close_error = f->close_error,
		.refusal_items = f->refusal_items,
		.nrefusal_items = f->nrefusal_items,
	};
	team_view(p, &v, o);
	phase_view(p, &v, o, pr, today);
	history_view(p, &v, o, pr);
	v.records = texts_view(p, o, pr, o->records, o->nrecords);
	v.nrecords = o->nrecords;
	v.notes = texts_view(p, o, pr, o->notes, o->nnotes);
	v.nnotes = o->nnotes;
	struct cv_case_file *fv = arena_alloc(p->a, (o->nfiles + 1) * sizeof *fv);
	for (size_t i = 0; i < o->nfiles; i++)
		fv[i] = (struct cv_case_file){
			arena_printf(p->a, "/zaken/%lld/bestanden/%lld", (long long)o->c.id,
				     (long long)o->files[i].id),
			arena_strdup(p->a, o->files[i].name), report_view_size(p, o->files[i].size),
			arena_strdup(p->a, o->files[i].author_name),
			arena_strdup(p->a, o->files[i].created_at)};
	v.files = fv;
	v.nfiles = o->nfiles;
	struct cv_option *types;
	size_t ntypes;
	types = record_type_options(p, pr, v.coordinator, f->record_type, &ntypes);
	v.record_types = types;
	v.nrecord_types = ntypes;
	struct cv_report *reps = arena_alloc(p->a, (o->c.nreports + 1) * sizeof *reps);
	for (size_t i = 0; i < o->c.nreports; i++)
		reps[i] = (struct cv_report){
			arena_printf(p->a, "%s/meldingen/%lld", v.base, (long long)o->c.reports[i]),
			arena_printf(p->a, "%lld", (long long)o->c.reports[i])};
	v.reports = reps;
	v.nreports = o->c.nreports;
	people_view(p, &v, o, today);
	outcome_view(p, &v, o);
	place_view(p, &v, o, f);
	if (!p->notice)
		p->notice = notice(p);
	p->res->status = status;
	page_begin(p, v.title);
	tmpl_cases_case_page(&p->res->body, &p->t, &v);
	page_end(p);
	opened_free(o);
}

void cases_page_case(struct page *p)
{
	case_show(p, p->params[0], 200, NULL);
}
