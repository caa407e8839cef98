/*
 * Interview operations and their views. Each change is one transaction
 * with its audit record. The rules that keep a slot from being overbooked:
 * every booking reads the slot's seat count inside BEGIN IMMEDIATE (no
 * other connection writes until COMMIT), and the schema's triggers refuse
 * a booking past capacity whatever this file checked; that refusal is
 * reported as "full".
 *
 * A seat that frees up (a cancellation, a move, a new day) goes to the
 * first candidate on the waitlist in the same transaction, so the waitlist
 * never waits while a seat is free in a slot still to come.
 *
 * Who sees which candidate on the schedule is core/access.c's to say
 * (access_hidden_by_conflict); this file gathers the facts with one query
 * for the viewer's conflicts in the cycle. An applicant's view is built
 * without reading anyone else's invitation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access.h"
#include "core/calendar.h"
#include "core/cycle.h"
#include "core/dates.h"
#include "core/mail.h"
#include "core/remind.h"
#include "core/text.h"
#include "ops/access.h"
#include "ops/common.h"
#include "ops/interviews.h"

static const char *const no_slot = "There is no such interview slot.";
static const char *const not_invited =
    "You have not been invited to interview in this cycle.";
static const char *const staff_only =
    "Only the coordinator and the director schedule interviews.";

/* Parses "HH:MM" into minutes after midnight; -1 when malformed. */
static int
parse_hhmm(const char *s)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':' || s[0] < '0' ||
	    s[0] > '2' || s[1] < '0' || s[1] > '9' || s[3] < '0' ||
	    s[3] > '5' || s[4] < '0' || s[4] > '9')
		return (-1);
	if ((s[0] - '0') * 10 + (s[1] - '0') > 23)
		return (-1);
	return (((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 +
	    (s[4] - '0'));
}

static const char *
invitation_status(const struct db_invitation *i)
{
	if (i->slot_id != 0)
		return ("booked");
	if (i->waitlisted_at != 0)
		return ("waitlisted");
	return ("invited");
}

/* An audit record whose detail was built by the caller: a NULL detail
 * means json_pack ran out of memory. */
static int
audit_with(struct db *db, int64_t actor, const char *action, const char *kind,
    int64_t id, json_t *detail)
{
	if (detail == NULL)
		return (OPS_ENOMEM);
	return (ops_audit(db, actor, action, kind, id, detail));
}

/* Appends v (a reference this steals) to a; -1 when v is NULL (out of
 * memory) or the append fails. */
static int
append(json_t *a, json_t *v)
{
	return (v == NULL ? -1 : json_array_append_new(a, v));
}

/*
 * The schedule of a cycle as one viewer sees it: its slots, and for staff
 * and faculty every invitation with its place on the waitlist and whether
 * the viewer may see that candidate.
 */
enum view {
	VIEW_STAFF,	/* everything, with names */
	VIEW_FACULTY,	/* bookings with names, minus the hidden */
	VIEW_APPLICANT, /* free seats only; no invitation is read */
};

struct schedule {
	enum view	      view;
	int64_t		      now;
	struct db_slot	     *slots; /* by day and time */
	size_t		      nslots;
	struct db_invitation *inv; /* the waitlist last, in order */
	size_t		      ninv;
	int64_t		     *position; /* per invitation; 0: not waiting */
	unsigned char	     *hidden;	/* per invitation */
};

static void
schedule_free(struct schedule *s)
{
	free(s->slots);
	free(s->inv);
	free(s->position);
	free(s->hidden);
	memset(s, 0, sizeof(*s));
}

static int
collect_slot(void *arg, const struct db_slot *sl)
{
	struct schedule *s = arg;
	struct db_slot	*v;

	if ((v = reallocarray(s->slots, s->nslots + 1, sizeof(*v))) == NULL)
		return (OPS_ENOMEM);
	s->slots = v;
	s->slots[s->nslots++] = *sl;
	return (0);
}

static int
collect_invitation(void *arg, const struct db_invitation *i)
{
	struct schedule	     *s = arg;
	struct db_invitation *v;

	if ((v = reallocarray(s->inv, s->ninv + 1, sizeof(*v))) == NULL)
		return (OPS_ENOMEM);
	s->inv = v;
	s->inv[s->ninv++] = *i;
	return (0);
}

/* Marks the invitation of a candidate the viewer has a conflict with. */
static int
mark_conflict(void *arg, const struct db_conflict *c)
{
	struct schedule *s = arg;
	size_t		 i;

	for (i = 0; i < s->ninv; i++) {
		if (s->inv[i].application_id == c->application_id)
			s->hidden[i] = 1;
	}
	return (0);
}

/*
 * Reads the schedule of cycle for actor. For staff and faculty: every
 * invitation, the waitlist positions (the list comes in waitlist order),
 * and which candidates the viewer's recorded conflicts hide, asked of
 * core/access.c. 0, a DB_E* code or OPS_ENOMEM; free with
 * schedule_free() either way.
 */
static int
schedule_load(struct db *db, struct ops_actor actor, int64_t cycle,
    enum view view, int64_t now, struct schedule *s)
{
	int64_t waiting = 0;
	size_t	i;
	int	rc;

	memset(s, 0, sizeof(*s));
	s->view = view;
	s->now = now;
	if ((rc = db_slot_list(db, cycle, collect_slot, s)) != 0 ||
	    view == VIEW_APPLICANT)
		return (rc);
	if ((rc = db_invitation_list(db, cycle, collect_invitation, s)) != 0)
		return (rc);
	if (s->ninv == 0)
		return (0);
	if ((s->position = calloc(s->ninv, sizeof(*s->position))) == NULL ||
	    (s->hidden = calloc(s->ninv, 1)) == NULL)
		return (OPS_ENOMEM);
	for (i = 0; i < s->ninv; i++) {
		if (s->inv[i].waitlisted_at != 0)
			s->position[i] = ++waiting;
	}
	/* One query for the viewer's conflicts in the cycle; the rule
	 * decides what they hide (nothing from staff). */
	if ((rc = db_conflict_list(db, cycle, actor.id, mark_conflict, s)) != 0)
		return (rc);
	for (i = 0; i < s->ninv; i++)
		s->hidden[i] =
		    access_hidden_by_conflict(actor.role, s->hidden[i]);
	return (0);
}

/* One slot as the schedule's viewer sees it; NULL when out of memory. */
static json_t *
slot_json(const struct schedule *s, const struct db_slot *sl)
{
	json_t *bookings;
	int64_t booked = 0;
	size_t	i;

	if (s->view == VIEW_APPLICANT)
		return (json_pack("{s:I,s:s,s:s,s:I,s:b,s:I}", "id",
		    (json_int_t)sl->id, "starts", sl->starts, "ends", sl->ends,
		    "starts_at", (json_int_t)sl->starts_at, "open",
		    sl->starts_at > s->now, "free",
		    (json_int_t)(sl->booked < sl->capacity
			    ? sl->capacity - sl->booked
			    : 0)));
	if ((bookings = json_array()) == NULL)
		return (NULL);
	/* A hidden candidate is left out of the count as well: it must
	 * not show even as a number. */
	for (i = 0; i < s->ninv; i++) {
		const struct db_invitation *inv = &s->inv[i];

		if (inv->slot_id != sl->id || s->hidden[i])
			continue;
		booked++;
		if (append(bookings,
			json_pack("{s:I,s:s}", "application_id",
			    (json_int_t)inv->application_id, "candidate",
			    inv->candidate)) != 0) {
			json_decref(bookings);
			return (NULL);
		}
	}
	return (json_pack("{s:I,s:s,s:s,s:I,s:b,s:I,s:I,s:o}", "id",
	    (json_int_t)sl->id, "starts", sl->starts, "ends", sl->ends,
	    "starts_at", (json_int_t)sl->starts_at, "open",
	    sl->starts_at > s->now, "capacity", (json_int_t)sl->capacity,
	    "booked", (json_int_t)booked, "bookings", bookings));
}

/*
 * The days of the schedule with their slots (the slots come by day), or
 * only the day with id only when only is not 0. NULL when out of memory.
 */
static json_t *
days_json(const struct schedule *s, int64_t only)
{
	json_t *days, *day, *slots = NULL;
	int64_t current = 0;
	size_t	i;

	if ((days = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < s->nslots; i++) {
		const struct db_slot *sl = &s->slots[i];

		if (only != 0 && sl->day_id != only)
			continue;
		if (slots == NULL || sl->day_id != current) {
			current = sl->day_id;
			if ((slots = json_array()) == NULL)
				goto fail;
			day = json_pack("{s:I,s:s,s:s,s:o}", "id",
			    (json_int_t)sl->day_id, "day", sl->day, "location",
			    sl->location, "slots", slots);
			/* The array keeps slots alive for the appends. */
			if (append(days, day) != 0)
				goto fail;
		}
		if (append(slots, slot_json(s, sl)) != 0)
			goto fail;
	}
	return (days);
fail:
	json_decref(days);
	return (NULL);
}

static json_t *
maybe_int(int64_t v)
{
	return (v != 0 ? json_integer(v) : json_null());
}

/* A slot as an invitation shows it, or null. */
static json_t *
booked_slot_json(const struct db_slot *sl)
{
	if (sl == NULL)
		return (json_null());
	return (json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:I}", "id",
	    (json_int_t)sl->id, "day_id", (json_int_t)sl->day_id, "day",
	    sl->day, "location", sl->location, "starts", sl->starts, "ends",
	    sl->ends, "starts_at", (json_int_t)sl->starts_at));
}

