/*
 * Tests for src/ops/letters.c: who may ask for letters and how many, the
 * reminder once a day, cancelling, the writer's link (single use,
 * expiring, replaced by a reminder), only a checked PDF being received,
 * and what each role sees: the applicant the status only, never a
 * letter's size, hash or file, whether or not they waived the right to
 * read it.
 */
#include "ops/fixture.h"
#include "ops/letters.h"
#include "ops/review.h"

/* Asks for a letter from email as actor; the result, the letter's id in
 * *id when OPS_OK. */
static int
ask(struct fx *f, int64_t actor, int64_t app, const char *email, int waived,
    int64_t *id, struct ops_error *e)
{
	struct ops_letter_ask in = { "Dr. Writer", email, waived };
	json_t		     *out = NULL;
	int		      rc;

	rc = ops_letter_request(
	    f->db, &f->set, fx_as(f, actor), app, &in, f->now, &out, e);
	if (rc == OPS_OK) {
		if (id != NULL)
			*id = json_integer_value(json_object_get(
			    json_object_get(out, "letter"), "id"));
	} else
		assert_null(out);
	json_decref(out);
	return (rc);
}

/* The link in the newest mail to email: its token into out; returns how
 * many mails email has. */
struct link_search {
	const char *to;
	char	    token[TOKEN_LEN + 1];
	int	    mails;
};

static int
find_link(void *arg, const struct db_mail_row *m)
{
	struct link_search *s = arg;
	const char	   *p;

	if (strcmp(m->to, s->to) != 0)
		return (0);
	if (s->mails++ == 0 && (p = strstr(m->body, "/#/letter/")) != NULL)
		(void)snprintf(
		    s->token, sizeof(s->token), "%.*s", TOKEN_LEN, p + 10);
	return (0);
}

static int
link_of(struct fx *f, const char *email, char token[TOKEN_LEN + 1])
{
	struct link_search s = { email, "", 0 };

	assert_int_equal(
	    db_outbox_list(f->db, 0, INT64_MAX, 1000, find_link, &s), 0);
	(void)snprintf(token, TOKEN_LEN + 1, "%s", s.token);
	return (s.mails);
}

/* Opens a link; the result. */
static int
open_link(struct fx *f, const char *token)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int		 rc;

	rc = ops_letter_open(f->db, token, f->now, &out, &e);
	if (rc != OPS_OK)
		assert_null(out);
	json_decref(out);
	return (rc);
}

/* The writer uploads a PDF saying text (or, when text is NULL, a file
 * that is not a PDF) through token; the result. */
static int
receive(struct fx *f, const char *token, const char *text, struct ops_error *e)
{
	struct ops_upload up;
	json_t		 *out = NULL;
	int		  rc;

	if (text != NULL)
		fx_upload(f, text, &up);
	else
		assert_int_equal(
		    fx_upload_bytes(f, "<html>not a pdf</html>", 22, &up),
		    OPS_OK);
	rc = ops_letter_receive(f->db, token, &up, f->now, &out, e);
	assert_string_equal(up.file.path, "");
	if (rc == OPS_OK)
		assert_string_equal(
		    json_string_value(json_object_get(out, "status")),
		    "received");
	else
		assert_null(out);
	json_decref(out);
	return (rc);
}

/* The letters of app as actor sees them (a new reference), or NULL. */
static json_t *
letters(struct fx *f, int64_t actor, int64_t app, int *rc)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	*rc = ops_letters_list(f->db, fx_as(f, actor), app, &out, &e);
	return (out);
}

static int
remind(struct fx *f, int64_t actor, int64_t letter, struct ops_error *e)
{
	json_t *out = NULL;
	int	rc;

	rc = ops_letter_remind(
	    f->db, &f->set, fx_as(f, actor), letter, f->now, &out, e);
	if (rc == OPS_OK)
		assert_string_equal(
		    json_string_value(json_object_get(out, "status")), "sent");
	json_decref(out);
	return (rc);
}

