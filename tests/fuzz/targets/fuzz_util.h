/* fuzz_util.h: checks and fixtures that several fuzz targets share, kept
 * once so that the targets agree on what "printable" and "a row that keeps
 * the rules" mean. Linked into a target with its own file (meson.build). */
#ifndef TESTS_FUZZ_FUZZ_UTIL_H
#define TESTS_FUZZ_FUZZ_UTIL_H
#include <stddef.h>

#include "registrations/registrations.h"

/* Aborts unless s holds a NUL within cap bytes and every byte before it is
 * printable ASCII: what every message shown to a user must be. */
void fuzz_printable(const char *s, size_t cap);

/* The register rules' context over a small organisation tree: RIJK (id 1)
 * with EZK (2, until 2024-07-02), its successor EZ (3) and FIN (4); today
 * 2025-06-30. Built on the first call and kept for the process. */
const struct reg_context *fuzz_reg_context(void);

/* Aborts unless row, which the row rules accepted against
 * fuzz_reg_context(), keeps their limits: a department of the tree, a valid
 * day not after today, a category and a taxonomy revision. */
void fuzz_reg_row_sane(const struct reg_row *row);

#endif
