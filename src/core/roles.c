/*
 * Role names. The table is the only place they are spelled; the database
 * keeps the same strings (see the CHECK constraint in migrations/).
 */
#include <string.h>

#include "core/roles.h"

static const char *const role_names[ROLE__MAX] = {
	"applicant",   /* ROLE_APPLICANT */
	"faculty",     /* ROLE_FACULTY */
	"coordinator", /* ROLE_COORDINATOR */
	"director",    /* ROLE_DIRECTOR */
};

const char *
role_name(enum role r)
{
	if ((unsigned int)r >= ROLE__MAX)
		return ("");
	return (role_names[r]);
}

int
role_parse(const char *name, enum role *out)
{
	int i;

	for (i = 0; i < ROLE__MAX; i++) {
		if (strcmp(name, role_names[i]) == 0) {
			*out = (enum role)i;
			return (0);
		}
	}
	return (-1);
}

int
role_is_staff(enum role r)
{
	return (r == ROLE_COORDINATOR || r == ROLE_DIRECTOR);
}
