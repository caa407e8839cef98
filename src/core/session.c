/*
 * Session lifetime. A clock that went backwards counts as activity now,
 * never as a reason to extend a session past its absolute end.
 */
#include "core/session.h"

int
session_alive(int64_t now, int64_t created, int64_t last_seen)
{
	if (now - created >= SESSION_MAX_SECONDS)
		return (0);
	if (now - last_seen >= SESSION_IDLE_SECONDS)
		return (0);
	return (1);
}

int
session_needs_touch(int64_t now, int64_t last_seen)
{
	return (now - last_seen >= SESSION_TOUCH_SECONDS);
}
