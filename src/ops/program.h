/*
 * The program the installation serves (migrations/017): its name, shown
 * on every page and renamed by the director.
 */
#ifndef FELLOW_OPS_PROGRAM_H
#define FELLOW_OPS_PROGRAM_H

#include <stdint.h>

#include <jansson.h>

#include "ops/common.h"

#define OPS_PROGRAM_NAME_MAX 200 /* characters */

/* {id, name, updated_at}: anyone's, signed in or not (the sign-in page
 * shows it). */
int ops_program_view(struct db *, json_t **out);

/*
 * Renames the program (the director only): OPS_FORBIDDEN for anyone
 * else; OPS_INVALID (field "name") for a name that is empty, only spaces,
 * longer than OPS_PROGRAM_NAME_MAX characters or holds control
 * characters; else the view, and a "program.rename" audit record with
 * the old name and the new.
 */
int ops_program_rename(struct db *, struct ops_actor, const char *name,
    int64_t now, json_t **out, struct ops_error *);

#endif
