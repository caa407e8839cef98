/*
 * The four roles of SPEC §2 and their names as stored and sent over the API.
 */
#ifndef FELLOW_CORE_ROLES_H
#define FELLOW_CORE_ROLES_H

enum role {
	ROLE_APPLICANT,
	ROLE_FACULTY,
	ROLE_COORDINATOR,
	ROLE_DIRECTOR,
	ROLE__MAX
};

/* Returns the role's name; "" for an out-of-range value. */
const char *role_name(enum role);

/* Returns 0 and sets *out when name is a role's name, else -1. */
int role_parse(const char *name, enum role *out);

/* Returns 1 for the coordinator and the director, else 0. */
int role_is_staff(enum role);

#endif
