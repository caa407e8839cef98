/*
 * Cycle and application operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/application.h"
#include "core/cycle.h"
#include "core/text.h"
#include "ops/common.h"
#include "ops/cycles.h"
#include "ops/interviews.h"
#include "ops/documents.h"

/* Applies the keys of in to c, checking each; fills changed with them. */
static int
cycle_apply(struct db_cycle *c, const json_t *in, enum role actor, int creating,
    json_t *changed, struct ops_error *e)
{
	const char	 *key;
	const json_t	 *v;
	struct local_time d[CYCLE_DATE__MAX];
	enum cycle_state  from, to;
	enum cycle_date	  bad;
	int		  i, is_date;

	json_object_foreach((json_t *)in, key, v)
	{
		is_date = 0;
		for (i = 0; i < CYCLE_DATE__MAX; i++) {
			if (strcmp(key, cycle_date_key(i)) == 0)
				is_date = 1;
		}
		if (!is_date && actor != ROLE_DIRECTOR)
			return (ops_refuse(e, OPS_FORBIDDEN, key,
			    "The coordinator may change the cycle's dates "
			    "only."));
		if (is_date) {
			struct local_time t;

			if (!json_is_string(v) ||
			    dates_parse(json_string_value(v), 1, &t) != 0)
				return (ops_refuse(e, OPS_INVALID, key,
				    "Enter a date as YYYY-MM-DD or a date and "
				    "time as YYYY-MM-DDTHH:MM."));
			for (i = 0; i < CYCLE_DATE__MAX; i++) {
				if (strcmp(key, cycle_date_key(i)) == 0)
					dates_format(&t, c->dates[i],
					    sizeof(c->dates[i]));
			}
		} else if (strcmp(key, "year") == 0) {
			if (!json_is_integer(v) ||
			    json_integer_value(v) < 2000 ||
			    json_integer_value(v) > 2100)
				return (ops_refuse(e, OPS_INVALID, key,
				    "Enter a year from 2000 to 2100."));
			c->year = json_integer_value(v);
		} else if (strcmp(key, "name") == 0) {
			if (!json_is_string(v) ||
			    !text_name_valid(json_string_value(v)))
				return (ops_refuse(e, OPS_INVALID, key,
				    "Enter a name of 1 to 200 characters."));
			(void)snprintf(c->name, sizeof(c->name), "%s",
			    json_string_value(v));
		} else if (strcmp(key, "positions") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < 1 ||
			    json_integer_value(v) > 50)
				return (ops_refuse(e, OPS_INVALID, key,
				    "Enter a number of positions from 1 to "
				    "50."));
			c->positions = json_integer_value(v);
		} else if (strcmp(key, "timezone") == 0) {
			if (!json_is_string(v) ||
			    !dates_zone_known(json_string_value(v)))
				return (ops_refuse(e, OPS_INVALID, key,
				    "Choose one of the listed time zones."));
			(void)snprintf(c->timezone, sizeof(c->timezone), "%s",
			    json_string_value(v));
		} else if (strcmp(key, "state") == 0) {
			if (!json_is_string(v) ||
			    cycle_state_parse(json_string_value(v), &to) != 0)
				return (ops_refuse(e, OPS_INVALID, key,
				    "Unknown cycle state."));
			if (creating && to != CYCLE_SETUP)
				return (ops_refuse(e, OPS_INVALID, key,
				    "A new cycle starts in setup."));
			if (!creating &&
			    (cycle_state_parse(c->state, &from) != 0 ||
				(from != to && !cycle_transition_ok(from, to))))
				return (ops_refuse(e, OPS_INVALID, key,
				    "A cycle moves one step at a time: setup, "
				    "open, review, ranking, certified, "
				    "archived."));
			(void)snprintf(c->state, sizeof(c->state), "%s",
			    cycle_state_name(to));
		} else
			return (ops_refuse(
			    e, OPS_INVALID, key, "Unknown cycle setting."));
		json_object_set((json_t *)changed, key, (json_t *)v);
	}

	for (i = 0; i < CYCLE_DATE__MAX; i++) {
		if (dates_parse(c->dates[i], 0, &d[i]) != 0)
			return (ops_refuse(e, OPS_INVALID, cycle_date_key(i),
			    "This date is required."));
	}
	if (cycle_dates_check(d, &bad) != 0)
		return (ops_refuse(e, OPS_INVALID, cycle_date_key(bad),
		    "The dates must follow each other: applications open, "
		    "close, interviews start, end, rank list due."));
	if (dates_to_instant(
		&d[CYCLE_APPLICATIONS_OPEN], c->timezone, &c->open_at) != 0 ||
	    dates_to_instant(
		&d[CYCLE_APPLICATIONS_CLOSE], c->timezone, &c->close_at) != 0 ||
	    dates_to_instant(
		&d[CYCLE_RANKLIST_DUE], c->timezone, &c->ranklist_due_at) != 0)
		return (ops_refuse(e, OPS_INVALID, "timezone",
		    "The dates cannot be placed in this time zone."));
	return (OPS_OK);
}