/*
 * A candidate's invitation with its booked slot (or NULL) and waitlist
 * position (0: not waiting); with the e-mail address for staff. NULL when
 * out of memory.
 */
static json_t *
invitation_json(const struct db_invitation *inv, const struct db_slot *sl,
    int64_t position, int with_email)
{
	json_t *o;

	o = json_pack("{s:I,s:s,s:s,s:o,s:o,s:I,s:o,s:o,s:o}", "application_id",
	    (json_int_t)inv->application_id, "candidate", inv->candidate,
	    "status", invitation_status(inv), "slot_id",
	    maybe_int(inv->slot_id), "waitlist_position", maybe_int(position),
	    "invited_at", (json_int_t)inv->invited_at, "booked_at",
	    maybe_int(inv->booked_at), "waitlisted_at",
	    maybe_int(inv->waitlisted_at), "slot", booked_slot_json(sl));
	if (o != NULL && with_email &&
	    json_object_set_new(o, "email", json_string(inv->email)) != 0) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

static const struct db_slot *
find_slot(const struct schedule *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->nslots; i++) {
		if (s->slots[i].id == id)
			return (&s->slots[i]);
	}
	return (NULL);
}

/*
 * The staff's lists: every invitation, and (when waitlist is not NULL)
 * the waitlist in order. 0, or OPS_ENOMEM with nothing returned.
 */
static int
staff_lists(const struct schedule *s, json_t **invitations, json_t **waitlist)
{
	json_t *all, *wl = NULL;
	size_t	i;

	*invitations = NULL;
	if (waitlist != NULL)
		*waitlist = NULL;
	if ((all = json_array()) == NULL ||
	    (waitlist != NULL && (wl = json_array()) == NULL))
		goto fail;
	for (i = 0; i < s->ninv; i++) {
		const struct db_invitation *inv = &s->inv[i];

		if (append(all,
			invitation_json(inv, find_slot(s, inv->slot_id),
			    s->position[i], 1)) != 0)
			goto fail;
		if (wl == NULL || inv->waitlisted_at == 0)
			continue;
		if (append(wl,
			json_pack("{s:I,s:s,s:I,s:I}", "application_id",
			    (json_int_t)inv->application_id, "candidate",
			    inv->candidate, "since",
			    (json_int_t)inv->waitlisted_at, "position",
			    (json_int_t)s->position[i])) != 0)
			goto fail;
	}
	*invitations = all;
	if (waitlist != NULL)
		*waitlist = wl;
	return (0);
fail:
	json_decref(all);
	json_decref(wl);
	return (OPS_ENOMEM);
}

/*
 * {invitation} for an applicant's own invitation: its slot and its place
 * on the waitlist read by themselves, so nobody else's invitation is
 * read. 0, a DB_E* code or OPS_ENOMEM.
 */
