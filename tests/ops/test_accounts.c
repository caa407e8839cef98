/*
 * Tests for src/ops/accounts.c: sessions (found, touched, ended by the
 * idle and absolute limits on the fixed clock, by a disabled account, by
 * signing out), sign-in throttling counted before the hash, registration,
 * invitations and role changes (who may touch whom), password links,
 * reset and change ending other sessions, the first director's setup,
 * and the list of accounts a page at a time.
 */
#include "ops/fixture.h"

#include "core/session.h"
#include "core/throttle.h"

#define ADDR  "192.0.2.7"
#define GOOD  "a sturdy new passphrase 42"
#define WEAK  "short"
#define WRONG "definitely not it 1"

/* Helpers ---------------------------------------------------------------- */

static struct db_user
user_row(struct fx *f, int64_t id)
{
	struct db_user u;

	assert_int_equal(db_user_by_id(f->db, id, &u), 1);
	return (u);
}

/* The second step of a successful sign-in of user at f->now. */
static struct ops_session
sign_in(struct fx *f, int64_t user)
{
	struct ops_session s;
	struct ops_error   e = { 0 };
	struct db_user	   u = user_row(f, user);
	json_t		  *out = NULL;

	assert_int_equal(ops_login_result(f->db, u.email, ADDR, user, NULL,
			     f->now, &s, &out, &e),
	    OPS_OK);
	assert_non_null(out);
	json_decref(out);
	return (s);
}

static int
find(struct fx *f, const struct ops_session *s, int64_t now,
    struct ops_signin *who)
{
	unsigned char hash[TOKEN_HASH_LEN];

	assert_int_equal(token_hash(s->token, hash), 0);
	return (ops_session_find(f->db, hash, now, NULL, who));
}

static int
alive(struct fx *f, const struct ops_session *s, int64_t now)
{
	struct ops_signin who;

	return (find(f, s, now, &who) == OPS_OK);
}

/* The failures counted against a throttle key (0 when it has none). */
static int64_t
failures(struct fx *f, const char *key)
{
	struct throttle_state t = { 0, 0, 0 };

	assert_true(db_throttle_get(f->db, key, &t) >= 0);
	return (t.failures);
}

struct count {
	const char *match;
	int	    n;
	char	    body[4096]; /* the newest match's */
};

static int
count_audit(void *arg, const struct db_audit_row *a)
{
	struct count *c = arg;

	if (strcmp(a->action, c->match) == 0)
		c->n++;
	return (0);
}

static int
audit_count(struct fx *f, const char *action)
{
	struct count c = { action, 0, "" };

	assert_int_equal(
	    db_audit_list(f->db, 0, INT64_MAX, 100000, count_audit, &c), 0);
	return (c.n);
}

static int
count_mail(void *arg, const struct db_mail_row *m)
{
	struct count *c = arg;

	if (strcmp(m->to, c->match) == 0 && c->n++ == 0)
		(void)snprintf(c->body, sizeof(c->body), "%s", m->body);
	return (0);
}

/* How many mails went to to; the newest one's body into body. */
static int
mails_to(struct fx *f, const char *to, char *body, size_t len)
{
	struct count c = { to, 0, "" };

	assert_int_equal(
	    db_outbox_list(f->db, 0, INT64_MAX, 100000, count_mail, &c), 0);
	if (body != NULL)
		(void)snprintf(body, len, "%s", c.body);
	return (c.n);
}

/* The token of the newest link to route mailed to to. */
static void
mailed_token(
    struct fx *f, const char *to, const char *route, char token[TOKEN_LEN + 1])
{
	char	    body[4096], marker[32];
	const char *p;

	assert_true(mails_to(f, to, body, sizeof(body)) > 0);
	(void)snprintf(marker, sizeof(marker), "/#/%s/", route);
	assert_non_null(p = strstr(body, marker));
	p += strlen(marker);
	assert_true(strlen(p) >= TOKEN_LEN);
	memcpy(token, p, TOKEN_LEN);
	token[TOKEN_LEN] = '\0';
}

static const char *
view_str(json_t *out, const char *key)
{
	return (json_string_value(
	    json_object_get(json_object_get(out, "user"), key)));
}

/* Invites email as role, acting as actor; returns the new account's id. */
static int64_t
invite(struct fx *f, int64_t actor, const char *email, const char *role)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 id;

	assert_int_equal(ops_invite(f->db, &f->set, fx_as(f, actor), email,
			     "Dr. Invited", role, f->now, &out, &e),
	    OPS_OK);
	id = json_integer_value(
	    json_object_get(json_object_get(out, "user"), "id"));
	assert_true(id > 0);
	json_decref(out);
	return (id);
}

/* Sessions --------------------------------------------------------------- */

static void
test_a_session_names_its_account_role_and_csrf_token(void **state)
{
	struct fx	  *f = *state;
	struct ops_session s = sign_in(f, f->faculty[0]);
	struct ops_signin  who;
	unsigned char	   other[TOKEN_HASH_LEN] = { 0 };
	json_t		  *out = NULL;

	assert_int_equal(find(f, &s, f->now, &who), OPS_OK);
	assert_int_equal(who.user_id, f->faculty[0]);
	assert_int_equal(who.session_id, s.id);
	assert_int_equal(who.role, ROLE_FACULTY);
	assert_string_equal(who.email, "faculty1@example.org");
	assert_string_equal(who.name, "Dr. Rater 1");
	assert_string_equal(who.csrf, s.csrf);
	assert_int_equal(ops_signin_view(&who, &out), OPS_OK);
	assert_string_equal(view_str(out, "role"), "faculty");
	assert_string_equal(view_str(out, "email"), "faculty1@example.org");
	assert_string_equal(
	    json_string_value(json_object_get(out, "csrf_token")), s.csrf);
	json_decref(out);
	/* A token nobody was given. */
	assert_int_equal(
	    ops_session_find(f->db, other, f->now, NULL, &who), OPS_NOT_FOUND);
}

