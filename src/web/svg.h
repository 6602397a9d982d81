/* svg.h: a tiny SVG (XML) writer for charts drawn on the server: the risk
 * heat map (issue 6) and the monitoring charts (issue 7). Infrastructure
 * only, no domain words.
 *
 * Escape by default, as the templates do: every attribute value and every
 * text node is escaped (& < > " '), control characters that XML 1.0 does not
 * allow are dropped and bytes that are not UTF-8 become U+FFFD, so that a
 * name typed by a user can never break out of its element or make the
 * document ill-formed. Element and attribute names come from the code and
 * must be [A-Za-z][A-Za-z0-9:_-]*; a bad name, a text or attribute in the
 * wrong place, or elements left open mark the writer failed, and svg_end
 * then says so (tests catch the bug; the page answers 500, never a broken
 * document). There is no raw output. */
#ifndef WEB_SVG_H
#define WEB_SVG_H
#include <stddef.h>

#include "base/buf.h"

#define SVG_DEPTH_MAX 16

struct svg {
	struct buf *out;
	const char *stack[SVG_DEPTH_MAX]; /* open elements (names from the code) */
	int depth;
	int in_tag;   /* "<name ..." written, '>' not yet: attributes may follow */
	int failed;
};

/* Starts writing into out (appended to). */
void svg_begin(struct svg *s, struct buf *out);
/* Opens element name: attributes may follow until its content starts. */
void svg_open(struct svg *s, const char *name);
/* An attribute of the element just opened, value escaped (NULL: ""). */
void svg_attr(struct svg *s, const char *name, const char *value);
void svg_attr_int(struct svg *s, const char *name, long long v);
/* Text content of the open element, escaped. */
void svg_text(struct svg *s, const char *text);
/* Closes the innermost open element ("/>" when it has no content). */
void svg_close(struct svg *s);
/* An element with text and no attributes: <name>text</name>. */
void svg_elem_text(struct svg *s, const char *name, const char *text);
/* Returns 0 when every element was closed and nothing was misused, else -1. */
int svg_end(struct svg *s);

/* Appends s escaped for XML text and attributes (the writer's escaping). */
void svg_escape(struct buf *out, const char *s);

#endif
