/*
 * Tests for src/ops/documents.c: who may add and remove documents and
 * when (their own draft, before the deadline), a CV or personal statement
 * replacing the current one, only files the PDF check accepted being
 * stored, who sees the list and the files, and a replaced or removed
 * file going with the sweep while the audit keeps its hash.
 */
#include "ops/fixture.h"
#include "ops/review.h"

/* The documents of app as actor sees them (a new reference), or NULL
 * with the result in *rc. */
static json_t *
list(struct fx *f, int64_t actor, int64_t app, int *rc)
{
	struct ops_error e = { 0 };
	json_t		*out = NULL;

	*rc = ops_documents_list(f->db, fx_as(f, actor), app, &out, &e);
	if (*rc != OPS_OK) {
		assert_null(out);
		return (NULL);
	}
	return (out);
}

/* How many current documents app has, as its staff see them. */
static size_t
count(struct fx *f, int64_t app)
{
	json_t *v;
	size_t	n;
	int	rc;

	assert_non_null(v = list(f, f->coordinator, app, &rc));
	n = json_array_size(json_object_get(v, "documents"));
	json_decref(v);
	return (n);
}

/* Files in the documents directory: stored ones, and temporary ones. */
static void
files(struct fx *f, int *stored, int *temporary)
{
	char	       dir[DB_FILE_PATH_MAX];
	struct dirent *de;
	DIR	      *d;

	*stored = *temporary = 0;
	fx_docs(f, dir);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, ".upload-", 8) == 0)
			(*temporary)++;
		else if (strlen(de->d_name) == 68)
			(*stored)++;
	}
	(void)closedir(d);
}

static int
is_stored(struct fx *f, const char *sha256)
{
	char dir[DB_FILE_PATH_MAX], path[DB_FILE_PATH_MAX + 80];

	fx_docs(f, dir);
	assert_int_equal(db_file_path(dir, sha256, path, sizeof(path)), 0);
	return (access(path, F_OK) == 0);
}

/* Adds a document of kind saying text as actor; the result. The view
 * (when OPS_OK) into *view if not NULL. */
static int
add(struct fx *f, int64_t actor, int64_t app, enum document_kind kind,
    const char *text, json_t **view, struct ops_error *e)
{
	struct ops_upload up;
	json_t		 *out = NULL;
	int		  rc;

	fx_upload(f, text, &up);
	rc = ops_document_add(
	    f->db, fx_as(f, actor), app, kind, &up, f->now, &out, e);
	/* Taken either way: no temporary file is left. */
	assert_string_equal(up.file.path, "");
	if (view != NULL)
		*view = out;
	else
		json_decref(out);
	if (rc != OPS_OK)
		assert_null(out);
	return (rc);
}

/* The detail of the newest audit record of action. */
struct last_audit {
	const char *action;
	char	    detail[1024];
};

static int
find_audit(void *arg, const struct db_audit_row *r)
{
	struct last_audit *a = arg;

	if (strcmp(r->action, a->action) != 0)
		return (0);
	(void)snprintf(a->detail, sizeof(a->detail), "%s",
	    r->detail != NULL ? r->detail : "");
	return (1);
}

static const char *
audit(struct fx *f, const char *action, struct last_audit *a)
{
	a->action = action;
	a->detail[0] = '\0';
	assert_true(
	    db_audit_list(f->db, 0, INT64_MAX, 1000, find_audit, a) >= 0);
	return (a->detail);
}

/* A draft of applicant[0] with its CV and personal statement. */
static int64_t
draft(struct fx *f)
{
	return (fx_application(f, f->applicant[0], f->cycle, "Draft", 0));
}

static void
test_the_applicant_adds_a_document_and_gets_its_view(void **state)
{
	struct fx	 *f = *state;
	struct ops_error  e = { 0 };
	struct last_audit a;
	json_t		 *v, *d;
	const char	 *sha;
	int		  stored, temporary;
	int64_t		  app = draft(f);

	assert_int_equal(
	    add(f, f->applicant[0], app, DOC_OTHER, "A publication", &v, &e),
	    OPS_OK);
	d = json_object_get(v, "document");
	assert_string_equal(
	    json_string_value(json_object_get(d, "kind")), "other");
	assert_true(json_integer_value(json_object_get(d, "id")) > 0);
	assert_true(json_integer_value(json_object_get(d, "size")) > 100);
	assert_non_null(json_string_value(json_object_get(d, "uploaded_at")));
	sha = json_string_value(json_object_get(d, "sha256"));
	assert_int_equal(strlen(sha), 64);
	assert_int_equal(json_object_size(d), 5);
	assert_true(is_stored(f, sha));
	files(f, &stored, &temporary);
	assert_int_equal(stored, 3);
	assert_int_equal(temporary, 0);
	assert_non_null(strstr(audit(f, "document.upload", &a), sha));
	assert_int_equal(count(f, app), 3);
	json_decref(v);
}

