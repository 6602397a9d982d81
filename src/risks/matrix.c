/* matrix.c: the risk matrix's rules (matrix.h). Pure. */
#include "risks/matrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "web/i18n.h"

const struct risks_colour risks_palette[] = {
	{"green", N_("green"), "#a6d96a"},
	{"yellow", N_("yellow"), "#fee08b"},
	{"orange", N_("orange"), "#fdae61"},
	{"red", N_("red"), "#e34a33"},
	{"purple", N_("purple"), "#c2a5cf"},
	{"blue", N_("blue"), "#92c5de"},
	{"grey", N_("grey"), "#d9d9d9"},
};
const size_t risks_npalette = sizeof risks_palette / sizeof risks_palette[0];

const struct risks_colour *risks_colour_find(const char *id)
{
	for (size_t i = 0; id && i < risks_npalette; i++)
		if (strcmp(risks_palette[i].id, id) == 0)
			return &risks_palette[i];
	return NULL;
}

/* Copies src into dst[cap], cut to fit (names are checked for length
 * before they are copied; a cut one is only ever shown in a message). */
static void copy(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = 0;
}

void risks_matrix_default(struct risks_matrix *m)
{
	static const char *const names[5] = {"zeer klein", "klein", "gemiddeld", "groot",
					     "zeer groot"};
	static const struct risks_band bands[4] = {
		{"laag", 1, 4, "green"},
		{"midden", 5, 9, "yellow"},
		{"hoog", 10, 16, "orange"},
		{"zeer hoog", 20, 25, "red"},
	};
	memset(m, 0, sizeof *m);
	m->nlikelihood = m->nimpact = 5;
	for (int i = 0; i < 5; i++) {
		copy(m->likelihood[i], sizeof m->likelihood[i], names[i]);
		copy(m->impact[i], sizeof m->impact[i], names[i]);
	}
	m->nbands = 4;
	memcpy(m->bands, bands, sizeof bands);
}

int risks_score(const struct risks_matrix *m, int l, int i)
{
	if (l < 1 || i < 1 || l > m->nlikelihood || i > m->nimpact)
		return 0;
	return l * i;
}

int risks_band_of(const struct risks_matrix *m, int l, int i)
{
	int s = risks_score(m, l, i);
	for (size_t b = 0; s && b < m->nbands; b++)
		if (s >= m->bands[b].lo && s <= m->bands[b].hi)
			return (int)b;
	return -1;
}

