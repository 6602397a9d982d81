/* purge.h: the retention purge's daily run inside `probity serve`
 * (cmd_purge.c, which also holds `probity purge`). */
#ifndef CLI_PURGE_H
#define CLI_PURGE_H
#include <stddef.h>

#include "cli/cli.h"

struct purge_daily;

/* Starts a thread that runs cases_purge (cases.h) on the server's today at
 * once and then every 24 hours, on a connection of its own to c's database,
 * signing its audit entries with c->signer (which must outlive it), and
 * prints one line per run with counts only. Returns the runner, or NULL with
 * the reason in err. */
struct purge_daily *purge_daily_start(struct cli *c, char *err, size_t errlen);

/* Wakes the runner, waits for a run in progress to end, and frees it. NULL
 * is ignored. */
void purge_daily_stop(struct purge_daily *p);

#endif