static int
cancel(struct fx *f, int64_t actor, int64_t letter, struct ops_error *e)
{
	json_t *out = NULL;
	int	rc;

	rc = ops_letter_cancel(f->db, fx_as(f, actor), letter, &out, e);
	json_decref(out);
	return (rc);
}

static int64_t
draft(struct fx *f)
{
	return (fx_application(f, f->applicant[0], f->cycle, "Draft", 0));
}

static void
test_the_applicant_asks_and_the_writer_is_mailed_a_link(void **state)
{
	struct fx	     *f = *state;
	struct ops_error      e = { 0 };
	struct ops_letter_ask in = { "Dr. Writer", "w1@example.org", 1 };
	json_t		     *out = NULL, *l;
	char		      token[TOKEN_LEN + 1];
	int64_t		      app = draft(f);

	assert_int_equal(
	    ops_letter_request(f->db, &f->set, fx_as(f, f->applicant[0]), app,
		&in, f->now, &out, &e),
	    OPS_OK);
	l = json_object_get(out, "letter");
	assert_string_equal(
	    json_string_value(json_object_get(l, "status")), "requested");
	assert_true(json_is_true(json_object_get(l, "waived")));
	assert_string_equal(
	    json_string_value(json_object_get(l, "writer_email")),
	    "w1@example.org");
	assert_null(json_object_get(l, "size"));
	assert_null(json_object_get(l, "sha256"));
	json_decref(out);
	assert_int_equal(link_of(f, "w1@example.org", token), 1);
	assert_int_equal(strlen(token), TOKEN_LEN);
	assert_int_equal(
	    ops_letter_open(f->db, token, f->now, &out, &e), OPS_OK);
	assert_string_equal(
	    json_string_value(json_object_get(out, "writer_name")),
	    "Dr. Writer");
	assert_string_equal(json_string_value(json_object_get(out, "program")),
	    "Test Fellowship 2027");
	assert_non_null(json_string_value(json_object_get(out, "applicant")));
	json_decref(out);
}

static void
test_only_the_applicant_asks_with_a_valid_writer(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	int64_t		 app = draft(f);
	int64_t		 who[] = { f->applicant[1], f->coordinator, f->director,
			 f->faculty[0] };
	struct ops_letter_ask bad[] = { { "", "w@example.org", 0 },
		{ "Dr. W", "not an address", 0 } };
	const char	     *field[] = { "writer_name", "writer_email" };
	json_t		     *out = NULL;
	size_t		      i;

	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++)
		assert_int_equal(
		    ask(f, who[i], app, "w@example.org", 0, NULL, &e),
		    OPS_NOT_FOUND);
	for (i = 0; i < 2; i++) {
		assert_int_equal(ops_letter_request(f->db, &f->set,
				     fx_as(f, f->applicant[0]), app, &bad[i],
				     f->now, &out, &e),
		    OPS_INVALID);
		assert_string_equal(e.field, field[i]);
	}
	assert_int_equal(link_of(f, "w@example.org", (char[44]){ 0 }), 0);
}

static void
test_six_letters_at_most_and_cancelled_ones_do_not_count(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	char		 email[64];
	int64_t		 app = draft(f), first = 0, id;
	int		 i;

	for (i = 0; i < OPS_LETTERS_MAX; i++) {
		(void)snprintf(email, sizeof(email), "w%d@example.org", i);
		assert_int_equal(
		    ask(f, f->applicant[0], app, email, i % 2, &id, &e),
		    OPS_OK);
		if (i == 0)
			first = id;
	}
	assert_int_equal(
	    ask(f, f->applicant[0], app, "w7@example.org", 0, NULL, &e),
	    OPS_CONFLICT);
	assert_int_equal(cancel(f, f->applicant[0], first, &e), OPS_OK);
	assert_int_equal(
	    ask(f, f->applicant[0], app, "w7@example.org", 0, NULL, &e),
	    OPS_OK);
}

