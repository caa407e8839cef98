/*
 * The archive import (fellowctl import): any bytes as an export.json,
 * imported into a real database (migrated once, in a temporary directory,
 * in /dev/shm when there is one). A refused document must be refused with
 * a sentence, never fail in the database. An accepted one becomes a cycle
 * whose ranking, rank list and match CSVs can be computed, and whose own
 * export imports again, the same; then the database is made afresh so
 * that it does not grow without bound.
 */
#include "ops/import.h"
#include "ops/ranking.h"
#include "fuzzdb.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_db_init("import");
	return (0);
}

/* What the staff can do with an imported cycle works on it. */
static void
use(struct ops_actor op, const struct ops_import_result *r)
{
	struct ops_import_options opt = { 0, 0 };
	struct ops_import_result  again;
	struct ops_error	  e;
	json_t			 *out = NULL;
	char			 *text = NULL, name[128];
	int			  rc, id;

	memset(&e, 0, sizeof(e));
	fuzz_assert(
	    ops_ranking_view(fuzz_db, op, r->cycle, &out, &e) == OPS_OK);
	json_decref(out);
	out = NULL;
	fuzz_assert(
	    ops_ranklist_view(fuzz_db, op, r->cycle, 0, &out, &e) == OPS_OK);
	json_decref(out);
	for (id = 0; id < RANK_ID__MAX; id++) {
		rc = ops_ranklist_csv(fuzz_db, op, r->cycle, (enum rank_id)id,
		    &text, name, sizeof(name), &e);
		fuzz_assert(rc == OPS_OK || rc == OPS_INVALID);
		free(text);
		text = NULL;
	}
	fuzz_assert(
	    ops_cycle_export(fuzz_db, op, r->cycle, 0, &text, &e) == OPS_OK);
	memset(&again, 0, sizeof(again));
	rc = ops_cycle_import(fuzz_db, op, text, strlen(text), "fuzz-again",
	    &opt, 1767225600, &again, &e);
	if (rc != OPS_OK)
		fprintf(stderr, "fuzz: the export does not import: %d: %s\n",
		    rc, e.message);
	fuzz_assert(rc == OPS_OK);
	fuzz_assert(again.candidates == r->candidates &&
	    again.raters == r->raters && again.sheets == r->sheets &&
	    again.versions == r->versions);
	ops_import_result_clear(&again);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ops_actor	  op = { 0, ROLE_DIRECTOR, 1 };
	struct ops_import_options opt = { 0, 0 };
	struct ops_import_result  r;
	struct ops_error	  e;
	int			  rc;

	memset(&e, 0, sizeof(e));
	memset(&r, 0, sizeof(r));
	rc = ops_cycle_import(fuzz_db, op, (const char *)data, size, "fuzz",
	    &opt, 1767225600, &r, &e);
	if (rc == OPS_OK) {
		fuzz_assert(r.cycle > 0);
		fuzz_assert(r.candidates >= 0 && r.raters >= 0 &&
		    r.sheets >= 0 && r.versions >= 0);
		use(op, &r);
		ops_import_result_clear(&r);
		fuzz_db_fresh();
	} else if (rc == OPS_INVALID || rc == OPS_CONFLICT)
		fuzz_assert(e.message[0] != '\0');
	else {
		fprintf(
		    stderr, "fuzz: import: %d: %s\n", rc, db_errmsg(fuzz_db));
		fuzz_fail("the import failed in the database");
	}
	return (0);
}
