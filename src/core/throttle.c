/*
 * The throttle's arithmetic, kept free of storage so it can be tested on
 * its own. A window that has passed (and is not locked) starts afresh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

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

void
throttle_client(const char *addr, char *out, size_t len)
{
	struct in6_addr a;
	char		text[INET6_ADDRSTRLEN];
	size_t		i;

	if (inet_pton(AF_INET6, addr, &a) != 1) {
		(void)snprintf(out, len, "%s", addr);
		return;
	}
	if (IN6_IS_ADDR_V4MAPPED(&a)) {
		if (inet_ntop(AF_INET, &a.s6_addr[12], text, sizeof(text)) ==
		    NULL)
			text[0] = '\0';
		(void)snprintf(out, len, "%s", text);
		return;
	}
	for (i = 8; i < sizeof(a.s6_addr); i++)
		a.s6_addr[i] = 0;
	if (inet_ntop(AF_INET6, &a, text, sizeof(text)) == NULL)
		text[0] = '\0';
	(void)snprintf(out, len, "%s/64", text);
}
