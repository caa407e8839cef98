/*
 * The program's one clock. Every "now" the operations take comes from
 * here, read once per request by the web layer (web_now()), once per
 * command by fellowctl and once per round by the mail process; nothing
 * else reads the time of day. The test build lets the tests set it for a
 * whole server (FELLOW_CLOCK_FILE, ops/clock.c; tests/lib/server.py,
 * clock=...), and the unit tests of src/ops pass their own fixed "now"
 * instead of calling this.
 */
#ifndef FELLOW_OPS_CLOCK_H
#define FELLOW_OPS_CLOCK_H

#include <stdint.h>

/* Seconds since the Unix epoch, UTC. */
int64_t ops_clock_now(void);

#endif
