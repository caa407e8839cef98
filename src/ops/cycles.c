/*
 * Cycle operations (ops/cycles.h): the list and the view of a cycle, and
 * creating and changing one, with its dates checked in order and its
 * deadlines converted to instants in the cycle's time zone.
 */
#include <stdio.h>
#include <string.h>

#include "core/access.h"
#include "core/cycle.h"
#include "core/text.h"
#include "ops/access.h"
#include "ops/common.h"
#include "ops/cycles.h"

/* The JSON view of a cycle, accepting_applications as of now (new
 * reference; NULL when out of memory). */
static json_t *
cycle_json(const struct db_cycle *c, int64_t now)
{
	json_t		*o;
	enum cycle_state s;
	int		 i;

	o = json_pack("{s:I,s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:b}", "id",
	    (json_int_t)c->id, "program_id", (json_int_t)c->program_id, "year",
	    (json_int_t)c->year, "name", c->name, "positions",
	    (json_int_t)c->positions, "timezone", c->timezone, "state",
	    c->state, "created_at", c->created_at, "updated_at", c->updated_at,
	    "accepting_applications",
	    cycle_state_parse(c->state, &s) == 0 &&
		cycle_accepts_edits(s, c->open_at, c->close_at, now));
	for (i = 0; o != NULL && i < CYCLE_DATE__MAX; i++) {
		if (json_object_set_new(
			o, cycle_date_key(i), json_string(c->dates[i])) != 0) {
			json_decref(o);
			o = NULL;
		}
	}
	return (o);
}

/* {cycle} of c into *out: OPS_OK or OPS_ENOMEM. */
static int
cycle_reply(const struct db_cycle *c, int64_t now, json_t **out)
{
	json_t *o;

	if ((o = cycle_json(c, now)) == NULL)
		return (OPS_ENOMEM);
	*out = json_pack("{s:o}", "cycle", o);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

struct cycle_list {
	struct db *db;
	json_t	  *rows;
	enum role  role;
	int64_t	   now;
	int	   rc;
};

static int
add_cycle(void *arg, const struct db_cycle *c)
{
	struct cycle_list *l = arg;
	json_t		  *o;

	if (!access_view_cycle(l->role, strcmp(c->state, "setup") == 0))
		return (0);
	if ((o = cycle_json(c, l->now)) == NULL ||
	    json_array_append_new(l->rows, o) != 0)
		return (OPS_ENOMEM);
	/* An applicant sees every program's open cycles: which program
	 * each is. */
	if (l->role == ROLE_APPLICANT) {
		struct db_program p;

		if ((l->rc = db_program_get(l->db, c->program_id, &p)) < 0)
			return (1);
		if (l->rc == 1 &&
		    json_object_set_new(o, "program", json_string(p.name)) != 0)
			return (OPS_ENOMEM);
		l->rc = 0;
	}
	return (0);
}

int
ops_cycles_view(struct db *db, struct ops_actor actor, int64_t now,
    json_t **out, struct ops_error *e)
{
	struct cycle_list l = { db, NULL, actor.role, now, 0 };
	json_t		 *zones = NULL;
	size_t		  i;
	int		  rc;

	(void)e;
	if ((l.rows = json_array()) == NULL || (zones = json_array()) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	/* Staff see their program's; an applicant every program's. */
	rc = db_cycle_list(db, actor.role == ROLE_APPLICANT ? 0 : actor.program,
	    add_cycle, &l);
	if (rc == 1 && l.rc < 0)
		rc = l.rc;
	if (rc != 0)
		goto out;
	for (i = 0; dates_zones[i] != NULL; i++) {
		if (json_array_append_new(zones, json_string(dates_zones[i])) !=
		    0) {
			rc = OPS_ENOMEM;
			goto out;
		}
	}
	*out = json_pack("{s:O,s:O}", "cycles", l.rows, "timezones", zones);
	rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
out:
	json_decref(l.rows);
	json_decref(zones);
	return (rc);
}

int
ops_cycle_view(struct db *db, struct ops_actor actor, int64_t id, int64_t now,
    json_t **out, struct ops_error *e)
{
	struct db_cycle c;
	int		rc;

	if ((rc = ops_reach_cycle(db, actor, id, &c, e)) != OPS_OK)
		return (rc);
	return (cycle_reply(&c, now, out));
}

/* The index of the date called key, or -1 when key is not a date. */
static int
date_index(const char *key)
{
	int i;

	for (i = 0; i < CYCLE_DATE__MAX; i++) {
		if (strcmp(key, cycle_date_key(i)) == 0)
			return (i);
	}
	return (-1);
}

/* Applies one setting other than a date to c. */
static int
setting_apply(struct db_cycle *c, const char *key, const json_t *v,
    int creating, struct ops_error *e)
{
	enum cycle_state from, to;

	if (strcmp(key, "year") == 0) {
		if (!json_is_integer(v) || json_integer_value(v) < 2000 ||
		    json_integer_value(v) > 2100)
			return (ops_refuse_copy(e, OPS_INVALID, key,
			    "Enter a year from 2000 to 2100."));
		c->year = json_integer_value(v);
	} else if (strcmp(key, "name") == 0) {
		if (!json_is_string(v) ||
		    !text_name_valid(json_string_value(v)))
			return (ops_refuse_copy(e, OPS_INVALID, key,
			    "Enter a name of 1 to 200 characters."));
		(void)snprintf(
		    c->name, sizeof(c->name), "%s", json_string_value(v));
	} else if (strcmp(key, "positions") == 0) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 50)
			return (ops_refuse_copy(e, OPS_INVALID, key,
			    "Enter a number of positions from 1 to 50."));
		c->positions = json_integer_value(v);
	} else if (strcmp(key, "timezone") == 0) {
		if (!json_is_string(v) ||
		    !dates_zone_known(json_string_value(v)))
			return (ops_refuse_copy(e, OPS_INVALID, key,
			    "Choose one of the listed time zones."));
		(void)snprintf(c->timezone, sizeof(c->timezone), "%s",
		    json_string_value(v));
	} else if (strcmp(key, "state") == 0) {
		if (!json_is_string(v) ||
		    cycle_state_parse(json_string_value(v), &to) != 0)
			return (ops_refuse_copy(
			    e, OPS_INVALID, key, "Unknown cycle state."));
		if (creating && to != CYCLE_SETUP)
			return (ops_refuse_copy(e, OPS_INVALID, key,
			    "A new cycle starts in setup."));
		if (!creating &&
		    (cycle_state_parse(c->state, &from) != 0 ||
			(from != to && !cycle_transition_ok(from, to))))
			return (ops_refuse_copy(e, OPS_INVALID, key,
			    "A cycle moves one step at a time: setup, open, "
			    "review, ranking, certified, archived."));
		(void)snprintf(
		    c->state, sizeof(c->state), "%s", cycle_state_name(to));
	} else
		return (ops_refuse_copy(
		    e, OPS_INVALID, key, "Unknown cycle setting."));
	return (OPS_OK);
}

