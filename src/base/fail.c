/* fail.c: the setters every feature's error goes through (fail.h). */
#include "base/fail.h"

#include <stdarg.h>
#include <stdio.h>

int fail_set(int *code, int value, char *msg, size_t cap, const char *fmt, ...)
{
	va_list ap;
	*code = value;
	va_start(ap, fmt);
	vsnprintf(msg, cap, fmt, ap);
	va_end(ap);
	return -1;
}

int fail_msgid(int *code, const char **slot, int value, const char *msgid)
{
	*code = value;
	*slot = msgid;
	return -1;
}
