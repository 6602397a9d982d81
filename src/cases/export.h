/* export.h: a case exported as a verifiable bundle (issue 5 item 8,
 * bundle.h): its decrypted content, written for a team member who needs the
 * whole file outside Probity (for the competent authority's lawyers, a
 * court, an archive), with a manifest signed by the server's key so that
 * anyone can tell later whether a part was changed.
 *
 * The parts, under "case-<id>/" (docs/bundle.md lists their fields):
 *
 *   README.txt                 what the bundle is and how to check it
 *   case.json                  metadata, phase, checklist ticked, outcome,
 *                              decision date, the joined reports' ids, team
 *   phases.json                every move, with the reason of a deviation
 *   records.json, notes.json   the records (authority summary and decision
 *                              included) and the team's notes, with texts
 *   people.json                the people involved, their parties, names,
 *                              functions, contacts and the dates of their rights
 *   files.json, files/ID.EXT   the case's attachments: metadata, then the bytes
 *   reports/ID/report.json     each joined report: metadata, answers, identity
 *   reports/ID/messages.json   its conversation with the reporter
 *   reports/ID/notes.json      its handlers' internal notes
 *   reports/ID/attachments.json, reports/ID/attachments/ID.EXT
 *
 * The bundle is plaintext: whoever holds the file reads the case. That is
 * why only a current team member may export, why it is audited, and why the
 * command line writes it with mode 0600 and says so. */
#ifndef CASES_EXPORT_H
#define CASES_EXPORT_H
#include <stdint.h>
#include <stdio.h>

#include "cases/bundle.h"
#include "cases/cases.h"

struct cases_export_result {
	size_t parts;                  /* parts listed in the manifest */
	unsigned char manifest_sha256[CASES_BUNDLE_HASH_BYTES];
	int io_errno;                  /* set when writing out failed (return -2) */
};

/* Writes the bundle of the case of k (full: opened by a member) to out, by
 * actor_id, a current member (a coordinator or investigator; a removed
 * member or an authority gets CASES_ENOTFOUND, like a case that does not
 * exist), signed with signer->key, which also signs the audit entry. Closed
 * cases can be exported until they are purged.
 *
 * The content is read first; only when the whole bundle is written and
 * flushed does one transaction check the membership again and append
 * "case.export" (detail: the number of parts and the manifest's SHA-256,
 * which ties the audit trail to the file without holding any content).
 * When that fails the caller must discard what was written: a bundle exists
 * only with its audit entry.
 *
 * Returns 0 with *res filled; -1 with e set (CASES_ENOTFOUND, CASES_EDAMAGED:
 * a stored blob does not open, CASES_EDB); or -2 when writing out failed
 * (res->io_errno, e->msg). */
int cases_export(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		 int64_t actor_id, FILE *out, struct cases_export_result *res,
		 struct cases_error *e);

#endif