static int
own_invitation_view(
    struct db *db, const struct db_invitation *inv, json_t **out)
{
	struct db_slot sl;
	int64_t	       before = 0;
	int	       rc, has_slot = 0;

	*out = NULL;
	if (inv->slot_id != 0) {
		if ((rc = db_slot_by_id(db, inv->slot_id, &sl)) < 0)
			return (rc);
		has_slot = rc == 1;
	}
	if (inv->waitlisted_at != 0 &&
	    (rc = db_waitlist_position(db, inv, &before)) != 0)
		return (rc);
	*out = json_pack("{s:o}", "invitation",
	    invitation_json(inv, has_slot ? &sl : NULL,
		inv->waitlisted_at != 0 ? before + 1 : 0, 0));
	return (*out != NULL ? 0 : OPS_ENOMEM);
}

/* How many seats are free in the slots of cycle that start after now. */
struct seat_count {
	int64_t now;
	int64_t free;
};

static int
count_free(void *arg, const struct db_slot *s)
{
	struct seat_count *c = arg;

	if (s->starts_at > c->now && s->booked < s->capacity)
		c->free += s->capacity - s->booked;
	return (0);
}

static int
free_seats(struct db *db, int64_t cycle, int64_t now, int64_t *seats)
{
	struct seat_count c = { now, 0 };
	int		  rc;

	*seats = 0;
	if ((rc = db_slot_list(db, cycle, count_free, &c)) != 0)
		return (rc);
	*seats = c.free;
	return (0);
}

/* The host of the public address (without user, port or path), for the
 * calendar's UIDs. */
static void
public_host(const struct settings *set, char *out, size_t len)
{
	const char *p = strstr(set->public_url, "://"), *at;
	size_t	    n;

	p = p != NULL ? p + 3 : set->public_url;
	n = strcspn(p, "/?#");
	if ((at = memchr(p, '@', n)) != NULL) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	/* An IPv6 literal keeps its brackets; a port goes. */
	if (*p == '[' && memchr(p, ']', n) != NULL)
		n = (size_t)((const char *)memchr(p, ']', n) - p) + 1;
	else
		n = strcspn(p, "/?#: ") < n ? strcspn(p, "/?#: ") : n;
	if (n == 0)
		(void)snprintf(out, len, "localhost");
	else
		(void)snprintf(out, len, "%.*s", (int)n, p);
}

/*
 * The calendar text (core/calendar.h) of invitation i's interview in slot
 * s: method m, the invitation's one UID and the sequence given, the slot's
 * times in the cycle's zone (in UTC for a cycle in UTC). *text is freed
 * by the caller. 0, OPS_ENOMEM, or DB_ERROR when the slot cannot be placed
 * in the zone.
 */
static int
slot_calendar(const struct settings *set, const struct db_cycle *c,
    const struct db_invitation *i, const struct db_slot *s, enum cal_method m,
    int64_t sequence, int64_t now, char **text)
{
	struct local_time lt;
	struct cal_zone	  z;
	struct cal_event  ev;
	char		  host[256], uid[320], summary[DB_NAME_MAX + 32];
	char	link[SETTINGS_PATH_MAX + 64], desc[SETTINGS_PATH_MAX + 400];
	int64_t end;
	int	starts, ends, utc = strcmp(c->timezone, "UTC") == 0;

	*text = NULL;
	/* The end as typed on the day, placed in the cycle's zone; a slot
	 * the spring's change of clocks swallows whole lasts as long as
	 * typed. */
	if ((ends = parse_hhmm(s->ends)) < 0 ||
	    (starts = parse_hhmm(s->starts)) < 0 ||
	    dates_parse(s->day, 1, &lt) != 0)
		return (DB_ERROR);
	lt.hour = ends / 60;
	lt.min = ends % 60;
	if (dates_to_instant(&lt, c->timezone, &end) != 0)
		return (DB_ERROR);
	if (end <= s->starts_at)
		end = s->starts_at + (int64_t)(ends - starts) * 60;
	if (end <= s->starts_at ||
	    (!utc && cal_zone_load(c->timezone, s->starts_at, end, &z) != 0))
		return (DB_ERROR);
	public_host(set, host, sizeof(host));
	(void)snprintf(uid, sizeof(uid), "interview-%lld@%s",
	    (long long)i->application_id, host);
	(void)snprintf(summary, sizeof(summary), "Interview: %s", c->name);
	(void)snprintf(link, sizeof(link), "%s/#/apply/%lld", set->public_url,
	    (long long)c->id);
	(void)snprintf(desc, sizeof(desc),
	    "Your interview for the %s. To change or cancel it, sign in at %s",
	    c->name, link);
	memset(&ev, 0, sizeof(ev));
	ev.method = m;
	ev.uid = uid;
	ev.sequence = sequence;
	ev.stamp = now;
	ev.start = s->starts_at;
	ev.end = end;
	ev.summary = summary;
	ev.location = s->location;
	ev.description = desc;
	ev.organizer = set->mail_from;
	ev.organizer_name = "Fellowship selection";
	ev.attendee = i->email;
	ev.attendee_name = i->candidate;
	ev.zone = utc ? NULL : &z;
	if ((*text = cal_event_text(&ev)) == NULL)
		return (OPS_ENOMEM);
	return (0);
}

/* No calendar with a mail (mail_candidate()). */
#define NO_CALENDAR (-1)

/*
 * Mails the candidate of invitation i a message of kind with a link to
 * their portal: MAIL_INTERVIEW or MAIL_INTERVIEW_UNBOOKED (no slot), or
 * one about slot s (a booking, a move, a seat from the waitlist, a
 * cancellation) with, when cal is a cal_method, the calendar invitation
 * of that method under the invitation's next sequence.
 */
