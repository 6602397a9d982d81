/* page.c: the answers a handler gives. */
#include "web/page.h"

#include <string.h>

#include "web/i18n.h"

/* The report form is 8 KB, the inbox 35 KB: the inbox grows twice from here,
 * and a small page wipes little unused room when it is sent. */
#define PAGE_BODY_START (16 * 1024)

const char *page_tr(const struct page *p, const char *msgid)
{
	return i18n_translate(p->lang, msgid);
}

const char *page_tr1(const struct page *p, const char *msgid, const char *arg)
{
	const char *t = page_tr(p, msgid);
	const char *at = strstr(t, "{}");
	if (!at)
		return t;
	/* by hand: through printf this was most of the inbox's clocks in words */
	if (!arg)
		arg = ""; /* as a missing value, never a crash */
	size_t head = (size_t)(at - t), na = strlen(arg), tail = strlen(at + 2);
	char *s = arena_alloc(p->a, head + na + tail + 1);
	memcpy(s, t, head);
	memcpy(s + head, arg, na);
	memcpy(s + head + na, at + 2, tail + 1);
	return s;
}

void page_begin(struct page *p, const char *title)
{
	if (!p->res->status)
		p->res->status = 200;
	p->res->content_type = "text/html; charset=utf-8";
	buf_reset(&p->res->body);
	/* Room for a whole ordinary page at once: growing from 64 bytes by
	 * doubling moved and wiped the page eight to ten times (buf.c grows by
	 * copy, never realloc), 6-8% of the inbox's CPU (docs/performance.md). */
	buf_reserve(&p->res->body, PAGE_BODY_START);
	if (p->frame)
		p->frame(p, title, 1);
}

void page_end(struct page *p)
{
	if (p->frame)
		p->frame(p, NULL, 0);
}

/* Same rule as the template's href: a path on this site, nothing else. */
static int same_site(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '<' || *s == '>' || *s == '\\' ||
		    (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

void page_redirect(struct page *p, const char *path)
{
	p->res->status = 303;
	http_add_header(p->res, "Location", same_site(path) ? path : "/");
	buf_reset(&p->res->body);
}

void page_fail(struct page *p, int status, const char *msgid)
{
	p->res->status = status;
	p->error = NULL;
	const char *title = status == 404 ? N_("Not found") :
			    status == 403 ? N_("No access") :
			    status == 400 || status == 413 ? N_("Could not read the request") :
			    N_("Something went wrong");
	page_begin(p, page_tr(p, title));
	buf_adds(&p->res->body, "<p class=\"utrecht-paragraph\">");
	tmpl_html(&p->res->body, page_tr(p, msgid));
	buf_adds(&p->res->body, "</p>\n");
	page_end(p);
	p->res->status = status;
}

void page_cookie(struct page *p, const char *name, const char *value, long max_age)
{
	const char *proto = http_header(p->req, "X-Forwarded-Proto");
	int secure = proto && strcmp(proto, "https") == 0;
	const char *c = arena_printf(p->a, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s; Max-Age=%ld",
				     name, max_age < 0 ? "" : value, secure ? "; Secure" : "",
				     max_age < 0 ? 0L : max_age);
	http_add_header(p->res, "Set-Cookie", c);
}

const char *page_field(const struct page *p, const char *name)
{
	return form_get(&p->form, name);
}
