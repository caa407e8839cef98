/*
 * The throttle's arithmetic, kept free of storage so it can be tested on
 * its own. A window that has passed (and is not locked) starts afresh.
 */
#include "core/throttle.h"

const struct throttle_policy throttle_account = { 3, 10 };
const struct throttle_policy throttle_address = { 20, 50 };
const struct throttle_policy throttle_mail = { 3, 5 };
const struct throttle_policy throttle_register = { 10, 30 };

int64_t
throttle_wait(const struct throttle_state *s, int64_t now)
{
	if (s->blocked_until > now)
		return (s->blocked_until - now);
	return (0);
}

int
throttle_fail(
    struct throttle_state *s, int64_t now, const struct throttle_policy *p)
{
	int64_t delay, over;

	if (now - s->window_start >= THROTTLE_WINDOW_SECONDS &&
	    s->blocked_until <= now) {
		s->failures = 0;
		s->window_start = now;
	}
	s->failures++;
	if (s->failures >= p->lock_after) {
		s->blocked_until = now + THROTTLE_LOCK_SECONDS;
		return (s->failures == p->lock_after);
	}
	if (s->failures >= p->delay_after) {
		over = s->failures - p->delay_after;
		delay = over >= 6 ? THROTTLE_MAX_DELAY : (int64_t)1 << over;
		if (delay > THROTTLE_MAX_DELAY)
			delay = THROTTLE_MAX_DELAY;
		s->blocked_until = now + delay;
	}
	return (0);
}