static int
mail_candidate(struct db *db, const struct settings *set, enum mail_kind kind,
    const struct db_invitation *i, const struct db_slot *s, int cal,
    int64_t now)
{
	struct db_cycle	 c;
	struct mail_vars mv = { 0 };
	char		 subject[MAIL_SUBJECT_MAX], when[400], *body = NULL;
	char		 link[SETTINGS_PATH_MAX + 64], *calendar = NULL;
	int64_t		 sequence = 0;
	size_t		 n;
	int		 rc;

	if ((rc = db_cycle_by_id(db, i->cycle_id, &c)) != 1)
		return (rc < 0 ? rc : DB_ERROR);
	when[0] = '\0';
	if (s != NULL) {
		cal_when_typed(
		    s->day, s->starts, c.timezone, when, sizeof(when));
		n = strlen(when);
		if (s->location[0] != '\0')
			(void)snprintf(
			    when + n, sizeof(when) - n, ", %s", s->location);
	}
	if (s != NULL && cal != NO_CALENDAR) {
		if ((rc = db_invitation_sequence_next(
			 db, i->application_id, &sequence)) != 1)
			return (rc < 0 ? rc : DB_ERROR);
		if ((rc = slot_calendar(set, &c, i, s, (enum cal_method)cal,
			 sequence, now, &calendar)) != 0)
			return (rc);
	}
	(void)snprintf(link, sizeof(link), "%s/#/apply/%lld", set->public_url,
	    (long long)c.id);
	mv.name = i->candidate;
	mv.program = c.name;
	mv.when = when;
	mv.link = link;
	if ((body = mail_render(kind, &mv, subject)) == NULL)
		rc = OPS_ENOMEM;
	else
		rc = db_outbox_insert_calendar(db, c.program_id, i->email,
		    subject, body, calendar, now, NULL);
	free(body);
	free(calendar);
	return (rc);
}

/* Returns 1 when application id is withdrawn, 0 when not, or DB_E*. */
static int
is_withdrawn(struct db *db, int64_t id)
{
	struct db_application a = { 0 };
	int		      rc;

	if ((rc = db_application_by_id(db, id, &a)) < 0)
		return (rc);
	db_application_clear(&a);
	return (rc == 1 && strcmp(a.status, "withdrawn") == 0);
}

/*
 * Inside a transaction: books the first on the waitlist into slot while
 * it has a free seat and has not started, and mails each. Candidates who
 * withdrew meanwhile leave the waitlist.
 */
static int
seat_waitlisted(struct db *db, const struct settings *set, int64_t actor,
    int64_t slot, int64_t now)
{
	struct db_slot	     s;
	struct db_invitation w;
	int		     rc, guard;

	for (guard = 0; guard < 1000; guard++) {
		if ((rc = db_slot_by_id(db, slot, &s)) != 1)
			return (rc < 0 ? rc : 0);
		if (s.starts_at <= now || s.booked >= s.capacity)
			return (0);
		if ((rc = db_waitlist_first(db, s.cycle_id, &w)) != 1)
			return (rc < 0 ? rc : 0);
		if ((rc = is_withdrawn(db, w.application_id)) < 0)
			return (rc);
		if (rc == 1) {
			w.waitlisted_at = 0;
			if ((rc = db_invitation_set(db, &w)) != 0 ||
			    (rc = audit_with(db, actor,
				 "interview.waitlist_drop", "application",
				 w.application_id,
				 json_pack("{s:s}", "reason", "withdrawn"))) !=
				0)
				return (rc);
			continue;
		}
		w.slot_id = slot;
		w.booked_at = now;
		w.waitlisted_at = 0;
		if ((rc = db_invitation_set(db, &w)) != 0 ||
		    (rc = audit_with(db, actor, "interview.seat", "application",
			 w.application_id,
			 json_pack("{s:I,s:s}", "slot", (json_int_t)slot,
			     "from", "waitlist"))) != 0 ||
		    (rc = mail_candidate(db, set, MAIL_INTERVIEW_SEAT, &w, &s,
			 CAL_REQUEST, now)) != 0)
			return (rc);
	}
	return (0);
}

int
ops_interview_own(struct db *db, int64_t application, json_t **out)
{
	struct db_invitation inv;
	json_t		    *o = NULL;
	int		     rc;

	*out = NULL;
	if ((rc = db_invitation_get(db, application, &inv)) < 0)
		return (rc);
	if (rc == 0)
		return ((*out = json_null()) != NULL ? 0 : OPS_ENOMEM);
	if ((rc = own_invitation_view(db, &inv, &o)) != 0)
		return (rc);
	*out = json_incref(json_object_get(o, "invitation"));
	json_decref(o);
	return (*out != NULL ? 0 : OPS_ENOMEM);
}

/*
 * Loads the applicant's application in cycle and its invitation;
 * OPS_NOT_FOUND (with message) when there is neither.
 */
static int
own_invitation(struct db *db, int64_t cycle, int64_t applicant,
    struct db_invitation *i, int *withdrawn, const char *message,
    struct ops_error *e)
{
	struct db_application a = { 0 };
	int		      rc;

	if ((rc = db_application_by_owner(db, cycle, applicant, &a)) < 0)
		return (rc);
	db_application_clear(&a);
	if (rc == 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, message));
	*withdrawn = strcmp(a.status, "withdrawn") == 0;
	if ((rc = db_invitation_get(db, a.id, i)) < 0)
		return (rc);
	if (rc == 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, message));
	return (OPS_OK);
}

/* The applicant's schedule: their invitation and the free seats, or
 * nothing when they are not invited. */
static int
applicant_schedule(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t now, json_t **out)
{
	struct db_invitation inv = { 0 };
	struct schedule	     s;
	json_t		    *o = NULL;
	int		     rc, withdrawn = 0;

	rc = own_invitation(db, cycle, actor.id, &inv, &withdrawn, "", NULL);
	if (rc == OPS_NOT_FOUND) {
		*out = json_pack("{s:n,s:[]}", "invitation", "days");
		return (*out != NULL ? OPS_OK : OPS_ENOMEM);
	}
	if (rc != OPS_OK)
		return (rc);
	if ((rc = own_invitation_view(db, &inv, &o)) != 0)
		return (rc);
	if ((rc = schedule_load(db, actor, cycle, VIEW_APPLICANT, now, &s)) ==
	    0) {
		/* {invitation} becomes {invitation, days}. */
		if (json_object_set_new(o, "days", days_json(&s, 0)) != 0)
			rc = OPS_ENOMEM;
	}
	schedule_free(&s);
	if (rc != 0) {
		json_decref(o);
		return (rc);
	}
	*out = o;
	return (OPS_OK);
}

