/*
 * The programs an installation hosts: their views, the renaming of one by
 * its director, and the making of new ones by an administrator.
 */
#include <stdio.h>
#include <string.h>

#include "core/dates.h"
#include "core/text.h"
#include "ops/accounts.h"
#include "ops/program.h"
#include "store/db.h"

static json_t *
program_json(const struct db_program *p)
{
	return (json_pack("{s:I,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)p->id,
	    "name", p->name, "positions", (json_int_t)p->positions, "timezone",
	    p->timezone, "mail_sender", p->mail_sender, "updated_at",
	    p->updated_at));
}

/* Counts programs into the int64_t at arg, keeping the first in the
 * struct db_program after it. */
struct only {
	int64_t		  n;
	struct db_program first;
};

static int
count_program(void *arg, const struct db_program *p)
{
	struct only *o = arg;

	if (o->n++ == 0)
		o->first = *p;
	return (0);
}

int
ops_program_view(struct db *db, int64_t id, json_t **out)
{
	struct only o = { 0 };
	int	    rc;

	*out = NULL;
	if (id > 0) {
		if ((rc = db_program_get(db, id, &o.first)) < 0)
			return (rc);
		o.n = rc;
	} else if (id == 0 &&
	    (rc = db_program_list(db, count_program, &o)) != 0)
		return (rc);
	*out = o.n == 1 ? program_json(&o.first) : json_null();
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

int
ops_program_rename(struct db *db, struct ops_actor actor, const char *name,
    int64_t now, json_t **out, struct ops_error *e)
{
	struct db_program p;
	const char	 *msg;
	int		  rc;

	(void)now;
	*out = NULL;
	if (actor.role != ROLE_DIRECTOR || actor.program <= 0)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the director renames the program."));
	if (name == NULL ||
	    text_plain(name, 0, OPS_PROGRAM_NAME_MAX, &msg) != 0)
		return (ops_refuse(e, OPS_INVALID, "name",
		    name == NULL ? "The program needs a name." : msg));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_program_get(db, actor.program, &p)) != 1) {
		rc = rc < 0 ? rc : OPS_EDB;
		goto out;
	}
	if (strcmp(p.name, name) != 0) {
		rc = db_program_set_name(db, actor.program, name);
		if (rc == DB_ECONSTRAINT)
			rc = ops_refuse(e, OPS_CONFLICT, "name",
			    "Another program of this installation has that "
			    "name.");
		if (rc != 0)
			goto out;
		if ((rc = ops_audit_in(db, actor.id, actor.program,
			 "program.rename", "program", actor.program,
			 json_pack("{s:s,s:s}", "old", p.name, "new", name))) !=
		    OPS_OK)
			goto out;
		if ((rc = db_program_get(db, actor.program, &p)) != 1) {
			rc = rc < 0 ? rc : OPS_EDB;
			goto out;
		}
	}
	*out = program_json(&p);
	rc = *out != NULL ? OPS_OK : OPS_ENOMEM;
out:
	return (ops_finish_view(db, rc, out));
}

/* The directors of a program, from its people. */
static int
add_director(void *arg, const struct db_user *u)
{
	if (strcmp(u->role, "director") != 0)
		return (0);
	return (json_array_append_new(arg,
		    json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u->id, "name",
			u->name, "email", u->email)) == 0
		? 0
		: OPS_ENOMEM);
}

/* The administrator's row of program p: with its directors and how
 * many people hold a role in it; never its candidates. */
static int
admin_row(struct db *db, const struct db_program *p, json_t **row)
{
	json_t *directors;
	int64_t people;
	int	rc;

	*row = NULL;
	if ((directors = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_membership_count(db, p->id, NULL, &people)) != 0 ||
	    (rc = db_user_list(
		 db, p->id, 0, 100000, add_director, directors)) != 0) {
		json_decref(directors);
		return (rc);
	}
	if ((*row = program_json(p)) == NULL ||
	    json_object_set_new(*row, "people", json_integer(people)) != 0 ||
	    json_object_set_new(*row, "directors", directors) != 0) {
		json_decref(*row);
		*row = NULL;
		return (OPS_ENOMEM);
	}
	return (OPS_OK);
}

struct listing {
	struct db *db;
	json_t	  *rows;
	int	   rc;
};

static int
add_program(void *arg, const struct db_program *p)
{
	struct listing *l = arg;
	json_t	       *row;

	if ((l->rc = admin_row(l->db, p, &row)) != OPS_OK)
		return (1);
	if (json_array_append_new(l->rows, row) != 0) {
		l->rc = OPS_ENOMEM;
		return (1);
	}
	return (0);
}

static int
not_admin(struct ops_error *e)
{
	return (ops_refuse(e, OPS_FORBIDDEN, NULL,
	    "Only the installation's administrators manage programs."));
}

