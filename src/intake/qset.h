/* qset.h: the questionnaires this build carries (the JSON files in data/questionnaires,
 * compiled in by tools/embed), parsed once at start-up. New reports use the
 * current one (the highest revision of "melding"); a stored report names the
 * id and revision it was answered with, and intake_qset_find gives that one
 * back for as long as its file ships, which is forever (questionnaire.h). */
#ifndef INTAKE_QSET_H
#define INTAKE_QSET_H
#include <stddef.h>

#include "intake/questionnaire.h"

/* Parses every embedded questionnaire. Idempotent and thread-safe (the first
 * caller parses). Returns 0, or -1 with the file name and reason in err: a
 * build whose data does not parse must not serve. */
int intake_qset_init(char *err, size_t errlen);

/* The questionnaire new reports are answered with; NULL before a successful
 * intake_qset_init. */
const struct intake_questionnaire *intake_qset_current(void);

/* The questionnaire with this id and revision, or NULL. */
const struct intake_questionnaire *intake_qset_find(const char *id, int revision);

#endif
