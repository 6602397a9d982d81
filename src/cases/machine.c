/* machine.c: the phase machine (machine.h). Pure: decides, never records. */
#include "cases/machine.h"

#include <string.h>

#include "base/utf8.h"
#include "web/i18n.h"

static const struct {
	const char *name;
	const char *msgid;
} codes[CASES_MOVE_CODE_COUNT] = {
	[CASES_MOVE_OK] = {"ok", NULL},
	[CASES_MOVE_E_STATE] = {"bad_state",
		N_("This case is in a phase its protocol does not know. Ask the administrator "
		   "to look into it.")},
	[CASES_MOVE_E_NO_PHASE] = {"no_such_phase",
		N_("That phase is not part of this case's protocol.")},
	[CASES_MOVE_E_TERMINAL] = {"terminal",
		N_("This case is closed: it cannot move to another phase.")},
	[CASES_MOVE_E_SAME_PHASE] = {"same_phase", N_("The case is already in this phase.")},
	[CASES_MOVE_E_UNREACHABLE] = {"not_allowed",
		N_("The protocol does not allow moving the case from this phase to that one.")},
	[CASES_MOVE_E_NOT_MOVER] = {"not_mover",
		N_("Your role does not allow you to move this case on from this phase.")},
	[CASES_MOVE_E_CHECKLIST] = {"checklist_open",
		N_("Some required checklist items of this phase are not done yet.")},
	[CASES_MOVE_E_RECORDS] = {"records_missing",
		N_("Some records this phase requires are not in the case yet.")},
	[CASES_MOVE_E_NO_APPROVAL] = {"approval_missing",
		N_("This move departs from the protocol: it needs approval first.")},
	[CASES_MOVE_E_WRONG_APPROVER] = {"wrong_approver",
		N_("This move was approved by someone without the role that must approve it.")},
	[CASES_MOVE_E_REASON_EMPTY] = {"reason_missing",
		N_("Give the reason for departing from the protocol.")},
	[CASES_MOVE_E_REASON_INVALID] = {"reason_invalid",
		N_("The reason is too long or contains characters that are not allowed.")},
};

const char *cases_move_code_name(enum cases_move_code c)
{
	return (unsigned)c < CASES_MOVE_CODE_COUNT ? codes[c].name : "?";
}

const char *cases_move_code_msgid(enum cases_move_code c)
{
	return (unsigned)c < CASES_MOVE_CODE_COUNT ? codes[c].msgid : NULL;
}

static int refuse(struct cases_move *out, enum cases_move_code c)
{
	out->code = c;
	out->msgid = codes[c].msgid;
	return -1;
}

static int listed(const char *const *list, size_t n, const char *id)
{
	for (size_t i = 0; list && i < n; i++)
		if (list[i] && strcmp(list[i], id) == 0)
			return 1;
	return 0;
}

/* Fills out->open and out->missing for leaving phase ph in state s. */
static void requirements(const struct cases_protocol *p, const struct cases_phase *ph,
			 const struct cases_state *s, struct cases_move *out)
{
	for (size_t i = 0; i < ph->nchecklist; i++)
		if (ph->checklist[i].required && !listed(s->done, s->ndone, ph->checklist[i].id))
			out->open[out->nopen++] = &ph->checklist[i];
	for (size_t i = 0; i < ph->nrecords; i++) {
		const struct cases_record_type *t = &p->record_types[ph->records[i]];
		if (!listed(s->records, s->nrecords, t->id))
			out->missing[out->nmissing++] = t;
	}
}

/* 1 if the reason holds something other than spaces and line breaks. */
static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* The code refusing reason, or OK. Tabs and line breaks are allowed (a
 * reason may run to paragraphs); other control characters are not. */
static enum cases_move_code check_reason(const char *reason)
{
	if (!reason)
		return CASES_MOVE_E_REASON_EMPTY;
	size_t n = strnlen(reason, CASES_REASON_MAX + 1);
	if (n > CASES_REASON_MAX)
		return CASES_MOVE_E_REASON_INVALID;
	if (blank(reason, n))
		return CASES_MOVE_E_REASON_EMPTY;
	if (!utf8_valid(reason, n))
		return CASES_MOVE_E_REASON_INVALID;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)reason[i];
		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
			return CASES_MOVE_E_REASON_INVALID;
		/* C1 controls U+0080..U+009F are encoded as C2 80..C2 9F */
		if (c == 0xc2 && i + 1 < n && (unsigned char)reason[i + 1] < 0xa0)
			return CASES_MOVE_E_REASON_INVALID;
	}
	return CASES_MOVE_OK;
}

