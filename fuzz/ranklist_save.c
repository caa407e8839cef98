/*
 * Saving the rank list (PUT /api/cycles/{id}/ranklist) through
 * ops_ranklist_save() against a real cycle: at start, and again after
 * every SAVES_MAX saves, a fresh database gets the archive
 * fuzz/corpus/import/small.json (FUZZ_ARCHIVE overrides it; five
 * candidates, application ids 1 to 5, of whom 3, 4 and 5 were interviewed). The input is the request's JSON
 * body's entries. A refusal names what is wrong; a saved list reads back
 * in the order sent, with every "do not rank" kept.
 */
#include "ops/import.h"
#include "ops/ranking.h"
#include "fuzzdb.h"

#define SAVES_MAX 500

static struct ops_actor director = { 0, ROLE_DIRECTOR, 1 };
static int64_t		cycle;
static int		saves;

static void
load_archive(void)
{
	struct ops_import_options opt = { 0, 0 };
	struct ops_import_result  r;
	struct ops_error	  e;
	const char		 *path = getenv("FUZZ_ARCHIVE");

	if (path == NULL)
		path = "fuzz/corpus/import/small.json";
	fuzz_db_fresh();
	memset(&e, 0, sizeof(e));
	if (ops_cycle_import_file(
		fuzz_db, director, path, &opt, 1767225600, &r, &e) != OPS_OK) {
		fprintf(stderr, "fuzz: %s: %s\n", path, e.message);
		fuzz_fail("cannot import the archive (run from the "
			  "repository's top directory)");
	}
	cycle = r.cycle;
	ops_import_result_clear(&r);
	saves = 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_db_init("ranklist");
	load_archive();
	return (0);
}

/* The saved list must be entries, in order. */
static void
saved(const json_t *entries, const json_t *view)
{
	const json_t *list = json_object_get(view, "entries"), *a, *b;
	size_t	      i;

	fuzz_assert(json_array_size(list) == json_array_size(entries));
	json_array_foreach(entries, i, a)
	{
		b = json_array_get(list, i);
		fuzz_assert(
		    json_integer_value(json_object_get(a, "application_id")) ==
		    json_integer_value(json_object_get(b, "application_id")));
		fuzz_assert(json_is_true(json_object_get(a, "do_not_rank")) ==
		    json_is_true(json_object_get(b, "do_not_rank")));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ops_error e;
	json_t		*entries, *out = NULL, *view = NULL;
	int		 rc;

	if ((entries = fuzz_json(data, size)) == NULL)
		return (0);
	memset(&e, 0, sizeof(e));
	/* No base version: the fuzzed entries, not the version check. */
	rc = ops_ranklist_save(
	    fuzz_db, director, cycle, entries, -1, 1767225600, &out, &e);
	if (rc == OPS_OK) {
		fuzz_assert(ops_ranklist_view(fuzz_db, director, cycle, 0,
				&view, &e) == OPS_OK);
		saved(entries, view);
		if (++saves == SAVES_MAX)
			load_archive();
	} else if (rc == OPS_INVALID)
		fuzz_assert(e.message[0] != '\0');
	else {
		fprintf(stderr, "fuzz: save: %d: %s\n", rc, db_errmsg(fuzz_db));
		fuzz_fail("saving failed in the database");
	}
	json_decref(view);
	json_decref(out);
	json_decref(entries);
	return (0);
}
