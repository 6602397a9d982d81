/* fuzz_util.c: see fuzz_util.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

void fuzz_printable(const char *s, size_t cap)
{
	if (!memchr(s, 0, cap))
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			abort();
}

const struct reg_context *fuzz_reg_context(void)
{
	static const struct {
		const char *code, *from, *to;
		enum org_kind kind;
	} rows[] = {
		{"RIJK", "2010-01-01", "", ORG_GOVERNMENT},
		{"EZK", "2017-10-26", "2024-07-02", ORG_DEPARTMENT},
		{"EZ", "2024-07-02", "", ORG_DEPARTMENT},
		{"FIN", "2010-01-01", "", ORG_DEPARTMENT},
	};
	static struct org_table orgs;
	static struct reg_context cx;
	static int ready;
	if (ready)
		return &cx;
	char err[300];
	org_table_init(&orgs);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct org o = {0};
		o.id = (int64_t)i + 1;
		strcpy(o.code, rows[i].code);
		strcpy(o.name, rows[i].code);
		o.kind = rows[i].kind;
		o.parent_id = i ? 1 : 0;
		strcpy(o.valid_from, rows[i].from);
		strcpy(o.valid_to, rows[i].to);
		if (org_table_add_row(&orgs, &o) != 0)
			abort();
	}
	if (reg_context_init(&cx, &orgs, "2025-06-30", err, sizeof err) != 0)
		abort();
	ready = 1;
	return &cx;
}

void fuzz_reg_row_sane(const struct reg_row *row)
{
	const struct reg_context *cx = fuzz_reg_context();
	if (row->org_id < 2 || row->org_id > 4 ||
	    date_valid(row->received_on, strlen(row->received_on)) != 0 ||
	    strcmp(row->received_on, cx->today) > 0 || !row->category[0] ||
	    row->taxonomy_revision < 1)
		abort();
}
