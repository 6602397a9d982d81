/* main.c: the probity command line. Finds the command named by the first one or
 * two words and hands it the rest; `probity help X` and `probity X --help` print
 * the command's usage. */
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

static void overview(FILE *out)
{
	fputs("usage: probity COMMAND [OPTIONS]\n\n"
	      "Probity keeps a government's integrity system: reports, cases, risks,\n"
	      "assessments and government-wide figures.\n\ncommands:\n",
	      out);
	for (int i = 0; cli_commands[i]; i++)
		fprintf(out, "  %-16s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
	fputs("\nEvery command accepts --db FILE, --config FILE and --help.\n"
	      "See docs/cli.md for settings and exit codes.\n",
	      out);
}

/* Matches "org list" against argv words; returns how many words matched. */
static int match(const char *name, int argc, char **argv)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", name);
	int words = 0;
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (words >= argc || strcmp(argv[words], w) != 0)
			return 0;
		words++;
	}
	return words;
}

static const struct cli_command *find(int argc, char **argv, int *words)
{
	for (int i = 0; cli_commands[i]; i++) {
		int w = match(cli_commands[i]->name, argc, argv);
		if (w) {
			*words = w;
			return cli_commands[i];
		}
	}
	return NULL;
}

/* For "probity org" or "probity org frob": list the commands under "org". */
static int group_help(const char *group)
{
	int found = 0;
	size_t n = strlen(group);
	for (int i = 0; cli_commands[i]; i++)
		if (strncmp(cli_commands[i]->name, group, n) == 0 && cli_commands[i]->name[n] == ' ') {
			if (!found)
				fprintf(stderr, "probity %s: needs a subcommand:\n", group);
			fprintf(stderr, "  probity %-16s %s\n", cli_commands[i]->name,
				cli_commands[i]->summary);
			found = 1;
		}
	return found;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* databases, WAL files, backups and keys are for the service user only */
	umask(077);
	if (sodium_init() < 0) {
		fputs("probity: cannot initialise libsodium\n", stderr);
		return EXIT_FAIL;
	}
	if (argc < 2) {
		overview(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		overview(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		argv[1] = "version";
	int help = strcmp(argv[1], "help") == 0;
	int words = 0;
	const struct cli_command *cmd = find(argc - 1 - help, argv + 1 + help, &words);
	if (!cmd) {
		if (help && argc == 2) {
			overview(stdout);
			return EXIT_OK;
		}
		if (group_help(argv[1 + help]))
			return EXIT_USAGE;
		fprintf(stderr, "probity: unknown command '%s'; see 'probity --help'\n",
			argv[1 + help]);
		return EXIT_USAGE;
	}
	if (help) {
		fputs(cmd->usage, stdout);
		return EXIT_OK;
	}
	struct cli c = {.cmd = cmd};
	config_init(&c.cfg);
	/* the command sees argv[0] = its own name, then its arguments */
	int rc = cmd->run(&c, argc - words, argv + words);
	cli_free(&c);
	return rc < 0 ? EXIT_OK : rc;
}