static void
test_a_withdrawn_application_asks_for_nothing(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL;
	int64_t		 app = draft(f);

	assert_int_equal(ops_application_withdraw(f->db, &f->set,
			     fx_as(f, f->applicant[0]), app, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(
	    ask(f, f->applicant[0], app, "w@example.org", 0, NULL, &e),
	    OPS_FORBIDDEN);
}

static void
test_a_reminder_once_a_day_replaces_the_link(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	char		 old[TOKEN_LEN + 1], new[TOKEN_LEN + 1];
	int64_t		 app = draft(f), id;

	assert_int_equal(
	    ask(f, f->applicant[0], app, "w@example.org", 1, &id, &e), OPS_OK);
	(void)link_of(f, "w@example.org", old);
	fx_set_now(f, f->now + OPS_REMIND_INTERVAL - 10);
	assert_int_equal(remind(f, f->applicant[0], id, &e), OPS_THROTTLED);
	assert_int_equal(e.retry_after, 10);
	assert_int_equal(remind(f, f->applicant[1], id, &e), OPS_NOT_FOUND);
	assert_int_equal(remind(f, f->coordinator, id, &e), OPS_NOT_FOUND);
	fx_set_now(f, f->now + 10);
	assert_int_equal(remind(f, f->applicant[0], id, &e), OPS_OK);
	assert_int_equal(link_of(f, "w@example.org", new), 2);
	assert_string_not_equal(old, new);
	assert_int_equal(open_link(f, old), OPS_TOKEN_INVALID);
	assert_int_equal(open_link(f, new), OPS_OK);
	/* The next one a day after this one. */
	assert_int_equal(remind(f, f->applicant[0], id, &e), OPS_THROTTLED);
	assert_int_equal(e.retry_after, OPS_REMIND_INTERVAL);
}

static void
test_cancel_kills_the_link_once(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	char		 token[TOKEN_LEN + 1];
	int64_t		 app = draft(f), id;

	assert_int_equal(
	    ask(f, f->applicant[0], app, "w@example.org", 0, &id, &e), OPS_OK);
	(void)link_of(f, "w@example.org", token);
	assert_int_equal(cancel(f, f->applicant[1], id, &e), OPS_NOT_FOUND);
	assert_int_equal(cancel(f, f->director, id, &e), OPS_NOT_FOUND);
	assert_int_equal(cancel(f, f->applicant[0], 999999, &e), OPS_NOT_FOUND);
	assert_int_equal(cancel(f, f->applicant[0], id, &e), OPS_OK);
	assert_int_equal(cancel(f, f->applicant[0], id, &e), OPS_CONFLICT);
	assert_int_equal(open_link(f, token), OPS_TOKEN_INVALID);
	assert_int_equal(receive(f, token, "Too late", &e), OPS_TOKEN_INVALID);
	fx_set_now(f, f->now + 2 * OPS_REMIND_INTERVAL);
	assert_int_equal(remind(f, f->applicant[0], id, &e), OPS_CONFLICT);
}

static void
test_the_link_is_single_use_and_expires(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	char		 token[TOKEN_LEN + 1], later[TOKEN_LEN + 1];
	int64_t		 app = draft(f), id, start = f->now;

	assert_int_equal(
	    ask(f, f->applicant[0], app, "w@example.org", 0, &id, &e), OPS_OK);
	(void)link_of(f, "w@example.org", token);
	assert_int_equal(open_link(f, "not a token"), OPS_TOKEN_INVALID);
	assert_int_equal(
	    open_link(f, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
	    OPS_TOKEN_INVALID);
	/* A file the check refused leaves the link alive. */
	assert_int_equal(receive(f, token, NULL, &e), OPS_INVALID);
	assert_string_equal(e.field, "file");
	fx_set_now(f, start + OPS_LETTER_SECONDS - 1);
	assert_int_equal(open_link(f, token), OPS_OK);
	assert_int_equal(receive(f, token, "The letter", &e), OPS_OK);
	assert_int_equal(open_link(f, token), OPS_TOKEN_INVALID);
	assert_int_equal(receive(f, token, "Again", &e), OPS_TOKEN_INVALID);
	assert_string_equal(e.field, "token");
	assert_int_equal(remind(f, f->applicant[0], id, &e), OPS_CONFLICT);
	assert_int_equal(cancel(f, f->applicant[0], id, &e), OPS_CONFLICT);
	/* Another request's link dies at its expiry. */
	fx_set_now(f, start);
	assert_int_equal(
	    ask(f, f->applicant[0], app, "late@example.org", 0, &id, &e),
	    OPS_OK);
	(void)link_of(f, "late@example.org", later);
	fx_set_now(f, start + OPS_LETTER_SECONDS);
	assert_int_equal(open_link(f, later), OPS_TOKEN_INVALID);
	assert_int_equal(receive(f, later, "Expired", &e), OPS_TOKEN_INVALID);
}

/* A submitted application of applicant[1] with a waived and a non-waived
 * letter received, assigned to faculty[0]; their ids into ids[2]. */
static int64_t
with_letters(struct fx *f, int64_t ids[2])
{
	struct ops_error e = { 0 };
	json_t		*items, *out = NULL;
	char		 token[TOKEN_LEN + 1], email[32];
	int64_t		 app;
	int		 i;

	app = fx_application(f, f->applicant[1], f->cycle, "Lettered", 0);
	for (i = 0; i < 2; i++) {
		(void)snprintf(email, sizeof(email), "w%d@example.org", i);
		assert_int_equal(
		    ask(f, f->applicant[1], app, email, i == 0, &ids[i], &e),
		    OPS_OK);
		(void)link_of(f, email, token);
		assert_int_equal(
		    receive(
			f, token, i == 0 ? "Waived letter" : "Open letter", &e),
		    OPS_OK);
	}
	assert_int_equal(
	    ops_application_submit(f->db, &f->set, fx_as(f, f->applicant[1]),
		f->cycle, f->now, &out, &e),
	    OPS_OK);
	json_decref(out);
	fx_cycle_state(f, f->cycle, "review");
	items = json_pack("[{s:I,s:I,s:s}]", "faculty_id",
	    (json_int_t)f->faculty[0], "application_id", (json_int_t)app,
	    "phase", "screening");
	assert_int_equal(ops_assignments_set(f->db, fx_as(f, f->coordinator),
			     f->cycle, items, f->now, &out, &e),
	    OPS_OK);
	json_decref(items);
	json_decref(out);
	return (app);
}

static void
test_the_applicant_sees_the_status_only(void **state)
{
	struct fx *f = *state;
	json_t	  *v, *l;
	int64_t	   ids[2], app = with_letters(f, ids);
	size_t	   i;
	int	   rc;

	v = letters(f, f->applicant[1], app, &rc);
	assert_int_equal(rc, OPS_OK);
	assert_int_equal(json_array_size(json_object_get(v, "letters")), 2);
	json_array_foreach(json_object_get(v, "letters"), i, l)
	{
		assert_string_equal(
		    json_string_value(json_object_get(l, "status")),
		    "received");
		assert_non_null(json_object_get(l, "received_at"));
		assert_null(json_object_get(l, "size"));
		assert_null(json_object_get(l, "sha256"));
	}
	json_decref(v);
	/* Staff and the assigned rater see the size of a received letter,
	 * never its hash. */
	v = letters(f, f->coordinator, app, &rc);
	l = json_array_get(json_object_get(v, "letters"), 0);
	assert_true(json_integer_value(json_object_get(l, "size")) > 100);
	assert_null(json_object_get(l, "sha256"));
	json_decref(v);
	v = letters(f, f->faculty[0], app, &rc);
	assert_int_equal(rc, OPS_OK);
	json_decref(v);
	assert_null(letters(f, f->faculty[1], app, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	assert_null(letters(f, f->applicant[0], app, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
}

static void
test_the_file_never_goes_to_the_applicant_waived_or_not(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct ops_file	 file;
	char		 dir[DB_FILE_PATH_MAX];
	int64_t		 ids[2], app = with_letters(f, ids), pending;
	int		 i;

	fx_docs(f, dir);
	for (i = 0; i < 2; i++) {
		assert_int_equal(
		    ops_letter_file(f->db, fx_as(f, f->applicant[1]), ids[i],
			dir, &file, &e),
		    OPS_NOT_FOUND);
		assert_int_equal(
		    ops_letter_file(f->db, fx_as(f, f->applicant[0]), ids[i],
			dir, &file, &e),
		    OPS_NOT_FOUND);
		assert_int_equal(ops_letter_file(f->db, fx_as(f, f->faculty[1]),
				     ids[i], dir, &file, &e),
		    OPS_NOT_FOUND);
		assert_int_equal(ops_letter_file(f->db, fx_as(f, f->faculty[0]),
				     ids[i], dir, &file, &e),
		    OPS_OK);
		assert_int_equal(
		    ops_letter_file(f->db, fx_as(f, f->coordinator), ids[i],
			dir, &file, &e),
		    OPS_OK);
		assert_int_equal(access(file.path, R_OK), 0);
		assert_non_null(strstr(file.name, "letter-"));
	}
	/* A letter not received has no file, for anyone. */
	assert_int_equal(
	    ask(f, f->applicant[1], app, "w@example.org", 0, &pending, &e),
	    OPS_OK);
	assert_int_equal(ops_letter_file(f->db, fx_as(f, f->director), pending,
			     dir, &file, &e),
	    OPS_NOT_FOUND);
	assert_int_equal(ops_letter_file(f->db, fx_as(f, f->director), 999999,
			     dir, &file, &e),
	    OPS_NOT_FOUND);
}

static void
test_a_received_letter_keeps_its_file_through_the_sweep(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct ops_file	 file;
	struct db_sweep	 sw;
	char		 dir[DB_FILE_PATH_MAX], err[256];
	int64_t		 ids[2];

	(void)with_letters(f, ids);
	fx_docs(f, dir);
	assert_int_equal(db_files_sweep(f->db, dir, f->now + FX_DAY, 0, &sw,
			     err, sizeof(err)),
	    0);
	assert_int_equal(sw.removed, 0);
	assert_int_equal(ops_letter_file(f->db, fx_as(f, f->coordinator),
			     ids[0], dir, &file, &e),
	    OPS_OK);
	assert_int_equal(access(file.path, R_OK), 0);
}

static int
count_row(void *arg, const struct db_mail_row *m)
{
	(void)m;
	(*(int *)arg)++;
	return (0);
}

/* How many mails the outbox holds. */
static int
queued(struct fx *f)
{
	int n = 0;

	assert_int_equal(
	    db_outbox_list(f->db, 0, INT64_MAX, 100000, count_row, &n), 0);
	return (n);
}

static int
count_letter(void *arg, const struct db_letter *l)
{
	(void)l;
	(*(int *)arg)++;
	return (0);
}

/* How many letters (any status) app has. */
static int
letter_rows(struct fx *f, int64_t app)
{
	int n = 0;

	assert_int_equal(db_letter_list(f->db, app, count_letter, &n), 0);
	return (n);
}

/* A request to email and its cancellation: one letter mail. */
static void
ask_and_cancel(struct fx *f, int64_t actor, int64_t app, const char *email)
{
	struct ops_error e = { 0 };
	int64_t		 id;

	assert_int_equal(ask(f, actor, app, email, 0, &id, &e), OPS_OK);
	assert_int_equal(cancel(f, actor, id, &e), OPS_OK);
}

static void
test_an_applicant_sends_ten_letter_mails_a_rolling_day(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	char		 email[64];
	int64_t		 app = draft(f), start = f->now;
	int64_t		 other =
	    fx_application(f, f->applicant[1], f->cycle, "Other", 0);
	int i, mails, rows;

	/* The loop that queued mail to anyone: ask, cancel, ask again. One
	 * an hour, ten in all. */
	for (i = 0; i < 10; i++) {
		fx_set_now(f, start + i * FX_HOUR);
		(void)snprintf(email, sizeof(email), "loop%d@example.org", i);
		ask_and_cancel(f, f->applicant[0], app, email);
	}
	mails = queued(f);
	rows = letter_rows(f, app);
	/* The 11th is refused, naming the limit and when it resets: when
	 * the first leaves the rolling day. Nothing stored or queued. */
	assert_int_equal(
	    ask(f, f->applicant[0], app, "more@example.org", 0, NULL, &e),
	    OPS_THROTTLED);
	assert_int_equal(e.retry_after, FX_DAY - 9 * FX_HOUR);
	assert_non_null(
	    strstr(e.message, "(limit letter_mails_per_applicant)"));
	assert_non_null(strstr(e.message,
	    "the next can go in 15 hours, on "
	    "Monday, 7 December 2026 at 15:00 "
	    "(UTC)."));
	assert_int_equal(queued(f), mails);
	assert_int_equal(letter_rows(f, app), rows);
	/* Another applicant is not held back. */
	assert_int_equal(
	    ask(f, f->applicant[1], other, "more@example.org", 0, NULL, &e),
	    OPS_OK);
	/* A day after the first, one more may go; then an hour's wait. */
	fx_set_now(f, start + FX_DAY - 1);
	assert_int_equal(
	    ask(f, f->applicant[0], app, "more@example.org", 0, NULL, &e),
	    OPS_THROTTLED);
	assert_int_equal(e.retry_after, 1);
	fx_set_now(f, start + FX_DAY);
	assert_int_equal(
	    ask(f, f->applicant[0], app, "more@example.org", 0, NULL, &e),
	    OPS_OK);
	assert_int_equal(
	    ask(f, f->applicant[0], app, "more2@example.org", 0, NULL, &e),
	    OPS_THROTTLED);
	assert_int_equal(e.retry_after, FX_HOUR);
	/* The daily purge forgets only what left the window: the five in
	 * it still count. */
	fx_set_now(f, start + FX_DAY + 5 * FX_HOUR + 30);
	assert_int_equal(ops_letter_mails_purge(f->db, f->now), 6);
	for (i = 0; i < 5; i++) {
		(void)snprintf(email, sizeof(email), "next%d@example.org", i);
		ask_and_cancel(f, f->applicant[0], app, email);
	}
	assert_int_equal(
	    ask(f, f->applicant[0], app, "more2@example.org", 0, NULL, &e),
	    OPS_THROTTLED);
	assert_int_equal(e.retry_after, FX_HOUR - 30);
}

static void
test_a_reminder_is_a_letter_mail_and_counts(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	char		 email[64], token[TOKEN_LEN + 1], after[TOKEN_LEN + 1];
	int64_t		 app = draft(f), start = f->now, letter;
	int		 i, mails;

	assert_int_equal(
	    ask(f, f->applicant[0], app, "kept@example.org", 0, &letter, &e),
	    OPS_OK);
	fx_set_now(f, start + 2 * FX_HOUR);
	for (i = 0; i < 9; i++) {
		(void)snprintf(email, sizeof(email), "r%d@example.org", i);
		ask_and_cancel(f, f->applicant[0], app, email);
	}
	/* A day later the first request has left the window: a reminder
	 * goes, as the tenth of the day. */
	fx_set_now(f, start + FX_DAY);
	assert_int_equal(remind(f, f->applicant[0], letter, &e), OPS_OK);
	assert_int_equal(
	    ask(f, f->applicant[0], app, "x@example.org", 0, NULL, &e),
	    OPS_THROTTLED);
	/* A reminder past the cap is refused like a request: no mail, and
	 * the link is the one already sent. */
	fx_set_now(f, start + 2 * FX_DAY + FX_HOUR);
	for (i = 0; i < 9; i++) {
		(void)snprintf(email, sizeof(email), "s%d@example.org", i);
		ask_and_cancel(f, f->applicant[0], app, email);
	}
	/* The reminder of a day ago has left the window: nine requests
	 * and one more make ten, and the reminder is the eleventh. */
	assert_int_equal(
	    ask(f, f->applicant[0], app, "t@example.org", 0, NULL, &e), OPS_OK);
	(void)link_of(f, "kept@example.org", token);
	mails = queued(f);
	assert_int_equal(remind(f, f->applicant[0], letter, &e), OPS_THROTTLED);
	assert_non_null(
	    strstr(e.message, "(limit letter_mails_per_applicant)"));
	assert_int_equal(queued(f), mails);
	(void)link_of(f, "kept@example.org", after);
	assert_string_equal(token, after);
	assert_int_equal(open_link(f, token), OPS_OK);
}

static void
test_one_address_gets_five_letter_mails_a_day_whoever_asks(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	/* One mailbox, as typed by several applicants. */
	const char *as[] = { "Prof@Example.org", "prof@example.org",
		"prof+ann@example.org", "PROF+x@example.org",
		"prof@EXAMPLE.ORG" };
	int64_t	    apps[FX_APPLICANTS], start = f->now;
	size_t	    i;
	int	    mails;

	for (i = 0; i < FX_APPLICANTS; i++)
		apps[i] = fx_application(
		    f, f->applicant[i], f->cycle, "Applicant", 0);
	for (i = 0; i < 5; i++) {
		fx_set_now(f, start + (int64_t)i * 60);
		assert_int_equal(
		    ask(f, f->applicant[i % FX_APPLICANTS],
			apps[i % FX_APPLICANTS], as[i], 0, NULL, &e),
		    OPS_OK);
	}
	mails = queued(f);
	assert_int_equal(ask(f, f->applicant[3], apps[3],
			     "prof+new@example.org", 0, NULL, &e),
	    OPS_THROTTLED);
	assert_non_null(strstr(e.message, "(limit letter_mails_per_address)"));
	assert_non_null(strstr(e.message, "This address has had as many"));
	assert_int_equal(e.retry_after, FX_DAY - 4 * 60);
	assert_int_equal(queued(f), mails);
	assert_int_equal(letter_rows(f, apps[3]), 1);
	/* Another address is fine; the next day, this one too. */
	assert_int_equal(ask(f, f->applicant[3], apps[3], "another@example.org",
			     0, NULL, &e),
	    OPS_OK);
	fx_set_now(f, start + FX_DAY);
	assert_int_equal(
	    ask(f, f->applicant[3], apps[3], "prof@example.org", 0, NULL, &e),
	    OPS_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_the_applicant_asks_and_the_writer_is_mailed_a_link,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_only_the_applicant_asks_with_a_valid_writer, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_six_letters_at_most_and_cancelled_ones_do_not_count,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_withdrawn_application_asks_for_nothing, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_reminder_once_a_day_replaces_the_link, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cancel_kills_the_link_once, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_link_is_single_use_and_expires, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_applicant_sees_the_status_only, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_file_never_goes_to_the_applicant_waived_or_not,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_received_letter_keeps_its_file_through_the_sweep,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_an_applicant_sends_ten_letter_mails_a_rolling_day,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_reminder_is_a_letter_mail_and_counts, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_one_address_gets_five_letter_mails_a_day_whoever_asks,
		    fx_setup, fx_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
