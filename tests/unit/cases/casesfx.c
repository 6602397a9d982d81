/* casesfx.c: see casesfx.h. */
#include "casesfx.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/alloc.h"
#include "base/date.h"

#define ACTOR "cli:test"
#define PW "paard batterij nietje"

const char *const cfx_users[NACCOUNTS] = {"coord.fin", "coord2.fin", "adv.fin", "inv.fin",
					  "inv.dgb", "inv.bzk", "auth.fin", "auth.bzk",
					  "coord.bzk", "coord.both"};

int cfx_setup(void **state)
{
	struct cfx *f = xcalloc(1, sizeof *f);
	char err[600];
	struct account_error e;
	testfx_open(&f->t);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("accounts_init: %s", err);
	testfx_add_org(&f->t, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(&f->t, "FIN", "RIJK", -1);
	testfx_add_org(&f->t, "FIN-DGB", "FIN", -1);
	testfx_add_org(&f->t, "BZK", "RIJK", -1);
	static const struct account_role_spec r_coord_fin = {ROLE_INTEGRITY_COORDINATOR, "FIN"};
	static const struct account_role_spec r_adv_fin = {ROLE_CONFIDENTIAL_ADVISER, "FIN"};
	static const struct account_role_spec r_inv_fin = {ROLE_INVESTIGATOR, "FIN"};
	static const struct account_role_spec r_inv_dgb = {ROLE_INVESTIGATOR, "FIN-DGB"};
	static const struct account_role_spec r_inv_bzk = {ROLE_INVESTIGATOR, "BZK"};
	static const struct account_role_spec r_auth_fin = {ROLE_COMPETENT_AUTHORITY, "FIN"};
	static const struct account_role_spec r_auth_bzk = {ROLE_COMPETENT_AUTHORITY, "BZK"};
	static const struct account_role_spec r_coord_bzk = {ROLE_INTEGRITY_COORDINATOR, "BZK"};
	static const struct account_role_spec r_both[] = {{ROLE_INTEGRITY_COORDINATOR, "FIN"},
							  {ROLE_INTEGRITY_COORDINATOR, "BZK"}};
	const struct account_new n[NACCOUNTS] = {
		{cfx_users[COORD_FIN], "Coördinator FIN", PW, &r_coord_fin, 1},
		{cfx_users[COORD2_FIN], "Tweede coördinator FIN", PW, &r_coord_fin, 1},
		{cfx_users[ADV_FIN], "Vertrouwenspersoon FIN", PW, &r_adv_fin, 1},
		{cfx_users[INV_FIN], "Onderzoeker FIN", PW, &r_inv_fin, 1},
		{cfx_users[INV_DGB], "Onderzoeker DGB", PW, &r_inv_dgb, 1},
		{cfx_users[INV_BZK], "Onderzoeker BZK", PW, &r_inv_bzk, 1},
		{cfx_users[AUTH_FIN], "Bevoegd gezag FIN", PW, &r_auth_fin, 1},
		{cfx_users[AUTH_BZK], "Bevoegd gezag BZK", PW, &r_auth_bzk, 1},
		{cfx_users[COORD_BZK], "Coördinator BZK", PW, &r_coord_bzk, 1},
		{cfx_users[COORD_BOTH], "Coördinator FIN en BZK", PW, r_both, 2},
	};
	if (accounts_create_batch(f->t.db, &f->t.signer, ACTOR, n, NACCOUNTS, f->ids, &e) != 0)
		fail_msg("accounts: %s", e.msg);
	date_today(f->today);
	*state = f;
	return 0;
}

int cfx_teardown(void **state)
{
	struct cfx *f = *state;
	accounts_shutdown();
	testfx_close(&f->t);
	sodium_memzero(f->sk, sizeof f->sk);
	free(f);
	return 0;
}

int64_t cfx_q(struct cfx *f, const char *sql)
{
	int64_t v;
	if (db_query_i64(f->t.db, sql, NULL, &v) != 0)
		fail_msg("%s: %s", sql, db_error(f->t.db)->msg);
	return v;
}

const unsigned char *cfx_sk(struct cfx *f, int who)
{
	if (!f->have_sk[who]) {
		struct account a;
		int has_totp;
		time_t until;
		enum account_login r = accounts_login(f->t.db, &f->t.signer, cfx_users[who], PW, &a,
						      f->sk[who], NULL, &has_totp, &until);
		assert_int_equal(r, ACCOUNT_LOGIN_OK);
		f->have_sk[who] = 1;
	}
	return f->sk[who];
}

int64_t cfx_report(struct cfx *f, const char *org, const char *answers)
{
	struct intake_submission s = {.org_code = org, .kind = "integrity_violation",
				      .mode = "anonymous", .questionnaire = "melding",
				      .questionnaire_revision = 1, .answers = answers,
				      .answers_len = strlen(answers)};
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_error e;
	int64_t id = 0;
	if (intake_submit(f->t.db, &f->t.signer, &s, receipt, &id, &e) != 0)
		fail_msg("submit: %s", e.msg);
	sodium_memzero(receipt, sizeof receipt);
	assert_true(id > 0);
	return id;
}

int64_t cfx_open(struct cfx *f, int who, const int64_t *ids, size_t n)
{
	struct cases_error e;
	int64_t id = 0;
	if (cases_open(f->t.db, &f->t.signer, f->ids[who], cfx_sk(f, who), ids, n, NULL, f->today,
		       &id, &e) != 0)
		fail_msg("%s opens a case: %s", cfx_users[who], e.msg);
	assert_true(id > 0);
	return id;
}

void cfx_key(struct cfx *f, int64_t case_id, int who, struct cases_key *k)
{
	struct cases_error e;
	if (cases_key_as_member(f->t.db, case_id, f->ids[who], cfx_sk(f, who), k, &e) != 0)
		fail_msg("%s opens case %lld: %s", cfx_users[who], (long long)case_id, e.msg);
	assert_int_equal(k->case_id, case_id);
	assert_int_equal(k->full, 1);
}

void cfx_authority_key(struct cfx *f, int64_t case_id, int who, struct cases_key *k)
{
	struct cases_error e;
	if (cases_key_as_authority(f->t.db, case_id, f->ids[who], cfx_sk(f, who), k, &e) != 0)
		fail_msg("%s opens the summary of case %lld: %s", cfx_users[who],
			 (long long)case_id, e.msg);
	assert_int_equal(k->full, 0);
}

void cfx_add(struct cfx *f, const struct cases_key *k, int who, const char *role)
{
	struct cases_error e;
	if (cases_member_add(f->t.db, &f->t.signer, k, f->ids[COORD_FIN], f->ids[who], role,
			     f->today, &e) != 0)
		fail_msg("adding %s: %s", cfx_users[who], e.msg);
}

void cfx_audit_ok(struct cfx *f)
{
	struct audit_report r;
	int v = audit_verify(f->t.db, f->t.key.pk, &r);
	if (v != 0)
		fail_msg("audit_verify: %d at %lld: %s", v, (long long)r.bad_seq, r.reason);
}

int cfx_contains(const unsigned char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}