int
ops_cycle_save(struct db *db, struct ops_actor actor, int64_t id,
    const json_t *in, struct db_cycle *out, struct ops_error *e)
{
	json_t *changed;
	int	rc;

	if (!role_is_staff(actor.role) ||
	    (id == 0 && actor.role != ROLE_DIRECTOR))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director creates cycles."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	memset(out, 0, sizeof(*out));
	if (id == 0) {
		out->positions = 2;
		(void)snprintf(out->timezone, sizeof(out->timezone), "%s",
		    "America/New_York");
		(void)snprintf(out->state, sizeof(out->state), "setup");
	} else if ((rc = db_cycle_by_id(db, id, out)) != 1) {
		db_rollback(db);
		return (rc < 0 ? rc
			       : ops_refuse(e, OPS_NOT_FOUND, NULL,
				     "There is no such cycle."));
	}
	if (id == 0 &&
	    (json_object_get(in, "year") == NULL ||
		json_object_get(in, "name") == NULL)) {
		db_rollback(db);
		return (ops_refuse(e, OPS_INVALID,
		    json_object_get(in, "year") ? "name" : "year",
		    "A new cycle needs a year and a name."));
	}
	changed = json_object();
	rc = cycle_apply(out, in, actor.role, id == 0, changed, e);
	if (rc == OPS_OK && id == 0)
		rc = db_cycle_insert(db, out, &out->id);
	else if (rc == OPS_OK)
		rc = db_cycle_update(db, out);
	if (rc == OPS_OK)
		rc = ops_audit(db, actor.id,
		    id == 0 ? "cycle.create" : "cycle.update", "cycle", out->id,
		    json_incref(changed));
	json_decref(changed);
	if (rc == OPS_OK && id == 0)
		(void)db_cycle_by_id(db, out->id, out);
	return (ops_finish(db, rc));
}

/* Loads the cycle; OPS_NOT_FOUND when absent or still in setup. */
static int
cycle_for_applicants(
    struct db *db, int64_t id, struct db_cycle *c, struct ops_error *e)
{
	int rc;

	if ((rc = db_cycle_by_id(db, id, c)) < 0)
		return (rc);
	if (rc == 0 || strcmp(c->state, "setup") == 0)
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such cycle."));
	return (OPS_OK);
}

static int
accepts_edits(const struct db_cycle *c, int64_t now)
{
	enum cycle_state s;

	return (cycle_state_parse(c->state, &s) == 0 &&
	    cycle_accepts_edits(s, c->open_at, c->close_at, now));
}

int
ops_application_mine(struct db *db, int64_t cycle, int64_t applicant,
    int64_t now, struct db_application *a, struct ops_error *e)
{
	struct db_cycle c;
	int64_t		id;
	int		rc;

	a->fields = NULL;
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = cycle_for_applicants(db, cycle, &c, e)) != OPS_OK)
		return (ops_finish(db, rc));
	if ((rc = db_application_by_owner(db, cycle, applicant, a)) < 0)
		return (ops_finish(db, rc));
	if (rc == 1)
		return (ops_finish(db, OPS_OK));
	if (!accepts_edits(&c, now))
		return (ops_finish(db,
		    ops_refuse(e, OPS_NOT_FOUND, NULL,
			"This cycle does not accept applications now.")));
	rc = db_application_insert(db, cycle, applicant, "{}", &id);
	if (rc == OPS_OK)
		rc = ops_audit(db, applicant, "application.create",
		    "application", id, NULL);
	if (rc == OPS_OK &&
	    db_application_by_owner(db, cycle, applicant, a) != 1)
		rc = DB_ERROR;
	return (ops_finish(db, rc));
}

/* Loads the applicant's draft in a cycle that accepts edits. */
static int
editable_draft(struct db *db, int64_t cycle, int64_t applicant, int64_t now,
    struct db_application *a, struct ops_error *e)
{
	struct db_cycle c;
	int		rc;

	if ((rc = cycle_for_applicants(db, cycle, &c, e)) != OPS_OK)
		return (rc);
	if ((rc = db_application_by_owner(db, cycle, applicant, a)) < 0)
		return (rc);
	if (rc == 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL,
		    "You have no application in this cycle."));
	if (strcmp(a->status, "draft") != 0)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "This application is no longer a draft; ask the "
		    "coordinator to reopen it."));
	if (!accepts_edits(&c, now))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "The application deadline has passed."));
	return (OPS_OK);
}