static int band_cmp(const void *a, const void *b)
{
	const struct risks_band *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

void risks_matrix_sort(struct risks_matrix *m)
{
	qsort(m->bands, m->nbands, sizeof m->bands[0], band_cmp);
}

/* achievable[s] = 1 when some cell has score s */
static void achievable(const struct risks_matrix *m, unsigned char *a)
{
	memset(a, 0, RISKS_SCORE_MAX + 1);
	for (int l = 1; l <= m->nlikelihood; l++)
		for (int i = 1; i <= m->nimpact; i++)
			a[l * i] = 1;
}

static int name_state(const char *s)
{
	size_t n = strlen(s);
	int blank = 1;
	for (size_t i = 0; i < n; i++)
		blank &= s[i] == ' ';
	if (blank)
		return 1;                          /* empty */
	if (n > RISKS_NAME_MAX)
		return 2;                          /* too long */
	if (!utf8_text_clean(s, n, 0))
		return 3;                          /* bad characters */
	return 0;
}

static int axis_check(const struct risks_matrix *m, int axis, struct risks_problem *p)
{
	int n = axis ? m->nimpact : m->nlikelihood;
	const char(*names)[RISKS_NAME_MAX + 1] = axis ? m->impact : m->likelihood;
	p->axis = axis;
	if (n < RISKS_LEVELS_MIN || n > RISKS_LEVELS_MAX) {
		p->kind = RISKS_P_AXIS_SIZE;
		p->level = n;
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int st = name_state(names[i]);
		if (st) {
			p->kind = st == 1 ? RISKS_P_LEVEL_EMPTY
				: st == 2 ? RISKS_P_LEVEL_LONG : RISKS_P_LEVEL_CHARS;
			p->level = i + 1;
			return -1;
		}
		for (int j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0) {
				p->kind = RISKS_P_LEVEL_DUP;
				p->level = j + 1;
				p->level2 = i + 1;
				copy(p->name_a, sizeof p->name_a, names[i]);
				return -1;
			}
	}
	return 0;
}

/* "5", "5 and 6", "5, 6 and 8": the scores flagged in list, up to what fits */
static void score_list(const unsigned char *list, int max, char *out, size_t cap)
{
	int n = 0, total = 0;
	for (int s = 1; s <= max; s++)
		total += list[s];
	size_t used = 0;
	out[0] = 0;
	for (int s = 1; s <= max && used + 16 < cap; s++) {
		if (!list[s])
			continue;
		n++;
		const char *sep = n == 1 ? "" : n == total ? " and " : ", ";
		used += (size_t)snprintf(out + used, cap - used, "%s%d", sep, s);
	}
}

int risks_matrix_check(const struct risks_matrix *m, struct risks_problem *p)
{
	memset(p, 0, sizeof *p);
	if (axis_check(m, 0, p) != 0 || axis_check(m, 1, p) != 0)
		return -1;
	p->axis = 0;
	int max = m->nlikelihood * m->nimpact;
	p->max = max;
	if (m->nbands == 0) {
		p->kind = RISKS_P_NO_BANDS;
		return -1;
	}
	if (m->nbands > RISKS_BANDS_MAX) {
		p->kind = RISKS_P_TOO_MANY_BANDS;
		return -1;
	}
	const struct risks_band *b = m->bands;
	for (size_t i = 0; i < m->nbands; i++) {
		int st = name_state(b[i].name);
		if (st == 1 || st == 3) {
			p->kind = st == 1 ? RISKS_P_BAND_EMPTY : RISKS_P_BAND_CHARS;
			p->level = (int)i + 1;
			return -1;
		}
		copy(p->name_a, sizeof p->name_a, b[i].name);
		if (st == 2) {
			p->kind = RISKS_P_BAND_LONG;
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(b[i].name, b[j].name) == 0) {
				p->kind = RISKS_P_BAND_DUP;
				return -1;
			}
		if (!risks_colour_find(b[i].colour)) {
			p->kind = RISKS_P_BAND_COLOUR;
			return -1;
		}
		p->a_lo = b[i].lo, p->a_hi = b[i].hi;
		if (b[i].lo > b[i].hi) {
			p->kind = RISKS_P_BAND_ORDER;
			return -1;
		}
		if (b[i].lo < 1 || b[i].hi > max) {
			p->kind = RISKS_P_BAND_RANGE;
			return -1;
		}
	}
	for (size_t i = 0; i < m->nbands; i++)
		for (size_t j = i + 1; j < m->nbands; j++) {
			int lo = b[i].lo > b[j].lo ? b[i].lo : b[j].lo;
			int hi = b[i].hi < b[j].hi ? b[i].hi : b[j].hi;
			if (lo > hi)
				continue;
			/* name the lower band first, as people read the scale */
			const struct risks_band *x = &b[i], *y = &b[j];
			if (y->lo < x->lo || (y->lo == x->lo && y->hi < x->hi))
				x = &b[j], y = &b[i];
			p->kind = RISKS_P_BAND_OVERLAP;
			copy(p->name_a, sizeof p->name_a, x->name);
			copy(p->name_b, sizeof p->name_b, y->name);
			p->a_lo = x->lo, p->a_hi = x->hi, p->b_lo = y->lo, p->b_hi = y->hi;
			p->lo = lo, p->hi = hi;
			return -1;
		}
	unsigned char ach[RISKS_SCORE_MAX + 1], missing[RISKS_SCORE_MAX + 1];
	achievable(m, ach);
	for (size_t i = 0; i < m->nbands; i++) {
		int any = 0;
		for (int s = b[i].lo; s <= b[i].hi; s++)
			any |= ach[s];
		if (!any) {
			p->kind = RISKS_P_BAND_UNREACHABLE;
			copy(p->name_a, sizeof p->name_a, b[i].name);
			p->a_lo = b[i].lo, p->a_hi = b[i].hi;
			return -1;
		}
	}
	int gaps = 0;
	memset(missing, 0, sizeof missing);
	for (int s = 1; s <= max; s++) {
		if (!ach[s])
			continue;
		int in = 0;
		for (size_t i = 0; i < m->nbands; i++)
			in |= s >= b[i].lo && s <= b[i].hi;
		if (!in)
			missing[s] = 1, gaps++;
	}
	if (gaps) {
		p->kind = RISKS_P_GAP;
		p->lo = gaps;
		score_list(missing, max, p->scores, sizeof p->scores);
		return -1;
	}
	memset(p, 0, sizeof *p);
	return 0;
}

/* ---- the message ---- */

static const char *msgid_of(const struct risks_problem *p)
{
	switch (p->kind) {
	case RISKS_P_AXIS_SIZE:
		return N_("The {axis} axis has {n} levels; a matrix has 2 to 10 levels on each axis.");
	case RISKS_P_LEVEL_EMPTY:
		return N_("Level {level} of the {axis} axis has no name. Give every level a name.");
	case RISKS_P_LEVEL_LONG:
		return N_("The name of level {level} of the {axis} axis is too long: at most 40 characters.");
	case RISKS_P_LEVEL_CHARS:
		return N_("The name of level {level} of the {axis} axis contains characters that cannot be stored, such as line breaks.");
	case RISKS_P_LEVEL_DUP:
		return N_("Levels {level} and {level2} of the {axis} axis are both called '{a}'. Give each level its own name.");
	case RISKS_P_NO_BANDS:
		return N_("The matrix has no bands. Give at least one band, with its lowest and highest score.");
	case RISKS_P_TOO_MANY_BANDS:
		return N_("The matrix has too many bands: at most 10.");
	case RISKS_P_BAND_EMPTY:
		return N_("Band {level} has no name. Give every band a name, or leave all of its fields empty to remove it.");
	case RISKS_P_BAND_LONG:
		return N_("The name of band '{a}' is too long: at most 40 characters.");
	case RISKS_P_BAND_CHARS:
		return N_("The name of band {level} contains characters that cannot be stored, such as line breaks.");
	case RISKS_P_BAND_DUP:
		return N_("Two bands are called '{a}'. Give each band its own name.");
	case RISKS_P_BAND_COLOUR:
		return N_("Band '{a}' has no colour from the list. Choose one.");
	case RISKS_P_BAND_ORDER:
		return N_("Band '{a}' starts at {a_lo} and ends at {a_hi}: its lowest score must not be above its highest.");
	case RISKS_P_BAND_RANGE:
		return N_("Band '{a}' ({a_range}) lies outside the scores of this matrix, 1 to {max}.");
	case RISKS_P_BAND_OVERLAP:
		return N_("Bands '{a}' ({a_range}) and '{b}' ({b_range}) overlap at {range}. Every score belongs to one band only.");
	case RISKS_P_BAND_UNREACHABLE:
		return N_("Band '{a}' ({a_range}) holds no score this matrix can give (a score is likelihood × impact), so no risk could ever fall in it.");
	case RISKS_P_GAP:
		return p->lo == 1 ? N_("No band holds the score {scores}. Every score the matrix can give (likelihood × impact) must be in a band.")
				  : N_("No band holds the scores {scores}. Every score the matrix can give (likelihood × impact) must be in a band.");
	case RISKS_OK:
		break;
	}
	return "";
}

static void range_text(int lo, int hi, char *out, size_t cap)
{
	if (lo == hi)
		snprintf(out, cap, "%d", lo);
	else
		snprintf(out, cap, "%d\xe2\x80\x93%d", lo, hi); /* en dash */
}

const char *risks_problem_text(const struct risks_problem *p,
			       const char *(*tr)(const char *lang, const char *msgid),
			       const char *lang, char *out, size_t outlen)
{
	const char *id = msgid_of(p);
	const char *text = tr && *id ? tr(lang, id) : id;
	const char *axis = p->axis ? N_("impact") : N_("likelihood");
	if (tr)
		axis = tr(lang, axis);
	char n[16], level[16], level2[16], a_lo[16], a_hi[16], max[16];
	char a_range[40], b_range[40], range[40];
	snprintf(n, sizeof n, "%d", p->level);
	snprintf(level, sizeof level, "%d", p->level);
	snprintf(level2, sizeof level2, "%d", p->level2);
	snprintf(a_lo, sizeof a_lo, "%d", p->a_lo);
	snprintf(a_hi, sizeof a_hi, "%d", p->a_hi);
	snprintf(max, sizeof max, "%d", p->max);
	range_text(p->a_lo, p->a_hi, a_range, sizeof a_range);
	range_text(p->b_lo, p->b_hi, b_range, sizeof b_range);
	range_text(p->lo, p->hi, range, sizeof range);
	const struct {
		const char *key, *val;
	} vars[] = {
		{"{axis}", axis},   {"{n}", n},           {"{level}", level},
		{"{level2}", level2}, {"{a}", p->name_a}, {"{b}", p->name_b},
		{"{a_lo}", a_lo},   {"{a_hi}", a_hi},     {"{max}", max},
		{"{a_range}", a_range}, {"{b_range}", b_range}, {"{range}", range},
		{"{scores}", p->scores},
	};
	size_t used = 0;
	if (!outlen)
		return out;
	out[0] = 0;
	/* placeholders are replaced in one pass: a band's name that itself
	 * reads "{b}" is copied as it is, never expanded */
	while (*text && used + 1 < outlen) {
		size_t k = 0, nv = sizeof vars / sizeof vars[0];
		for (; k < nv; k++)
			if (strncmp(text, vars[k].key, strlen(vars[k].key)) == 0)
				break;
		if (k < nv) {
			int w = snprintf(out + used, outlen - used, "%s", vars[k].val);
			used += w < 0 ? 0 : (size_t)w;
			if (used >= outlen)
				used = outlen - 1;
			text += strlen(vars[k].key);
		} else {
			out[used++] = *text++;
			out[used] = 0;
		}
	}
	return out;
}