static void reset(struct cases_move *out)
{
	memset(out, 0, sizeof *out);
	out->from = out->to = -1;
	out->approver = ROLE_COUNT;
}

int cases_move_decide(const struct cases_protocol *p, const struct cases_state *s,
		      unsigned actor_roles, const char *target, struct cases_move *out)
{
	reset(out);
	int from = cases_protocol_phase(p, s ? s->phase : NULL);
	if (from < 0)
		return refuse(out, CASES_MOVE_E_STATE);
	out->from = from;
	int to = cases_protocol_phase(p, target);
	if (to < 0)
		return refuse(out, CASES_MOVE_E_NO_PHASE);
	out->to = to;
	const struct cases_phase *ph = &p->phases[from];
	if (cases_protocol_terminal(p, (size_t)from))
		return refuse(out, CASES_MOVE_E_TERMINAL);
	if (from == to)
		return refuse(out, CASES_MOVE_E_SAME_PHASE);
	for (size_t i = 0; i < ph->nnext; i++)
		if (ph->next[i] == (size_t)to)
			out->kind = CASES_MOVE_NORMAL;
	if (out->kind == CASES_MOVE_NONE) {
		out->deviation = cases_protocol_deviation(p, (size_t)from, (size_t)to);
		if (!out->deviation)
			return refuse(out, CASES_MOVE_E_UNREACHABLE);
		out->kind = CASES_MOVE_DEVIATION;
		out->reason_required = 1;
		out->approver = out->deviation->approver;
	}
	if (!(actor_roles & ph->movers))
		return refuse(out, CASES_MOVE_E_NOT_MOVER);
	if (out->kind == CASES_MOVE_NORMAL || !out->deviation->waive) {
		requirements(p, ph, s, out);
		if (out->nopen)
			return refuse(out, CASES_MOVE_E_CHECKLIST);
		if (out->nmissing)
			return refuse(out, CASES_MOVE_E_RECORDS);
	}
	if (out->kind == CASES_MOVE_DEVIATION) {
		const struct cases_approval *a = s->approval;
		if (!a || !a->from || !a->to || strcmp(a->from, ph->id) != 0 ||
		    strcmp(a->to, p->phases[to].id) != 0)
			return refuse(out, CASES_MOVE_E_NO_APPROVAL);
		if (a->role != out->approver)
			return refuse(out, CASES_MOVE_E_WRONG_APPROVER);
		enum cases_move_code c = check_reason(a->reason);
		if (c != CASES_MOVE_OK)
			return refuse(out, c);
	}
	return 0;
}

int cases_phase_open(const struct cases_protocol *p, const struct cases_state *s,
		     struct cases_move *out)
{
	reset(out);
	int from = cases_protocol_phase(p, s ? s->phase : NULL);
	if (from < 0)
		return -1;
	out->from = from;
	requirements(p, &p->phases[from], s, out);
	return out->nopen || out->nmissing;
}

size_t cases_move_targets(const struct cases_protocol *p, size_t from, size_t *out, size_t cap)
{
	size_t n = 0;
	if (from >= p->nphases)
		return 0;
	const struct cases_phase *ph = &p->phases[from];
	for (size_t i = 0; i < ph->nnext; i++, n++)
		if (n < cap)
			out[n] = ph->next[i];
	for (size_t i = 0; i < p->ndeviations; i++)
		if (p->deviations[i].from == from) {
			if (n < cap)
				out[n] = p->deviations[i].to;
			n++;
		}
	return n;
}

int cases_phase_due(const struct cases_phase *ph, const char *start, char out[DATE_LEN + 1])
{
	out[0] = 0;
	if (!start || strnlen(start, DATE_LEN + 1) != DATE_LEN || date_valid(start, DATE_LEN))
		return -1;
	if (ph->term_days == 0)
		return 1;
	return date_add_days(start, ph->term_days, out);
}

int cases_phase_days_left(const struct cases_phase *ph, const char *start, const char *today,
			  int32_t *days_left)
{
	char due[DATE_LEN + 1];
	*days_left = 0;
	int r = cases_phase_due(ph, start, due);
	if (r != 0) {
		if (r == 1 && (!today || strnlen(today, DATE_LEN + 1) != DATE_LEN ||
			       date_valid(today, DATE_LEN)))
			return -1;
		return r;
	}
	if (!today || strnlen(today, DATE_LEN + 1) != DATE_LEN || date_valid(today, DATE_LEN))
		return -1;
	return date_days_between(today, due, days_left);
}
