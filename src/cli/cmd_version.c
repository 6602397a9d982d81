/* cmd_version.c: `probity version` names this build and the libraries it runs on. */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>

#include "cli/cli.h"
#include "probity_config.h"
#include "store/migrate.h"

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	int rc = cli_parse_options(c, argc, argv, opts, NULL, NULL);
	if (rc)
		return rc;
	printf("probity %s (schema %d)\n", PROBITY_VERSION, migrate_latest());
	printf("%s, libsodium %s, libmicrohttpd %s\n", db_library_versions(),
	       sodium_version_string(), MHD_get_version());
	return 0;
}

const struct cli_command cmd_version = {
	.name = "version",
	.summary = "print the version of probity and its libraries",
	.usage = "usage: probity version\n\n"
		 "Prints the program version, the database schema version it writes, and\n"
		 "the versions of the libraries it runs on.\n",
	.run = run,
};
