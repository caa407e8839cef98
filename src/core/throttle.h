/*
 * Sign-in throttling: failed attempts are counted per account and per
 * client address within a window. After a few failures each further attempt
 * must wait longer (1 s, 2 s, 4 s ... up to a minute); after many, the key
 * is locked for a quarter of an hour. The counters live in the database so
 * that every worker applies the same limits.
 */
#ifndef FELLOW_CORE_THROTTLE_H
#define FELLOW_CORE_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

#define THROTTLE_WINDOW_SECONDS (15L * 60)
#define THROTTLE_LOCK_SECONDS	(15L * 60)
#define THROTTLE_MAX_DELAY	60

struct throttle_policy {
	int delay_after; /* failures before delays begin */
	int lock_after;	 /* failures that lock the key */
};

/* Accounts: delays from the 3rd failure, locked at the 10th. */
extern const struct throttle_policy throttle_account;
/* Addresses (a hospital may share one): delays from 20, locked at 50. */
extern const struct throttle_policy throttle_address;
/* Reset mails to one address: 3 in quick succession, then none for a
 * quarter of an hour after the 5th, so the form cannot flood a mailbox. */
extern const struct throttle_policy throttle_mail;
/* Registrations from one address (each costs a hash): delays from 10. */
extern const struct throttle_policy throttle_register;

struct throttle_state {
	int64_t failures;
	int64_t window_start;
	int64_t blocked_until;
};

/* Returns the seconds to wait before the next attempt (0: go ahead). */
int64_t throttle_wait(const struct throttle_state *, int64_t now);

/*
 * Records a failure at now in s. Returns 1 when this failure locked the
 * key, else 0.
 */
int throttle_fail(
    struct throttle_state *s, int64_t now, const struct throttle_policy *);

/*
 * The part of a client's address that its throttle counts: an IPv4
 * address as it is; an IPv6 address as its /64 ("2001:db8:1:2::/64"),
 * since one subscriber gets a whole /64 and could otherwise change
 * address with every attempt; an IPv4-mapped IPv6 address as the IPv4
 * one. Anything else is copied as it came. Always NUL-terminated.
 */
void throttle_client(const char *addr, char *out, size_t len);

#endif
