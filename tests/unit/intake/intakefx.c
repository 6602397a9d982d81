/* intakefx.c: see intakefx.h. */
#include "intakefx.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/alloc.h"

#define ACTOR "cli:test"
#define PW "paard batterij nietje"

const char *const ifx_users[NACCOUNTS] = {"coord.fin", "adv.fin", "coord.bzk", "aud.fin",
					  "gone.fin", "man.fin", "man.bzk"};

int ifx_setup(void **state)
{
	struct ifx *f = xcalloc(1, sizeof *f);
	char err[600];
	struct account_error e;
	testfx_open(&f->t);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("accounts_init: %s", err);
	testfx_add_org(&f->t, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(&f->t, "FIN", "RIJK", -1);
	testfx_add_org(&f->t, "FIN-DGB", "FIN", -1);
	testfx_add_org(&f->t, "BZK", "RIJK", -1);
	testfx_add_org(&f->t, "EZK", "RIJK", -1);
	static const struct account_role_spec r_coord_fin = {ROLE_INTEGRITY_COORDINATOR, "FIN"};
	static const struct account_role_spec r_adv_fin = {ROLE_CONFIDENTIAL_ADVISER, "FIN"};
	static const struct account_role_spec r_coord_bzk = {ROLE_INTEGRITY_COORDINATOR, "BZK"};
	static const struct account_role_spec r_aud_fin = {ROLE_AUDITOR, "FIN"};
	static const struct account_role_spec r_man_fin = {ROLE_MANAGER, "FIN"};
	static const struct account_role_spec r_man_bzk = {ROLE_MANAGER, "BZK"};
	const struct account_new n[NACCOUNTS] = {
		{ifx_users[COORD_FIN], "Coördinator FIN", PW, &r_coord_fin, 1},
		{ifx_users[ADV_FIN], "Vertrouwenspersoon FIN", PW, &r_adv_fin, 1},
		{ifx_users[COORD_BZK], "Coördinator BZK", PW, &r_coord_bzk, 1},
		{ifx_users[AUDITOR_FIN], "Auditor FIN", PW, &r_aud_fin, 1},
		{ifx_users[DISABLED_FIN], "Vertrokken FIN", PW, &r_coord_fin, 1},
		{ifx_users[MANAGER_FIN], "Manager FIN", PW, &r_man_fin, 1},
		{ifx_users[MANAGER_BZK], "Manager BZK", PW, &r_man_bzk, 1},
	};
	if (accounts_create_batch(f->t.db, &f->t.signer, ACTOR, n, NACCOUNTS, f->ids, &e) != 0)
		fail_msg("accounts: %s", e.msg);
	if (accounts_set_disabled(f->t.db, &f->t.signer, ACTOR, f->ids[DISABLED_FIN], 1, NULL,
				  &e) != 0)
		fail_msg("disable: %s", e.msg);
	*state = f;
	return 0;
}

int ifx_teardown(void **state)
{
	struct ifx *f = *state;
	accounts_shutdown();
	testfx_close(&f->t);
	sodium_memzero(f->sk, sizeof f->sk);
	free(f);
	return 0;
}

int64_t ifx_q(struct ifx *f, const char *sql)
{
	int64_t v;
	if (db_query_i64(f->t.db, sql, NULL, &v) != 0)
		fail_msg("%s: %s", sql, db_error(f->t.db)->msg);
	return v;
}

const unsigned char *ifx_sk(struct ifx *f, int who)
{
	if (who == DISABLED_FIN)
		return ifx_sk(f, COORD_FIN);
	if (!f->have_sk[who]) {
		struct account a;
		int has_totp;
		time_t until;
		enum account_login r = accounts_login(f->t.db, &f->t.signer, ifx_users[who],
						      PW, &a, f->sk[who], NULL, &has_totp,
						      &until);
		assert_int_equal(r, ACCOUNT_LOGIN_OK);
		f->have_sk[who] = 1;
	}
	return f->sk[who];
}

struct intake_submission ifx_sub(const char *org, const char *mode, const char *answers,
				 const char *identity)
{
	struct intake_submission s = {.org_code = org, .kind = "wrongdoing", .mode = mode,
				      .questionnaire = "melding", .questionnaire_revision = 3,
				      .answers = answers, .answers_len = strlen(answers),
				      .identity = identity};
	return s;
}

int64_t ifx_submit(struct ifx *f, const struct intake_submission *s,
		   char receipt[RECEIPT_SHOWN_SIZE])
{
	struct intake_error e;
	int64_t id = 0;
	if (intake_submit(f->t.db, &f->t.signer, s, receipt, &id, &e) != 0)
		fail_msg("submit: %s", e.msg);
	assert_true(id > 0);
	assert_int_equal(strlen(receipt), RECEIPT_SHOWN_SIZE - 1);
	return id;
}

void ifx_key(struct ifx *f, int64_t id, int who, struct intake_key *k)
{
	struct intake_error e;
	if (intake_key_as_handler(f->t.db, id, f->ids[who], ifx_sk(f, who), k, &e) != 0)
		fail_msg("%s opens the key of %lld: %s", ifx_users[who], (long long)id, e.msg);
	assert_int_equal(k->report_id, id);
}

void ifx_audit_ok(struct ifx *f)
{
	struct audit_report r;
	int v = audit_verify(f->t.db, f->t.key.pk, &r);
	if (v != 0)
		fail_msg("audit_verify: %d at %lld: %s", v, (long long)r.bad_seq, r.reason);
}

int ifx_contains(const unsigned char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

void ifx_swap(struct ifx *f, const char *table, const char *col, int64_t a, int64_t b)
{
	/* through a copy: an UPDATE's subquery may already see the row it
	 * changed a moment before */
	char *sql = xasprintf("CREATE TEMP TABLE swap AS SELECT id, %s AS v FROM %s "
			      "WHERE id IN (%lld, %lld); "
			      "UPDATE %s SET %s = (SELECT v FROM swap WHERE swap.id = "
			      "CASE %s.id WHEN %lld THEN %lld ELSE %lld END) WHERE id IN (%lld, %lld); "
			      "DROP TABLE swap",
			      col, table, (long long)a, (long long)b, table, col, table,
			      (long long)a, (long long)b, (long long)a, (long long)a,
			      (long long)b);
	testdb_exec(f->t.db, sql);
	free(sql);
}
