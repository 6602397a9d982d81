/* date.h: calendar dates as ISO 8601 text ("2024-07-02"), which sort and compare
 * as strings, and UTC timestamps ("2024-07-02T09:30:00Z"). */
#ifndef BASE_DATE_H
#define BASE_DATE_H
#include <stddef.h>
#include <time.h>

#define DATE_LEN 10       /* YYYY-MM-DD */
#define TIMESTAMP_LEN 20  /* YYYY-MM-DDTHH:MM:SSZ */

/* Returns 0 if s (n bytes) is a real calendar date YYYY-MM-DD between the years
 * 1900 and 9999, else -1. */
int date_valid(const char *s, size_t n);
/* Writes today's date in the server's time zone (TZ) into out (DATE_LEN + 1
 * bytes). Timestamps stay UTC. */
void date_today(char out[DATE_LEN + 1]);
/* Writes the UTC timestamp of t into out (TIMESTAMP_LEN + 1 bytes). */
void timestamp_format(time_t t, char out[TIMESTAMP_LEN + 1]);
void timestamp_now(char out[TIMESTAMP_LEN + 1]);

#endif
