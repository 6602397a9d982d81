/* cmd_org.c: placeholder until the organisations feature lands. */
#include "cli/cli.h"

static int run(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("%s: not built yet", c->cmd->name);
	return EXIT_FAIL;
}

#define ORG_CMD(var, nm) \
	const struct cli_command var = {.name = nm, .summary = "(pending)", .usage = nm "\n", .run = run}
ORG_CMD(cmd_org_list, "org list");
ORG_CMD(cmd_org_show, "org show");
ORG_CMD(cmd_org_add, "org add");
ORG_CMD(cmd_org_rename, "org rename");
ORG_CMD(cmd_org_split, "org split");
ORG_CMD(cmd_org_merge, "org merge");
