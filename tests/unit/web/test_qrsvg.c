/* test_qrsvg.c: QR codes drawn as SVG (src/web/qrsvg.c). The drawing is read
 * back into a module grid and compared with libqrencode's own matrix, so a
 * shifted, transposed or half-drawn code fails here rather than in a phone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <qrencode.h>

#include "web/qrsvg.h"

#define SAMPLE_URI                                                                  \
	"otpauth://totp/Probity:jan%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" \
	"&issuer=Probity&algorithm=SHA1&digits=6&period=30"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Returns the text between `name="` and the next '"', malloc'd. */
static char *attr(const char *svg, const char *name)
{
	char key[64];
	snprintf(key, sizeof key, " %s=\"", name);
	const char *p = strstr(svg, key);
	if (!p)
		fail_msg("no %s attribute", name);
	p += strlen(key);
	const char *e = strchr(p, '"');
	assert_non_null(e);
	char *v = malloc((size_t)(e - p) + 1);
	assert_non_null(v);
	memcpy(v, p, (size_t)(e - p));
	v[e - p] = 0;
	return v;
}

/* Renders text and checks the frame every output must have; returns the side
 * of the viewBox. */
static int render(struct buf *b, const char *text, const char *label)
{
	buf_reset(b);
	assert_int_equal(qr_svg(b, text, label), 0);
	const char *head = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ";
	assert_memory_equal(b->p, head, strlen(head));
	assert_true(b->n > 6 && strcmp(b->p + b->n - 6, "</svg>") == 0);
	assert_int_equal(count(b->p, "<svg"), 1);
	assert_int_equal(count(b->p, "<path"), 1);
	assert_int_equal(count(b->p, "<rect"), 1);
	assert_int_equal(count(b->p, "style"), 0);
	assert_int_equal(count(b->p, "script"), 0);
	assert_int_equal(count(b->p, "role=\"img\""), 1);
	assert_int_equal(count(b->p, "shape-rendering=\"crispEdges\""), 1);
	int n = 0, m = 0;
	assert_int_equal(sscanf(b->p + strlen(head), "%d %d", &n, &m), 2);
	assert_int_equal(n, m);
	char want[128];
	snprintf(want, sizeof want, "width=\"%d\" height=\"%d\"", n * QR_SVG_SCALE,
		 n * QR_SVG_SCALE);
	assert_int_equal(count(b->p, want), 1);
	snprintf(want, sizeof want, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>", n, n);
	assert_int_equal(count(b->p, want), 1);
	return n;
}

/* Parses the path's d back into a size x size grid (1 = dark). Fails on any
 * subpath that is not one run of whole modules, on overlaps, and on runs that
 * should have been merged with their neighbour. */
static unsigned char *parse_path(const char *svg, int size)
{
	unsigned char *grid = calloc((size_t)size * (size_t)size, 1);
	assert_non_null(grid);
	char *d = attr(svg, "d");
	const char *p = d;
	int last_x = -1, last_y = -1;
	while (*p) {
		int x, y, h, back, used = 0;
		if (sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &h, &back, &used) != 4 || used == 0)
			fail_msg("bad subpath at \"%.20s\"", p);
		if (h != back || h < 1 || x < 0 || y < 0 || x + h > size || y >= size)
			fail_msg("run out of shape: x %d y %d h %d", x, y, h);
		if (y == last_y && x <= last_x)
			fail_msg("runs overlap or touch at x %d y %d", x, y);
		for (int i = 0; i < h; i++)
			grid[y * size + x + i] = 1;
		last_x = x + h;  /* a merged run leaves at least one light module after it */
		last_y = y;
		p += used;
	}
	free(d);
	return grid;
}