static void
test_a_session_ends_after_two_idle_hours(void **state)
{
	struct fx	  *f = *state;
	struct ops_session s = sign_in(f, f->faculty[0]);

	assert_true(alive(f, &s, f->now + SESSION_IDLE_SECONDS - 1));
	/* Seen just now: idle from here. */
	assert_true(alive(f, &s, f->now + 2 * SESSION_IDLE_SECONDS - 2));
	assert_false(alive(f, &s, f->now + 3 * SESSION_IDLE_SECONDS));
	/* Ended means deleted: not even an earlier clock brings it back. */
	assert_false(alive(f, &s, f->now));
}

static void
test_the_idle_clock_moves_at_most_once_a_minute(void **state)
{
	struct fx	  *f = *state;
	struct ops_session s = sign_in(f, f->faculty[0]);

	/* 59 s after sign-in: not written, so idle still counts from
	 * sign-in. */
	assert_true(alive(f, &s, f->now + SESSION_TOUCH_SECONDS - 1));
	assert_false(alive(f, &s, f->now + SESSION_IDLE_SECONDS));
}

static void
test_a_session_ends_twelve_hours_after_sign_in(void **state)
{
	struct fx	  *f = *state;
	struct ops_session s = sign_in(f, f->faculty[0]);
	int64_t		   t;

	/* Busy all day: never idle, still ended at the absolute limit. */
	for (t = f->now; t < f->now + SESSION_MAX_SECONDS; t += FX_HOUR)
		assert_true(alive(f, &s, t));
	assert_true(alive(f, &s, f->now + SESSION_MAX_SECONDS - 1));
	assert_false(alive(f, &s, f->now + SESSION_MAX_SECONDS));
}

static void
test_a_disabled_account_has_no_session(void **state)
{
	struct fx	  *f = *state;
	struct ops_session s = sign_in(f, f->faculty[0]);

	/* Behind the operations' back: the session itself refuses. */
	assert_int_equal(db_user_set_disabled(f->db, f->faculty[0], 1), 0);
	assert_false(alive(f, &s, f->now));
	assert_int_equal(db_user_set_disabled(f->db, f->faculty[0], 0), 0);
	assert_false(alive(f, &s, f->now));
}

static void
test_session_view_and_sign_out(void **state)
{
	struct fx	  *f = *state;
	struct ops_session s = sign_in(f, f->applicant[0]);
	unsigned char	   hash[TOKEN_HASH_LEN];
	json_t		  *out = NULL;

	assert_int_equal(
	    ops_session_view(f->db, NULL, 0, f->now, &out), OPS_OK);
	assert_true(json_is_null(json_object_get(out, "user")));
	json_decref(out);
	assert_int_equal(token_hash(s.token, hash), 0);
	assert_int_equal(
	    ops_session_view(f->db, hash, 0, f->now, &out), OPS_OK);
	assert_string_equal(view_str(out, "role"), "applicant");
	json_decref(out);

	assert_int_equal(
	    ops_logout(f->db, fx_as(f, f->applicant[0]), s.id), OPS_OK);
	assert_int_equal(audit_count(f, "logout"), 1);
	assert_int_equal(
	    ops_session_view(f->db, hash, 0, f->now, &out), OPS_OK);
	assert_true(json_is_null(json_object_get(out, "user")));
	json_decref(out);
}

/* Sign-in and its throttle ----------------------------------------------- */

