/* sample_view.h: the argument type of the test template. */
#pragma once
#include <stddef.h>

struct sample_view {
	const char *title;
	const char **items;
	size_t count;
	const char *link;
	const char *query;
};
