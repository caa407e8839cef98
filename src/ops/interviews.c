/*
 * Interview operations, each one transaction with its audit record. The
 * rules that keep a slot from being overbooked: every booking reads the
 * slot's seat count inside BEGIN IMMEDIATE (no other connection writes
 * until COMMIT), and the schema's triggers refuse a booking past capacity
 * whatever this file checked; that refusal is reported as "full".
 *
 * A seat that frees up (a cancellation, a move, a new day) goes to the
 * first candidate on the waitlist in the same transaction, so the waitlist
 * never waits while a seat is free in a slot still to come.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/mail.h"
#include "core/text.h"
#include "ops/common.h"
#include "ops/interviews.h"

static const char *const no_slot = "There is no such interview slot.";
static const char *const not_invited =
    "You have not been invited to interview in this cycle.";

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

/* Writes "Friday, 15 January 2027 at 09:00 (America/New_York)". */
static void
slot_when(const struct db_slot *s, const char *tz, char *out, size_t len)
{
	static const char *const days[] = { "Sunday", "Monday", "Tuesday",
		"Wednesday", "Thursday", "Friday", "Saturday" };
	static const char *const months[] = { "January", "February", "March",
		"April", "May", "June", "July", "August", "September",
		"October", "November", "December" };
	static const int	 t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	struct local_time	 lt;
	int			 y, wd;

	if (dates_parse(s->day, 1, &lt) != 0) {
		(void)snprintf(out, len, "%s %s (%s)", s->day, s->starts, tz);
		return;
	}
	/* Sakamoto's day of the week, 0 for Sunday. */
	y = lt.year - (lt.mon < 3);
	wd = (y + y / 4 - y / 100 + y / 400 + t[lt.mon - 1] + lt.day) % 7;
	(void)snprintf(out, len, "%s, %d %s %d at %s (%s)", days[wd], lt.day,
	    months[lt.mon - 1], lt.year, s->starts, tz);
}

const char *
ops_invitation_status(const struct db_invitation *i)
{
	if (i->slot_id != 0)
		return ("booked");
	if (i->waitlisted_at != 0)
		return ("waitlisted");
	return ("invited");
}

static int
collect_slot(void *arg, const struct db_slot *s)
{
	struct ops_schedule *sc = arg;
	struct db_slot	    *v;

	if ((v = reallocarray(sc->slots, sc->nslots + 1, sizeof(*v))) == NULL)
		return (DB_ERROR);
	sc->slots = v;
	sc->slots[sc->nslots++] = *s;
	return (0);
}

static int
collect_invitation(void *arg, const struct db_invitation *i)
{
	struct ops_schedule  *sc = arg;
	struct db_invitation *v;

	if ((v = reallocarray(
		 sc->invitations, sc->ninvitations + 1, sizeof(*v))) == NULL)
		return (DB_ERROR);
	sc->invitations = v;
	sc->invitations[sc->ninvitations++] = *i;
	return (0);
}

void
ops_schedule_free(struct ops_schedule *sc)
{
	if (sc == NULL)
		return;
	free(sc->slots);
	free(sc->invitations);
	memset(sc, 0, sizeof(*sc));
}

int
ops_schedule_load(struct db *db, int64_t cycle, struct ops_schedule *sc)
{
	int rc;

	memset(sc, 0, sizeof(*sc));
	if ((rc = db_slot_list(db, cycle, collect_slot, sc)) != 0 ||
	    (rc = db_invitation_list(db, cycle, collect_invitation, sc)) != 0) {
		ops_schedule_free(sc);
		return (rc < 0 ? rc : DB_ERROR);
	}
	return (0);
}

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

int
ops_interview_free_seats(
    struct db *db, int64_t cycle, int64_t now, int64_t *free_seats)
{
	struct seat_count c = { now, 0 };
	int		  rc;

	*free_seats = 0;
	if ((rc = db_slot_list(db, cycle, count_free, &c)) != 0)
		return (rc < 0 ? rc : DB_ERROR);
	*free_seats = c.free;
	return (0);
}

/*
 * Mails the candidate of invitation i a message of kind (MAIL_INTERVIEW,
 * or MAIL_INTERVIEW_SEAT for the slot s) with a link to their portal.
 */
