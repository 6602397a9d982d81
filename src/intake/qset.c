/* qset.c: the embedded questionnaires, parsed once (see qset.h). They are
 * never freed: they live as long as the process, and are read-only after
 * parsing, so worker threads share them without locks. */
#include "intake/qset.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/embedded.h"

extern const struct embedded_file intake_questionnaires[];

#define QSET_MAX 16

static struct intake_questionnaire qs[QSET_MAX];
static size_t nqs;
static const struct intake_questionnaire *current;
static char init_err[300];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	for (const struct embedded_file *f = intake_questionnaires; f->name; f++) {
		if (nqs == QSET_MAX) {
			snprintf(init_err, sizeof init_err, "more than %d questionnaires", QSET_MAX);
			return;
		}
		char err[256];
		if (intake_q_parse(f->data, f->len, &qs[nqs], err, sizeof err) != 0) {
			snprintf(init_err, sizeof init_err, "%s: %s", f->name, err);
			return;
		}
		nqs++;
	}
	for (size_t i = 0; i < nqs; i++)
		if (strcmp(qs[i].id, "melding") == 0 &&
		    (!current || qs[i].revision > current->revision))
			current = &qs[i];
	if (!current)
		snprintf(init_err, sizeof init_err, "no questionnaire with id \"melding\"");
}

int intake_qset_init(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (init_err[0]) {
		snprintf(err, errlen, "questionnaire %s", init_err);
		return -1;
	}
	return 0;
}

const struct intake_questionnaire *intake_qset_current(void)
{
	return init_err[0] ? NULL : current;
}

const struct intake_questionnaire *intake_qset_find(const char *id, int revision)
{
	if (init_err[0] || !id)
		return NULL;
	for (size_t i = 0; i < nqs; i++)
		if (qs[i].revision == revision && strcmp(qs[i].id, id) == 0)
			return &qs[i];
	return NULL;
}