int
ops_interview_schedule(struct db *db, struct ops_actor actor, int64_t cycle,
    int64_t now, json_t **out, struct ops_error *e)
{
	struct db_cycle c;
	struct schedule s;
	json_t	       *days = NULL, *inv = NULL, *wl = NULL;
	enum view	view;
	int		rc;

	*out = NULL;
	if ((rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		return (rc);
	if (actor.role == ROLE_APPLICANT)
		return (applicant_schedule(db, actor, cycle, now, out));
	/* The waitlist and the invitations (with e-mail addresses) are the
	 * staff's working lists; faculty see the bookings only. */
	view = role_is_staff(actor.role) ? VIEW_STAFF : VIEW_FACULTY;
	if ((rc = schedule_load(db, actor, cycle, view, now, &s)) != 0)
		goto out;
	if ((days = days_json(&s, 0)) == NULL ||
	    (view == VIEW_STAFF && staff_lists(&s, &inv, &wl) != 0)) {
		json_decref(days);
		rc = OPS_ENOMEM;
		goto out;
	}
	if (view == VIEW_STAFF)
		*out = json_pack("{s:o,s:o,s:o}", "days", days, "waitlist", wl,
		    "invitations", inv);
	else
		*out = json_pack("{s:o}", "days", days);
	if (*out == NULL)
		rc = OPS_ENOMEM;
out:
	schedule_free(&s);
	return (rc);
}

int
ops_interview_invitations(struct db *db, struct ops_actor actor, int64_t cycle,
    json_t **out, struct ops_error *e)
{
	struct db_cycle c;
	struct schedule s;
	json_t	       *inv = NULL;
	int		rc;

	*out = NULL;
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director follow the "
		    "invitations."));
	if ((rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		return (rc);
	if ((rc = schedule_load(db, actor, cycle, VIEW_STAFF, 0, &s)) == 0 &&
	    ((rc = staff_lists(&s, &inv, NULL)) == 0) &&
	    (*out = json_pack("{s:o}", "invitations", inv)) == NULL)
		rc = OPS_ENOMEM;
	schedule_free(&s);
	return (rc);
}

/* Checks the typed day; OPS_OK with each slot's minutes, or OPS_INVALID
 * naming the field. */
static int
check_day(const struct ops_iday_input *in, struct local_time *lt,
    int from[OPS_IDAY_SLOTS_MAX], int to[OPS_IDAY_SLOTS_MAX],
    struct ops_error *e)
{
	const char *msg;
	char	    text[256];
	size_t	    i, j;

	if (in->day == NULL || strlen(in->day) != 10 ||
	    dates_parse(in->day, 1, lt) != 0)
		return (ops_refuse(e, OPS_INVALID, "day",
		    "Enter the day as a valid date, YYYY-MM-DD."));
	if (in->location != NULL && in->location[0] != '\0' &&
	    text_plain(in->location, 0, OPS_IDAY_LOCATION_MAX, &msg) != 0)
		return (ops_refuse(e, OPS_INVALID, "location",
		    strcmp(msg, "This is too long.") == 0
			? "Enter a location of at most 200 characters."
			: msg));
	if (in->slots == NULL || in->nslots < 1 ||
	    in->nslots > OPS_IDAY_SLOTS_MAX)
		return (ops_refuse(
		    e, OPS_INVALID, "slots", "A day has 1 to 20 slots."));
	for (i = 0; i < in->nslots; i++) {
		from[i] = parse_hhmm(in->slots[i].start);
		to[i] = parse_hhmm(in->slots[i].end);
		if (from[i] < 0 || to[i] < 0 || from[i] >= to[i]) {
			(void)snprintf(text, sizeof(text),
			    "Slot %zu: enter a start and an end as HH:MM, the "
			    "start before the end.",
			    i + 1);
			return (ops_refuse(e, OPS_INVALID, "slots", text));
		}
		if (in->slots[i].capacity < 1 ||
		    in->slots[i].capacity > OPS_ISLOT_CAPACITY_MAX) {
			(void)snprintf(text, sizeof(text),
			    "Slot %zu: a slot seats 1 to 50 candidates.",
			    i + 1);
			return (ops_refuse(e, OPS_INVALID, "slots", text));
		}
		for (j = 0; j < i; j++) {
			if (from[i] < to[j] && from[j] < to[i]) {
				(void)snprintf(text, sizeof(text),
				    "Slots %zu and %zu overlap.", j + 1, i + 1);
				return (
				    ops_refuse(e, OPS_INVALID, "slots", text));
			}
		}
	}
	return (OPS_OK);
}

int
ops_interview_day_create(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t cycle, const struct ops_iday_input *in,
    int64_t now, json_t **out, struct ops_error *e)
{
	struct local_time lt;
	struct db_cycle	  c;
	struct schedule	  s = { 0 };
	const char	 *location;
	char		  text[256];
	int64_t		  ids[OPS_IDAY_SLOTS_MAX] = { 0 }, at, id = 0;
	int		  from[OPS_IDAY_SLOTS_MAX] = { 0 };
	int		  to[OPS_IDAY_SLOTS_MAX] = { 0 };
	json_t		 *day;
	size_t		  i;
	int		  rc;

	*out = NULL;
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL, staff_only));
	if ((rc = check_day(in, &lt, from, to, e)) != OPS_OK)
		return (rc);
	location = in->location != NULL ? in->location : "";

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		goto out;
	if ((rc = db_iday_insert(db, cycle, in->day, location, now, &id)) ==
	    DB_ECONSTRAINT) {
		(void)snprintf(text, sizeof(text),
		    "This cycle has an interview day on %s already.", in->day);
		rc = ops_refuse(e, OPS_CONFLICT, "day", text);
		goto out;
	}
	for (i = 0; rc == 0 && i < in->nslots; i++) {
		lt.hour = from[i] / 60;
		lt.min = from[i] % 60;
		if (dates_to_instant(&lt, c.timezone, &at) != 0) {
			rc = ops_refuse(e, OPS_INVALID, "day",
			    "The day cannot be placed in the cycle's time "
			    "zone.");
			break;
		}
		rc = db_slot_insert(db, id, in->slots[i].start,
		    in->slots[i].end, at, in->slots[i].capacity, &ids[i]);
	}
	if (rc == OPS_OK)
		rc = audit_with(db, actor.id, "interview.day_create", "cycle",
		    cycle,
		    json_pack("{s:I,s:s,s:s,s:I}", "day_id", (json_int_t)id,
			"day", in->day, "location", location, "slots",
			(json_int_t)in->nslots));
	for (i = 0; rc == OPS_OK && i < in->nslots; i++)
		rc = seat_waitlisted(db, set, actor.id, ids[i], now);
	/* The view, read in the transaction: it shows whom the waitlist
	 * seated in the new slots. */
	if (rc == OPS_OK &&
	    (rc = schedule_load(db, actor, cycle, VIEW_STAFF, now, &s)) == 0) {
		if ((day = days_json(&s, id)) == NULL ||
		    (*out = json_pack("{s:o}", "day",
			 json_array_size(day) == 1
			     ? json_incref(json_array_get(day, 0))
			     : json_null())) == NULL)
			rc = OPS_ENOMEM;
		json_decref(day);
	}
out:
	schedule_free(&s);
	return (ops_finish_view(db, rc, out));
}