static int
mail_candidate(struct db *db, const struct settings *set, enum mail_kind kind,
    const struct db_invitation *i, const struct db_slot *s, int64_t now)
{
	struct db_cycle	 c;
	struct mail_vars mv = { 0 };
	char		 subject[MAIL_SUBJECT_MAX], when[160], *body;
	char		 link[SETTINGS_PATH_MAX + 64];
	int		 rc;

	if ((rc = db_cycle_by_id(db, i->cycle_id, &c)) != 1)
		return (rc < 0 ? rc : DB_ERROR);
	if (s != NULL)
		slot_when(s, c.timezone, when, sizeof(when));
	(void)snprintf(link, sizeof(link), "%s/#/apply/%lld", set->public_url,
	    (long long)c.id);
	mv.name = i->candidate;
	mv.program = c.name;
	mv.when = s != NULL ? when : "";
	mv.link = link;
	if ((body = mail_render(kind, &mv, subject)) == NULL)
		return (DB_ERROR);
	rc = db_outbox_insert(db, i->email, subject, body, now, NULL);
	free(body);
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
			    (rc = ops_audit(db, actor,
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
		if ((rc = db_invitation_set(db, &w)) != 0)
			return (rc);
		if ((rc = ops_audit(db, actor, "interview.seat", "application",
			 w.application_id,
			 json_pack("{s:I,s:s}", "slot", (json_int_t)slot,
			     "from", "waitlist"))) != 0)
			return (rc);
		if ((rc = mail_candidate(
			 db, set, MAIL_INTERVIEW_SEAT, &w, &s, now)) != 0)
			return (rc);
	}
	return (0);
}

/*
 * Loads the applicant's application in cycle and its invitation;
 * OPS_NOT_FOUND when there is neither.
 */
static int
own_invitation(struct db *db, int64_t cycle, int64_t applicant,
    struct db_invitation *i, int *withdrawn, struct ops_error *e)
{
	struct db_application a = { 0 };
	int		      rc;

	if ((rc = db_application_by_owner(db, cycle, applicant, &a)) < 0)
		return (rc);
	db_application_clear(&a);
	if (rc == 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, not_invited));
	*withdrawn = strcmp(a.status, "withdrawn") == 0;
	if ((rc = db_invitation_get(db, a.id, i)) < 0)
		return (rc);
	if (rc == 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, not_invited));
	return (OPS_OK);
}

int
ops_interview_day_create(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t cycle, const char *day,
    const char *location, const struct ops_slot_spec *slots, size_t nslots,
    int64_t now, int64_t *id, struct ops_error *e)
{
	struct local_time lt;
	struct db_cycle	  c;
	const char	 *msg;
	char		  text[256];
	int64_t		  ids[OPS_IDAY_SLOTS_MAX] = { 0 }, at;
	int		  from[OPS_IDAY_SLOTS_MAX], to[OPS_IDAY_SLOTS_MAX];
	size_t		  i, j;
	int		  rc;

	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director schedule "
		    "interviews."));
	if (day == NULL || strlen(day) != 10 || dates_parse(day, 1, &lt) != 0)
		return (ops_refuse(e, OPS_INVALID, "day",
		    "Enter the day as a valid date, YYYY-MM-DD."));
	if (location == NULL)
		location = "";
	if (location[0] != '\0' &&
	    text_plain(location, 0, OPS_IDAY_LOCATION_MAX, &msg) != 0)
		return (ops_refuse(e, OPS_INVALID, "location",
		    strcmp(msg, "This is too long.") == 0
			? "Enter a location of at most 200 characters."
			: msg));
	if (nslots < 1 || nslots > OPS_IDAY_SLOTS_MAX)
		return (ops_refuse(
		    e, OPS_INVALID, "slots", "A day has 1 to 20 slots."));
	for (i = 0; i < nslots; i++) {
		from[i] = parse_hhmm(slots[i].start);
		to[i] = parse_hhmm(slots[i].end);
		if (from[i] < 0 || to[i] < 0 || from[i] >= to[i]) {
			(void)snprintf(text, sizeof(text),
			    "Slot %zu: enter a start and an end as HH:MM, the "
			    "start before the end.",
			    i + 1);
			return (ops_refuse(e, OPS_INVALID, "slots", text));
		}
		if (slots[i].capacity < 1 ||
		    slots[i].capacity > OPS_ISLOT_CAPACITY_MAX) {
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

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_cycle_by_id(db, cycle, &c)) != 1)
		return (ops_finish(db,
		    rc < 0 ? rc
			   : ops_refuse(e, OPS_NOT_FOUND, NULL,
				 "There is no such cycle.")));
	if ((rc = db_iday_insert(db, cycle, day, location, now, id)) ==
	    DB_ECONSTRAINT) {
		(void)snprintf(text, sizeof(text),
		    "This cycle has an interview day on %s already.", day);
		return (
		    ops_finish(db, ops_refuse(e, OPS_CONFLICT, "day", text)));
	}
	for (i = 0; rc == 0 && i < nslots; i++) {
		lt.hour = from[i] / 60;
		lt.min = from[i] % 60;
		if (dates_to_instant(&lt, c.timezone, &at) != 0) {
			rc = ops_refuse(e, OPS_INVALID, "day",
			    "The day cannot be placed in the cycle's time "
			    "zone.");
			break;
		}
		rc = db_slot_insert(db, *id, slots[i].start, slots[i].end, at,
		    slots[i].capacity, &ids[i]);
	}
	if (rc == OPS_OK)
		rc = ops_audit(db, actor.id, "interview.day_create", "cycle",
		    cycle,
		    json_pack("{s:I,s:s,s:s,s:I}", "day_id", (json_int_t)*id,
			"day", day, "location", location, "slots",
			(json_int_t)nslots));
	for (i = 0; rc == OPS_OK && i < nslots; i++)
		rc = seat_waitlisted(db, set, actor.id, ids[i], now);
	return (ops_finish(db, rc));
}

