/* fuzz_protocol.c: the protocol reader (cases_protocol_parse) on any bytes,
 * and whatever it accepts run through the phase machine. Nothing may crash
 * or leak; a refusal must leave a terminated, printable message and an empty
 * result; an accepted protocol must keep the invariants the machine and the
 * pages rely on (the normal route only goes forward, the last phase and only
 * it is terminal and has no movers, every phase is reachable, deviations are
 * off the normal route, every index in range); and every decision of the
 * machine must agree with the protocol: a move passes only if it is a normal
 * one or a listed deviation, by a mover, with its requirements met and, for a
 * deviation, the approval it needs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_protocol(const struct cases_protocol *p)
{
	if (p->nphases < 2 || p->nphases > CASES_MAX_PHASES || p->nrecord_types < 1 ||
	    p->nrecord_types > CASES_MAX_RECORD_TYPES || p->ndeviations > CASES_MAX_DEVIATIONS ||
	    p->revision < 1 || p->revision > CASES_MAX_REVISION || !p->title.nl || !p->title.en ||
	    (p->description.nl == NULL) != (p->description.en == NULL))
		abort();
	unsigned char reach[CASES_MAX_PHASES] = {1};
	for (size_t i = 0; i < p->nphases; i++) {
		const struct cases_phase *ph = &p->phases[i];
		int last = i + 1 == p->nphases;
		if (cases_protocol_phase(p, ph->id) != (int)i || !ph->title.nl || !ph->title.en)
			abort();
		if ((ph->nnext == 0) != last || (ph->movers == 0) != last ||
		    cases_protocol_terminal(p, i) != last)
			abort();
		if (ph->term_days < 0 || ph->term_days > CASES_MAX_TERM_DAYS)
			abort();
		for (int r = 0; r < ROLE_COUNT; r++)
			if ((ph->movers & role_mask((enum role)r)) &&
			    !cases_role_acts_on_cases((enum role)r))
				abort();
		if (ph->movers >> ROLE_COUNT)
			abort();
		if (!reach[i])
			abort();
		for (size_t k = 0; k < ph->nnext; k++) {
			if (ph->next[k] <= i || ph->next[k] >= p->nphases)
				abort();
			reach[ph->next[k]] = 1;
		}
		if (ph->nchecklist > CASES_MAX_CHECKLIST || ph->nrecords > CASES_MAX_PHASE_RECORDS ||
		    ph->nrights > CASES_RIGHT_COUNT)
			abort();
		for (size_t k = 0; k < ph->nrecords; k++)
			if (ph->records[k] >= p->nrecord_types)
				abort();
		for (size_t k = 0; k < ph->nrights; k++) {
			const struct cases_right_due *d = &ph->rights[k];
			if ((unsigned)d->right >= CASES_RIGHT_COUNT || d->parties == 0 ||
			    d->parties >> CASES_PARTY_COUNT || d->days < 0 ||
			    d->days > CASES_MAX_RIGHT_DAYS || cases_phase_right(ph, d->right) != d ||
			    (d->right == CASES_RIGHT_DRAFT_REACTION && d->days == 0))
				abort();
		}
	}
	for (size_t i = 0; i < p->ndeviations; i++) {
		const struct cases_deviation *d = &p->deviations[i];
		if (d->from >= p->nphases || d->to >= p->nphases || d->from == d->to ||
		    p->phases[d->from].nnext == 0 || !cases_role_acts_on_cases(d->approver) ||
		    cases_protocol_deviation(p, d->from, d->to) != d)
			abort();
		for (size_t k = 0; k < p->phases[d->from].nnext; k++)
			if (p->phases[d->from].next[k] == d->to)
				abort();
	}
}

/* The input's byte at i, cycling; 0 for empty input. */
static unsigned byte_at(const uint8_t *data, size_t size, size_t i)
{
	return size ? data[i % size] : 0;
}

/* Decides from phase `from` to every phase and to a bogus one under roles,
 * and checks each answer against the protocol. */