int
ops_interview_day_delete(
    struct db *db, struct ops_actor actor, int64_t day, struct ops_error *e)
{
	struct db_iday d;
	int	       rc;

	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL, staff_only));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_iday_by_id(db, day, &d)) != 1) {
		rc = rc < 0 ? rc
			    : ops_refuse(e, OPS_NOT_FOUND, NULL,
				  "There is no such interview day.");
		goto out;
	}
	if (d.booked > 0) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "Candidates have booked slots on this day; it can be "
		    "deleted once they have moved or cancelled.");
		goto out;
	}
	if ((rc = db_iday_delete(db, day)) == 1)
		rc = audit_with(db, actor.id, "interview.day_delete", "cycle",
		    d.cycle_id,
		    json_pack(
			"{s:I,s:s}", "day_id", (json_int_t)day, "day", d.day));
	else if (rc == 0)
		rc = DB_ERROR;
out:
	return (ops_finish(db, rc));
}

int
ops_interview_invite(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t cycle, const int64_t *apps, size_t n,
    int64_t now, json_t **out, struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_invitation  inv;
	struct db_cycle	      c;
	json_t		     *fresh = NULL;
	char		      text[256];
	int64_t		      invited = 0, already = 0;
	size_t		      i;
	int		      rc;

	*out = NULL;
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director invite "
		    "candidates."));
	if (apps == NULL || n < 1 || n > OPS_INVITE_MAX)
		return (ops_refuse(e, OPS_INVALID, "application_ids",
		    "Invite 1 to 200 applications at a time."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = ops_reach_cycle(db, actor, cycle, &c, e)) != OPS_OK)
		goto out;
	/* Every id is checked before anyone is invited. */
	for (i = 0; i < n; i++) {
		if ((rc = db_application_by_id(db, apps[i], &a)) < 0)
			goto out;
		db_application_clear(&a);
		if (rc == 0 || a.cycle_id != cycle ||
		    strcmp(a.status, "submitted") != 0) {
			(void)snprintf(text, sizeof(text),
			    "Application %lld is not a submitted application "
			    "of this cycle; nobody was invited.",
			    (long long)apps[i]);
			rc =
			    ops_refuse(e, OPS_INVALID, "application_ids", text);
			goto out;
		}
	}
	if ((fresh = json_array()) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rc = db_invitation_insert(
			 db, apps[i], cycle, actor.id, now)) < 0)
			goto out;
		if (rc == 0) {
			already++;
			continue;
		}
		invited++;
		if (append(fresh, json_integer(apps[i])) != 0) {
			rc = OPS_ENOMEM;
			goto out;
		}
		if ((rc = db_invitation_get(db, apps[i], &inv)) != 1) {
			rc = rc < 0 ? rc : DB_ERROR;
			goto out;
		}
		if ((rc = mail_candidate(db, set, MAIL_INTERVIEW, &inv, NULL,
			 NO_CALENDAR, now)) != 0)
			goto out;
	}
	if ((rc = audit_with(db, actor.id, "interview.invite", "cycle", cycle,
		 json_pack("{s:O,s:I}", "invited", fresh, "already",
		     (json_int_t)already))) != 0)
		goto out;
	if ((*out = json_pack("{s:I,s:I}", "invited", (json_int_t)invited,
		 "already", (json_int_t)already)) == NULL)
		rc = OPS_ENOMEM;
out:
	json_decref(fresh);
	return (ops_finish_view(db, rc, out));
}

/* The refusal for a full slot: point to the waitlist only when every
 * slot still to come is full. */
static int
refuse_full(
    struct db *db, int64_t cycle, int64_t now, int booked, struct ops_error *e)
{
	int64_t seats;
	int	rc;

	if ((rc = free_seats(db, cycle, now, &seats)) != 0)
		return (rc);
	if (seats > 0)
		return (ops_refuse(e, OPS_CONFLICT, NULL,
		    "This slot is full; choose another slot with a free "
		    "seat."));
	return (ops_refuse(e, OPS_CONFLICT, NULL,
	    booked ? "This slot is full, and so is every other slot; keep "
		     "your booking or cancel it."
		   : "Every slot is full: join the waitlist and you will be "
		     "booked into the first seat that frees up."));
}

/* OPS_CONFLICT when the interview booked in slot id has started. */
static int
refuse_started(struct db *db, int64_t id, int64_t now, const char *message,
    struct ops_error *e)
{
	struct db_slot old;
	int	       rc;

	if ((rc = db_slot_by_id(db, id, &old)) < 0)
		return (rc);
	if (rc == 1 && old.starts_at <= now)
		return (ops_refuse(e, OPS_CONFLICT, NULL, message));
	return (OPS_OK);
}