int
ops_interview_day_delete(
    struct db *db, struct ops_actor actor, int64_t day, struct ops_error *e)
{
	struct db_iday d;
	int	       rc;

	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director schedule "
		    "interviews."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_iday_by_id(db, day, &d)) != 1)
		return (ops_finish(db,
		    rc < 0 ? rc
			   : ops_refuse(e, OPS_NOT_FOUND, NULL,
				 "There is no such interview day.")));
	if (d.booked > 0)
		return (ops_finish(db,
		    ops_refuse(e, OPS_CONFLICT, NULL,
			"Candidates have booked slots on this day; it can be "
			"deleted once they have moved or cancelled.")));
	if ((rc = db_iday_delete(db, day)) == 1)
		rc = ops_audit(db, actor.id, "interview.day_delete", "cycle",
		    d.cycle_id,
		    json_pack(
			"{s:I,s:s}", "day_id", (json_int_t)day, "day", d.day));
	else if (rc == 0)
		rc = DB_ERROR;
	return (ops_finish(db, rc));
}

int
ops_interview_invite(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t cycle, const int64_t *apps, size_t n,
    int64_t now, int64_t *invited, int64_t *already, struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_invitation  inv;
	struct db_cycle	      c;
	json_t		     *fresh = NULL;
	char		      text[256];
	size_t		      i;
	int		      rc;

	*invited = *already = 0;
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director invite "
		    "candidates."));
	if (n < 1 || n > OPS_INVITE_MAX)
		return (ops_refuse(e, OPS_INVALID, "application_ids",
		    "Invite 1 to 200 applications at a time."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_cycle_by_id(db, cycle, &c)) != 1)
		return (ops_finish(db,
		    rc < 0 ? rc
			   : ops_refuse(e, OPS_NOT_FOUND, NULL,
				 "There is no such cycle.")));
	/* Every id is checked before anyone is invited. */
	for (i = 0; i < n; i++) {
		if ((rc = db_application_by_id(db, apps[i], &a)) < 0)
			return (ops_finish(db, rc));
		db_application_clear(&a);
		if (rc == 0 || a.cycle_id != cycle ||
		    strcmp(a.status, "submitted") != 0) {
			(void)snprintf(text, sizeof(text),
			    "Application %lld is not a submitted application "
			    "of this cycle; nobody was invited.",
			    (long long)apps[i]);
			return (ops_finish(db,
			    ops_refuse(
				e, OPS_INVALID, "application_ids", text)));
		}
	}
	fresh = json_array();
	for (i = 0; i < n; i++) {
		if ((rc = db_invitation_insert(
			 db, apps[i], cycle, actor.id, now)) < 0)
			goto out;
		if (rc == 0) {
			(*already)++;
			continue;
		}
		(*invited)++;
		json_array_append_new(fresh, json_integer(apps[i]));
		if ((rc = db_invitation_get(db, apps[i], &inv)) != 1) {
			rc = rc < 0 ? rc : DB_ERROR;
			goto out;
		}
		if ((rc = mail_candidate(
			 db, set, MAIL_INTERVIEW, &inv, NULL, now)) != 0)
			goto out;
	}
	rc = ops_audit(db, actor.id, "interview.invite", "cycle", cycle,
	    json_pack("{s:O,s:I}", "invited", fresh, "already",
		(json_int_t)*already));