static void
test_a_cv_replaces_the_current_one_and_the_audit_names_it(void **state)
{
	struct fx	  *f = *state;
	struct ops_error   e = { 0 };
	struct db_document old;
	struct last_audit  a;
	json_t		  *v, *before;
	int64_t		   app = draft(f), old_id;
	int		   rc;
	size_t		   i;

	before = list(f, f->applicant[0], app, &rc);
	old_id = json_integer_value(json_object_get(
	    json_array_get(json_object_get(before, "documents"), 0), "id"));
	assert_int_equal(db_document_by_id(f->db, old_id, &old), 1);
	assert_string_equal(old.kind, "cv");
	json_decref(before);
	assert_int_equal(
	    add(f, f->applicant[0], app, DOC_CV, "A better CV", &v, &e),
	    OPS_OK);
	json_decref(v);
	/* One current CV: the new one; the old one stays on record. */
	assert_int_equal(count(f, app), 2);
	assert_int_equal(db_document_by_id(f->db, old_id, &old), 1);
	assert_true(old.removed_at[0] != '\0');
	assert_non_null(strstr(audit(f, "document.upload", &a), old.sha256));
	assert_non_null(strstr(a.detail, "\"replaced\""));
	/* Other documents accumulate. */
	for (i = 0; i < 2; i++)
		assert_int_equal(add(f, f->applicant[0], app, DOC_OTHER,
				     i ? "Other 2" : "Other 1", NULL, &e),
		    OPS_OK);
	assert_int_equal(count(f, app), 4);
	assert_null(strstr(audit(f, "document.upload", &a), "replaced"));
}

static void
test_only_the_applicant_adds_to_their_own_draft(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	int64_t		 app = draft(f);
	int64_t		 who[] = { f->applicant[1], f->coordinator, f->director,
			 f->faculty[0] };
	int		 stored, temporary;
	size_t		 i;

	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		assert_int_equal(add(f, who[i], app, DOC_OTHER,
				     "Not theirs to add", NULL, &e),
		    OPS_NOT_FOUND);
		assert_int_equal(ops_documents_editable(
				     f->db, fx_as(f, who[i]), app, f->now, &e),
		    OPS_NOT_FOUND);
	}
	assert_int_equal(add(f, f->applicant[0], 999999, DOC_OTHER,
			     "No such application", NULL, &e),
	    OPS_NOT_FOUND);
	files(f, &stored, &temporary);
	assert_int_equal(stored, 2); /* the draft's CV and statement */
	assert_int_equal(temporary, 0);
	assert_int_equal(count(f, app), 2);
}