/*
 * Applies the keys of in to c, checking each, then the dates together;
 * copies the keys applied into changed (for the audit record).
 */
static int
cycle_apply(struct db_cycle *c, const json_t *in, enum role actor, int creating,
    json_t *changed, struct ops_error *e)
{
	struct local_time d[CYCLE_DATE__MAX], t;
	const char	 *key;
	json_t		 *v;
	enum cycle_date	  bad;
	int		  i, rc;

	json_object_foreach((json_t *)in, key, v)
	{
		if ((i = date_index(key)) < 0 && actor != ROLE_DIRECTOR)
			return (ops_refuse_copy(e, OPS_FORBIDDEN, key,
			    "The coordinator may change the cycle's dates "
			    "only."));
		if (i >= 0) {
			if (!json_is_string(v) ||
			    dates_parse(json_string_value(v), 1, &t) != 0)
				return (ops_refuse_copy(e, OPS_INVALID, key,
				    "Enter a date as YYYY-MM-DD or a date and "
				    "time as YYYY-MM-DDTHH:MM."));
			dates_format(&t, c->dates[i], sizeof(c->dates[i]));
		} else if ((rc = setting_apply(c, key, v, creating, e)) !=
		    OPS_OK)
			return (rc);
		if (json_object_set(changed, key, v) != 0)
			return (OPS_ENOMEM);
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

/*
 * Creates (id 0) or changes cycle id from in, in one transaction with its
 * audit record, and builds the cycle's view.
 */
static int
cycle_save(struct db *db, struct ops_actor actor, int64_t id, const json_t *in,
    int64_t now, json_t **out, struct ops_error *e)
{
	struct db_cycle	  c;
	struct db_program p;
	json_t		 *changed = NULL, *view = NULL;
	int		  rc;

	if (!json_is_object(in))
		return (ops_refuse(e, OPS_INVALID, NULL,
		    "The cycle's settings are a JSON object."));
	if ((changed = json_object()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_begin(db)) != 0) {
		json_decref(changed);
		return (rc);
	}
	memset(&c, 0, sizeof(c));
	if (id == 0) {
		/* A new cycle of the director's program, with its number
		 * of positions and its time zone unless given. */
		if ((rc = db_program_get(db, actor.program, &p)) <= 0) {
			rc = rc < 0 ? rc : OPS_EDB;
			goto out;
		}
		c.program_id = p.id;
		c.positions = p.positions;
		(void)snprintf(
		    c.timezone, sizeof(c.timezone), "%s", p.timezone);
		(void)snprintf(c.state, sizeof(c.state), "setup");
		if (json_object_get(in, "year") == NULL ||
		    json_object_get(in, "name") == NULL) {
			rc = ops_refuse(e, OPS_INVALID,
			    json_object_get(in, "year") != NULL ? "name"
								: "year",
			    "A new cycle needs a year and a name.");
			goto out;
		}
	} else if ((rc = ops_reach_cycle(db, actor, id, &c, e)) != OPS_OK)
		goto out;
	if ((rc = cycle_apply(&c, in, actor.role, id == 0, changed, e)) !=
	    OPS_OK)
		goto out;
	if (id == 0)
		rc = db_cycle_insert(db, &c, &c.id);
	else
		rc = db_cycle_update(db, &c);
	if (rc != OPS_OK)
		goto out;
	if ((rc = ops_audit(db, actor.id,
		 id == 0 ? "cycle.create" : "cycle.update", "cycle", c.id,
		 json_incref(changed))) != OPS_OK)
		goto out;
	/* The stored row: its creation and change times. */
	if ((rc = db_cycle_by_id(db, c.id, &c)) != 1) {
		rc = rc < 0 ? rc : OPS_EDB;
		goto out;
	}
	rc = cycle_reply(&c, now, &view);
out:
	json_decref(changed);
	*out = view;
	return (ops_finish_view(db, rc, out));
}

int
ops_cycle_create(struct db *db, struct ops_actor actor, const json_t *in,
    int64_t now, json_t **out, struct ops_error *e)
{
	if (actor.role != ROLE_DIRECTOR)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director creates cycles."));
	return (cycle_save(db, actor, 0, in, now, out, e));
}

int
ops_cycle_update(struct db *db, struct ops_actor actor, int64_t id,
    const json_t *in, int64_t now, json_t **out, struct ops_error *e)
{
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director and the coordinator change cycles."));
	if (id <= 0)
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such cycle."));
	return (cycle_save(db, actor, id, in, now, out, e));
}
