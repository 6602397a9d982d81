/* date.h: calendar dates as ISO 8601 text ("2024-07-02"), which sort and compare
 * as strings, and UTC timestamps ("2024-07-02T09:30:00Z"). */
#ifndef BASE_DATE_H
#define BASE_DATE_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define DATE_LEN 10       /* YYYY-MM-DD */
#define TIMESTAMP_LEN 20  /* YYYY-MM-DDTHH:MM:SSZ */

/* Returns 0 if s (n bytes) is a real calendar date YYYY-MM-DD between the years
 * 1900 and 9999, else -1. */
int date_valid(const char *s, size_t n);
/* Calendar arithmetic on dates that pass date_valid (NUL-terminated here), for
 * legal terms and deadlines. Every result must itself be a valid date: a
 * result outside 1900-01-01..9999-12-31 is refused (-1, and out is set to "",
 * which date_valid refuses too), never wrapped or clamped. */
/* Day number of date s: days since 1970-01-01, negative before it. Returns 0,
 * or -1 if s is not a valid date. */
int date_to_days(const char *s, int32_t *out);
/* Writes the date of day number d into out. Returns 0, or -1 out of range. */
int date_from_days(int32_t d, char out[DATE_LEN + 1]);
/* s plus n days (n may be negative). Returns 0 or -1. */
int date_add_days(const char *s, int64_t n, char out[DATE_LEN + 1]);
/* s plus n calendar months (n may be negative); a day past the end of the
 * target month becomes its last day, so 2023-01-31 + 1 month is 2023-02-28.
 * Returns 0 or -1. */
int date_add_months(const char *s, int64_t n, char out[DATE_LEN + 1]);
/* Sets *out to -1, 0 or 1 as a is before, equal to or after b. Returns 0, or
 * -1 if either is not a valid date. */
int date_cmp(const char *a, const char *b, int *out);
/* Sets *out to the days from `from` to `to` (negative when to is earlier).
 * Returns 0 or -1. */
int date_days_between(const char *from, const char *to, int32_t *out);

/* Writes today's date in the server's time zone (TZ) into out (DATE_LEN + 1
 * bytes). Timestamps stay UTC. */
void date_today(char out[DATE_LEN + 1]);
/* Writes the UTC timestamp of t into out (TIMESTAMP_LEN + 1 bytes). */
void timestamp_format(time_t t, char out[TIMESTAMP_LEN + 1]);
void timestamp_now(char out[TIMESTAMP_LEN + 1]);
/* "YYYY-MM-DD HH:MM" in the server's time zone of a stored UTC timestamp
 * ("YYYY-MM-DDTHH:MM:SSZ"), for showing; "" when stamp is not one. */
#define TIMESTAMP_LOCAL_LEN 16
void timestamp_local(const char *stamp, char out[TIMESTAMP_LOCAL_LEN + 1]);

#endif
