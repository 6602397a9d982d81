/* fuzz_framework.c: the framework reader (framework_parse), the canonical
 * writer, the difference and the mapping reader on any bytes. Nothing may
 * crash or leak; a refusal must leave a terminated, printable message and
 * an empty result; an accepted framework must pass framework_check, keep
 * within the limits, write canonical JSON that reads back equal and is a
 * fixed point (writing it again gives the same bytes), and differ from
 * itself in nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frameworks/framework.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void printable(const char *err, size_t cap)
{
	if (!memchr(err, 0, cap))
		abort();
	for (const char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct framework f, g;
	struct fw_mapping m;
	char err[512];
	memset(err, 'x', sizeof err);
	/* the same bytes as a mapping document: refused or read, never more */
	if (fw_mapping_parse((const char *)data, size, &m, err, sizeof err) != 0) {
		printable(err, sizeof err);
		if (m.entries || m.n)
			abort();
	} else {
		if (m.n < 1 || m.n > FW_MAP_ENTRIES_MAX)
			abort();
		fw_mapping_free(&m);
	}
	memset(err, 'x', sizeof err);
	if (framework_parse((const char *)data, size, &f, err, sizeof err) != 0) {
		printable(err, sizeof err);
		if (f.groups || f.reqs || f.pillars || f.title_nl)
			abort();
		return 0;
	}
	if (framework_check(&f, err, sizeof err) != 0 || f.ngroups < 1 ||
	    f.ngroups > FW_GROUPS_MAX || f.nreqs > FW_REQS_MAX || f.npillars > FW_PILLARS_MAX)
		abort();
	for (size_t i = 0; i < f.nreqs; i++) {
		if (strlen(f.reqs[i].text_nl) > FW_TEXT_MAX || f.reqs[i].group >= f.ngroups ||
		    framework_req(&f, f.reqs[i].code) != &f.reqs[i])
			abort();
	}
	size_t len, len2;
	char *w = framework_write(&f, &len);
	if (!w || framework_parse(w, len, &g, err, sizeof err) != 0 || !framework_equal(&f, &g))
		abort();
	char *w2 = framework_write(&g, &len2);
	if (!w2 || len2 != len || memcmp(w, w2, len) != 0)
		abort();
	struct fw_diff d;
	if (fw_diff(&f, &g, &d) != 0 || d.n != 0)
		abort();
	fw_diff_free(&d);
	free(w);
	free(w2);
	framework_free(&g);
	framework_free(&f);
	return 0;
}
