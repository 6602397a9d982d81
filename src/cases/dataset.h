/* dataset.h: the protocols, taxonomies and measure lists this build carries
 * (the JSON files in data/protocols, data/taxonomies and data/measures,
 * compiled in by tools/embed), parsed once at start-up like the
 * questionnaires (intake/qset.h).
 *
 * New cases use the current protocol (the highest revision of
 * "onderzoeksprotocol"), the current taxonomy (the highest revision of
 * "schendingen" that is not an example: v1, the government-wide list of
 * shared/domain §4; v2 only illustrates a mapping) and the current measures
 * (the highest revision of "cao_rijk"). A stored case names the id and
 * revision of each, and the *_find functions give that one back for as long
 * as its file ships, which is forever: a revision once used is never removed.
 *
 * Loading also checks what no single file can: ids and revisions are unique,
 * and every taxonomy revision after the first maps exactly from the one
 * before (cases_taxonomy_link). Read-only after loading, so worker threads
 * share everything without locks. */
#ifndef CASES_DATASET_H
#define CASES_DATASET_H
#include <stddef.h>

#include "cases/protocol.h"
#include "cases/taxonomy.h"

#define CASES_PROTOCOL_ID "onderzoeksprotocol"
#define CASES_TAXONOMY_ID "schendingen"
#define CASES_MEASURES_ID "cao_rijk"

/* Parses every embedded file. Idempotent and thread-safe (the first caller
 * parses). Returns 0, or -1 with the file name and reason in err: a build
 * whose data does not parse must not serve. */
int cases_data_init(char *err, size_t errlen);

/* The current ones (see above); NULL before a successful cases_data_init. */
const struct cases_protocol *cases_data_protocol(void);
const struct cases_taxonomy *cases_data_taxonomy(void);
const struct cases_measures *cases_data_measures(void);

/* The one with this id and revision, or NULL. */
const struct cases_protocol *cases_data_protocol_find(const char *id, int revision);
const struct cases_taxonomy *cases_data_taxonomy_find(const char *id, int revision);
const struct cases_measures *cases_data_measures_find(const char *id, int revision);

/* cases_taxonomy_map over every shipped revision of taxonomy id. */
int cases_data_map_category(const char *id, const char *code, int from, int to,
			    const char **out, size_t cap, size_t *nout);

#endif