static void test_matrix_matches_libqrencode(void **state)
{
	(void)state;
	static const char *const samples[] = {SAMPLE_URI, "a", "0123456789", "x\xc3\xa9\x01y"};
	struct buf b = BUF_INIT;
	for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
		int size = render(&b, samples[s], "QR code");
		QRcode *qr = QRcode_encodeString8bit(samples[s], 0, QR_ECLEVEL_M);
		assert_non_null(qr);
		assert_int_equal(size, qr->width + 2 * QR_SVG_QUIET);
		assert_int_equal(qr->width, 17 + 4 * qr->version);
		unsigned char *grid = parse_path(b.p, size);
		int dark = 0;
		for (int y = 0; y < size; y++) {
			for (int x = 0; x < size; x++) {
				int qx = x - QR_SVG_QUIET, qy = y - QR_SVG_QUIET;
				int want = qx >= 0 && qy >= 0 && qx < qr->width && qy < qr->width &&
					   (qr->data[qy * qr->width + qx] & 1);
				if (grid[y * size + x] != want)
					fail_msg("sample %zu: module (%d, %d) is %d, want %d", s, x, y,
						 grid[y * size + x], want);
				dark += want;
			}
		}
		assert_true(dark > 0);
		free(grid);
		QRcode_free(qr);
	}
	buf_free(&b);
}

/* The finder pattern's top row is seven dark modules: drawn as one run. */
static void test_runs_are_merged(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	render(&b, SAMPLE_URI, "QR code");
	assert_non_null(strstr(b.p, "d=\"M4 4h7v1h-7z"));
	buf_free(&b);
}

static void test_deterministic(void **state)
{
	(void)state;
	struct buf a = BUF_INIT, b = BUF_INIT;
	render(&a, SAMPLE_URI, "Scan this code");
	render(&b, SAMPLE_URI, "Scan this code");
	assert_string_equal(a.p, b.p);
	/* and a different text draws a different code */
	render(&b, SAMPLE_URI "x", "Scan this code");
	assert_string_not_equal(a.p, b.p);
	buf_free(&a);
	buf_free(&b);
}

static void test_label_escaped(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	render(&b, "text", "a<b>\"c\"&'d' \xc3\xa9");
	char *label = attr(b.p, "aria-label");
	assert_string_equal(label, "a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39; \xc3\xa9");
	free(label);
	assert_null(strstr(b.p, "<b>"));
	buf_free(&b);
}

static void test_appends(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "<p>");
	assert_int_equal(qr_svg(&b, "text", "QR code"), 0);
	assert_memory_equal(b.p, "<p><svg ", 8);
	buf_free(&b);
}

static void test_refusals(void **state)
{
	(void)state;
	char big[QR_SVG_MAX_INPUT + 2];
	memset(big, 'a', sizeof big);
	big[QR_SVG_MAX_INPUT + 1] = 0;
	char label[QR_SVG_MAX_LABEL + 2];
	memset(label, 'l', sizeof label);
	label[QR_SVG_MAX_LABEL + 1] = 0;
	struct buf b = BUF_INIT;
	buf_adds(&b, "kept");
	assert_int_equal(qr_svg(&b, big, "QR code"), -1);
	assert_int_equal(qr_svg(&b, "", "QR code"), -1);
	assert_int_equal(qr_svg(&b, NULL, "QR code"), -1);
	assert_int_equal(qr_svg(&b, "text", NULL), -1);
	assert_int_equal(qr_svg(&b, "text", ""), -1);
	assert_int_equal(qr_svg(&b, "text", label), -1);
	assert_int_equal(qr_svg(&b, "text", "bad \xc3"), -1);
	assert_int_equal(qr_svg(&b, "text", "\xed\xa0\x80"), -1);
	/* a failure writes nothing */
	assert_string_equal(b.p, "kept");
	assert_int_equal(b.n, 4);
	/* exactly at the limits is accepted */
	big[QR_SVG_MAX_INPUT] = 0;
	label[QR_SVG_MAX_LABEL] = 0;
	buf_reset(&b);
	int size = render(&b, big, label);
	QRcode *qr = QRcode_encodeString8bit(big, 0, QR_ECLEVEL_M);
	assert_non_null(qr);
	assert_int_equal(size, qr->width + 2 * QR_SVG_QUIET);
	QRcode_free(qr);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_matches_libqrencode),
		cmocka_unit_test(test_runs_are_merged),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_label_escaped),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
