/*
 * The delivery process. It polls the outbox once a second (an indexed
 * query), formats each due message (with its calendar invitation as a
 * second MIME part when it has one) and pipes it to SENDMAIL through
 * /bin/sh, so the setting may carry arguments. A command that exits 0
 * delivered the message; anything else, or no answer within
 * MAILER_TIMEOUT_SECONDS, is a failure to retry later. Being the one
 * process of the server that runs outside the workers' sandbox and on
 * its own clock, it also sweeps the documents directory once a day.
 */
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/mail.h"
#include "ops/accounts.h"
#include "ops/clock.h"
#include "ops/interviews.h"
#include "ops/letters.h"
#include "ops/mailer.h"
#include "ops/review.h"

struct due {
	int64_t id;
	int64_t attempts;
	char	to[DB_EMAIL_MAX];
	char   *subject;
	char   *body;
	char   *calendar; /* NULL: none */
	char	sender[DB_NAME_MAX];
	int	failed; /* a copy ran out of memory */
};

int64_t
mailer_backoff(int64_t attempts)
{
	static const int64_t steps[] = { 60, 300, 900, 1800, 3600, 7200,
		14400 };
	size_t		     n = sizeof(steps) / sizeof(steps[0]);

	if (attempts < 1)
		return (steps[0]);
	if ((size_t)attempts > n)
		return (steps[n - 1]);
	return (steps[attempts - 1]);
}

static void
copy_due(void *arg, const struct db_mail_row *m)
{
	struct due *d = arg;

	d->id = m->id;
	d->attempts = m->attempts;
	(void)snprintf(d->to, sizeof(d->to), "%s", m->to);
	d->subject = strdup(m->subject);
	d->body = strdup(m->body);
	d->calendar = m->calendar != NULL ? strdup(m->calendar) : NULL;
	(void)snprintf(d->sender, sizeof(d->sender), "%s",
	    m->sender != NULL ? m->sender : "");
	d->failed = m->calendar != NULL && d->calendar == NULL;
}

/* Writes all of buf to fd; returns 0 or -1. */
static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		buf += n;
		len -= (size_t)n;
	}
	return (0);
}

/*
 * Runs the sendmail command with msg on its standard input. Returns 0 on
 * success, else -1 with a reason in err.
 */
static int
run_sendmail(const char *command, const char *msg, char *err, size_t errlen)
{
	int   fds[2], status, waited;
	pid_t pid, r;

	if (pipe(fds) == -1) {
		(void)snprintf(err, errlen, "pipe: %s", strerror(errno));
		return (-1);
	}
	if ((pid = fork()) == -1) {
		(void)snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return (-1);
	}
	if (pid == 0) {
		/* Its own process group, so a timeout ends all it started. */
		(void)setpgid(0, 0);
		(void)dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	(void)signal(SIGPIPE, SIG_IGN);
	(void)write_all(fds[1], msg, strlen(msg));
	close(fds[1]);

	for (waited = 0;; waited++) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r == -1 && errno != EINTR) {
			(void)snprintf(
			    err, errlen, "waitpid: %s", strerror(errno));
			return (-1);
		}
		if (waited >= MAILER_TIMEOUT_SECONDS * 10) {
			(void)kill(-pid, SIGKILL);
			(void)waitpid(pid, &status, 0);
			(void)snprintf(err, errlen,
			    "the mail command did not finish in %d s",
			    MAILER_TIMEOUT_SECONDS);
			return (-1);
		}
		(void)usleep(100000);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return (0);
	if (WIFEXITED(status))
		(void)snprintf(err, errlen, "the mail command exited with %d",
		    WEXITSTATUS(status));
	else
		(void)snprintf(err, errlen, "the mail command was killed");
	return (-1);
}

int
mailer_deliver_due(struct db *db, const struct settings *set, int64_t now)
{
	struct due d;
	char	   err[256], *msg;
	int	   rc, delivered = 0;

	for (;;) {
		memset(&d, 0, sizeof(d));
		if ((rc = db_outbox_next_due(db, now, copy_due, &d)) <= 0)
			break;
		msg = NULL;
		if (d.subject == NULL || d.body == NULL || d.failed ||
		    (msg = mail_format_from(d.sender, set->mail_from, d.to,
			 d.subject, d.body, d.calendar, (time_t)now, d.id)) ==
			NULL) {
			(void)snprintf(err, sizeof(err),
			    "the message could not be formatted");
			rc = -1;
		} else
			rc = run_sendmail(set->sendmail, msg, err, sizeof(err));
		free(msg);
		free(d.subject);
		free(d.body);
		free(d.calendar);
		if (rc == 0) {
			rc = db_outbox_sent(db, d.id, now);
			delivered++;
		} else if (d.attempts + 1 >= MAILER_MAX_ATTEMPTS) {
			rc = db_outbox_retry(db, d.id, now, err, "failed");
		} else {
			rc = db_outbox_retry(db, d.id,
			    now + mailer_backoff(d.attempts + 1), err,
			    "pending");
		}
		if (rc != 0)
			return (rc);
	}
	return (rc < 0 ? rc : delivered);
}

