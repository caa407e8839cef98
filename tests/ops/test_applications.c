/*
 * Tests for src/ops/applications.c: the applicant's draft (created on the
 * first visit while the cycle accepts applications, saved field by field
 * with every value checked and nothing saved on a refusal), submission
 * with its checklist, the deadline at the fixed clock either side of the
 * close, withdrawal and reopening, who sees one application, and the
 * list: staff see every application with the filters and pages, faculty
 * only the submitted ones assigned to them without a conflict, with the
 * same checklist count as the application's own view.
 */
#include "ops/fixture.h"
#include "ops/letters.h"
#include "ops/review.h"

/* A field set missing nothing (with the fixture's documents). */
static json_t *
complete_fields(const char *last_name)
{
	return (json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:i,s:i,s:s}",
	    "first_name", "Lena", "last_name", last_name, "email",
	    "lena@example.org", "phone", "+1 (617) 555-0100", "mailing_address",
	    "1 Main Street", "medical_school", "Charité Berlin",
	    "medical_school_year", 2018, "residency_program",
	    "MGH Orthopaedic Surgery", "residency_year", 2025,
	    "publications_count", 7, "research_summary", "Sarcoma outcomes."));
}

/* The applicant's own application in cycle at now (its "application"
 * object, a new reference), or NULL with the result in *rc. */
static json_t *
mine_at(struct fx *f, int who, int64_t cycle, int64_t now, int *rc)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *a;

	*rc = ops_application_mine(
	    f->db, fx_as(f, f->applicant[who]), cycle, now, &out, &e);
	if (*rc != OPS_OK) {
		assert_null(out);
		return (NULL);
	}
	a = json_incref(json_object_get(out, "application"));
	json_decref(out);
	return (a);
}

static json_t *
mine(struct fx *f, int who)
{
	json_t *a;
	int	rc;

	assert_non_null(a = mine_at(f, who, f->cycle, f->now, &rc));
	return (a);
}

/* Saves changes (a reference this steals) for applicant who at now. */
static int
save_at(
    struct fx *f, int who, json_t *changes, int64_t now, struct ops_error *e)
{
	json_t *out = NULL;
	int	rc;

	memset(e, 0, sizeof(*e));
	rc = ops_application_save(f->db, fx_as(f, f->applicant[who]), f->cycle,
	    changes, now, &out, e);
	json_decref(changes);
	if (rc != OPS_OK)
		assert_null(out);
	json_decref(out);
	return (rc);
}

/* Submits for applicant who; *out as the operation gave it. */
static int
submit(struct fx *f, int who, json_t **out, struct ops_error *e)
{
	memset(e, 0, sizeof(*e));
	*out = NULL;
	return (ops_application_submit(f->db, &f->set,
	    fx_as(f, f->applicant[who]), f->cycle, f->now, out, e));
}

/* The keys of a {key, label} array, joined by spaces. */
static void
keys_of(const json_t *missing, char *out, size_t len)
{
	json_t *m;
	size_t	i, off = 0;

	out[0] = '\0';
	json_array_foreach(missing, i, m)
	{
		off += (size_t)snprintf(out + off, len - off, "%s%s",
		    i > 0 ? " " : "",
		    json_string_value(json_object_get(m, "key")));
		assert_true(off < len);
		assert_non_null(json_string_value(json_object_get(m, "label")));
	}
}

static int64_t
id_of(const json_t *o)
{
	return (json_integer_value(json_object_get(o, "id")));
}

/* Adds a CV and a personal statement to application app of who. */
static void
documents(struct fx *f, int who, int64_t app)
{
	struct ops_error  e = { 0 };
	struct ops_upload up;
	json_t		 *doc;
	int		  k;

	for (k = 0; k < 2; k++) {
		fx_upload(f, k == 0 ? "A CV" : "A statement", &up);
		assert_int_equal(
		    ops_document_add(f->db, fx_as(f, f->applicant[who]), app,
			k == 0 ? DOC_CV : DOC_PERSONAL_STATEMENT, &up, f->now,
			&doc, &e),
		    OPS_OK);
		json_decref(doc);
	}
}

