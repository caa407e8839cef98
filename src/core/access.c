/*
 * Who may do and see what (core/access.h), as pure functions.
 */
#include "core/access.h"

static const char *const access_messages[ACCESS__MAX] = {
	"Allowed.",
	"Only the coordinator and the director manage accounts.",
	"Only the director manages director accounts.",
	"You cannot change your own role or disable your own account.",
	"Applicants create their own accounts; invite faculty and staff only.",
};

enum access_verdict
access_invite(enum role actor, enum role role)
{
	if (!role_is_staff(actor))
		return (ACCESS_NOT_STAFF);
	if (role == ROLE_APPLICANT)
		return (ACCESS_NO_INVITED_APPLICANTS);
	if (role == ROLE_DIRECTOR && actor != ROLE_DIRECTOR)
		return (ACCESS_DIRECTORS_ONLY);
	return (ACCESS_OK);
}

enum access_verdict
access_update_user(enum role actor, int64_t actor_id, enum role target,
    int64_t target_id, enum role new_role, int disabling)
{
	if (!role_is_staff(actor))
		return (ACCESS_NOT_STAFF);
	if (actor_id == target_id && (new_role != target || disabling))
		return (ACCESS_NOT_YOURSELF);
	if (actor != ROLE_DIRECTOR &&
	    (target == ROLE_DIRECTOR || new_role == ROLE_DIRECTOR))
		return (ACCESS_DIRECTORS_ONLY);
	return (ACCESS_OK);
}

const char *
access_message(enum access_verdict v)
{
	if ((unsigned int)v >= ACCESS__MAX)
		return ("");
	return (access_messages[v]);
}

int
access_view_application(enum role r, int64_t user_id, int64_t owner_id,
    int submitted, int conflicted, int assigned)
{
	switch (r) {
	case ROLE_APPLICANT:
		return (user_id == owner_id);
	case ROLE_FACULTY:
		return (submitted && assigned &&
		    !access_hidden_by_conflict(r, conflicted));
	case ROLE_COORDINATOR:
	case ROLE_DIRECTOR:
		return (1);
	default:
		return (0);
	}
}

int
access_view_cycle(enum role r, int in_setup)
{
	if ((unsigned int)r >= ROLE__MAX)
		return (0);
	return (role_is_staff(r) || !in_setup);
}

int
access_hidden_by_conflict(enum role r, int conflicted)
{
	return (r == ROLE_FACULTY && conflicted);
}

int
access_conflict_held(enum role r, int certified, int closed_sheet)
{
	return (r == ROLE_FACULTY && (certified || closed_sheet));
}

int
access_decide_conflict(enum role r)
{
	return (role_is_staff(r));
}

int
access_view_standing(enum role r)
{
	return (role_is_staff(r));
}

int
access_mail_bodies(int mail_held, int demo)
{
	return (mail_held && demo);
}
