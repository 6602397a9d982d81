/* fuzz_loop_query.c: the period and threshold of "where were the risks
 * greatest" as a browser or API client types them (loop_read_query,
 * src/loop/model.c), on any bytes: three lines, from, to and n. Whatever
 * comes in, an accepted query is a real period inside the limits (from <=
 * to <= today, at most LOOP_SPAN_YEARS long) with 1 <= n <= LOOP_N_MAX, and
 * loop_compute takes it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "loop/loop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 128
#define TODAY "2026-11-30"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[MAX_INPUT + 1], from[DATE_LEN + 1], to[DATE_LEN + 1], err[200];
	const char *field[3] = {NULL, NULL, NULL};
	int n = 0;
	if (size > MAX_INPUT)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *s = buf;
	for (int i = 0; i < 3 && s; i++) {
		field[i] = s;
		s = strchr(s, '\n');
		if (s)
			*s++ = '\0';
	}
	enum loop_query q = loop_read_query(field[0], field[1], field[2], TODAY, from, to, &n);
	if (q == LOOP_Q_OK) {
		char earliest[DATE_LEN + 1];
		if (date_valid(from, strlen(from)) != 0 || date_valid(to, strlen(to)) != 0 ||
		    strcmp(from, to) > 0 || strcmp(to, TODAY) > 0 || n < 1 || n > LOOP_N_MAX ||
		    date_add_months(to, -12 * LOOP_SPAN_YEARS, earliest) != 0 ||
		    strcmp(from, earliest) < 0)
			abort();
		struct arena a = ARENA_INIT;
		struct loop_input in = {.n = n};
		struct loop_result r;
		memcpy(in.from, from, sizeof from);
		memcpy(in.to, to, sizeof to);
		if (loop_compute(&in, &a, &r, err, sizeof err) != 0)
			abort();
		arena_free(&a);
	} else if (q > LOOP_Q_N) {
		abort();
	}
	return 0;
}
