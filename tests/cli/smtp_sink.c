/* smtp_sink.c: a helper of tests/cli/test_remind.sh: the SMTP sink of the
 * unit tests (tests/unit/cases/smtpsink.c) as a program.
 *
 *   smtp_sink DIR SECONDS
 *
 * listens on a free loopback port, writes it to DIR/port, and writes each
 * message it receives to DIR/mail-N (N from 1): a first line "FROM TO" (the
 * envelope), then the message as received. Stops after SECONDS, or at once
 * when DIR/stop appears. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unit/cases/smtpsink.h"

int main(int argc, char **argv)
{
	char path[4200];
	struct smtp_sink s = {0};
	if (argc != 3) {
		fprintf(stderr, "usage: smtp_sink DIR SECONDS\n");
		return 2;
	}
	if (smtp_sink_start(&s) != 0) {
		perror("smtp_sink");
		return 1;
	}
	snprintf(path, sizeof path, "%s/port.tmp", argv[1]);
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "%d\n", s.port);
	fclose(f);
	char final[4200];
	snprintf(final, sizeof final, "%s/port", argv[1]);
	rename(path, final);
	time_t end = time(NULL) + atoi(argv[2]);
	size_t written = 0;
	struct stat sb;
	snprintf(final, sizeof final, "%s/stop", argv[1]);
	while (time(NULL) < end && stat(final, &sb) != 0) {
		usleep(20000);
		pthread_mutex_lock(&s.lock);
		for (; written < s.nmail; written++) {
			snprintf(path, sizeof path, "%s/mail-%zu", argv[1], written + 1);
			FILE *m = fopen(path, "wb");
			if (m) {
				fprintf(m, "%s %s\n", s.mail[written].from, s.mail[written].to);
				fwrite(s.mail[written].data, 1, s.mail[written].len, m);
				fclose(m);
			}
		}
		pthread_mutex_unlock(&s.lock);
	}
	smtp_sink_stop(&s);
	return 0;
}