static void
test_an_attempt_counts_before_the_check_and_success_takes_it_back(void **state)
{
	struct fx	     *f = *state;
	struct ops_credential cred;
	struct ops_error      e = { 0 };
	struct ops_session    s;
	json_t		     *out = NULL;

	assert_int_equal(ops_attempt_begin(f->db, "Faculty1@Example.org", ADDR,
			     f->now, &cred, &e),
	    OPS_OK);
	/* The key ignores case; the credential is the account's. */
	assert_int_equal(failures(f, "acct:faculty1@example.org"), 1);
	assert_int_equal(failures(f, "addr:" ADDR), 1);
	assert_int_equal(cred.user_id, f->faculty[0]);
	assert_string_equal(
	    cred.pwhash, "$argon2id$v=19$m=8,t=1,p=1$none$none");

	assert_int_equal(
	    ops_login_result(f->db, "Faculty1@Example.org", ADDR, f->faculty[0],
		"$argon2id$rehashed", f->now, &s, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(failures(f, "acct:faculty1@example.org"), 0);
	assert_int_equal(failures(f, "addr:" ADDR), 0);
	/* A hash made with older limits is replaced. */
	assert_string_equal(
	    user_row(f, f->faculty[0]).pwhash, "$argon2id$rehashed");
	assert_int_equal(audit_count(f, "login"), 1);
}

static void
test_an_unknown_address_has_no_credential(void **state)
{
	struct fx	     *f = *state;
	struct ops_credential cred;
	struct ops_error      e = { 0 };
	struct ops_session    s;
	json_t		     *out = NULL;
	int64_t		      id;

	assert_int_equal(ops_attempt_begin(f->db, "nobody@example.org", ADDR,
			     f->now, &cred, &e),
	    OPS_OK);
	assert_int_equal(cred.user_id, 0);
	assert_string_equal(cred.pwhash, "");
	assert_int_equal(failures(f, "acct:nobody@example.org"), 1);
	/* Invited, no password yet: nothing to check against either. */
	id = invite(f, f->director, "fresh@example.org", "faculty");
	assert_int_equal(ops_attempt_begin(f->db, "fresh@example.org", ADDR,
			     f->now, &cred, &e),
	    OPS_OK);
	assert_int_equal(cred.user_id, 0);
	(void)id;
	/* The failed second step: recorded, no session, no view. */
	assert_int_equal(ops_login_result(f->db, "nobody@example.org", ADDR, 0,
			     NULL, f->now, &s, &out, &e),
	    OPS_OK);
	assert_null(out);
	assert_int_equal(audit_count(f, "login.failed"), 1);
	assert_int_equal(failures(f, "acct:nobody@example.org"), 1);
}

/* One wrong password: the attempt, the check off the loop, the failure. */
static int
fail_once(
    struct fx *f, const char *email, const char *addr, struct ops_error *e)
{
	struct ops_credential cred;
	struct ops_session    s;
	json_t		     *out = NULL;
	int		      rc;

	if ((rc = ops_attempt_begin(f->db, email, addr, f->now, &cred, e)) !=
	    OPS_OK)
		return (rc);
	assert_int_equal(
	    ops_login_result(f->db, email, addr, 0, NULL, f->now, &s, &out, e),
	    OPS_OK);
	return (OPS_OK);
}

static void
test_delays_grow_from_the_third_failure(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	const char	*email = "faculty2@example.org";

	assert_int_equal(fail_once(f, email, ADDR, &e), OPS_OK);
	assert_int_equal(fail_once(f, email, ADDR, &e), OPS_OK);
	assert_int_equal(fail_once(f, email, ADDR, &e), OPS_OK);
	/* The third failure asks for a second's wait; the fourth for two. */
	assert_int_equal(fail_once(f, email, ADDR, &e), OPS_THROTTLED);
	assert_int_equal(e.retry_after, 1);
	assert_int_equal(failures(f, "acct:faculty2@example.org"), 3);
	fx_set_now(f, f->now + 1);
	assert_int_equal(fail_once(f, email, ADDR, &e), OPS_OK);
	assert_int_equal(fail_once(f, email, ADDR, &e), OPS_THROTTLED);
	assert_int_equal(e.retry_after, 2);
	/* Another account from the same address is not held up. */
	assert_int_equal(
	    fail_once(f, "faculty3@example.org", ADDR, &e), OPS_OK);
}

static void
test_ten_failures_lock_the_account(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	const char	*email = "faculty2@example.org";
	int		 n = 0;

	while (n < 10) {
		memset(&e, 0, sizeof(e));
		if (fail_once(f, email, ADDR, &e) == OPS_THROTTLED)
			fx_set_now(f, f->now + e.retry_after);
		else
			n++;
	}
	assert_int_equal(audit_count(f, "login.lockout"), 1);
	assert_int_equal(
	    ops_attempt_begin(f->db, email, ADDR, f->now, NULL, &e),
	    OPS_THROTTLED);
	assert_int_equal(e.retry_after, THROTTLE_LOCK_SECONDS);
	/* Even the right password waits: the check never runs. */
	fx_set_now(f, f->now + THROTTLE_LOCK_SECONDS - 1);
	assert_int_equal(
	    ops_attempt_begin(f->db, email, ADDR, f->now, NULL, &e),
	    OPS_THROTTLED);
	fx_set_now(f, f->now + 1);
	assert_int_equal(
	    ops_attempt_begin(f->db, email, ADDR, f->now, NULL, &e), OPS_OK);
}

static void
test_an_address_is_throttled_across_accounts(void **state)
{
	struct fx	     *f = *state;
	struct ops_error      e = { 0 };
	struct throttle_state t = { 49, FX_NOW, 0 };

	assert_int_equal(db_throttle_put(f->db, "addr:" ADDR, &t), 0);
	/* The 50th failure from the address locks it for everyone. */
	assert_int_equal(fail_once(f, "nobody@example.org", ADDR, &e), OPS_OK);
	assert_int_equal(audit_count(f, "login.lockout"), 1);
	assert_int_equal(ops_attempt_begin(f->db, "director@example.org", ADDR,
			     f->now, NULL, &e),
	    OPS_THROTTLED);
	/* Another address is not. */
	assert_int_equal(ops_attempt_begin(f->db, "director@example.org",
			     "198.51.100.1", f->now, NULL, &e),
	    OPS_OK);
}

/* An IPv6 subscriber's whole /64 is one address for the throttle. */
static void
test_an_ipv6_64_is_one_address(void **state)
{
	struct fx	     *f = *state;
	struct ops_error      e = { 0 };
	struct throttle_state t = { 49, FX_NOW, 0 };

	assert_int_equal(
	    db_throttle_put(f->db, "addr:2001:db8:7:7::/64", &t), 0);
	assert_int_equal(
	    fail_once(f, "nobody@example.org", "2001:db8:7:7::99", &e), OPS_OK);
	assert_int_equal(ops_attempt_begin(f->db, "director@example.org",
			     "2001:db8:7:7:1234::5", f->now, NULL, &e),
	    OPS_THROTTLED);
	/* The next /64 is another subscriber. */
	assert_int_equal(ops_attempt_begin(f->db, "director@example.org",
			     "2001:db8:7:8::5", f->now, NULL, &e),
	    OPS_OK);
}

/* Counters whose window has passed and that block nothing are purged;
 * a recent one and a locked one stay. */
static void
test_old_counters_are_purged(void **state)
{
	struct fx	     *f = *state;
	struct throttle_state old = { 4, FX_NOW - 2 * 3600, 0 };
	struct throttle_state recent = { 2, FX_NOW - 60, 0 };
	struct throttle_state locked = { 10, FX_NOW - 2 * 3600, FX_NOW + 600 };
	struct throttle_state t;

	assert_int_equal(db_throttle_put(f->db, "addr:192.0.2.1", &old), 0);
	assert_int_equal(db_throttle_put(f->db, "addr:192.0.2.2", &recent), 0);
	assert_int_equal(
	    db_throttle_put(f->db, "acct:x@example.org", &locked), 0);
	assert_int_equal(ops_throttle_purge(f->db, FX_NOW), 1);
	assert_int_equal(db_throttle_get(f->db, "addr:192.0.2.1", &t), 0);
	assert_int_equal(db_throttle_get(f->db, "addr:192.0.2.2", &t), 1);
	assert_int_equal(db_throttle_get(f->db, "acct:x@example.org", &t), 1);
	assert_int_equal(ops_throttle_purge(f->db, FX_NOW), 0);
}

static void
test_attempt_end_takes_back_or_records(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	const char	*email = "faculty1@example.org";

	assert_int_equal(
	    ops_attempt_begin(f->db, email, ADDR, f->now, NULL, &e), OPS_OK);
	assert_int_equal(
	    ops_attempt_begin(f->db, email, ADDR, f->now, NULL, &e), OPS_OK);
	assert_int_equal(ops_attempt_end(f->db, email, ADDR, 1, f->faculty[0],
			     "password.change_failed"),
	    OPS_OK);
	assert_int_equal(failures(f, "acct:faculty1@example.org"), 0);
	assert_int_equal(failures(f, "addr:" ADDR), 1);
	assert_int_equal(ops_attempt_end(f->db, email, ADDR, 0, f->faculty[0],
			     "password.change_failed"),
	    OPS_OK);
	assert_int_equal(audit_count(f, "password.change_failed"), 1);
}

static void
test_the_right_password_of_a_disabled_account_is_refused(void **state)
{
	struct fx	     *f = *state;
	struct ops_credential cred;
	struct ops_error      e = { 0 };
	struct ops_session    s;
	json_t		     *out = NULL;

	assert_int_equal(db_user_set_disabled(f->db, f->faculty[0], 1), 0);
	assert_int_equal(ops_attempt_begin(f->db, "faculty1@example.org", ADDR,
			     f->now, &cred, &e),
	    OPS_OK);
	assert_int_equal(ops_login_result(f->db, "faculty1@example.org", ADDR,
			     cred.user_id, NULL, f->now, &s, &out, &e),
	    OPS_FORBIDDEN);
	assert_null(out);
	/* No way in, so the attempt stays counted. */
	assert_int_equal(failures(f, "acct:faculty1@example.org"), 1);
	assert_int_equal(audit_count(f, "login"), 0);
}

/* Registration ----------------------------------------------------------- */

static void
test_registration_checks_fields_then_throttles(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	int		 i;

	assert_int_equal(ops_register_begin(f->db, "not-an-address", "A", GOOD,
			     ADDR, f->now, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "email");
	assert_int_equal(ops_register_begin(f->db, "a@example.org", "", GOOD,
			     ADDR, f->now, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "name");
	assert_int_equal(ops_register_begin(f->db, "a@example.org", "A", WEAK,
			     ADDR, f->now, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "password");
	assert_int_equal(failures(f, "reg:" ADDR), 0);
	/* Each registration costs a hash: ten at once, then a wait. */
	for (i = 0; i < 10; i++)
		assert_int_equal(ops_register_begin(f->db, "a@example.org", "A",
				     GOOD, ADDR, f->now, &e),
		    OPS_OK);
	assert_int_equal(ops_register_begin(f->db, "a@example.org", "A", GOOD,
			     ADDR, f->now, &e),
	    OPS_THROTTLED);
	assert_true(e.retry_after > 0);
}

static void
test_registration_signs_in_an_applicant(void **state)
{
	struct fx	  *f = *state;
	struct ops_error   e = { 0 };
	struct ops_session s;
	json_t		  *out = NULL;

	assert_int_equal(ops_register(f->db, "new@example.org", "New Person",
			     "$argon2id$x", ADDR, f->now, &s, &out, &e),
	    OPS_OK);
	assert_string_equal(view_str(out, "role"), "applicant");
	assert_string_equal(view_str(out, "email"), "new@example.org");
	assert_string_equal(
	    json_string_value(json_object_get(out, "csrf_token")), s.csrf);
	json_decref(out);
	assert_true(alive(f, &s, f->now));
	assert_int_equal(audit_count(f, "user.register"), 1);
	/* The same address again: refused, nothing made. */
	out = NULL;
	assert_int_equal(ops_register(f->db, "new@example.org", "Other",
			     "$argon2id$x", ADDR, f->now, &s, &out, &e),
	    OPS_CONFLICT);
	assert_string_equal(e.field, "email");
	assert_null(out);
	assert_int_equal(audit_count(f, "user.register"), 1);
}

/* Invitations and role changes ------------------------------------------- */

static void
test_an_invitation_is_mailed_and_accepted_once(void **state)
{
	struct fx	  *f = *state;
	struct ops_error   e = { 0 };
	struct ops_session s;
	char		   token[TOKEN_LEN + 1];
	json_t		  *out = NULL;
	int64_t		   id;

	assert_int_equal(ops_invite(f->db, &f->set, fx_as(f, f->coordinator),
			     "invited@example.org", "Dr. Invited", "faculty",
			     f->now, &out, &e),
	    OPS_OK);
	id = json_integer_value(
	    json_object_get(json_object_get(out, "user"), "id"));
	assert_string_equal(view_str(out, "role"), "faculty");
	assert_false(json_is_true(
	    json_object_get(json_object_get(out, "user"), "active")));
	json_decref(out);
	assert_int_equal(audit_count(f, "user.invite"), 1);
	mailed_token(f, "invited@example.org", "invite", token);

	assert_int_equal(
	    ops_password_link_check(f->db, "invite", token, WEAK, f->now, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "password");
	assert_int_equal(
	    ops_password_link_check(f->db, "reset", token, GOOD, f->now, &e),
	    OPS_TOKEN_INVALID);
	assert_int_equal(
	    ops_password_link_check(f->db, "invite", token, GOOD, f->now, &e),
	    OPS_OK);
	assert_int_equal(ops_password_by_token(f->db, "invite", token,
			     "$argon2id$set", ADDR, f->now, &s, &out, &e),
	    OPS_OK);
	assert_int_equal(s.user_id, id);
	assert_string_equal(view_str(out, "email"), "invited@example.org");
	json_decref(out);
	assert_true(alive(f, &s, f->now));
	assert_string_equal(user_row(f, id).pwhash, "$argon2id$set");
	assert_int_equal(audit_count(f, "invitation.accept"), 1);
	/* Once only. */
	out = NULL;
	assert_int_equal(
	    ops_password_link_check(f->db, "invite", token, GOOD, f->now, &e),
	    OPS_TOKEN_INVALID);
	assert_int_equal(ops_password_by_token(f->db, "invite", token,
			     "$argon2id$again", ADDR, f->now, &s, &out, &e),
	    OPS_TOKEN_INVALID);
	assert_null(out);
	assert_string_equal(e.field, "token");
}

static void
test_an_invitation_expires_after_a_week(void **state)
{
	struct fx	  *f = *state;
	struct ops_error   e = { 0 };
	struct ops_session s;
	char		   token[TOKEN_LEN + 1];
	json_t		  *out = NULL;

	(void)invite(f, f->director, "late@example.org", "coordinator");
	mailed_token(f, "late@example.org", "invite", token);
	assert_int_equal(ops_password_link_check(f->db, "invite", token, GOOD,
			     f->now + OPS_INVITE_SECONDS - 1, &e),
	    OPS_OK);
	assert_int_equal(
	    ops_password_by_token(f->db, "invite", token, "$argon2id$x", ADDR,
		f->now + OPS_INVITE_SECONDS, &s, &out, &e),
	    OPS_TOKEN_INVALID);
	assert_null(out);
	assert_int_equal(ops_password_link_check(f->db, "invite",
			     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			     GOOD, f->now, &e),
	    OPS_TOKEN_INVALID);
}

static void
test_who_may_invite_whom(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	assert_int_equal(
	    ops_invite(f->db, &f->set, fx_as(f, f->coordinator),
		"d2@example.org", "D", "director", f->now, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(ops_invite(f->db, &f->set, fx_as(f, f->faculty[0]),
			     "x@example.org", "X", "faculty", f->now, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    ops_invite(f->db, &f->set, fx_as(f, f->director), "x@example.org",
		"X", "applicant", f->now, &out, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "role");
	assert_int_equal(ops_invite(f->db, &f->set, fx_as(f, f->director),
			     "x@example.org", "X", "king", f->now, &out, &e),
	    OPS_INVALID);
	assert_int_equal(
	    ops_invite(f->db, &f->set, fx_as(f, f->director),
		"faculty1@example.org", "X", "faculty", f->now, &out, &e),
	    OPS_CONFLICT);
	assert_null(out);
	assert_int_equal(mails_to(f, "d2@example.org", NULL, 0), 0);
	assert_int_equal(mails_to(f, "faculty1@example.org", NULL, 0), 0);
	(void)invite(f, f->director, "d2@example.org", "director");
}

static void
test_an_invitation_can_be_sent_again(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	char		 first[TOKEN_LEN + 1], second[TOKEN_LEN + 1];
	json_t		*out = NULL;
	int64_t		 fac, dir;

	fac = invite(f, f->director, "again@example.org", "faculty");
	dir = invite(f, f->director, "boss@example.org", "director");
	mailed_token(f, "again@example.org", "invite", first);
	assert_int_equal(ops_reinvite(f->db, &f->set, fx_as(f, f->coordinator),
			     fac, f->now, &out, &e),
	    OPS_OK);
	assert_string_equal(
	    json_string_value(json_object_get(out, "status")), "sent");
	json_decref(out);
	mailed_token(f, "again@example.org", "invite", second);
	assert_string_not_equal(first, second);
	assert_int_equal(
	    ops_password_link_check(f->db, "invite", first, GOOD, f->now, &e),
	    OPS_TOKEN_INVALID);
	assert_int_equal(
	    ops_password_link_check(f->db, "invite", second, GOOD, f->now, &e),
	    OPS_OK);
	/* The coordinator does not handle directors' accounts. */
	assert_int_equal(ops_reinvite(f->db, &f->set, fx_as(f, f->coordinator),
			     dir, f->now, &out, &e),
	    OPS_FORBIDDEN);
	/* An account with a password has no invitation to resend. */
	assert_int_equal(ops_reinvite(f->db, &f->set, fx_as(f, f->director),
			     f->faculty[0], f->now, &out, &e),
	    OPS_CONFLICT);
	assert_int_equal(ops_reinvite(f->db, &f->set, fx_as(f, f->director),
			     999999, f->now, &out, &e),
	    OPS_NOT_FOUND);
	assert_null(out);
	assert_int_equal(audit_count(f, "user.reinvite"), 1);
}

static int
update(struct fx *f, int64_t actor, int64_t target, const char *role,
    int disabled, json_t **out)
{
	struct ops_error e = { 0 };

	*out = NULL;
	return (ops_user_update(
	    f->db, fx_as(f, actor), target, role, disabled, out, &e));
}

static void
test_who_may_change_whose_role(void **state)
{
	struct fx *f = *state;
	json_t	  *out;

	/* The coordinator cannot touch a director or make one. */
	assert_int_equal(update(f, f->coordinator, f->director, NULL, 1, &out),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    update(f, f->coordinator, f->director, "faculty", -1, &out),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    update(f, f->coordinator, f->faculty[0], "director", -1, &out),
	    OPS_FORBIDDEN);
	/* Nobody changes their own role or disables themselves. */
	assert_int_equal(
	    update(f, f->coordinator, f->coordinator, "faculty", -1, &out),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    update(f, f->director, f->director, "coordinator", -1, &out),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    update(f, f->director, f->director, NULL, 1, &out), OPS_FORBIDDEN);
	/* Faculty manage nobody. */
	assert_int_equal(update(f, f->faculty[0], f->faculty[1], NULL, 1, &out),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    update(f, f->director, 999999, NULL, 1, &out), OPS_NOT_FOUND);
	assert_int_equal(
	    update(f, f->director, f->faculty[0], "king", -1, &out),
	    OPS_INVALID);
	assert_null(out);
	assert_string_equal(user_row(f, f->director).role, "director");
	assert_string_equal(user_row(f, f->coordinator).role, "coordinator");
	assert_false(user_row(f, f->faculty[1]).disabled);
	assert_int_equal(audit_count(f, "user.role"), 0);
	/* Re-sending one's own unchanged role is no change. */
	assert_int_equal(
	    update(f, f->director, f->director, "director", 0, &out), OPS_OK);
	json_decref(out);
}

static void
test_a_role_change_takes_effect_and_ends_sessions(void **state)
{
	struct fx	  *f = *state;
	struct ops_session s = sign_in(f, f->faculty[0]);
	struct ops_signin  who;
	json_t		  *out;

	/* Re-enabling an enabled account or keeping a role ends nothing. */
	assert_int_equal(
	    update(f, f->director, f->faculty[0], "faculty", 0, &out), OPS_OK);
	json_decref(out);
	assert_true(alive(f, &s, f->now));
	assert_int_equal(
	    update(f, f->director, f->faculty[0], "coordinator", -1, &out),
	    OPS_OK);
	assert_string_equal(view_str(out, "role"), "coordinator");
	json_decref(out);
	assert_false(alive(f, &s, f->now));
	assert_int_equal(audit_count(f, "user.role"), 1);
	s = sign_in(f, f->faculty[0]);
	assert_int_equal(find(f, &s, f->now, &who), OPS_OK);
	assert_int_equal(who.role, ROLE_COORDINATOR);
}

static void
test_disabling_ends_sessions_and_enabling_lets_back_in(void **state)
{
	struct fx	  *f = *state;
	struct ops_session s = sign_in(f, f->faculty[1]);
	json_t		  *out;

	assert_int_equal(
	    update(f, f->coordinator, f->faculty[1], NULL, 1, &out), OPS_OK);
	assert_true(json_is_true(
	    json_object_get(json_object_get(out, "user"), "disabled")));
	json_decref(out);
	assert_false(alive(f, &s, f->now));
	assert_int_equal(
	    update(f, f->coordinator, f->faculty[1], NULL, 0, &out), OPS_OK);
	assert_true(json_is_false(
	    json_object_get(json_object_get(out, "user"), "disabled")));
	json_decref(out);
	s = sign_in(f, f->faculty[1]);
	assert_true(alive(f, &s, f->now));
	assert_int_equal(audit_count(f, "user.disable"), 1);
	assert_int_equal(audit_count(f, "user.enable"), 1);
}

/* Reset and change -------------------------------------------------------- */

static void
test_forgot_mails_real_enabled_accounts_only(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 i;

	/* The same answer every time. */
	assert_int_equal(ops_forgot(f->db, &f->set, "nobody@example.org", ADDR,
			     f->now, &out, &e),
	    OPS_OK);
	assert_string_equal(
	    json_string_value(json_object_get(out, "status")), "accepted");
	json_decref(out);
	assert_int_equal(ops_forgot(f->db, &f->set, "not an address", ADDR,
			     f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(db_user_set_disabled(f->db, f->faculty[2], 1), 0);
	assert_int_equal(ops_forgot(f->db, &f->set, "faculty3@example.org",
			     ADDR, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(mails_to(f, "nobody@example.org", NULL, 0), 0);
	assert_int_equal(mails_to(f, "faculty3@example.org", NULL, 0), 0);
	/* A real one: three mails at once, then none for a while. */
	for (i = 0; i < 6; i++) {
		assert_int_equal(
		    ops_forgot(f->db, &f->set, "faculty2@example.org", ADDR,
			f->now, &out, &e),
		    OPS_OK);
		json_decref(out);
	}
	assert_int_equal(mails_to(f, "faculty2@example.org", NULL, 0), 3);
	assert_int_equal(audit_count(f, "password.reset_requested"), 3);
}

static void
test_a_reset_sets_the_password_once_and_ends_other_sessions(void **state)
{
	struct fx	  *f = *state;
	struct ops_session a = sign_in(f, f->faculty[1]);
	struct ops_session b = sign_in(f, f->faculty[1]);
	struct ops_session s;
	struct ops_error   e = { 0 };
	char		   token[TOKEN_LEN + 1], older[TOKEN_LEN + 1];
	json_t		  *out = NULL;

	assert_int_equal(ops_forgot(f->db, &f->set, "faculty2@example.org",
			     ADDR, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	mailed_token(f, "faculty2@example.org", "reset", older);
	assert_int_equal(ops_forgot(f->db, &f->set, "faculty2@example.org",
			     ADDR, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	mailed_token(f, "faculty2@example.org", "reset", token);
	/* Only the newest link works, for an hour. */
	assert_int_equal(
	    ops_password_link_check(f->db, "reset", older, GOOD, f->now, &e),
	    OPS_TOKEN_INVALID);
	assert_int_equal(ops_password_link_check(f->db, "reset", token, GOOD,
			     f->now + OPS_RESET_SECONDS, &e),
	    OPS_TOKEN_INVALID);
	assert_int_equal(ops_password_by_token(f->db, "reset", token,
			     "$argon2id$reset", ADDR, f->now, &s, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_false(alive(f, &a, f->now));
	assert_false(alive(f, &b, f->now));
	assert_true(alive(f, &s, f->now));
	assert_string_equal(
	    user_row(f, f->faculty[1]).pwhash, "$argon2id$reset");
	assert_int_equal(audit_count(f, "password.reset"), 1);
	out = NULL;
	assert_int_equal(ops_password_by_token(f->db, "reset", token,
			     "$argon2id$again", ADDR, f->now, &s, &out, &e),
	    OPS_TOKEN_INVALID);
	assert_null(out);
}

static void
test_a_password_change_ends_other_sessions_and_voids_reset_links(void **state)
{
	struct fx	     *f = *state;
	struct ops_session    mine = sign_in(f, f->faculty[0]);
	struct ops_session    other = sign_in(f, f->faculty[0]);
	struct ops_credential cred;
	struct ops_error      e = { 0 };
	struct ops_actor      me = fx_as(f, f->faculty[0]);
	char		      token[TOKEN_LEN + 1];
	json_t		     *out = NULL;

	assert_int_equal(ops_forgot(f->db, &f->set, "faculty1@example.org",
			     ADDR, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	mailed_token(f, "faculty1@example.org", "reset", token);

	assert_int_equal(
	    ops_password_change_begin(f->db, me, WEAK, ADDR, f->now, &cred, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "new_password");
	assert_int_equal(failures(f, "acct:faculty1@example.org"), 0);
	assert_int_equal(
	    ops_password_change_begin(f->db, me, GOOD, ADDR, f->now, &cred, &e),
	    OPS_OK);
	assert_int_equal(cred.user_id, f->faculty[0]);
	assert_int_equal(failures(f, "acct:faculty1@example.org"), 1);

	assert_int_equal(ops_password_change(f->db, me, mine.id, ADDR,
			     "$argon2id$changed", f->now, &out, &e),
	    OPS_OK);
	assert_string_equal(
	    json_string_value(json_object_get(out, "status")), "changed");
	json_decref(out);
	assert_true(alive(f, &mine, f->now));
	assert_false(alive(f, &other, f->now));
	assert_int_equal(failures(f, "acct:faculty1@example.org"), 0);
	assert_string_equal(
	    user_row(f, f->faculty[0]).pwhash, "$argon2id$changed");
	assert_int_equal(
	    ops_password_link_check(f->db, "reset", token, GOOD, f->now, &e),
	    OPS_TOKEN_INVALID);
	assert_int_equal(audit_count(f, "password.change"), 1);
}

static void
test_a_wrong_current_password_is_throttled_like_a_sign_in(void **state)
{
	struct fx	     *f = *state;
	struct ops_credential cred;
	struct ops_error      e = { 0 };
	struct ops_actor      me = fx_as(f, f->faculty[0]);
	int		      i;

	for (i = 0; i < 3; i++) {
		assert_int_equal(ops_password_change_begin(
				     f->db, me, GOOD, ADDR, f->now, &cred, &e),
		    OPS_OK);
		assert_int_equal(
		    ops_attempt_end(f->db, "faculty1@example.org", ADDR, 0,
			f->faculty[0], "password.change_failed"),
		    OPS_OK);
	}
	assert_int_equal(
	    ops_password_change_begin(f->db, me, GOOD, ADDR, f->now, &cred, &e),
	    OPS_THROTTLED);
	assert_int_equal(cred.user_id, 0);
	assert_int_equal(audit_count(f, "password.change_failed"), 3);
	/* Sign-in shares the count: it is the same account. */
	assert_int_equal(ops_attempt_begin(f->db, "faculty1@example.org",
			     "198.51.100.1", f->now, NULL, &e),
	    OPS_THROTTLED);
}

/* The first director ------------------------------------------------------ */

static void
test_the_setup_link_makes_the_first_director_once(void **state)
{
	struct fx	  *f = *state;
	struct ops_error   e = { 0 };
	struct ops_session s;
	char		   token[TOKEN_LEN + 1];
	json_t		  *out = NULL;

	/* Accounts exist: no setup link. */
	assert_int_equal(ops_setup_token(f->db, f->now, token), OPS_CONFLICT);
	assert_int_equal(tempdb_fresh(&f->t), 0);
	f->db = f->t.db;
	assert_int_equal(ops_setup_token(f->db, f->now, token), OPS_OK);

	assert_int_equal(ops_setup_check(f->db,
			     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			     "boss@example.org", "Boss", GOOD, f->now, &e),
	    OPS_TOKEN_INVALID);
	assert_int_equal(
	    ops_setup_check(f->db, token, "boss", "Boss", GOOD, f->now, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "email");
	assert_int_equal(ops_setup_check(f->db, token, "boss@example.org",
			     "Boss", WEAK, f->now, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "password");
	assert_int_equal(ops_setup_check(f->db, token, "boss@example.org",
			     "Boss", GOOD, f->now + OPS_SETUP_SECONDS, &e),
	    OPS_TOKEN_INVALID);
	assert_int_equal(ops_setup_check(f->db, token, "boss@example.org",
			     "Boss", GOOD, f->now, &e),
	    OPS_OK);

	assert_int_equal(
	    ops_setup_director(f->db, token, "boss@example.org", "Boss",
		"$argon2id$boss", ADDR, f->now, &s, &out, &e),
	    OPS_OK);
	assert_string_equal(view_str(out, "role"), "director");
	json_decref(out);
	assert_true(alive(f, &s, f->now));
	out = NULL;
	assert_int_equal(
	    ops_setup_director(f->db, token, "second@example.org", "Second",
		"$argon2id$x", ADDR, f->now, &s, &out, &e),
	    OPS_TOKEN_INVALID);
	assert_null(out);
}

/* The list of accounts ---------------------------------------------------- */

static void
test_the_list_of_accounts_pages_by_id(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL, *users, *u;
	int64_t		 after = 0, last = 0, seen = 0, id;
	size_t		 i;

	/* Nine accounts in pages of four: 4, 4, 1. */
	do {
		assert_int_equal(ops_users_list(f->db, fx_as(f, f->coordinator),
				     after, 4, &out, &e),
		    OPS_OK);
		users = json_object_get(out, "users");
		json_array_foreach(users, i, u)
		{
			id = json_integer_value(json_object_get(u, "id"));
			assert_true(id > last);
			last = id;
			seen++;
			assert_null(json_object_get(u, "pwhash"));
			assert_true(json_is_true(json_object_get(u, "active")));
		}
		after = json_integer_value(json_object_get(out, "next_after"));
		if (json_array_size(users) < 4)
			assert_true(
			    json_is_null(json_object_get(out, "next_after")));
		else
			assert_int_equal(after, last);
		json_decref(out);
	} while (after != 0);
	/* The program's staff: its applicants are listed once they apply
	 * to one of its cycles (tests/http/test_tenancy.py). */
	assert_int_equal(seen, 2 + FX_FACULTY);

	assert_int_equal(
	    ops_users_list(f->db, fx_as(f, f->director), 0, 0, &out, &e),
	    OPS_INVALID);
	assert_int_equal(ops_users_list(f->db, fx_as(f, f->director), 0,
			     OPS_USERS_PAGE_MAX + 1, &out, &e),
	    OPS_INVALID);
	assert_int_equal(
	    ops_users_list(f->db, fx_as(f, f->faculty[0]), 0, 10, &out, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    ops_users_list(f->db, fx_as(f, f->applicant[0]), 0, 10, &out, &e),
	    OPS_FORBIDDEN);
	assert_null(out);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_session_names_its_account_role_and_csrf_token),
		T(test_a_session_ends_after_two_idle_hours),
		T(test_the_idle_clock_moves_at_most_once_a_minute),
		T(test_a_session_ends_twelve_hours_after_sign_in),
		T(test_a_disabled_account_has_no_session),
		T(test_session_view_and_sign_out),
		T(test_an_attempt_counts_before_the_check_and_success_takes_it_back),
		T(test_an_unknown_address_has_no_credential),
		T(test_delays_grow_from_the_third_failure),
		T(test_ten_failures_lock_the_account),
		T(test_an_address_is_throttled_across_accounts),
		T(test_an_ipv6_64_is_one_address),
		T(test_old_counters_are_purged),
		T(test_attempt_end_takes_back_or_records),
		T(test_the_right_password_of_a_disabled_account_is_refused),
		T(test_registration_checks_fields_then_throttles),
		T(test_registration_signs_in_an_applicant),
		T(test_an_invitation_is_mailed_and_accepted_once),
		T(test_an_invitation_expires_after_a_week),
		T(test_who_may_invite_whom),
		T(test_an_invitation_can_be_sent_again),
		T(test_who_may_change_whose_role),
		T(test_a_role_change_takes_effect_and_ends_sessions),
		T(test_disabling_ends_sessions_and_enabling_lets_back_in),
		T(test_forgot_mails_real_enabled_accounts_only),
		T(test_a_reset_sets_the_password_once_and_ends_other_sessions),
		T(test_a_password_change_ends_other_sessions_and_voids_reset_links),
		T(test_a_wrong_current_password_is_throttled_like_a_sign_in),
		T(test_the_setup_link_makes_the_first_director_once),
		T(test_the_list_of_accounts_pages_by_id),
	};

	return (cmocka_run_group_tests_name("ops/accounts", tests, NULL, NULL));
}