out:
	json_decref(fresh);
	if (rc != OPS_OK)
		*invited = *already = 0;
	return (ops_finish(db, rc));
}

/* The refusal for a full slot: point to the waitlist only when every
 * slot still to come is full. */
static int
refuse_full(
    struct db *db, int64_t cycle, int64_t now, int booked, struct ops_error *e)
{
	int64_t free_seats;
	int	rc;

	if ((rc = ops_interview_free_seats(db, cycle, now, &free_seats)) != 0)
		return (rc);
	if (free_seats > 0)
		return (ops_refuse(e, OPS_CONFLICT, NULL,
		    "This slot is full; choose another slot with a free "
		    "seat."));
	return (ops_refuse(e, OPS_CONFLICT, NULL,
	    booked ? "This slot is full, and so is every other slot; keep "
		     "your booking or cancel it."
		   : "Every slot is full: join the waitlist and you will be "
		     "booked into the first seat that frees up."));
}

int
ops_interview_book(struct db *db, const struct settings *set, int64_t slot,
    int64_t applicant, int64_t now, struct db_invitation *out,
    struct ops_error *e)
{
	struct db_slot	     s, old;
	struct db_invitation i = { 0 };
	int64_t		     was;
	int		     rc, withdrawn = 0, waited;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = db_slot_by_id(db, slot, &s)) != 1)
		return (ops_finish(db,
		    rc < 0 ? rc : ops_refuse(e, OPS_NOT_FOUND, NULL, no_slot)));
	if ((rc = own_invitation(
		 db, s.cycle_id, applicant, &i, &withdrawn, e)) != OPS_OK)
		return (ops_finish(db,
		    rc == OPS_NOT_FOUND
			? ops_refuse(e, OPS_NOT_FOUND, NULL, no_slot)
			: rc));
	if (withdrawn)
		return (ops_finish(db,
		    ops_refuse(e, OPS_CONFLICT, NULL,
			"Your application is withdrawn.")));
	if (i.slot_id == slot) {
		*out = i;
		return (ops_finish(db, OPS_OK));
	}
	if (s.starts_at <= now)
		return (ops_finish(db,
		    ops_refuse(e, OPS_CONFLICT, NULL,
			"This slot has started or is over; choose a later "
			"one.")));
	if (i.slot_id != 0) {
		if ((rc = db_slot_by_id(db, i.slot_id, &old)) < 0)
			return (ops_finish(db, rc));
		if (rc == 1 && old.starts_at <= now)
			return (ops_finish(db,
			    ops_refuse(e, OPS_CONFLICT, NULL,
				"Your interview has started or is over; it "
				"cannot be changed now.")));
	}
	if (s.booked >= s.capacity)
		return (ops_finish(
		    db, refuse_full(db, s.cycle_id, now, i.slot_id != 0, e)));
	was = i.slot_id;
	waited = i.waitlisted_at != 0;
	i.slot_id = slot;
	i.booked_at = now;
	i.waitlisted_at = 0;
	/* The trigger is the last guard: never overbook, answer "full". */
	if ((rc = db_invitation_set(db, &i)) == DB_ECONSTRAINT)
		return (ops_finish(
		    db, refuse_full(db, s.cycle_id, now, was != 0, e)));
	if (rc == 0)
		rc = ops_audit(db, applicant,
		    was != 0 ? "interview.change" : "interview.book",
		    "application", i.application_id,
		    json_pack("{s:I,s:o,s:b}", "slot", (json_int_t)slot, "from",
			was != 0 ? json_integer(was) : json_null(),
			"waitlisted", waited));
	if (rc == 0 && was != 0)
		rc = seat_waitlisted(db, set, applicant, was, now);
	if (rc == 0)
		*out = i;
	return (ops_finish(db, rc));
}

