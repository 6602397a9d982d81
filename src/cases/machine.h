/* machine.h: the phase machine: may this person move this case from its
 * current phase to that one, under the case's protocol (protocol.h)? Pure:
 * the caller (the case storage) reads the case's state and the actor's roles
 * and passes them in; nothing here reads or writes anything.
 *
 * A move is one of:
 *   - normal: the target is among the current phase's next; the actor must
 *     hold a mover role of the current phase, and its required checklist
 *     items must be done and its required records present;
 *   - deviation: the protocol lists it (protocol.h, cases_deviation); the
 *     actor must hold a mover role, the move must have been approved in
 *     advance by someone holding the deviation's approver role, with a
 *     reason, and the current phase's requirements hold unless the deviation
 *     waives them;
 *   - anything else is refused.
 * The approver may be the actor (an integrity coordinator who is both mover
 * and approver of going back to the investigation): the protocol names a
 * role, and the storage records who approved, when, and why.
 *
 * Refusals have a stable code (cases_move_code_name: for the API and tests)
 * and an English msgid in plain language that the web layer translates. */
#ifndef CASES_MACHINE_H
#define CASES_MACHINE_H
#include <stddef.h>

#include "base/date.h"
#include "cases/protocol.h"

#define CASES_REASON_MAX 2000        /* bytes of a deviation's reason */

/* An approval of a deviation, as the storage recorded it. */
struct cases_approval {
	const char *from, *to;        /* the move approved: phase ids */
	enum role role;               /* the role the approver held for the case's
					 organisation when approving */
	const char *reason;           /* NUL-terminated; checked here: not blank, at most
					 CASES_REASON_MAX bytes, UTF-8 without control
					 characters other than tab and line breaks */
};

/* A case as the machine needs it; everything borrowed, NUL-terminated. */
struct cases_state {
	const char *phase;            /* the current phase id */
	const char *const *done;      /* ids of the current phase's checklist items
					 ticked off; ids the phase lacks are ignored */
	size_t ndone;
	const char *const *records;   /* ids of the record types the case holds (in any
					 phase); ids the protocol lacks are ignored */
	size_t nrecords;
	const struct cases_approval *approval;  /* the approval on file for a move from
						   the current phase, or NULL */
};

enum cases_move_code {
	CASES_MOVE_OK = 0,
	CASES_MOVE_E_STATE,           /* the case's phase is not in its protocol (damaged) */
	CASES_MOVE_E_NO_PHASE,        /* the target is not a phase of the protocol */
	CASES_MOVE_E_TERMINAL,        /* the case is in the terminal phase */
	CASES_MOVE_E_SAME_PHASE,      /* the target is the current phase */
	CASES_MOVE_E_UNREACHABLE,     /* neither a normal move nor an allowed deviation */
	CASES_MOVE_E_NOT_MOVER,       /* the actor holds no mover role of the phase */
	CASES_MOVE_E_CHECKLIST,       /* required checklist items open (listed) */
	CASES_MOVE_E_RECORDS,         /* required records missing (listed) */
	CASES_MOVE_E_NO_APPROVAL,     /* a deviation with no approval for this move */
	CASES_MOVE_E_WRONG_APPROVER,  /* approved by a role that is not the approver */
	CASES_MOVE_E_REASON_EMPTY,    /* the approval gives no reason */
	CASES_MOVE_E_REASON_INVALID,  /* the reason is too long or has bad characters */
	CASES_MOVE_CODE_COUNT
};

enum cases_move_kind {
	CASES_MOVE_NONE,              /* not a move the protocol knows */
	CASES_MOVE_NORMAL,
	CASES_MOVE_DEVIATION,
};

/* The decision. kind, from, to, deviation and approver are filled as soon as
 * the move is known, also when it is refused for another reason, so that a
 * page can say "this needs the approval of the competent authority" next to
 * "these items are still open". open and missing are filled whenever the
 * requirements apply (normal moves, deviations that do not waive them). */
struct cases_move {
	enum cases_move_code code;
	const char *msgid;            /* static English; NULL when code is OK */
	enum cases_move_kind kind;
	int from, to;                 /* phase indexes, -1 when unknown */
	const struct cases_deviation *deviation;  /* for kind DEVIATION */
	int reason_required;          /* 1 for a deviation */
	enum role approver;           /* for a deviation: who must approve */
	const struct cases_check_item *open[CASES_MAX_CHECKLIST];
	size_t nopen;                 /* required checklist items not done */
	const struct cases_record_type *missing[CASES_MAX_PHASE_RECORDS];
	size_t nmissing;              /* required records not present */
};

/* Decides moving the case in state s to phase `target` by an actor holding
 * the roles actor_roles (role_mask bits, for the case's organisation) under
 * protocol p. Checks, in this order, and stops at the first failure: the
 * state's phase, the target, terminal, same phase, reachable, mover role,
 * requirements (checklist, then records), then for a deviation the approval
 * (present and for this move, role, reason). Returns 0 if the move may be
 * made now (out->code OK), else -1 with out->code and out->msgid. out is
 * always reset first. */
int cases_move_decide(const struct cases_protocol *p, const struct cases_state *s,
		      unsigned actor_roles, const char *target, struct cases_move *out);

/* "not_mover": the stable name of a code, for the API; "?" out of range. */
const char *cases_move_code_name(enum cases_move_code c);
/* The plain English msgid of a code (NULL for OK). */
const char *cases_move_code_msgid(enum cases_move_code c);

/* What keeps the case in state s from leaving its current phase normally:
 * the open required checklist items and missing required records, into
 * out->open/out->missing (other fields of out: reset, from set). For the
 * case page, and for the terminal phase what closing the file requires.
 * Returns 0 when nothing is open, 1 when something is, -1 when s->phase is
 * not a phase of p. */
int cases_phase_open(const struct cases_protocol *p, const struct cases_state *s,
		     struct cases_move *out);

/* The phases a case in phase index `from` may move to at all (the normal
 * next first, then the deviations, in the file's order): writes up to cap
 * phase indexes to out and returns how many there are (may exceed cap). */
size_t cases_move_targets(const struct cases_protocol *p, size_t from, size_t *out, size_t cap);

/* The due date of phase ph entered on `start` (a valid date): start plus the
 * term in days, into out. Returns 0, 1 when the phase has no term (out is
 * ""), or -1 if start is not a valid date or the result is out of range. */
int cases_phase_due(const struct cases_phase *ph, const char *start, char out[DATE_LEN + 1]);

/* Where a phase entered on `start` stands on `today`: *days_left is the days
 * from today to the due date (0 on the day itself, negative when overdue).
 * Returns 0, 1 when the phase has no term (*days_left 0), -1 on a bad date. */
int cases_phase_days_left(const struct cases_phase *ph, const char *start, const char *today,
			  int32_t *days_left);

#endif
