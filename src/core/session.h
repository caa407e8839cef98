/*
 * Session lifetime rules: a session ends after SESSION_IDLE_SECONDS without
 * a request, and SESSION_MAX_SECONDS after sign-in whatever happens.
 */
#ifndef FELLOW_CORE_SESSION_H
#define FELLOW_CORE_SESSION_H

#include <stdint.h>

#define SESSION_IDLE_SECONDS (2L * 60 * 60)
#define SESSION_MAX_SECONDS  (12L * 60 * 60)
/* last_seen_at is written at most this often, to spare the database. */
#define SESSION_TOUCH_SECONDS 60

/* Returns 1 when a session created and last seen at these times is live. */
int session_alive(int64_t now, int64_t created, int64_t last_seen);

/* Returns 1 when last_seen should be moved to now. */
int session_needs_touch(int64_t now, int64_t last_seen);

#endif