int
ops_interview_cancel(struct db *db, const struct settings *set, int64_t cycle,
    int64_t applicant, int64_t now, struct db_invitation *out,
    struct ops_error *e)
{
	struct db_invitation i = { 0 };
	struct db_slot	     old;
	int64_t		     was;
	int		     rc, withdrawn = 0;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = own_invitation(db, cycle, applicant, &i, &withdrawn, e)) !=
	    OPS_OK)
		return (ops_finish(db, rc));
	if (i.slot_id == 0)
		return (ops_finish(db,
		    ops_refuse(e, OPS_CONFLICT, NULL,
			"You have no interview slot booked.")));
	if ((rc = db_slot_by_id(db, i.slot_id, &old)) < 0)
		return (ops_finish(db, rc));
	if (rc == 1 && old.starts_at <= now)
		return (ops_finish(db,
		    ops_refuse(e, OPS_CONFLICT, NULL,
			"Your interview has started or is over; it cannot be "
			"cancelled now.")));
	was = i.slot_id;
	i.slot_id = 0;
	i.booked_at = 0;
	if ((rc = db_invitation_set(db, &i)) == 0)
		rc = ops_audit(db, applicant, "interview.cancel", "application",
		    i.application_id,
		    json_pack("{s:I}", "slot", (json_int_t)was));
	if (rc == 0)
		rc = seat_waitlisted(db, set, applicant, was, now);
	if (rc == 0)
		*out = i;
	return (ops_finish(db, rc));
}

static int
last_waitlisted(void *arg, const struct db_invitation *i)
{
	int64_t *last = arg;

	if (i->waitlisted_at > *last)
		*last = i->waitlisted_at;
	return (0);
}

int
ops_interview_waitlist(struct db *db, int64_t cycle, int64_t applicant,
    int join, int64_t now, struct db_invitation *out, struct ops_error *e)
{
	struct db_invitation i = { 0 };
	int64_t		     free_seats, last = 0;
	int		     rc, withdrawn = 0;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = own_invitation(db, cycle, applicant, &i, &withdrawn, e)) !=
	    OPS_OK)
		return (ops_finish(db, rc));
	if (!join) {
		if (i.waitlisted_at == 0)
			return (ops_finish(db,
			    ops_refuse(e, OPS_CONFLICT, NULL,
				"You are not on the waitlist.")));
		i.waitlisted_at = 0;
		if ((rc = db_invitation_set(db, &i)) == 0)
			rc =
			    ops_audit(db, applicant, "interview.waitlist_leave",
				"application", i.application_id, NULL);
		if (rc == 0)
			*out = i;
		return (ops_finish(db, rc));
	}
	if (withdrawn)
		return (ops_finish(db,
		    ops_refuse(e, OPS_CONFLICT, NULL,
			"Your application is withdrawn.")));
	if (i.slot_id != 0)
		return (ops_finish(db,
		    ops_refuse(e, OPS_CONFLICT, NULL,
			"You have a slot booked already; book another slot to "
			"change it.")));
	if (i.waitlisted_at != 0) {
		*out = i;
		return (ops_finish(db, OPS_OK));
	}
	if ((rc = ops_interview_free_seats(db, cycle, now, &free_seats)) != 0)
		return (ops_finish(db, rc));
	if (free_seats > 0)
		return (ops_finish(db,
		    ops_refuse(e, OPS_CONFLICT, NULL,
			"A slot is free: book it instead of joining the "
			"waitlist.")));
	/*
	 * The waitlist is ordered by the time joined (then by application
	 * id); a later joiner always gets a later time, even within the
	 * same second, so the order is the order of joining.
	 */
	if ((rc = db_invitation_list(db, cycle, last_waitlisted, &last)) != 0)
		return (ops_finish(db, rc < 0 ? rc : DB_ERROR));
	i.waitlisted_at = last >= now ? last + 1 : now;
	if ((rc = db_invitation_set(db, &i)) == 0)
		rc = ops_audit(db, applicant, "interview.waitlist_join",
		    "application", i.application_id, NULL);
	if (rc == 0)
		*out = i;
	return (ops_finish(db, rc));
}

int
ops_interview_release(struct db *db, const struct settings *set, int64_t actor,
    int64_t application, int64_t now)
{
	struct db_invitation i = { 0 };
	int64_t		     was;
	int		     rc;

	if ((rc = db_invitation_get(db, application, &i)) <= 0)
		return (rc);
	if (i.slot_id == 0 && i.waitlisted_at == 0)
		return (0);
	was = i.slot_id;
	i.slot_id = 0;
	i.booked_at = 0;
	i.waitlisted_at = 0;
	if ((rc = db_invitation_set(db, &i)) != 0 ||
	    (rc = ops_audit(db, actor, "interview.release", "application",
		 application,
		 json_pack("{s:o}", "slot",
		     was != 0 ? json_integer(was) : json_null()))) != 0)
		return (rc);
	return (was != 0 ? seat_waitlisted(db, set, actor, was, now) : 0);
}