static void
test_only_applicants_have_applications(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	json_t		*out = NULL, *in = json_object();
	int64_t		 who[] = { f->faculty[0], f->coordinator, f->director };
	size_t		 i;

	for (i = 0; i < 3; i++) {
		assert_int_equal(ops_application_mine(f->db, fx_as(f, who[i]),
				     f->cycle, f->now, &out, &e),
		    OPS_FORBIDDEN);
		assert_int_equal(ops_application_save(f->db, fx_as(f, who[i]),
				     f->cycle, in, f->now, &out, &e),
		    OPS_FORBIDDEN);
		assert_int_equal(
		    ops_application_submit(f->db, &f->set, fx_as(f, who[i]),
			f->cycle, f->now, &out, &e),
		    OPS_FORBIDDEN);
		assert_null(out);
	}
	json_decref(in);
}

static void
test_the_first_visit_makes_a_draft_with_its_checklist(void **state)
{
	struct fx *f = *state;
	json_t	  *a, *b;
	char	   keys[512];

	a = mine(f, 0);
	assert_string_equal(
	    json_string_value(json_object_get(a, "status")), "draft");
	assert_true(json_is_true(json_object_get(a, "editable")));
	assert_true(json_is_false(json_object_get(a, "complete")));
	assert_int_equal(json_object_size(json_object_get(a, "fields")), 0);
	assert_true(json_array_size(json_object_get(a, "schema")) > 11);
	assert_true(json_is_null(json_object_get(a, "submitted_at")));
	/* Every required field, then both documents. */
	keys_of(json_object_get(a, "missing"), keys, sizeof(keys));
	assert_string_equal(keys,
	    "first_name last_name email phone mailing_address "
	    "medical_school medical_school_year residency_program "
	    "residency_year publications_count research_summary cv "
	    "personal_statement");
	/* The second visit finds the same draft. */
	b = mine(f, 0);
	assert_int_equal(id_of(a), id_of(b));
	json_decref(a);
	json_decref(b);
}