static void
test_no_uploads_after_submission_or_the_deadline(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct db_cycle	 c;
	int64_t		 sub, app;

	sub = fx_application(f, f->applicant[1], f->cycle, "Submitted", 1);
	assert_int_equal(ops_documents_editable(
			     f->db, fx_as(f, f->applicant[1]), sub, f->now, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    add(f, f->applicant[1], sub, DOC_OTHER, "Too late", NULL, &e),
	    OPS_FORBIDDEN);
	app = draft(f);
	assert_int_equal(db_cycle_by_id(f->db, f->cycle, &c), 1);
	fx_set_now(f, c.close_at - 1);
	assert_int_equal(ops_documents_editable(
			     f->db, fx_as(f, f->applicant[0]), app, f->now, &e),
	    OPS_OK);
	assert_int_equal(
	    add(f, f->applicant[0], app, DOC_OTHER, "Just in time", NULL, &e),
	    OPS_OK);
	fx_set_now(f, c.close_at);
	assert_int_equal(ops_documents_editable(
			     f->db, fx_as(f, f->applicant[0]), app, f->now, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(
	    add(f, f->applicant[0], app, DOC_OTHER, "Just too late", NULL, &e),
	    OPS_FORBIDDEN);
	assert_non_null(strstr(e.message, "deadline"));
	assert_int_equal(count(f, app), 3);
}

static void
test_only_a_file_the_check_accepted_is_stored(void **state)
{
	struct fx	 *f = *state;
	struct ops_error  e = { 0 };
	struct ops_upload up;
	json_t		 *out = NULL;
	int64_t		  app = draft(f);
	int		  stored, temporary;

	assert_int_equal(
	    fx_upload_bytes(f, "just text, named cv.pdf", 23, &up), OPS_OK);
	assert_int_not_equal(up.verdict, 0);
	assert_int_equal(ops_document_add(f->db, fx_as(f, f->applicant[0]), app,
			     DOC_CV, &up, f->now, &out, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "file");
	assert_non_null(strstr(e.message, "not a PDF"));
	assert_null(out);
	/* An upload whose check never ran is refused too. */
	fx_upload(f, "Unchecked", &up);
	up.checked = 0;
	memset(&e, 0, sizeof(e));
	assert_int_equal(ops_document_add(f->db, fx_as(f, f->applicant[0]), app,
			     DOC_CV, &up, f->now, &out, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "file");
	files(f, &stored, &temporary);
	assert_int_equal(stored, 2);
	assert_int_equal(temporary, 0);
	assert_int_equal(count(f, app), 2);
}

/* The applicant's storage quota: ten other documents, 60 MiB in all;
 * past either, refused with the limit's name and nothing stored. */
static void
test_the_storage_quota_names_its_limit(void **state)
{
	struct fx	  *f = *state;
	struct ops_error   e = { 0 };
	struct db_document d = { 0 };
	int64_t		   app = draft(f), id;
	int		   i, before = count(f, app);

	for (i = 0; i < 10; i++)
		assert_int_equal(add(f, f->applicant[0], app, DOC_OTHER,
				     "Another document", NULL, &e),
		    OPS_OK);
	assert_int_equal(
	    add(f, f->applicant[0], app, DOC_OTHER, "One too many", NULL, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "kind");
	assert_non_null(strstr(e.message, "other_documents_per_application"));
	assert_int_equal(count(f, app), before + 10);
	/* A CV still goes in (it is not an "other" document). */
	memset(&e, 0, sizeof(e));
	assert_int_equal(
	    add(f, f->applicant[0], app, DOC_CV, "The CV", NULL, &e), OPS_OK);
	/* Bytes: rows holding 60 MiB leave no room for even a small file,
	 * except one replacing a single kind's file that holds the rest. */
	d.application_id = app;
	(void)snprintf(d.kind, sizeof(d.kind), "%s", "personal_statement");
	(void)snprintf(d.sha256, sizeof(d.sha256), "%064d", 0);
	d.size = 62914560;
	d.uploaded_by = f->applicant[0];
	assert_int_equal(db_document_insert(f->db, &d, &id), 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(
	    add(f, f->applicant[0], app, DOC_CV, "A new CV", NULL, &e),
	    OPS_INVALID);
	assert_string_equal(e.field, "file");
	assert_non_null(strstr(e.message, "document_bytes_per_application"));
	memset(&e, 0, sizeof(e));
	assert_int_equal(add(f, f->applicant[0], app, DOC_PERSONAL_STATEMENT,
			     "A smaller statement", NULL, &e),
	    OPS_OK);
}

static void
test_the_applicant_removes_their_own_while_editable(void **state)
{
	struct fx	  *f = *state;
	struct ops_error   e = { 0 };
	struct db_document d;
	struct last_audit  a;
	json_t		  *v;
	int64_t		   app = draft(f), id, sub, subdoc;
	int		   rc;

	assert_int_equal(
	    add(f, f->applicant[0], app, DOC_OTHER, "To remove", &v, &e),
	    OPS_OK);
	id = json_integer_value(
	    json_object_get(json_object_get(v, "document"), "id"));
	json_decref(v);
	assert_int_equal(ops_document_remove(
			     f->db, fx_as(f, f->applicant[1]), id, f->now, &e),
	    OPS_NOT_FOUND);
	assert_int_equal(ops_document_remove(
			     f->db, fx_as(f, f->coordinator), id, f->now, &e),
	    OPS_NOT_FOUND);
	assert_int_equal(ops_document_remove(f->db, fx_as(f, f->applicant[0]),
			     999999, f->now, &e),
	    OPS_NOT_FOUND);
	assert_int_equal(count(f, app), 3);
	assert_int_equal(ops_document_remove(
			     f->db, fx_as(f, f->applicant[0]), id, f->now, &e),
	    OPS_OK);
	assert_int_equal(count(f, app), 2);
	assert_int_equal(db_document_by_id(f->db, id, &d), 1);
	assert_true(d.removed_at[0] != '\0');
	assert_non_null(strstr(audit(f, "document.remove", &a), d.sha256));
	assert_int_equal(ops_document_remove(
			     f->db, fx_as(f, f->applicant[0]), id, f->now, &e),
	    OPS_NOT_FOUND);
	/* Not after submission. */
	sub = fx_application(f, f->applicant[1], f->cycle, "Submitted", 1);
	v = list(f, f->applicant[1], sub, &rc);
	subdoc = json_integer_value(json_object_get(
	    json_array_get(json_object_get(v, "documents"), 0), "id"));
	json_decref(v);
	assert_int_equal(ops_document_remove(f->db, fx_as(f, f->applicant[1]),
			     subdoc, f->now, &e),
	    OPS_FORBIDDEN);
	assert_int_equal(count(f, sub), 2);
}

/* A submitted application of applicant[1], assigned for screening to
 * faculty[0]; the cycle in review. */
static int64_t
assigned(struct fx *f)
{
	struct ops_error e = { 0 };
	json_t		*items, *out = NULL;
	int64_t		 app;

	app = fx_application(f, f->applicant[1], f->cycle, "Assigned", 1);
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

/* The first document of app and its file, as the coordinator sees it. */
static int64_t
first_document(struct fx *f, int64_t app, char sha256[65])
{
	json_t *v, *d;
	int	rc;
	int64_t id;

	assert_non_null(v = list(f, f->coordinator, app, &rc));
	d = json_array_get(json_object_get(v, "documents"), 0);
	id = json_integer_value(json_object_get(d, "id"));
	(void)snprintf(
	    sha256, 65, "%s", json_string_value(json_object_get(d, "sha256")));
	json_decref(v);
	return (id);
}

static void
test_who_sees_the_list_and_the_files(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct ops_file	 file;
	json_t		*v;
	char		 sha[65], dir[DB_FILE_PATH_MAX], want[600];
	int64_t		 app = assigned(f), doc;
	int64_t		 may[] = { f->applicant[1], f->coordinator, f->director,
			 f->faculty[0] };
	int64_t		 may_not[] = { f->applicant[0], f->faculty[1] };
	size_t		 i;
	int		 rc;

	doc = first_document(f, app, sha);
	fx_docs(f, dir);
	(void)snprintf(want, sizeof(want), "%s/%s.pdf", dir, sha);
	for (i = 0; i < sizeof(may) / sizeof(may[0]); i++) {
		assert_non_null(v = list(f, may[i], app, &rc));
		assert_int_equal(
		    json_array_size(json_object_get(v, "documents")), 2);
		json_decref(v);
		assert_int_equal(ops_document_file(f->db, fx_as(f, may[i]), doc,
				     dir, &file, &e),
		    OPS_OK);
		assert_string_equal(file.path, want);
		assert_int_equal(access(file.path, R_OK), 0);
	}
	(void)snprintf(want, sizeof(want), "cv-%lld.pdf", (long long)app);
	assert_string_equal(file.name, want);
	for (i = 0; i < sizeof(may_not) / sizeof(may_not[0]); i++) {
		assert_null(list(f, may_not[i], app, &rc));
		assert_int_equal(rc, OPS_NOT_FOUND);
		assert_int_equal(ops_document_file(f->db, fx_as(f, may_not[i]),
				     doc, dir, &file, &e),
		    OPS_NOT_FOUND);
	}
	assert_int_equal(ops_document_file(f->db, fx_as(f, f->coordinator),
			     999999, dir, &file, &e),
	    OPS_NOT_FOUND);
	/* A conflict declared hides the candidate from the rater. */
	assert_int_equal(
	    ops_conflict_declare(f->db, fx_as(f, f->faculty[0]), app, 0,
		"conflict", "My former student.", f->now, &v, NULL, &e),
	    OPS_OK);
	json_decref(v);
	assert_null(list(f, f->faculty[0], app, &rc));
	assert_int_equal(rc, OPS_NOT_FOUND);
}

static void
test_a_removed_document_is_not_served(void **state)
{
	struct fx	*f = *state;
	struct ops_error e = { 0 };
	struct ops_file	 file;
	json_t		*v;
	char		 dir[DB_FILE_PATH_MAX];
	int64_t		 app = draft(f), id;

	fx_docs(f, dir);
	assert_int_equal(
	    add(f, f->applicant[0], app, DOC_OTHER, "Soon removed", &v, &e),
	    OPS_OK);
	id = json_integer_value(
	    json_object_get(json_object_get(v, "document"), "id"));
	json_decref(v);
	assert_int_equal(ops_document_file(f->db, fx_as(f, f->applicant[0]), id,
			     dir, &file, &e),
	    OPS_OK);
	assert_int_equal(ops_document_remove(
			     f->db, fx_as(f, f->applicant[0]), id, f->now, &e),
	    OPS_OK);
	assert_int_equal(ops_document_file(f->db, fx_as(f, f->coordinator), id,
			     dir, &file, &e),
	    OPS_NOT_FOUND);
}

static void
test_replaced_and_removed_files_go_with_the_sweep_not_the_record(void **state)
{
	struct fx	  *f = *state;
	struct ops_error   e = { 0 };
	struct db_sweep	   sw;
	struct last_audit  a;
	struct db_document d;
	json_t		  *v;
	char		   dir[DB_FILE_PATH_MAX], err[256], old_cv[65];
	char		   shared[65];
	int64_t		   mine = draft(f), theirs, a_shared, b_shared;

	fx_docs(f, dir);
	theirs = fx_application(f, f->applicant[1], f->cycle, "Other", 0);
	(void)first_document(f, mine, old_cv);
	/* The same file in two applications. */
	assert_int_equal(
	    add(f, f->applicant[0], mine, DOC_OTHER, "Shared", &v, &e), OPS_OK);
	a_shared = json_integer_value(
	    json_object_get(json_object_get(v, "document"), "id"));
	(void)snprintf(shared, sizeof(shared), "%s",
	    json_string_value(
		json_object_get(json_object_get(v, "document"), "sha256")));
	json_decref(v);
	assert_int_equal(
	    add(f, f->applicant[1], theirs, DOC_OTHER, "Shared", &v, &e),
	    OPS_OK);
	b_shared = json_integer_value(
	    json_object_get(json_object_get(v, "document"), "id"));
	json_decref(v);
	assert_int_equal(
	    add(f, f->applicant[0], mine, DOC_CV, "A newer CV", NULL, &e),
	    OPS_OK);
	assert_int_equal(ops_document_remove(f->db, fx_as(f, f->applicant[0]),
			     a_shared, f->now, &e),
	    OPS_OK);
	/* The operations leave files to the sweep. */
	assert_true(is_stored(f, old_cv));
	assert_int_equal(
	    db_files_sweep(f->db, dir, f->now, 0, &sw, err, sizeof(err)), 0);
	assert_int_equal(sw.removed, 1);
	assert_false(is_stored(f, old_cv));
	assert_true(is_stored(f, shared)); /* still theirs */
	assert_non_null(strstr(audit(f, "document.upload", &a), old_cv));
	assert_int_equal(ops_document_remove(f->db, fx_as(f, f->applicant[1]),
			     b_shared, f->now, &e),
	    OPS_OK);
	assert_int_equal(
	    db_files_sweep(f->db, dir, f->now, 0, &sw, err, sizeof(err)), 0);
	assert_int_equal(sw.removed, 1);
	assert_false(is_stored(f, shared));
	assert_int_equal(db_document_by_id(f->db, b_shared, &d), 1);
	assert_string_equal(d.sha256, shared);
	assert_non_null(strstr(audit(f, "document.remove", &a), shared));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_the_applicant_adds_a_document_and_gets_its_view,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_cv_replaces_the_current_one_and_the_audit_names_it,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_only_the_applicant_adds_to_their_own_draft, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_uploads_after_submission_or_the_deadline, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_only_a_file_the_check_accepted_is_stored, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_storage_quota_names_its_limit, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_the_applicant_removes_their_own_while_editable,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_who_sees_the_list_and_the_files, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_removed_document_is_not_served, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_replaced_and_removed_files_go_with_the_sweep_not_the_record,
		    fx_setup, fx_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
