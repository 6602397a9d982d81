/* exitcode.h: the exit codes of every probity command, documented in docs/cli.md.
 * Scripts rely on these numbers: never renumber, only add. */
#ifndef BASE_EXITCODE_H
#define BASE_EXITCODE_H

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAIL = 1,         /* an error not covered below */
	EXIT_USAGE = 2,        /* unknown command or option, bad argument */
	EXIT_CONFIG = 3,       /* configuration file or environment is invalid */
	EXIT_DB_OPEN = 4,      /* database missing, unreadable or not a Probity database */
	EXIT_DB_VERSION = 5,   /* database newer than this program, or needs upgrading */
	EXIT_DB_BUSY = 6,      /* database locked by another process */
	EXIT_DB_WRITE = 7,     /* database read-only, disk full or I/O error */
	EXIT_INTEGRITY = 8,    /* audit chain broken or signing key mismatch */
	EXIT_NOT_FOUND = 9,    /* a named object does not exist */
	EXIT_CONFLICT = 10,    /* the request contradicts existing data */
};

#endif