int
ops_programs_list(struct db *db, int admin, json_t **out, struct ops_error *e)
{
	struct listing l = { db, NULL, OPS_OK };
	json_t	      *zones;
	size_t	       i;
	int	       rc;

	*out = NULL;
	if (!admin)
		return (not_admin(e));
	if ((l.rows = json_array()) == NULL)
		return (OPS_ENOMEM);
	rc = db_program_list(db, add_program, &l);
	if (rc == 1)
		rc = l.rc;
	if (rc != 0) {
		json_decref(l.rows);
		return (rc);
	}
	/* The time zones a program may have, for the form. */
	if ((zones = json_array()) == NULL) {
		json_decref(l.rows);
		return (OPS_ENOMEM);
	}
	for (i = 0; dates_zones[i] != NULL; i++)
		if (json_array_append_new(zones, json_string(dates_zones[i])) !=
		    0) {
			json_decref(l.rows);
			json_decref(zones);
			return (OPS_ENOMEM);
		}
	*out = json_pack("{s:o,s:o}", "programs", l.rows, "timezones", zones);
	return (*out != NULL ? OPS_OK : OPS_ENOMEM);
}

/* Checks what a new program is given; fills p. */
static int
program_check(
    const struct ops_program_new *in, struct db_program *p, struct ops_error *e)
{
	const char *msg;

	memset(p, 0, sizeof(*p));
	if (in->name == NULL ||
	    text_plain(in->name, 0, OPS_PROGRAM_NAME_MAX, &msg) != 0)
		return (ops_refuse(e, OPS_INVALID, "name",
		    in->name == NULL ? "The program needs a name." : msg));
	p->positions = in->positions == 0 ? 2 : in->positions;
	if (p->positions < 1 || p->positions > 50)
		return (ops_refuse(e, OPS_INVALID, "positions",
		    "A program has 1 to 50 positions."));
	if (in->timezone != NULL && !dates_zone_known(in->timezone))
		return (ops_refuse(e, OPS_INVALID, "timezone",
		    "Choose a time zone from the list."));
	if (in->mail_sender != NULL &&
	    (strlen(in->mail_sender) > 0 &&
		text_plain(in->mail_sender, 0, OPS_PROGRAM_NAME_MAX, &msg) !=
		    0))
		return (ops_refuse(e, OPS_INVALID, "mail_sender", msg));
	if (in->director_email == NULL || !text_email_valid(in->director_email))
		return (ops_refuse(e, OPS_INVALID, "director_email",
		    "Enter the director's e-mail address."));
	if (in->director_name == NULL || !text_name_valid(in->director_name))
		return (ops_refuse(e, OPS_INVALID, "director_name",
		    "Enter the director's name, of 1 to 200 characters."));
	(void)snprintf(p->name, sizeof(p->name), "%s", in->name);
	(void)snprintf(p->timezone, sizeof(p->timezone), "%s",
	    in->timezone != NULL ? in->timezone : "America/New_York");
	(void)snprintf(p->mail_sender, sizeof(p->mail_sender), "%s",
	    in->mail_sender != NULL ? in->mail_sender : "");
	return (OPS_OK);
}

int
ops_program_create(struct db *db, const struct settings *set, int64_t actor,
    int admin, const struct ops_program_new *in, int64_t now, int64_t *id,
    json_t **out, struct ops_error *e)
{
	struct db_program p;
	int64_t		  director;
	int		  rc;

	if (out != NULL)
		*out = NULL;
	*id = 0;
	if (!admin)
		return (not_admin(e));
	if ((rc = program_check(in, &p, e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	rc = db_program_insert(db, &p, id);
	if (rc == DB_ECONSTRAINT)
		rc = ops_refuse(e, OPS_CONFLICT, "name",
		    "Another program of this installation has that name.");
	if (rc != 0)
		goto out;
	if ((rc = ops_audit_in(db, actor, *id, "program.create", "program", *id,
		 json_pack("{s:s,s:s}", "name", p.name, "director",
		     in->director_email))) != OPS_OK)
		goto out;
	if ((rc = ops_enlist(db, set, actor, *id, in->director_email,
		 in->director_name, "director", now, &director, e)) != OPS_OK) {
		if (e != NULL && e->field != NULL &&
		    strcmp(e->field, "email") == 0)
			e->field = "director_email";
		goto out;
	}
	if ((rc = db_program_get(db, *id, &p)) != 1) {
		rc = rc < 0 ? rc : OPS_EDB;
		goto out;
	}
	if (out != NULL)
		rc = admin_row(db, &p, out);
out:
	if (rc != OPS_OK)
		*id = 0;
	return (ops_finish_view(db, rc, out));
}
