/* api_frameworks.c: the framework library through the JSON API
 * (api_frameworks.h). Read-only, for the same roles as the pages
 * (src/frameworks/pages.h): frameworks are public knowledge, but the
 * reporting channel's bare reporter accounts read nothing but their own
 * reports. A revision is served as its stored canonical JSON, byte for
 * byte what `probity framework export` writes and import reads. */
#include <stdlib.h>
#include <string.h>

#include "app/api_frameworks.h"
#include "app/api_req.h"
#include "frameworks/framework.h"

#define LIST_MAX 4096

static json_t *title_json(const char *nl, const char *en)
{
	json_t *t = json_pack("{s:s}", "nl", nl);
	if (en && *en)
		json_object_set_new(t, "en", json_string(en));
	return t;
}

void api_frameworks(struct api_req *r)
{
	size_t n;
	struct fw_version_row *rows = calloc(LIST_MAX, sizeof *rows);
	if (!rows || frameworks_list(r->p->db, 0, rows, LIST_MAX, &n) != 0) {
		free(rows);
		api_fail_internal(r, "listing frameworks failed");
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct fw_version_row *x = &rows[i];
		/* rows come by code, then revision: the last of a code is its
		 * latest */
		int latest = i + 1 == n || strcmp(rows[i + 1].code, x->code) != 0;
		json_array_append_new(
			list, json_pack("{s:I, s:s, s:i, s:o, s:s, s:s, s:b, s:b}", "id", (json_int_t)x->id,
					"code", x->code, "revision", x->revision, "title",
					title_json(x->title_nl, x->title_en), "created_on",
					x->created_on, "note", x->note, "latest", latest, "shipped",
					x->created_by == 0));
	}
	free(rows);
	api_reply(r, 200, json_pack("{s:o}", "frameworks", list));
}

void api_framework_get(struct api_req *r)
{
	char *body;
	size_t len;
	int rc = frameworks_body(r->p->db, r->id, &body, &len);
	if (rc > 0) {
		api_error(r, 404, "framework_not_found", "There is no framework revision with this number.");
		return;
	}
	if (rc < 0) {
		api_fail_internal(r, "reading a framework failed");
		return;
	}
	struct http_response *res = r->p->res;
	res->status = 200;
	res->content_type = "application/json; charset=utf-8";
	res->cache_control = "no-store";
	buf_reset(&res->body);
	buf_add(&res->body, body, len);
	free(body);
}
