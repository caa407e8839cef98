/*
 * The programs an installation hosts (migrations/017, 018): each one's
 * view and renaming by its director; the list of them and the making of
 * a new one with its director, by the installation's administrators.
 */
#ifndef FELLOW_OPS_PROGRAM_H
#define FELLOW_OPS_PROGRAM_H

#include <stdint.h>

#include <jansson.h>

#include "core/settings.h"
#include "ops/common.h"

#define OPS_PROGRAM_NAME_MAX 200 /* characters */

/*
 * {id, name, positions, timezone, mail_sender, updated_at} of program
 * id; for id 0, the installation's only program when it has one, else
 * JSON null; for id -1, null. Anyone's, signed in or not (the sign-in
 * page shows it).
 */
int ops_program_view(struct db *, int64_t id, json_t **out);

/*
 * Renames the actor's program (its director only): OPS_FORBIDDEN for
 * anyone else; OPS_INVALID (field "name") for a name that is empty, only
 * spaces, longer than OPS_PROGRAM_NAME_MAX characters or holds control
 * characters; OPS_CONFLICT when another program has it; else the view,
 * and a "program.rename" audit record with the old name and the new.
 */
int ops_program_rename(struct db *, struct ops_actor, const char *name,
    int64_t now, json_t **out, struct ops_error *);

/* What a new program is given. */
struct ops_program_new {
	const char *name;
	int64_t	    positions;	 /* 0: 2 */
	const char *timezone;	 /* NULL: America/New_York */
	const char *mail_sender; /* NULL: "" */
	const char *director_email;
	const char *director_name;
};

/*
 * {programs: [{id, name, positions, timezone, mail_sender, people,
 * directors: [{id, name, email}]}], timezones: [...]}: for an
 * administrator only
 * (OPS_FORBIDDEN); admin is whether the actor is one.
 */
int ops_programs_list(struct db *, int admin, json_t **out, struct ops_error *);

/*
 * Makes a program and names its director (ops_enlist(): a new account is
 * mailed an invitation): OPS_FORBIDDEN unless admin; OPS_INVALID naming
 * the field; OPS_CONFLICT for a name taken (field "name") or a director's
 * address that is an applicant's (field "director_email"). Audited as
 * "program.create" by actor id (0: the operator). The view, as one row of
 * ops_programs_list(), into *out (may be NULL); the id into *id.
 */
int ops_program_create(struct db *, const struct settings *, int64_t actor,
    int admin, const struct ops_program_new *, int64_t now, int64_t *id,
    json_t **out, struct ops_error *);

#endif