static void
test_no_application_where_the_cycle_is_hidden_or_absent(void **state)
{
	struct fx *f = *state;
	int64_t	   hidden = fx_cycle(f, "Setup only", "setup");
	int	   rc;

	assert_null(mine_at(f, 0, hidden, f->now, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	assert_null(mine_at(f, 0, 999, f->now, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
}

static void
test_the_deadline_at_the_fixed_clock(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	struct db_cycle	 c;
	json_t		*a;
	int		 rc;

	assert_int_equal(db_cycle_by_id(f->db, f->cycle, &c), 1);
	/* A second before the close: a first visit makes a draft, and it
	 * saves. */
	a = mine_at(f, 0, f->cycle, c.close_at - 1, &rc);
	assert_int_equal(rc, OPS_OK);
	assert_true(json_is_true(json_object_get(a, "editable")));
	json_decref(a);
	assert_int_equal(
	    save_at(f, 0, json_pack("{s:s}", "first_name", "Early"),
		c.close_at - 1, &e),
	    OPS_OK);
	/* At the close: no more saving; the draft is shown, not editable;
	 * a newcomer finds nothing. */
	assert_int_equal(save_at(f, 0, json_pack("{s:s}", "first_name", "Late"),
			     c.close_at, &e),
	    OPS_FORBIDDEN);
	assert_non_null(strstr(e.message, "deadline"));
	a = mine_at(f, 0, f->cycle, c.close_at, &rc);
	assert_int_equal(rc, OPS_OK);
	assert_true(json_is_false(json_object_get(a, "editable")));
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(a, "fields"), "first_name")),
	    "Early");
	json_decref(a);
	assert_null(mine_at(f, 1, f->cycle, c.close_at, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	/* Before the opening: nothing either. */
	assert_null(mine_at(f, 2, f->cycle, c.open_at - 1, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	a = mine_at(f, 2, f->cycle, c.open_at, &rc);
	assert_int_equal(rc, OPS_OK);
	json_decref(a);
}

static void
test_every_value_is_checked_and_a_refusal_saves_nothing(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*a;

	json_decref(mine(f, 0));
	assert_int_equal(
	    save_at(f, 0,
		json_pack("{s:s,s:s}", "first_name", "Ok", "aamc_id", "bad"),
		f->now, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "aamc_id");
	assert_int_equal(
	    save_at(f, 0, json_pack("{s:s}", "favourite", "x"), f->now, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "favourite");
	assert_int_equal(
	    save_at(f, 0, json_pack("{s:i}", "first_name", 5), f->now, &e),
	    OPS_INVALID);
	assert_int_equal(
	    save_at(f, 0, json_pack("[s]", "first_name"), f->now, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "fields");
	a = mine(f, 0);
	assert_int_equal(json_object_size(json_object_get(a, "fields")), 0);
	json_decref(a);
	/* null clears an optional field. */
	assert_int_equal(
	    save_at(
		f, 0, json_pack("{s:s}", "aamc_id", "12345678"), f->now, &e),
	    OPS_OK);
	assert_int_equal(
	    save_at(f, 0, json_pack("{s:n}", "aamc_id"), f->now, &e), OPS_OK);
	a = mine(f, 0);
	assert_null(json_object_get(json_object_get(a, "fields"), "aamc_id"));
	json_decref(a);
}

static void
test_submission_lists_what_is_missing_then_locks(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	json_t		*a, *out;
	char		 keys[512];
	int64_t		 app;

	a = mine(f, 0);
	app = id_of(a);
	json_decref(a);
	assert_int_equal(
	    save_at(f, 0, json_pack("{s:s}", "first_name", "Sub"), f->now, &e),
	    OPS_OK);
	assert_int_equal(submit(f, 0, &out, &e), OPS_INVALID);
	keys_of(json_object_get(out, "missing"), keys, sizeof(keys));
	assert_null(strstr(keys, "first_name"));
	assert_non_null(strstr(keys, "last_name"));
	assert_non_null(e.message[0] != '\0' ? e.message : NULL);
	json_decref(out);
	assert_int_equal(
	    save_at(f, 0, complete_fields("Fischer"), f->now, &e), OPS_OK);
	assert_int_equal(submit(f, 0, &out, &e), OPS_INVALID);
	keys_of(json_object_get(out, "missing"), keys, sizeof(keys));
	assert_string_equal(keys, "cv personal_statement");
	json_decref(out);
	documents(f, 0, app);
	assert_int_equal(submit(f, 0, &out, &e), OPS_OK);
	a = json_object_get(out, "application");
	assert_string_equal(
	    json_string_value(json_object_get(a, "status")), "submitted");
	assert_non_null(json_string_value(json_object_get(a, "submitted_at")));
	assert_true(json_is_false(json_object_get(a, "editable")));
	assert_true(json_is_true(json_object_get(a, "complete")));
	json_decref(out);
	/* Submitted: no more changes, no second submission. */
	assert_int_equal(
	    save_at(f, 0, json_pack("{s:s}", "first_name", "X"), f->now, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(submit(f, 0, &out, &e), OPS_FORBIDDEN);
	assert_null(out);
	/* Someone with no application has nothing to submit. */
	assert_int_equal(submit(f, 1, &out, &e), OPS_NOT_FOUND);
}

/* Withdraws app as actor. */
static int
withdraw(struct fx *f, int64_t actor, int64_t app, struct ops_error *e)
{
	json_t *out = NULL;
	int	rc;

	memset(e, 0, sizeof(*e));
	rc = ops_application_withdraw(
	    f->db, &f->set, fx_as(f, actor), app, f->now, &out, e);
	if (rc == OPS_OK)
		assert_string_equal(
		    json_string_value(json_object_get(out, "status")),
		    "withdrawn");
	else
		assert_null(out);
	json_decref(out);
	return (rc);
}

/* Reopens app as actor. */
static int
reopen(struct fx *f, int64_t actor, int64_t app, struct ops_error *e)
{
	json_t *out = NULL;
	int	rc;

	memset(e, 0, sizeof(*e));
	rc = ops_application_reopen(f->db, fx_as(f, actor), app, &out, e);
	if (rc == OPS_OK)
		assert_string_equal(
		    json_string_value(json_object_get(out, "status")), "draft");
	else
		assert_null(out);
	json_decref(out);
	return (rc);
}

/* Collects the newest audit actions of an object. */
struct actions {
	const char *object;
	char	    text[256];
};

static int
add_action(void *arg, const struct db_audit_row *r)
{
	struct actions *a = arg;
	size_t		n = strlen(a->text);

	if (r->object != NULL && strcmp(r->object, a->object) == 0)
		(void)snprintf(a->text + n, sizeof(a->text) - n, "%s%s",
		    n > 0 ? " " : "", r->action);
	return (0);
}

static void
test_withdrawal_and_reopening(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	struct actions	 log = { NULL, "" };
	char		 object[64];
	int64_t		 app =
	    fx_application(f, f->applicant[0], f->cycle, "Lovelace", 1);

	/* Staff reopen; nobody else. */
	assert_int_equal(reopen(f, f->faculty[0], app, &e), OPS_FORBIDDEN);
	assert_int_equal(reopen(f, f->applicant[0], app, &e), OPS_FORBIDDEN);
	assert_int_equal(reopen(f, f->coordinator, 999, &e), OPS_NOT_FOUND);
	assert_int_equal(reopen(f, f->coordinator, app, &e), OPS_OK);
	assert_int_equal(reopen(f, f->director, app, &e), OPS_CONFLICT);
	assert_int_equal(
	    save_at(
		f, 0, json_pack("{s:i}", "publications_count", 8), f->now, &e),
	    OPS_OK);
	/* Only its applicant withdraws, once. */
	assert_int_equal(withdraw(f, f->applicant[1], app, &e), OPS_NOT_FOUND);
	assert_int_equal(withdraw(f, f->coordinator, app, &e), OPS_NOT_FOUND);
	assert_int_equal(withdraw(f, f->faculty[0], app, &e), OPS_NOT_FOUND);
	assert_int_equal(withdraw(f, f->applicant[0], 999, &e), OPS_NOT_FOUND);
	assert_int_equal(withdraw(f, f->applicant[0], app, &e), OPS_OK);
	assert_int_equal(withdraw(f, f->applicant[0], app, &e), OPS_CONFLICT);
	/* A withdrawn application can be reopened too. */
	assert_int_equal(reopen(f, f->director, app, &e), OPS_OK);
	(void)snprintf(
	    object, sizeof(object), "application:%lld", (long long)app);
	log.object = object;
	assert_int_equal(
	    db_audit_list(f->db, 0, INT64_MAX, 4, add_action, &log), 0);
	assert_string_equal(log.text,
	    "application.reopen application.withdraw application.save "
	    "application.reopen");
}

/* The view of application app as actor (its "application", a new
 * reference), or NULL with the result in *rc. */
static json_t *
view(struct fx *f, int64_t actor, int64_t app, int *rc)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL, *a;

	*rc = ops_application_view(f->db, fx_as(f, actor), app, &out, &e);
	if (*rc != OPS_OK) {
		assert_null(out);
		return (NULL);
	}
	a = json_incref(json_object_get(out, "application"));
	json_decref(out);
	return (a);
}

/* Assigns faculty member i to app for screening. */
static void
assign(struct fx *f, int i, int64_t app)
{
	struct ops_error e = { 0 };
	json_t		*items, *out = NULL;

	items = json_pack("[{s:I,s:I,s:s}]", "faculty_id",
	    (json_int_t)f->faculty[i], "application_id", (json_int_t)app,
	    "phase", "screening");
	assert_int_equal(ops_assignments_set(f->db, fx_as(f, f->coordinator),
			     f->cycle, items, f->now, &out, &e),
	    OPS_OK);
	json_decref(items);
	json_decref(out);
}

/* Records a conflict of faculty member i with app. */
static void
conflict(struct fx *f, int i, int64_t app)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	assert_int_equal(ops_conflict_declare(f->db, fx_as(f, f->coordinator),
			     app, f->faculty[i], "conflict", "Home resident",
			     f->now, &out, NULL, &e),
	    OPS_OK);
	json_decref(out);
}

static void
test_who_sees_an_application(void **state)
{
	struct fx *f = *state;
	json_t	  *a;
	int64_t	   app;
	int	   rc;

	json_decref(mine(f, 0));
	a = mine(f, 0);
	app = id_of(a);
	json_decref(a);
	/* The owner and staff; the view has no "editable". */
	assert_non_null(a = view(f, f->applicant[0], app, &rc));
	assert_null(json_object_get(a, "editable"));
	assert_non_null(json_object_get(a, "schema"));
	json_decref(a);
	assert_non_null(a = view(f, f->coordinator, app, &rc));
	json_decref(a);
	assert_non_null(a = view(f, f->director, app, &rc));
	json_decref(a);
	assert_null(view(f, f->applicant[1], app, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	assert_null(view(f, f->faculty[0], app, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	assert_null(view(f, f->coordinator, 999, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	/* Faculty: submitted, assigned, without a conflict. */
	app = fx_application(f, f->applicant[1], f->cycle, "Hopper", 1);
	assert_null(view(f, f->faculty[0], app, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	assign(f, 0, app);
	assign(f, 1, app);
	assert_non_null(a = view(f, f->faculty[0], app, &rc));
	json_decref(a);
	conflict(f, 0, app);
	assert_null(view(f, f->faculty[0], app, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	assert_non_null(a = view(f, f->faculty[1], app, &rc));
	json_decref(a);
	assert_null(view(f, f->faculty[2], app, &rc));
}

/* A page of the list of cycle as actor (a new reference), or NULL with
 * the result in *rc. */
static json_t *
page(struct fx *f, int64_t actor, int64_t cycle, const char *status,
    const char *q, int64_t after, int64_t limit, int *rc)
{
	struct ops_app_query in = { status, q, after, limit };
	struct ops_error     e = { 0 };
	json_t		    *out = NULL;

	*rc =
	    ops_applications_list(f->db, fx_as(f, actor), cycle, &in, &out, &e);
	if (*rc != OPS_OK)
		assert_null(out);
	return (out);
}

/* The ids of a page, joined by spaces, and its next_after (-1: null). */
static int64_t
ids_of(const json_t *p, char *out, size_t len)
{
	const json_t *next = json_object_get(p, "next_after");
	json_t	     *r;
	size_t	      i, off = 0;

	out[0] = '\0';
	json_array_foreach(json_object_get(p, "applications"), i, r) off +=
	    (size_t)snprintf(out + off, len - off, "%s%lld", i > 0 ? " " : "",
		(long long)id_of(r));
	assert_true(json_is_null(next) || json_is_integer(next));
	return (json_is_null(next) ? -1 : json_integer_value(next));
}

/* The list of cycle as actor, its ids in text; next_after returned. */
static int64_t
list_ids(struct fx *f, int64_t actor, const char *status, const char *q,
    int64_t after, int64_t limit, char *text, size_t len)
{
	json_t *p;
	int64_t next;
	int	rc;

	assert_non_null(
	    p = page(f, actor, f->cycle, status, q, after, limit, &rc));
	next = ids_of(p, text, len);
	json_decref(p);
	return (next);
}

/* Four applications: three submitted (Lovelace, Hopper, Noether), one
 * draft with a first name only (the fourth applicant's). */
static void
four(struct fx *f, int64_t app[4])
{
	struct ops_error e;
	json_t		*a;

	app[0] = fx_application(f, f->applicant[0], f->cycle, "Lovelace", 1);
	app[1] = fx_application(f, f->applicant[1], f->cycle, "Hopper", 1);
	app[2] = fx_application(f, f->applicant[2], f->cycle, "Noether", 1);
	a = mine(f, 3);
	app[3] = id_of(a);
	json_decref(a);
	assert_int_equal(
	    save_at(
		f, 3, json_pack("{s:s}", "first_name", "Drafty"), f->now, &e),
	    OPS_OK);
}

static void
test_staff_list_filters_and_pages(void **state)
{
	struct fx *f = *state;
	int64_t	   app[4], next;
	char	   want[128], got[128];

	four(f, app);
	(void)snprintf(want, sizeof(want), "%lld %lld %lld %lld",
	    (long long)app[0], (long long)app[1], (long long)app[2],
	    (long long)app[3]);
	assert_int_equal(
	    list_ids(f, f->coordinator, NULL, NULL, 0, 200, got, sizeof(got)),
	    -1);
	assert_string_equal(got, want);
	assert_int_equal(
	    list_ids(f, f->director, NULL, NULL, 0, 200, got, sizeof(got)), -1);
	assert_string_equal(got, want);
	/* By status. */
	(void)list_ids(
	    f, f->coordinator, "draft", NULL, 0, 200, got, sizeof(got));
	(void)snprintf(want, sizeof(want), "%lld", (long long)app[3]);
	assert_string_equal(got, want);
	(void)list_ids(
	    f, f->coordinator, "withdrawn", NULL, 0, 200, got, sizeof(got));
	assert_string_equal(got, "");
	/* By a part of a name, school or e-mail, in any case. */
	(void)list_ids(
	    f, f->coordinator, NULL, "hOPPer", 0, 200, got, sizeof(got));
	(void)snprintf(want, sizeof(want), "%lld", (long long)app[1]);
	assert_string_equal(got, want);
	(void)list_ids(f, f->coordinator, "submitted", "charité", 0, 200, got,
	    sizeof(got));
	assert_string_equal(got, "");
	(void)list_ids(f, f->coordinator, "submitted", "state univ", 0, 200,
	    got, sizeof(got));
	(void)snprintf(want, sizeof(want), "%lld %lld %lld", (long long)app[0],
	    (long long)app[1], (long long)app[2]);
	assert_string_equal(got, want);
	/* Pages of two: the next page starts after the last id. */
	next = list_ids(f, f->coordinator, NULL, NULL, 0, 2, got, sizeof(got));
	assert_int_equal(next, app[1]);
	next =
	    list_ids(f, f->coordinator, NULL, NULL, next, 2, got, sizeof(got));
	(void)snprintf(want, sizeof(want), "%lld %lld", (long long)app[2],
	    (long long)app[3]);
	assert_string_equal(got, want);
	assert_int_equal(next, app[3]);
	assert_int_equal(
	    list_ids(f, f->coordinator, NULL, NULL, next, 2, got, sizeof(got)),
	    -1);
	assert_string_equal(got, "");
	next = list_ids(
	    f, f->coordinator, NULL, NULL, app[0], 1, got, sizeof(got));
	(void)snprintf(want, sizeof(want), "%lld", (long long)app[1]);
	assert_string_equal(got, want);
}

static void
test_the_list_refuses_what_it_cannot_answer(void **state)
{
	struct fx *f = *state;
	int64_t	   hidden = fx_cycle(f, "Setup only", "setup");
	json_t	  *p;
	int	   rc;

	assert_null(page(f, f->applicant[0], f->cycle, NULL, NULL, 0, 10, &rc));
	assert_int_equal(rc, OPS_FORBIDDEN);
	assert_null(page(f, f->coordinator, f->cycle, NULL, NULL, 0, 0, &rc));
	assert_int_equal(rc, OPS_INVALID);
	assert_null(page(f, f->coordinator, f->cycle, NULL, NULL, 0,
	    OPS_APP_LIST_MAX + 1, &rc));
	assert_int_equal(rc, OPS_INVALID);
	assert_null(page(f, f->coordinator, f->cycle, NULL, NULL, -1, 10, &rc));
	assert_int_equal(rc, OPS_INVALID);
	assert_null(
	    page(f, f->coordinator, f->cycle, "paused", NULL, 0, 10, &rc));
	assert_int_equal(rc, OPS_INVALID);
	assert_non_null(p = page(f, f->coordinator, f->cycle, NULL, NULL, 0,
			    OPS_APP_LIST_MAX, &rc));
	json_decref(p);
	/* A cycle in setup: staff see its (empty) list, faculty nothing. */
	assert_non_null(
	    p = page(f, f->coordinator, hidden, NULL, NULL, 0, 10, &rc));
	json_decref(p);
	assert_null(page(f, f->faculty[0], hidden, NULL, NULL, 0, 10, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
	assert_null(page(f, f->coordinator, 999, NULL, NULL, 0, 10, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
}

static void
test_faculty_list_their_submitted_assigned_unconflicted(void **state)
{
	struct fx *f = *state;
	int64_t	   app[4];
	char	   want[64], got[64];

	four(f, app);
	assert_int_equal(
	    list_ids(f, f->faculty[0], NULL, NULL, 0, 200, got, sizeof(got)),
	    -1);
	assert_string_equal(got, "");
	assign(f, 0, app[0]);
	assign(f, 0, app[1]);
	assign(f, 1, app[1]);
	assign(f, 0, app[2]);
	assign(f, 2, app[2]);
	/* Declaring a conflict removes the assignment; one recorded
	 * while the assignment stays (as a database edited by hand might
	 * have it) hides the candidate all the same. */
	conflict(f, 0, app[2]);
	{
		int64_t id;

		assert_int_equal(
		    db_conflict_insert(f->db, app[2], f->faculty[2], "conflict",
			"Known", f->coordinator, &id),
		    0);
	}
	(void)snprintf(want, sizeof(want), "%lld %lld", (long long)app[0],
	    (long long)app[1]);
	(void)list_ids(f, f->faculty[0], NULL, NULL, 0, 200, got, sizeof(got));
	assert_string_equal(got, want);
	(void)list_ids(f, f->faculty[2], NULL, NULL, 0, 200, got, sizeof(got));
	assert_string_equal(got, "");
	(void)list_ids(
	    f, f->faculty[0], "submitted", NULL, 0, 200, got, sizeof(got));
	assert_string_equal(got, want);
	/* Other statuses find nothing, whatever is assigned. */
	(void)list_ids(
	    f, f->faculty[0], "draft", NULL, 0, 200, got, sizeof(got));
	assert_string_equal(got, "");
	(void)list_ids(
	    f, f->faculty[0], "withdrawn", NULL, 0, 200, got, sizeof(got));
	assert_string_equal(got, "");
	/* Search and pages within what they may see. */
	(void)list_ids(
	    f, f->faculty[0], NULL, "noether", 0, 200, got, sizeof(got));
	assert_string_equal(got, "");
	assert_int_equal(
	    list_ids(f, f->faculty[0], NULL, NULL, 0, 1, got, sizeof(got)),
	    app[0]);
	(void)snprintf(want, sizeof(want), "%lld", (long long)app[1]);
	(void)list_ids(
	    f, f->faculty[0], NULL, NULL, app[0], 1, got, sizeof(got));
	assert_string_equal(got, want);
	(void)list_ids(f, f->faculty[1], NULL, NULL, 0, 200, got, sizeof(got));
	assert_string_equal(got, want);
	/* A withdrawn application leaves the faculty's list. */
	{
		struct ops_error e;

		assert_int_equal(
		    withdraw(f, f->applicant[1], app[1], &e), OPS_OK);
	}
	(void)list_ids(f, f->faculty[1], NULL, NULL, 0, 200, got, sizeof(got));
	assert_string_equal(got, "");
}

/* The row of app in the coordinator's list (a new reference). */
static json_t *
row_of(struct fx *f, int64_t app)
{
	json_t *p, *r, *found = NULL;
	size_t	i;
	int	rc;

	assert_non_null(
	    p = page(f, f->coordinator, f->cycle, NULL, NULL, 0, 200, &rc));
	json_array_foreach(json_object_get(p, "applications"), i, r)
	{
		if (id_of(r) == app)
			found = json_incref(r);
	}
	json_decref(p);
	assert_non_null(found);
	return (found);
}

static void
test_the_rows_checklist_and_letters(void **state)
{
	struct fx	     *f = *state;
	struct ops_letter_ask ask = { "Dr. Writer", "w1@example.org", 0 };
	struct ops_error      e;
	json_t		     *r, *a, *out;
	int64_t		      app[4], letter[3];
	int		      rc, i;

	four(f, app);
	/* The draft: its count is its own view's checklist. */
	r = row_of(f, app[3]);
	assert_non_null(a = view(f, f->coordinator, app[3], &rc));
	assert_int_equal(
	    json_integer_value(json_object_get(r, "missing_count")),
	    json_array_size(json_object_get(a, "missing")));
	assert_int_equal(
	    json_integer_value(json_object_get(r, "missing_count")), 12);
	assert_true(json_is_false(json_object_get(r, "complete")));
	assert_string_equal(
	    json_string_value(json_object_get(r, "first_name")), "Drafty");
	assert_true(json_is_null(json_object_get(r, "last_name")));
	assert_true(json_is_null(json_object_get(r, "submitted_at")));
	json_decref(a);
	json_decref(r);
	assert_int_equal(save_at(f, 3,
			     json_pack("{s:s,s:s}", "last_name", "Draft",
				 "email", "d@example.org"),
			     f->now, &e),
	    OPS_OK);
	r = row_of(f, app[3]);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "missing_count")), 10);
	json_decref(r);
	/* Fields the checks would not let in (an empty string, null, a
	 * number where text goes, as an old import might have stored)
	 * count the same in the list as in the view: empty and null are
	 * missing, anything else is there. */
	assert_non_null(a = view(f, f->coordinator, app[3], &rc));
	assert_int_equal(db_application_set_fields(f->db, app[3],
			     "{\"first_name\":\"\",\"last_name\":null,"
			     "\"email\":7,\"phone\":[],\"research_summary\":"
			     "\" \"}",
			     json_integer_value(json_object_get(a, "version"))),
	    1);
	json_decref(a);
	assert_non_null(a = view(f, f->coordinator, app[3], &rc));
	r = row_of(f, app[3]);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "missing_count")),
	    json_array_size(json_object_get(a, "missing")));
	assert_int_equal(
	    json_integer_value(json_object_get(r, "missing_count")), 10);
	assert_true(json_is_null(json_object_get(r, "last_name")));
	assert_string_equal(
	    json_string_value(json_object_get(r, "first_name")), "");
	json_decref(a);
	json_decref(r);
	/* A submitted one: complete, with the fields the list shows. */
	r = row_of(f, app[0]);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "missing_count")), 0);
	assert_true(json_is_true(json_object_get(r, "complete")));
	assert_string_equal(
	    json_string_value(json_object_get(r, "last_name")), "Lovelace");
	assert_string_equal(
	    json_string_value(json_object_get(r, "medical_school")),
	    "State University");
	assert_string_equal(
	    json_string_value(json_object_get(r, "status")), "submitted");
	assert_non_null(json_string_value(json_object_get(r, "submitted_at")));
	assert_int_equal(json_integer_value(json_object_get(r, "applicant_id")),
	    f->applicant[0]);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "letters_requested")), 0);
	json_decref(r);
	/* Letters: three asked for, one cancelled, one received. */
	for (i = 0; i < 3; i++) {
		char email[32];

		(void)snprintf(email, sizeof(email), "w%d@example.org", i);
		ask.writer_email = email;
		out = NULL;
		assert_int_equal(ops_letter_request(f->db, &f->set,
				     fx_as(f, f->applicant[3]), app[3], &ask,
				     f->now, &out, &e),
		    OPS_OK);
		letter[i] = id_of(json_object_get(out, "letter"));
		json_decref(out);
	}
	out = NULL;
	assert_int_equal(ops_letter_cancel(f->db, fx_as(f, f->applicant[3]),
			     letter[0], &out, &e),
	    OPS_OK);
	json_decref(out);
	assert_int_equal(db_letter_receive(f->db, letter[1],
			     "0000000000000000000000000000000000000000000000"
			     "000000000000000001",
			     1000),
	    1);
	r = row_of(f, app[3]);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "letters_requested")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "letters_received")), 1);
	json_decref(r);
}

/* Receipts in the outbox to address: how many, and the last body. */
struct receipts {
	const char *to;
	int	    n;
	char	    body[2048];
};

static int
find_receipt(void *arg, const struct db_mail_row *m)
{
	struct receipts *r = arg;

	if (strcmp(m->subject, "Application received") != 0)
		return (0);
	/* Only to the applicant's own account. */
	assert_string_equal(m->to, r->to);
	assert_null(m->calendar);
	if (r->n++ == 0)
		(void)snprintf(r->body, sizeof(r->body), "%s", m->body);
	return (0);
}

static struct receipts
receipts(struct fx *f, const char *to)
{
	struct receipts r = { to, 0, "" };

	assert_int_equal(
	    db_outbox_list(f->db, 0, INT64_MAX, 1000, find_receipt, &r), 0);
	return (r);
}

static void
test_submission_mails_a_receipt(void **state)
{
	struct fx	*f = *state;
	struct ops_error e;
	struct receipts	 r;
	json_t		*a, *in, *out = NULL;
	char		 link[128];
	int64_t		 app;

	in = json_pack("{s:s}", "timezone", "America/New_York");
	assert_int_equal(ops_cycle_update(f->db, fx_as(f, f->director),
			     f->cycle, in, f->now, &out, &e),
	    OPS_OK);
	json_decref(in);
	json_decref(out);
	a = mine(f, 0);
	app = id_of(a);
	json_decref(a);
	assert_int_equal(
	    save_at(f, 0, complete_fields("Fischer"), f->now, &e), OPS_OK);
	/* Refused while incomplete: no receipt. */
	assert_int_equal(submit(f, 0, &out, &e), OPS_INVALID);
	json_decref(out);
	assert_int_equal(receipts(f, "applicant1@example.org").n, 0);
	documents(f, 0, app);
	assert_int_equal(submit(f, 0, &out, &e), OPS_OK);
	json_decref(out);
	/* One receipt, to the account's address (not the form's), with
	 * the time in the cycle's zone and the link to the application. */
	r = receipts(f, "applicant1@example.org");
	assert_int_equal(r.n, 1);
	assert_non_null(strstr(r.body, "Dear Applicant 1,"));
	assert_non_null(strstr(r.body, "Test Fellowship 2027"));
	assert_non_null(strstr(r.body,
	    "submitted Sunday, 6 December 2026 at 10:00 (America/New_York)"));
	(void)snprintf(link, sizeof(link),
	    "https://fellowship.example.org/#/apply/%lld", (long long)f->cycle);
	assert_non_null(strstr(r.body, link));
	/* A refused second submission mails nothing. */
	assert_int_equal(submit(f, 0, &out, &e), OPS_FORBIDDEN);
	assert_int_equal(receipts(f, "applicant1@example.org").n, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_only_applicants_have_applications, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_first_visit_makes_a_draft_with_its_checklist,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_application_where_the_cycle_is_hidden_or_absent,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_deadline_at_the_fixed_clock, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_every_value_is_checked_and_a_refusal_saves_nothing,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_submission_mails_a_receipt, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_submission_lists_what_is_missing_then_locks, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_withdrawal_and_reopening, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_who_sees_an_application, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_staff_list_filters_and_pages, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_list_refuses_what_it_cannot_answer, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_faculty_list_their_submitted_assigned_unconflicted,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_rows_checklist_and_letters, fx_setup, fx_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