/* The daily sweep of the documents directory (store/db.h), of the
 * sign-in counters that count nothing any more and of the letter mails
 * past the caps' window. */
static void
sweep(struct db *db, const char *docs, int64_t now)
{
	struct db_sweep sw;
	char		err[512];
	int		rc;

	if (db_files_sweep(
		db, docs, now, MAILER_SWEEP_GRACE, &sw, err, sizeof(err)) != 0)
		fprintf(stderr, "mailer: documents not swept: %s\n", err);
	else if (sw.removed + sw.partial + sw.restored > 0)
		fprintf(stderr,
		    "mailer: removed %d stored file(s) no row names and %d "
		    "partial upload(s); put back %d set aside\n",
		    sw.removed, sw.partial, sw.restored);
	if ((rc = ops_throttle_purge(db, now)) < 0)
		fprintf(
		    stderr, "mailer: sign-in counters not purged (%d)\n", rc);
	else if (rc > 0)
		fprintf(
		    stderr, "mailer: purged %d old sign-in counter(s)\n", rc);
	if ((rc = ops_letter_mails_purge(db, now)) < 0)
		fprintf(stderr,
		    "mailer: counted letter mails not purged (%d)\n", rc);
}

/* The child's life, until the parent goes away: deliver, sleep; every
 * few seconds, queue the automatic reminders of scoring deadlines (one
 * indexed query over a table of a few rows) and the reminders to book an
 * interview (one query over a partial index of the invitations not yet
 * decided); once a day, sweep the documents directory. Held mail is
 * neither delivered nor reminded of. */
static void
mailer_loop(const struct settings *set, const char *dbpath, const char *docs,
    pid_t parent)
{
	struct db *db = NULL;
	char	   err[512];
	int64_t	   reminded = 0, now, swept;
	int	   rc, held = settings_mail_held(set);

	/* The server swept at start, just before this process began. */
	swept = ops_clock_now();
	for (;;) {
		if (getppid() != parent)
			_exit(0);
		if (db == NULL &&
		    db_open(&db, dbpath, DB_MODE_ADMIN, err, sizeof(err)) != 0)
			fprintf(stderr, "mailer: %s\n", err);
		now = ops_clock_now();
		if (db != NULL && now - swept >= MAILER_SWEEP_SECONDS) {
			swept = now;
			sweep(db, docs, now);
		}
		if (db != NULL && !held && now - reminded >= 5) {
			reminded = now;
			if ((rc = ops_reminders_due(db, set, now)) > 0)
				fprintf(stderr,
				    "mailer: %d scoring reminders\n", rc);
			if ((rc = ops_interview_reminders_due(db, set, now)) >
			    0)
				fprintf(stderr,
				    "mailer: %d reminders to book an "
				    "interview\n",
				    rc);
		}
		if (db != NULL && !held) {
			rc = mailer_deliver_due(db, set, now);
			if (rc < 0 && rc != DB_EBUSY) {
				fprintf(stderr, "mailer: %s\n", db_errmsg(db));
				db_close(db);
				db = NULL;
			} else if (rc > 0)
				fprintf(stderr, "mailer: delivered %d\n", rc);
		}
		(void)sleep(1);
	}
}

pid_t
mailer_spawn(const struct settings *set, const char *dbpath, const char *docs,
    uid_t uid, gid_t gid)
{
	pid_t pid, parent;
	int   sig;

	parent = getpid();
	if ((pid = fork()) != 0)
		return (pid);

	/* The child: no inherited listeners or handlers, no privileges. */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	(void)prctl(PR_SET_NAME, "fellow-mailer");
	closefrom(STDERR_FILENO + 1);
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	if (getuid() == 0 && uid != 0) {
		if (setgroups(0, NULL) == -1 || setgid(gid) == -1 ||
		    setuid(uid) == -1) {
			fprintf(stderr, "mailer: cannot drop privileges\n");
			_exit(1);
		}
	}
	mailer_loop(set, dbpath, docs, parent);
	_exit(0);
}