static void run_machine(const struct cases_protocol *p, size_t from, unsigned roles,
			const struct cases_state *s)
{
	for (size_t to = 0; to <= p->nphases; to++) {
		struct cases_move m;
		const char *target = to < p->nphases ? p->phases[to].id : "no_such_phase_x";
		int rc = cases_move_decide(p, s, roles, target, &m);
		if ((rc == 0) != (m.code == CASES_MOVE_OK) || (unsigned)m.code >= CASES_MOVE_CODE_COUNT)
			abort();
		if ((m.msgid == NULL) != (m.code == CASES_MOVE_OK) ||
		    m.nopen > CASES_MAX_CHECKLIST || m.nmissing > CASES_MAX_PHASE_RECORDS)
			abort();
		if (to == p->nphases) {
			if (m.code != CASES_MOVE_E_NO_PHASE)
				abort();
			continue;
		}
		const struct cases_phase *ph = &p->phases[from];
		const struct cases_deviation *d = cases_protocol_deviation(p, from, to);
		int normal = 0;
		for (size_t k = 0; k < ph->nnext; k++)
			normal |= ph->next[k] == to;
		if (rc != 0)
			continue;
		/* passed: it must be a move the protocol allows, by a mover */
		if (!(roles & ph->movers) || (!normal && !d))
			abort();
		if (normal != (m.kind == CASES_MOVE_NORMAL))
			abort();
		if (!normal && (!s->approval || s->approval->role != d->approver ||
				strcmp(s->approval->to, target) != 0 || m.approver != d->approver))
			abort();
		if ((normal || !d->waive) && (m.nopen || m.nmissing))
			abort();
		/* and the requirements it checked agree with cases_phase_open */
		struct cases_move o;
		int open = cases_phase_open(p, s, &o);
		if (open < 0 || ((normal || !d->waive) && open))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cases_protocol p;
	char err[512];
	memset(err, 'x', sizeof err);
	if (cases_protocol_parse((const char *)data, size, &p, err, sizeof err) != 0) {
		if (!memchr(err, 0, sizeof err) || p.phases || p.mem || p.nphases || p.deviations)
			abort();
		for (const char *c = err; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
				abort();
		return 0;
	}
	check_protocol(&p);
	/* states: nothing done; everything done; the input's bytes choosing which
	 * items and records are there, which approval is on file and by whom */
	const char *done[CASES_MAX_CHECKLIST], *recs[CASES_MAX_RECORD_TYPES];
	for (size_t from = 0; from < p.nphases; from++) {
		const struct cases_phase *ph = &p.phases[from];
		size_t targets[CASES_MAX_PHASES + CASES_MAX_DEVIATIONS];
		size_t nt = cases_move_targets(&p, from, targets, sizeof targets / sizeof *targets);
		if (nt > sizeof targets / sizeof *targets)
			abort();
		for (int variant = 0; variant < 3; variant++) {
			size_t nd = 0, nr = 0;
			for (size_t k = 0; k < ph->nchecklist; k++)
				if (variant == 1 || (variant == 2 && (byte_at(data, size, k) & 1)))
					done[nd++] = ph->checklist[k].id;
			for (size_t k = 0; k < p.nrecord_types; k++)
				if (variant == 1 || (variant == 2 && (byte_at(data, size, k + 7) & 2)))
					recs[nr++] = p.record_types[k].id;
			struct cases_approval a = {ph->id, nt ? p.phases[targets[byte_at(data, size, from) %
										   nt]].id : ph->id,
						   (enum role)(byte_at(data, size, from + 3) % ROLE_COUNT),
						   variant == 0 ? "" : "Reden"};
			struct cases_state s = {ph->id, done, nd, recs, nr, variant ? &a : NULL};
			unsigned roles[] = {0, ph->movers, ~0u, role_mask(ROLE_INVESTIGATOR),
					    byte_at(data, size, from + 5) | (byte_at(data, size, 1) << 8)};
			for (size_t r = 0; r < sizeof roles / sizeof *roles; r++)
				run_machine(&p, from, roles[r], &s);
			/* with the approver's own approval, every target passes for a mover
			 * with everything done */
			if (variant == 1)
				for (size_t k = 0; k < nt && k < sizeof targets / sizeof *targets; k++) {
					const struct cases_deviation *d =
						cases_protocol_deviation(&p, from, targets[k]);
					struct cases_approval ok = {ph->id, p.phases[targets[k]].id,
								    d ? d->approver : ROLE_COUNT, "Reden"};
					struct cases_state s2 = {ph->id, done, nd, recs, nr, &ok};
					struct cases_move m;
					if (cases_move_decide(&p, &s2, ph->movers, ok.to, &m) != 0)
						abort();
				}
		}
		char due[DATE_LEN + 1];
		int32_t left;
		int r = cases_phase_due(ph, "2024-07-02", due);
		if (r < 0 || (r == 1) != (ph->term_days == 0))
			abort();
		if (cases_phase_days_left(ph, "2024-07-02", "2024-07-02", &left) < 0 ||
		    left != ph->term_days)
			abort();
	}
	cases_protocol_free(&p);
	return 0;
}
