/* matrix.h: a department's risk matrix (issue 6 item 3): likelihood ×
 * impact, each axis 2..10 named levels, score = likelihood × impact, and
 * bands (a name, the lowest and highest score, a colour from a fixed
 * palette) that sort every score into a level such as "hoog".
 *
 * Which scores must the bands cover? Every score the matrix can give, that
 * is every product l × i with l and i on the axes, exactly once; integers
 * that are no such product (17, 18, 19 on a 5 × 5 matrix) may lie in a band
 * or between bands, as nobody's risk can have them. So the default bands
 * laag 1–4, midden 5–9, hoog 10–16, zeer hoog 20–25 are complete. Bands must
 * not overlap at all (not even on an integer no risk can have: two bands
 * claiming the same range is a typing error), and each band must hold at
 * least one achievable score (a band no risk can reach is another). The
 * rules and their reasons are in docs/assessment.md, "Risk register".
 *
 * Pure: no I/O. Messages are English msgids with named placeholders, put
 * together in the reader's language by risks_problem_text. */
#ifndef RISKS_MATRIX_H
#define RISKS_MATRIX_H
#include <stddef.h>

#define RISKS_LEVELS_MIN 2
#define RISKS_LEVELS_MAX 10
#define RISKS_BANDS_MAX 10
#define RISKS_NAME_MAX 40   /* bytes of a level's or band's name */
#define RISKS_SCORE_MAX (RISKS_LEVELS_MAX * RISKS_LEVELS_MAX)

/* The fixed palette: colours chosen so that black text on them has a
 * contrast of at least 4.5:1 (WCAG 2.1 AA); colour is never the only
 * signal (the band's name is always written beside it). */
struct risks_colour {
	const char *id;     /* "green": stored and posted */
	const char *label;  /* msgid: "green" */
	const char *fill;   /* "#a6d96a" */
};
extern const struct risks_colour risks_palette[];
extern const size_t risks_npalette;
/* The palette entry with id, or NULL. */
const struct risks_colour *risks_colour_find(const char *id);

struct risks_band {
	char name[RISKS_NAME_MAX + 1];
	int lo, hi;               /* scores, inclusive */
	char colour[16];          /* a palette id */
};

struct risks_matrix {
	int nlikelihood, nimpact;
	char likelihood[RISKS_LEVELS_MAX][RISKS_NAME_MAX + 1]; /* level 1 first */
	char impact[RISKS_LEVELS_MAX][RISKS_NAME_MAX + 1];
	struct risks_band bands[RISKS_BANDS_MAX];
	size_t nbands;
};

/* The default: 5 × 5, zeer klein .. zeer groot on both axes, bands laag
 * 1–4, midden 5–9, hoog 10–16, zeer hoog 20–25. */
void risks_matrix_default(struct risks_matrix *m);

/* What is wrong with a matrix: a kind and what the message names. */
enum risks_problem_kind {
	RISKS_OK = 0,
	RISKS_P_AXIS_SIZE,      /* axis: levels outside 2..10 */
	RISKS_P_LEVEL_EMPTY,    /* axis, level */
	RISKS_P_LEVEL_LONG,     /* axis, level */
	RISKS_P_LEVEL_CHARS,    /* axis, level: control characters or not UTF-8 */
	RISKS_P_LEVEL_DUP,      /* axis, level, level2, name_a */
	RISKS_P_NO_BANDS,
	RISKS_P_TOO_MANY_BANDS,
	RISKS_P_BAND_EMPTY,     /* band number (1-based) in level */
	RISKS_P_BAND_LONG,      /* name_a */
	RISKS_P_BAND_CHARS,     /* band number in level */
	RISKS_P_BAND_DUP,       /* name_a */
	RISKS_P_BAND_COLOUR,    /* name_a */
	RISKS_P_BAND_ORDER,     /* name_a, a_lo > a_hi */
	RISKS_P_BAND_RANGE,     /* name_a, a_lo..a_hi, max: outside 1..max */
	RISKS_P_BAND_OVERLAP,   /* name_a, name_b, their ranges, lo..hi overlap */
	RISKS_P_BAND_UNREACHABLE, /* name_a: holds no achievable score */
	RISKS_P_GAP,            /* scores: achievable scores in no band */
};

struct risks_problem {
	enum risks_problem_kind kind;
	int axis;                 /* 0 likelihood, 1 impact */
	int level, level2;        /* 1-based */
	char name_a[RISKS_NAME_MAX + 1], name_b[RISKS_NAME_MAX + 1];
	int a_lo, a_hi, b_lo, b_hi, lo, hi, max;
	char scores[200];         /* "17, 18 and 19" */
};

/* Checks m; 0 when it is usable, else -1 with the first problem in *p (the
 * checks run in the order of the kinds above). */
int risks_matrix_check(const struct risks_matrix *m, struct risks_problem *p);

/* Puts the problem into words: the msgid of its kind translated by tr (NULL:
 * English) into lang, placeholders filled. Returns out. */
const char *risks_problem_text(const struct risks_problem *p,
			       const char *(*tr)(const char *lang, const char *msgid),
			       const char *lang, char *out, size_t outlen);

/* The score of a cell; 0 when l or i is off the matrix. */
int risks_score(const struct risks_matrix *m, int l, int i);
/* The index of the band the cell (l, i) falls in, or -1 when the cell is off
 * the matrix (or the matrix unchecked and the score in no band). */
int risks_band_of(const struct risks_matrix *m, int l, int i);
/* Sorts the bands by their lowest score (risks_matrix_check does not). */
void risks_matrix_sort(struct risks_matrix *m);

#endif