int
ops_interview_book(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t slot, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_slot	     s;
	struct db_invitation i = { 0 };
	int64_t		     was;
	int		     rc, withdrawn = 0, waited;

	*out = NULL;
	if (actor.role != ROLE_APPLICANT)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only invited applicants book interview slots."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_slot_by_id(db, slot, &s)) != 1) {
		rc = rc < 0 ? rc : ops_refuse(e, OPS_NOT_FOUND, NULL, no_slot);
		goto out;
	}
	/* Another cycle's slot looks like no slot at all. */
	if ((rc = own_invitation(db, s.cycle_id, actor.id, &i, &withdrawn,
		 no_slot, e)) != OPS_OK)
		goto out;
	if (withdrawn) {
		rc = ops_refuse(
		    e, OPS_CONFLICT, NULL, "Your application is withdrawn.");
		goto out;
	}
	if (i.slot_id == slot)
		goto view;
	if (s.starts_at <= now) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "This slot has started or is over; choose a later one.");
		goto out;
	}
	if (i.slot_id != 0 &&
	    (rc = refuse_started(db, i.slot_id, now,
		 "Your interview has started or is over; it cannot be "
		 "changed now.",
		 e)) != OPS_OK)
		goto out;
	if (s.booked >= s.capacity) {
		rc = refuse_full(db, s.cycle_id, now, i.slot_id != 0, e);
		goto out;
	}
	was = i.slot_id;
	waited = i.waitlisted_at != 0;
	i.slot_id = slot;
	i.booked_at = now;
	i.waitlisted_at = 0;
	/* The trigger is the last guard: never overbook, answer "full". */
	if ((rc = db_invitation_set(db, &i)) == DB_ECONSTRAINT) {
		rc = refuse_full(db, s.cycle_id, now, was != 0, e);
		goto out;
	}
	if (rc == 0)
		rc = audit_with(db, actor.id,
		    was != 0 ? "interview.change" : "interview.book",
		    "application", i.application_id,
		    json_pack("{s:I,s:o,s:b}", "slot", (json_int_t)slot, "from",
			maybe_int(was), "waitlisted", waited));
	if (rc == 0)
		rc = mail_candidate(db, set,
		    was != 0 ? MAIL_INTERVIEW_MOVED : MAIL_INTERVIEW_BOOKED, &i,
		    &s, CAL_REQUEST, now);
	if (rc == 0 && was != 0)
		rc = seat_waitlisted(db, set, actor.id, was, now);
	if (rc != 0)
		goto out;
view:
	rc = own_invitation_view(db, &i, out);
out:
	return (ops_finish_view(db, rc, out));
}

int
ops_interview_cancel(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t cycle, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_invitation i = { 0 };
	struct db_slot	     old;
	int64_t		     was;
	int		     rc, withdrawn = 0;

	*out = NULL;
	if (actor.role != ROLE_APPLICANT)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only applicants cancel their interview."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = own_invitation(db, cycle, actor.id, &i, &withdrawn,
		 not_invited, e)) != OPS_OK)
		goto out;
	if (i.slot_id == 0) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "You have no interview slot booked.");
		goto out;
	}
	if ((rc = refuse_started(db, i.slot_id, now,
		 "Your interview has started or is over; it cannot be "
		 "cancelled now.",
		 e)) != OPS_OK)
		goto out;
	was = i.slot_id;
	if ((rc = db_slot_by_id(db, was, &old)) != 1) {
		rc = rc < 0 ? rc : DB_ERROR;
		goto out;
	}
	i.slot_id = 0;
	i.booked_at = 0;
	if ((rc = db_invitation_set(db, &i)) == 0)
		rc = audit_with(db, actor.id, "interview.cancel", "application",
		    i.application_id,
		    json_pack("{s:I}", "slot", (json_int_t)was));
	if (rc == 0)
		rc = mail_candidate(db, set, MAIL_INTERVIEW_CANCELLED, &i, &old,
		    CAL_CANCEL, now);
	if (rc == 0)
		rc = seat_waitlisted(db, set, actor.id, was, now);
	if (rc == 0)
		rc = own_invitation_view(db, &i, out);
out:
	return (ops_finish_view(db, rc, out));
}

static int
last_waitlisted(void *arg, const struct db_invitation *i)
{
	int64_t *last = arg;

	if (i->waitlisted_at > *last)
		*last = i->waitlisted_at;
	return (0);
}

/* Puts invitation i (not booked, not waiting) on the waitlist of cycle. */
static int
waitlist_join(struct db *db, struct ops_actor actor, int64_t cycle,
    struct db_invitation *i, int64_t now, struct ops_error *e)
{
	int64_t seats, last = 0;
	int	rc;

	if ((rc = free_seats(db, cycle, now, &seats)) != 0)
		return (rc);
	if (seats > 0)
		return (ops_refuse(e, OPS_CONFLICT, NULL,
		    "A slot is free: book it instead of joining the "
		    "waitlist."));
	/*
	 * The waitlist is ordered by the time joined (then by application
	 * id); a later joiner always gets a later time, even within the
	 * same second, so the order is the order of joining.
	 */
	if ((rc = db_invitation_list(db, cycle, last_waitlisted, &last)) != 0)
		return (rc);
	i->waitlisted_at = last >= now ? last + 1 : now;
	if ((rc = db_invitation_set(db, i)) != 0)
		return (rc);
	return (ops_audit(db, actor.id, "interview.waitlist_join",
	    "application", i->application_id, NULL));
}

int
ops_interview_waitlist(struct db *db, struct ops_actor actor, int64_t cycle,
    int join, int64_t now, json_t **out, struct ops_error *e)
{
	struct db_invitation i = { 0 };
	int		     rc, withdrawn = 0;

	*out = NULL;
	if (actor.role != ROLE_APPLICANT)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only invited applicants use the waitlist."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = own_invitation(db, cycle, actor.id, &i, &withdrawn,
		 not_invited, e)) != OPS_OK)
		goto out;
	if (!join) {
		if (i.waitlisted_at == 0) {
			rc = ops_refuse(e, OPS_CONFLICT, NULL,
			    "You are not on the waitlist.");
			goto out;
		}
		i.waitlisted_at = 0;
		if ((rc = db_invitation_set(db, &i)) == 0)
			rc = ops_audit(db, actor.id, "interview.waitlist_leave",
			    "application", i.application_id, NULL);
	} else if (withdrawn)
		rc = ops_refuse(
		    e, OPS_CONFLICT, NULL, "Your application is withdrawn.");
	else if (i.slot_id != 0)
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "You have a slot booked already; book another slot to "
		    "change it.");
	else if (i.waitlisted_at == 0)
		rc = waitlist_join(db, actor, cycle, &i, now, e);
	/* Joining twice changes nothing. */
	if (rc == OPS_OK)
		rc = own_invitation_view(db, &i, out);