int
ops_application_save(struct db *db, int64_t cycle, int64_t applicant,
    const json_t *changes, int64_t now, struct db_application *a,
    struct ops_error *e)
{
	const struct app_field *f;
	const char	       *key, *msg = NULL;
	const json_t	       *v;
	json_t		       *fields = NULL;
	char		       *text = NULL;
	int			rc;

	/* Every value is checked before anything is written. */
	json_object_foreach((json_t *)changes, key, v)
	{
		if ((f = application_field(key)) == NULL)
			return (ops_refuse(
			    e, OPS_INVALID, key, "Unknown application field."));
		if (application_check(f, v, &msg) != 0)
			return (ops_refuse(e, OPS_INVALID, key, msg));
	}
	a->fields = NULL;
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = editable_draft(db, cycle, applicant, now, a, e)) != OPS_OK)
		goto out;
	if ((fields = json_loads(a->fields, 0, NULL)) == NULL ||
	    !json_is_object(fields)) {
		rc = DB_ERROR;
		goto out;
	}
	json_object_foreach((json_t *)changes, key, v)
	{
		if (json_is_null(v))
			json_object_del(fields, key);
		else
			json_object_set(fields, key, (json_t *)v);
	}
	if ((text = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS)) ==
	    NULL) {
		rc = DB_ERROR;
		goto out;
	}
	/* Inside BEGIN IMMEDIATE nobody else writes: the version holds. */
	if ((rc = db_application_set_fields(db, a->id, text, a->version)) !=
	    1) {
		rc = rc < 0 ? rc : DB_ERROR;
		goto out;
	}
	rc = ops_audit(db, applicant, "application.save", "application", a->id,
	    json_pack("{s:o}", "fields", json_incref((json_t *)changes)));
	if (rc == OPS_OK) {
		db_application_clear(a);
		if (db_application_by_owner(db, cycle, applicant, a) != 1)
			rc = DB_ERROR;
	}
out:
	json_decref(fields);
	free(text);
	if (rc != OPS_OK)
		db_application_clear(a);
	return (ops_finish(db, rc));
}

int
ops_application_submit(struct db *db, int64_t cycle, int64_t applicant,
    int64_t now, json_t *missing, struct ops_error *e)
{
	struct db_application a = { 0 };
	json_t		     *fields;
	int		      rc, have[DOC__MAX];
	size_t		      n;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = editable_draft(db, cycle, applicant, now, &a, e)) != OPS_OK)
		goto out;
	if ((fields = json_loads(a.fields, 0, NULL)) == NULL) {
		rc = DB_ERROR;
		goto out;
	}
	n = application_missing(fields, missing);
	json_decref(fields);
	if ((rc = ops_document_counts(db, a.id, have)) != 0)
		goto out;
	n += document_missing(have, missing);
	if (n > 0)
		rc = ops_refuse(e, OPS_INVALID, NULL,
		    "The application is not complete yet.");
	if (rc == OPS_OK)
		rc = db_application_set_status(db, a.id, "submitted", 1);
	if (rc == OPS_OK)
		rc = ops_audit(db, applicant, "application.submit",
		    "application", a.id, NULL);
out:
	db_application_clear(&a);
	return (ops_finish(db, rc));
}

int
ops_application_withdraw(struct db *db, const struct settings *set, int64_t id,
    int64_t applicant, int64_t now, struct ops_error *e)
{
	struct db_application a = { 0 };
	int		      rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_application_by_id(db, id, &a)) < 0)
		goto out;
	if (rc == 0 || a.applicant_id != applicant) {
		rc = ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such application.");
		goto out;
	}
	if (strcmp(a.status, "withdrawn") == 0) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "This application is withdrawn already.");
		goto out;
	}
	rc = db_application_set_status(db, id, "withdrawn", 0);
	if (rc == OPS_OK)
		rc = ops_interview_release(db, set, applicant, id, now);
	if (rc == OPS_OK)
		rc = ops_audit(db, applicant, "application.withdraw",
		    "application", id, json_pack("{s:s}", "from", a.status));
out:
	db_application_clear(&a);
	return (ops_finish(db, rc));
}

int
ops_application_reopen(
    struct db *db, struct ops_actor actor, int64_t id, struct ops_error *e)
{
	struct db_application a = { 0 };
	int		      rc;

	if (!role_is_staff(actor.role))
		return (ops_refuse(
		    e, OPS_FORBIDDEN, NULL, "Only staff reopen applications."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_application_by_id(db, id, &a)) < 0)
		goto out;
	if (rc == 0) {
		rc = ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such application.");
		goto out;
	}
	if (strcmp(a.status, "draft") == 0) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "This application is a draft already.");
		goto out;
	}
	rc = db_application_set_status(db, id, "draft", 0);
	if (rc == OPS_OK)
		rc = ops_audit(db, actor.id, "application.reopen",
		    "application", id, json_pack("{s:s}", "from", a.status));
out:
	db_application_clear(&a);
	return (ops_finish(db, rc));
}
