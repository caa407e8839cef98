/*
 * Mail delivery: a separate process that takes due messages from the
 * outbox and hands each to the configured sendmail command (SENDMAIL,
 * "sendmail -t -i" by default) on its standard input. A failed delivery is
 * retried with growing delays and, after MAILER_MAX_ATTEMPTS, marked
 * failed; staff see both in the outbox page. Delivery never runs in a Kore
 * worker: forking a command is not allowed in their sandbox, and waiting
 * for one would stall the event loop. The same process sweeps the stored
 * files no row names once a day (store/db.h, db_files_sweep()).
 */
#ifndef FELLOW_OPS_MAILER_H
#define FELLOW_OPS_MAILER_H

#include <stdint.h>
#include <sys/types.h>

#include "core/settings.h"
#include "store/db.h"

#define MAILER_MAX_ATTEMPTS    8
#define MAILER_TIMEOUT_SECONDS 30
/* The documents directory is swept once a day; a file younger than an
 * hour may be a worker's upload whose row is on its way, and stays. */
#define MAILER_SWEEP_SECONDS (24L * 60 * 60)
#define MAILER_SWEEP_GRACE   (60L * 60)

/* Seconds before attempt n+1 after n failed attempts (1 min ... 4 h). */
int64_t mailer_backoff(int64_t attempts);

/*
 * Delivers every message due at now. Returns how many were handed over
 * successfully, or a DB_E* code.
 */
int mailer_deliver_due(struct db *, const struct settings *, int64_t now);

/*
 * Starts the delivery process (a child of the caller that ends with it),
 * running as uid/gid when the caller is root and they are not 0; it
 * delivers unless mail is held (settings_mail_held()) and sweeps docs,
 * the documents directory, daily. Returns its pid, or -1.
 */
pid_t mailer_spawn(const struct settings *, const char *dbpath,
    const char *docs, uid_t uid, gid_t gid);

#endif