out:
	return (ops_finish_view(db, rc, out));
}

int
ops_interview_release(struct db *db, const struct settings *set, int64_t actor,
    int64_t application, int64_t now)
{
	struct db_invitation i = { 0 };
	struct db_slot	     old;
	int64_t		     was;
	int		     rc;

	if ((rc = db_invitation_get(db, application, &i)) <= 0)
		return (rc);
	if (i.slot_id == 0 && i.waitlisted_at == 0)
		return (0);
	was = i.slot_id;
	if (was != 0 && (rc = db_slot_by_id(db, was, &old)) != 1)
		return (rc < 0 ? rc : DB_ERROR);
	i.slot_id = 0;
	i.booked_at = 0;
	i.waitlisted_at = 0;
	if ((rc = db_invitation_set(db, &i)) != 0 ||
	    (rc = audit_with(db, actor, "interview.release", "application",
		 application, json_pack("{s:o}", "slot", maybe_int(was)))) != 0)
		return (rc);
	if (was == 0)
		return (0);
	/* An interview still to come leaves the calendar too; one that is
	 * over stays as it happened. */
	if (old.starts_at > now &&
	    (rc = mail_candidate(db, set, MAIL_INTERVIEW_CANCELLED, &i, &old,
		 CAL_CANCEL, now)) != 0)
		return (rc);
	return (seat_waitlisted(db, set, actor, was, now));
}

int
ops_interview_ics(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t application, int64_t now, char **text,
    struct ops_error *e)
{
	static const char *const none = "You have no interview booked.";
	struct db_application	 a = { 0 };
	struct db_invitation	 i = { 0 };
	struct db_slot		 s;
	struct db_cycle		 c;
	int			 rc;

	*text = NULL;
	if (actor.role != ROLE_APPLICANT)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only applicants download their interview."));
	/* Another applicant's application looks like none at all. */
	if ((rc = ops_reach_application(db, actor, application, &a, e)) !=
	    OPS_OK)
		return (rc);
	db_application_clear(&a);
	if ((rc = db_invitation_get(db, application, &i)) < 0)
		return (rc);
	if (rc == 0 || i.slot_id == 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, none));
	if ((rc = db_slot_by_id(db, i.slot_id, &s)) < 0 ||
	    (rc == 1 && (rc = db_cycle_by_id(db, i.cycle_id, &c)) < 0))
		return (rc);
	if (rc == 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, none));
	return (slot_calendar(
	    set, &c, &i, &s, CAL_PUBLISH, i.calendar_sequence, now, text));
}

/* The invitations whose reminder to book may be due, a batch at a time. */
#define REMIND_BATCH 32

struct unreminded {
	size_t	n;
	int64_t app[REMIND_BATCH];
};

static int
collect_unreminded(void *arg, const struct db_invitation *i)
{
	struct unreminded *u = arg;

	if (u->n < REMIND_BATCH)
		u->app[u->n++] = i->application_id;
	return (0);
}

/*
 * One invitation's reminder to book, in its own transaction: the facts
 * read again under the write lock, the rule asked, the mail queued when
 * it says so and the decision recorded. 1 when mailed, 0 when not, or a
 * DB_E* code (or OPS_ENOMEM).
 */
static int
remind_booking(
    struct db *db, const struct settings *set, int64_t app, int64_t now)
{
	struct db_application	 a = { 0 };
	struct db_invitation	 i = { 0 };
	struct db_cycle		 c;
	struct remind_invitation facts = { 0 };
	enum remind_booking	 verdict;
	int			 rc, sent = 0;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_invitation_get(db, app, &i)) != 1 ||
	    (rc = db_application_by_id(db, app, &a)) != 1 ||
	    (rc = db_cycle_by_id(db, i.cycle_id, &c)) != 1) {
		rc = rc < 0 ? rc : DB_ERROR;
		goto out;
	}
	facts.invited_at = i.invited_at;
	facts.reminded_at = i.reminded_at;
	facts.booked_ever = i.slot_id != 0 || i.calendar_sequence > 0;
	facts.waitlisted = i.waitlisted_at != 0;
	facts.withdrawn = strcmp(a.status, "withdrawn") == 0;
	if (cycle_state_parse(c.state, &facts.state) != 0)
		facts.state = CYCLE_ARCHIVED;
	verdict = remind_booking_due(&facts, now);
	rc = 0;
	if (verdict == REMIND_BOOKING_SEND) {
		if ((rc = mail_candidate(db, set, MAIL_INTERVIEW_UNBOOKED, &i,
			 NULL, NO_CALENDAR, now)) != 0 ||
		    (rc = ops_audit(db, 0, "interview.remind", "application",
			 app, NULL)) != 0)
			goto out;
		sent = 1;
	}
	if (verdict != REMIND_BOOKING_LATER)
		rc = db_invitation_reminded(db, app, now);
out:
	db_application_clear(&a);
	rc = ops_finish(db, rc);
	return (rc < 0 ? rc : sent);
}

int
ops_interview_reminders_due(
    struct db *db, const struct settings *set, int64_t now)
{
	struct unreminded u;
	size_t		  k;
	int		  rc, total = 0, round;

	/* A batch at a time: each is decided for good (what is not due yet
	 * the query leaves out), so the next batch holds new ones; a
	 * hundred batches a call at most, the rest the next time. */
	for (round = 0; round < 100; round++) {
		u.n = 0;
		if ((rc = db_invitation_unreminded(db,
			 now - REMIND_BOOKING_AFTER, REMIND_BATCH,
			 collect_unreminded, &u)) < 0)
			return (rc);
		for (k = 0; k < u.n; k++) {
			if ((rc = remind_booking(db, set, u.app[k], now)) < 0)
				return (total > 0 ? total : rc);
			total += rc;
		}
		if (u.n < REMIND_BATCH)
			break;
	}
	return (total);
}
