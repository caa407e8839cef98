/*
 * Score sheets: a rater's draft, its submission, changes after submission
 * (each logged with the old and the new value), the other raters' sheets
 * once the rater's own is in, and reminders to raters with missing
 * sheets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mail.h"
#include "core/remind.h"
#include "core/text.h"
#include "ops/common.h"
#include "ops/meeting_int.h"
#include "ops/review.h"
#include "ops/review_int.h"

static json_t *
sheet_json(const struct db_sheet *s)
{
	json_t *values = NULL;

	if (s == NULL)
		return (json_pack("{s:s,s:{},s:s,s:i,s:n,s:n,s:n}", "status",
		    "none", "values", "comment", "", "version", 0,
		    "rubric_version", "updated_at", "submitted_at"));
	if ((values = json_loads(s->values, 0, NULL)) == NULL)
		return (NULL);
	return (json_pack("{s:I,s:s,s:o,s:s,s:I,s:I,s:I,s:o?}", "id",
	    (json_int_t)s->id, "status", s->status, "values", values, "comment",
	    s->comment, "version", (json_int_t)s->version, "rubric_version",
	    (json_int_t)s->rubric_version, "updated_at",
	    (json_int_t)s->updated_at, "submitted_at",
	    s->submitted_at != 0 ? json_integer(s->submitted_at) : NULL));
}

/* The rubric view of a sheet's version. */
static json_t *
rubric_of(struct db *db, int64_t rubric_id, json_t **criteria)
{
	struct db_rubric r;
	json_t		*c, *o;

	if (db_rubric_by_id(db, rubric_id, &r) != 1)
		return (NULL);
	c = json_loads(r.criteria, 0, NULL);
	o = c == NULL
	    ? NULL
	    : json_pack("{s:I,s:s,s:I,s:b,s:O,s:I}", "cycle_id",
		  (json_int_t)r.cycle_id, "phase", r.phase, "version",
		  (json_int_t)r.version, "frozen", r.submitted > 0, "criteria",
		  c, "created_at", (json_int_t)r.created_at);
	db_rubric_clear(&r);
	if (criteria != NULL && o != NULL)
		*criteria = c;
	else
		json_decref(c);
	return (o);
}

/*
 * May actor score application in phase? Loads the application and the
 * cycle. Faculty need an assignment of the phase; the director any
 * candidate of the phase; both no conflict. The coordinator does not
 * score.
 */
static int
may_score(struct db *db, struct ops_actor actor, int64_t application,
    enum phase p, struct db_application *a, struct db_cycle *c,
    enum cycle_state *state, struct ops_error *e)
{
	int rc;

	if (actor.role == ROLE_COORDINATOR)
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "The coordinator does not score candidates."));
	if ((rc = review_candidate(db, actor, application, a, e)) != OPS_OK)
		return (rc);
	if (actor.role == ROLE_FACULTY) {
		if ((rc = db_assignment_exists(
			 db, application, actor.id, phase_names[p])) <= 0)
			return (rc < 0 ? rc
				       : ops_refuse(e, OPS_NOT_FOUND, NULL,
					     "This candidate is not assigned "
					     "to you for this phase."));
	} else {
		if ((rc = db_conflict_exists(db, application, actor.id)) != 0)
			return (rc < 0
				? rc
				: ops_refuse(e, OPS_FORBIDDEN, NULL,
				      "You have a recorded conflict with "
				      "this candidate."));
		if ((rc = review_is_candidate(db, a, p)) <= 0)
			return (rc < 0 ? rc
				       : ops_refuse(e, OPS_NOT_FOUND, NULL,
					     "This application is not a "
					     "candidate of this phase."));
	}
	return (review_cycle(db, a->cycle_id, c, state, e));
}

int
ops_sheet_view(struct db *db, struct ops_actor actor, int64_t application,
    enum phase p, json_t **out, struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_cycle	      c;
	struct db_sheet	      s;
	struct db_phase	      ph;
	enum cycle_state      state = CYCLE_SETUP;
	json_t		     *sheet = NULL, *rubric = NULL;
	int		      rc, have;

	if ((rc = may_score(db, actor, application, p, &a, &c, &state, e)) !=
	    OPS_OK)
		return (rc);
	if ((rc = review_phase_get(db, a.cycle_id, p, &ph)) != 0)
		return (rc);
	if ((have = db_sheet_get(
		 db, application, actor.id, phase_names[p], &s)) < 0)
		return (have);
	if (have && strcmp(s.status, "submitted") == 0)
		rubric = rubric_of(db, s.rubric_id, NULL);
	else {
		/* A draft is scored on the current rubric. */
		if (review_rubric_view(db, a.cycle_id, p, 0, &rubric, e) ==
		    OPS_OK) {
			json_t *inner =
			    json_incref(json_object_get(rubric, "rubric"));

			json_decref(rubric);
			rubric = inner;
		}
	}
	sheet = sheet_json(have ? &s : NULL);
	if (have)
		db_sheet_clear(&s);
	if (sheet == NULL || rubric == NULL) {
		json_decref(sheet);
		json_decref(rubric);
		return (DB_ERROR);
	}
	*out = json_pack("{s:o,s:o,s:b,s:b}", "sheet", sheet, "rubric", rubric,
	    "closed", ph.closed_at != 0, "scoring_open",
	    review_scoring_open(state) && ph.closed_at == 0);
	return (*out != NULL ? OPS_OK : DB_ERROR);
}

/* Text of a value for the change log ("" when absent). */
static void
value_text(const json_t *v, char *out, size_t len)
{
	if (json_is_integer(v))
		(void)snprintf(
		    out, len, "%lld", (long long)json_integer_value(v));
	else
		(void)snprintf(out, len, "%s", "");
}

/*
 * Logs every difference between the old and the new values and comment
 * of a submitted sheet; adds {field, old, new} to changes.
 */
static int
log_changes(struct db *db, int64_t sheet, int64_t by, int64_t now,
    const json_t *criteria, const json_t *oldv, const json_t *newv,
    const char *oldc, const char *newc, json_t *changes)
{
	char   a[32], b[32];
	size_t i;
	int    rc;

	for (i = 0; i < json_array_size(criteria); i++) {
		const char *key = json_string_value(
		    json_object_get(json_array_get(criteria, i), "key"));

		value_text(json_object_get(oldv, key), a, sizeof(a));
		value_text(json_object_get(newv, key), b, sizeof(b));
		if (strcmp(a, b) == 0)
			continue;
		if ((rc = db_change_insert(db, sheet, by, now, key, a, b)) != 0)
			return (rc);
		json_array_append_new(changes,
		    json_pack(
			"{s:s,s:s,s:s}", "field", key, "old", a, "new", b));
	}
	if (strcmp(oldc, newc) != 0) {
		if ((rc = db_change_insert(
			 db, sheet, by, now, "comment", oldc, newc)) != 0)
			return (rc);
		json_array_append_new(changes,
		    json_pack("{s:s,s:s,s:s}", "field", "comment", "old", oldc,
			"new", newc));
	}
	return (0);
}

/* Logs a change of sheet s (before it: old, with values oldv, or NULL
 * when it was not submitted) in the cycle's open rank meeting. */
static int
meeting_log(struct db *db, const struct db_sheet *s, const struct db_sheet *old,
    const json_t *criteria, const json_t *oldv, const json_t *values,
    int64_t by, int64_t now)
{
	json_t *before = NULL, *after;
	int	counts, rc;

	if ((counts = db_conflict_exists(db, s->application_id, by)) < 0)
		return (counts);
	if (old != NULL &&
	    (before = meeting_sheet_state(
		 old->status, criteria, oldv, old->comment, !counts)) == NULL)
		return (OPS_ENOMEM);
	if ((after = meeting_sheet_state(
		 s->status, criteria, values, s->comment, !counts)) == NULL) {
		json_decref(before);
		return (OPS_ENOMEM);
	}
	rc = meeting_note_sheet(db, s->cycle_id, s->id,
	    old != NULL ? "edit" : "submit", before, after, by, now);
	json_decref(before);
	json_decref(after);
	return (rc);
}

/* Checks a comment: at most SHEET_COMMENT_MAX characters of text. */
static int
comment_check(const char *comment, struct ops_error *e)
{
	const char *why;

	if (comment == NULL || comment[0] == '\0')
		return (OPS_OK);
	if (text_plain(comment, 1, SHEET_COMMENT_MAX, &why) != 0)
		return (ops_refuse(e, OPS_INVALID, "comment", why));
	return (OPS_OK);
}

int
ops_sheet_save(struct db *db, struct ops_actor actor, int64_t application,
    enum phase p, const json_t *values, const char *comment, int submit,
    int64_t version, int64_t now, json_t **out, struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_cycle	      c;
	struct db_sheet	      s = { 0 }, old = { 0 };
	struct db_rubric      r = { 0 };
	struct db_phase	      ph;
	enum cycle_state      state = CYCLE_SETUP;
	json_t		     *criteria = NULL, *oldv = NULL, *changes = NULL;
	char		      key[RUBRIC_KEY_MAX + 1], msg[160];
	char		     *text = NULL;
	int		      rc, have, was_submitted = 0, complete;

	*out = NULL;
	if ((rc = comment_check(comment, e)) != OPS_OK)
		return (rc);
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = may_score(db, actor, application, p, &a, &c, &state, e)) !=
		OPS_OK ||
	    (rc = review_phase_get(db, a.cycle_id, p, &ph)) != 0)
		goto done;
	if (!review_scoring_open(state) || ph.closed_at != 0) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    ph.closed_at != 0 ? "Scoring of this phase is closed."
				      : "Scoring is not open in this cycle.");
		goto done;
	}
	if ((have = db_sheet_get(
		 db, application, actor.id, phase_names[p], &old)) < 0) {
		rc = have;
		goto done;
	}
	if (have && version != 0 && version != old.version) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "This sheet was changed elsewhere since you opened it; "
		    "reload it and try again.");
		goto done;
	}
	was_submitted = have && strcmp(old.status, "submitted") == 0;
	/* A submitted sheet keeps its rubric version; a draft moves to the
	 * current one. */
	if (was_submitted) {
		if (db_rubric_by_id(db, old.rubric_id, &r) != 1) {
			rc = DB_ERROR;
			goto done;
		}
	} else if ((rc = review_rubric_current(
			db, a.cycle_id, p, actor.id, now, &r)) != 0)
		goto done;
	if ((criteria = json_loads(r.criteria, 0, NULL)) == NULL) {
		rc = DB_ERROR;
		goto done;
	}
	complete = submit || was_submitted;
	if (rubric_check_values(criteria, values, complete, key, sizeof(key),
		msg, sizeof(msg)) != 0) {
		rc = ops_refuse(e, OPS_INVALID, NULL, msg);
		if (e != NULL) {
			(void)snprintf(e->field_buf, sizeof(e->field_buf),
			    key[0] ? "values.%s" : "values", key);
			e->field = e->field_buf;
		}
		goto done;
	}
	if ((text = json_dumps(values, JSON_COMPACT | JSON_SORT_KEYS)) ==
	    NULL) {
		rc = DB_ERROR;
		goto done;
	}
	s.cycle_id = a.cycle_id;
	s.application_id = application;
	s.rater_id = actor.id;
	(void)snprintf(s.phase, sizeof(s.phase), "%s", phase_names[p]);
	s.rubric_id = r.id;
	(void)snprintf(
	    s.status, sizeof(s.status), "%s", complete ? "submitted" : "draft");
	s.values = text;
	s.comment =
	    (char *)(comment != NULL ? comment : (have ? old.comment : ""));
	s.updated_at = now;
	s.submitted_at = was_submitted ? old.submitted_at : (submit ? now : 0);
	if (have) {
		s.id = old.id;
		s.version = old.version;
		if ((rc = db_sheet_update(db, &s, now)) == 0)
			rc = ops_refuse(e, OPS_CONFLICT, NULL,
			    "This sheet was changed elsewhere; try again.");
		else if (rc == 1)
			rc = 0;
	} else
		rc = db_sheet_insert(db, &s, &s.id);
	if (rc != 0)
		goto done;
	if (was_submitted) {
		if ((changes = json_array()) == NULL) {
			rc = OPS_ENOMEM;
			goto done;
		}
		/* A stored sheet that does not parse is the database's. */
		if ((oldv = json_loads(old.values, 0, NULL)) == NULL) {
			rc = DB_ERROR;
			goto done;
		}
		if ((rc = log_changes(db, s.id, actor.id, now, criteria, oldv,
			 values, old.comment, s.comment, changes)) != 0)
			goto done;
		rc = json_array_size(changes) == 0
		    ? 0
		    : ops_audit(db, actor.id, "score.change", "application",
			  application,
			  json_pack("{s:s,s:I,s:O}", "phase", phase_names[p],
			      "sheet", (json_int_t)s.id, "changes", changes));
	} else
		rc = ops_audit(db, actor.id,
		    submit ? "score.submit" : "score.draft", "application",
		    application,
		    json_pack("{s:s,s:I,s:O}", "phase", phase_names[p], "sheet",
			(json_int_t)s.id, "values", values));
	if (rc != 0)
		goto done;
	/* A change to what counts, while a rank meeting is open, goes into
	 * its log in this transaction. */
	if (((was_submitted && json_array_size(changes) > 0) ||
		(!was_submitted && submit)) &&
	    (rc = meeting_log(db, &s, was_submitted ? &old : NULL, criteria,
		 oldv, values, actor.id, now)) != 0)
		goto done;
	db_sheet_clear(&old);
	if ((rc = db_sheet_get(
		 db, application, actor.id, phase_names[p], &old)) != 1) {
		rc = rc < 0 ? rc : DB_ERROR;
		goto done;
	}
	rc = (*out = sheet_json(&old)) != NULL ? 0 : OPS_ENOMEM;
done:
	rc = ops_finish_view(db, rc, out);
	db_sheet_clear(&old);
	db_rubric_clear(&r);
	json_decref(criteria);
	json_decref(oldv);
	json_decref(changes);
	free(text);
	return (rc);
}

struct all_ctx {
	struct db *db;
	int64_t	   application;
	json_t	  *sheets;
};

static int
add_sheet(void *arg, const struct db_sheet *s)
{
	struct all_ctx *x = arg;
	json_t	       *criteria = NULL, *values, *rubric, *o;
	double		weighted;
	int		rc;

	/* A rater found to have a conflict after scoring does not count. */
	if ((rc = db_conflict_exists(x->db, x->application, s->rater_id)) != 0)
		return (rc < 0 ? rc : 0);
	if ((rubric = rubric_of(x->db, s->rubric_id, &criteria)) == NULL)
		return (DB_ERROR);
	json_decref(rubric);
	if ((values = json_loads(s->values, 0, NULL)) == NULL) {
		json_decref(criteria);
		return (DB_ERROR);
	}
	weighted = rubric_weighted(criteria, values);
	json_decref(criteria);
	o = json_pack("{s:I,s:I,s:s,s:o,s:s,s:I,s:I,s:f}", "sheet_id",
	    (json_int_t)s->id, "rater_id", (json_int_t)s->rater_id,
	    "rater_name", s->rater_name, "values", values, "comment",
	    s->comment, "submitted_at", (json_int_t)s->submitted_at,
	    "rubric_version", (json_int_t)s->rubric_version, "weighted",
	    weighted);
	return (json_array_append_new(x->sheets, o) == 0 ? 0 : DB_ERROR);
}

static int
add_change(void *arg, const struct db_change_row *c)
{
	return (json_array_append_new(arg,
		    json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:s,s:s}", "sheet_id",
			(json_int_t)c->sheet_id, "rater_id",
			(json_int_t)c->rater_id, "rater_name", c->rater_name,
			"changed_by_name", c->changed_by_name, "at",
			(json_int_t)c->at, "field", c->field, "old",
			c->old_value, "new", c->new_value)) == 0
		? 0
		: DB_ERROR);
}

int
ops_sheets_all(struct db *db, struct ops_actor actor, int64_t application,
    enum phase p, json_t **out, struct ops_error *e)
{
	struct db_application a = { 0 };
	struct db_sheet	      own;
	struct all_ctx	      x = { db, application, NULL };
	json_t		     *changes = NULL, *rubric = NULL;
	int		      rc, mine;

	if ((rc = review_candidate(db, actor, application, &a, e)) != OPS_OK)
		return (rc);
	if (actor.role == ROLE_FACULTY) {
		if ((mine = db_sheet_get(
			 db, application, actor.id, phase_names[p], &own)) < 0)
			return (mine);
		if (mine)
			mine = strcmp(own.status, "submitted") == 0;
		db_sheet_clear(&own);
		if (!mine)
			return (ops_refuse(e, OPS_FORBIDDEN, NULL,
			    "Submit your own sheet for this candidate and "
			    "phase first; then you can see the others."));
	}
	if ((rc = review_rubric_view(db, a.cycle_id, p, 0, &rubric, e)) !=
	    OPS_OK)
		return (rc);
	if ((x.sheets = json_array()) == NULL ||
	    (changes = json_array()) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = db_sheet_list(
		 db, application, phase_names[p], 1, add_sheet, &x)) != 0)
		goto out;
	if (role_is_staff(actor.role) &&
	    (rc = db_change_list(
		 db, application, phase_names[p], add_change, changes)) != 0)
		goto out;
	*out = json_pack("{s:o,s:O,s:O}", "sheets", x.sheets, "rubric",
	    json_object_get(rubric, "rubric"), "changes", changes);
	x.sheets = NULL;
	rc = *out != NULL ? OPS_OK : DB_ERROR;
out:
	json_decref(x.sheets);
	json_decref(changes);
	json_decref(rubric);
	return (rc);
}

struct remind_ctx {
	struct db	      *db;
	const struct settings *set;
	const struct db_cycle *cycle;
	const struct db_phase *phase;
	enum mail_kind	       kind;
	int64_t		       now;
	int		       sent;
	json_t		      *to;
	int64_t		       only; /* one rater's id, or 0 for all */
};

static int
remind_one(void *arg, const struct db_missing_row *m)
{
	struct remind_ctx *x = arg;
	struct mail_vars   mv = { 0 };
	char subject[MAIL_SUBJECT_MAX], link[SETTINGS_PATH_MAX + 64];
	char when[128], *body;
	int  rc;

	if (x->only != 0 && m->faculty_id != x->only)
		return (0);
	(void)snprintf(link, sizeof(link), "%s/#/review/%lld",
	    x->set->public_url, (long long)x->cycle->id);
	if (x->phase->scoring_due[0] != '\0')
		(void)snprintf(when, sizeof(when), "%.10s at %s (%s)",
		    x->phase->scoring_due, x->phase->scoring_due + 11,
		    x->cycle->timezone);
	else
		(void)snprintf(when, sizeof(when), "%s", "as soon as you can");
	mv.name = m->name;
	mv.program = x->cycle->name;
	mv.count = (long long)m->missing;
	mv.when = when;
	mv.link = link;
	if ((body = mail_render(x->kind, &mv, subject)) == NULL)
		return (OPS_ENOMEM);
	rc = db_outbox_insert(
	    x->db, x->cycle->program_id, m->email, subject, body, x->now, NULL);
	free(body);
	/* Each rater's last reminder of the phase, whichever it was. */
	if (rc != 0 ||
	    (rc = db_rater_reminded_set(x->db, x->cycle->id, x->phase->phase,
		 m->faculty_id, x->now)) != 0)
		return (rc);
	x->sent++;
	json_array_append_new(x->to, json_integer(m->faculty_id));
	return (0);
}

/*
 * Mails the raters of one phase with missing sheets; records when. which
 * is REMIND_NONE for a reminder staff send by hand, else the automatic
 * one that is due (core/remind.h), which decides the wording.
 */
static int
remind_phase(struct db *db, const struct settings *set, int64_t actor,
    const struct db_cycle *c, struct db_phase *ph, enum remind_kind which,
    int64_t now, int *sent)
{
	struct remind_ctx x = { db, set, c, ph, MAIL_SCORE_REMINDER, now, 0,
		json_array(), 0 };
	const char	 *action = "score.remind";
	int		  rc;

	if (x.to == NULL)
		return (OPS_ENOMEM);
	if (which == REMIND_OVERDUE ||
	    (which == REMIND_NONE && ph->scoring_due_at != 0 &&
		now >= ph->scoring_due_at))
		x.kind = MAIL_SCORE_OVERDUE;
	if ((rc = db_sheets_missing(db, c->id, ph->phase, remind_one, &x)) != 0)
		goto out;
	switch (which) {
	case REMIND_APPROACHING:
		ph->reminded_at = now;
		action = "score.remind_auto";
		break;
	case REMIND_OVERDUE:
		/* The one before the deadline can no longer go. */
		if (ph->reminded_at == 0)
			ph->reminded_at = now;
		ph->overdue_reminded_at = now;
		action = "score.remind_overdue";
		break;
	default:
		ph->manual_reminded_at = now;
		/* Staff reminding by hand when the automatic one would go
		 * stands for it: nobody is mailed the same twice. */
		if (x.kind == MAIL_SCORE_OVERDUE) {
			if (ph->reminded_at == 0)
				ph->reminded_at = now;
			ph->overdue_reminded_at = now;
		} else if (remind_due(ph->scoring_due_at, ph->reminded_at,
			       ph->overdue_reminded_at,
			       now) == REMIND_APPROACHING)
			ph->reminded_at = now;
		break;
	}
	if ((rc = db_phase_put(db, ph)) != 0)
		goto out;
	rc = ops_audit(db, actor, action, "cycle", c->id,
	    json_pack("{s:s,s:O}", "phase", ph->phase, "raters", x.to));
	*sent = x.sent;
out:
	json_decref(x.to);
	return (rc);
}

/*
 * Staff mail one rater of a phase about their missing sheets, worded as
 * the phase's reminder would be; at most once in 12 hours after any
 * reminder of the phase went to them. The phase's own reminders are left
 * as they were: this one stands for none of them.
 */
static int
remind_rater(struct db *db, const struct settings *set, int64_t actor,
    const struct db_cycle *c, const struct db_phase *ph, int64_t faculty,
    int64_t now, int *sent, struct ops_error *e)
{
	struct remind_ctx x = { db, set, c, ph, MAIL_SCORE_REMINDER, now, 0,
		json_array(), faculty };
	int64_t		  at = 0;
	int		  rc;

	if (x.to == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_rater_reminded_get(db, c->id, ph->phase, faculty, &at)) <
	    0)
		goto out;
	if (rc == 1 && now - at < OPS_MANUAL_REMIND_GAP) {
		e->retry_after = at + OPS_MANUAL_REMIND_GAP - now;
		rc = ops_refuse(e, OPS_THROTTLED, NULL,
		    "This rater was reminded of this phase less than 12 hours "
		    "ago.");
		goto out;
	}
	if (ph->scoring_due_at != 0 && now >= ph->scoring_due_at)
		x.kind = MAIL_SCORE_OVERDUE;
	if ((rc = db_sheets_missing(db, c->id, ph->phase, remind_one, &x)) != 0)
		goto out;
	if (x.sent == 0) {
		rc = ops_refuse(e, OPS_INVALID, "faculty_id",
		    "This person has no missing sheets to be reminded of in "
		    "this phase.");
		goto out;
	}
	rc = ops_audit(db, actor, "score.remind_rater", "cycle", c->id,
	    json_pack("{s:s,s:I}", "phase", ph->phase, "faculty_id",
		(json_int_t)faculty));
	*sent = x.sent;
out:
	json_decref(x.to);
	return (rc);
}

int
ops_reminders_send(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t cycle, enum phase p, int64_t faculty,
    int64_t now, int *sent, struct ops_error *e)
{
	struct db_cycle	 c;
	struct db_phase	 ph;
	enum cycle_state state = CYCLE_SETUP;
	int		 rc;

	*sent = 0;
	if (!role_is_staff(actor.role))
		return (ops_refuse(e, OPS_FORBIDDEN, NULL,
		    "Only the coordinator and the director send reminders."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = review_cycle(db, cycle, &c, &state, e)) != OPS_OK ||
	    (rc = review_phase_get(db, cycle, p, &ph)) != 0)
		return (ops_finish(db, rc));
	if (ph.closed_at != 0)
		return (ops_finish(db,
		    ops_refuse(e, OPS_CONFLICT, NULL,
			"Scoring of this phase is closed.")));
	if (faculty != 0)
		return (ops_finish(db,
		    remind_rater(
			db, set, actor.id, &c, &ph, faculty, now, sent, e)));
	if (ph.manual_reminded_at != 0 &&
	    now - ph.manual_reminded_at < OPS_MANUAL_REMIND_GAP) {
		e->retry_after =
		    ph.manual_reminded_at + OPS_MANUAL_REMIND_GAP - now;
		return (ops_finish(db,
		    ops_refuse(e, OPS_THROTTLED, NULL,
			"Reminders for this phase went less than 12 hours "
			"ago.")));
	}
	rc = remind_phase(db, set, actor.id, &c, &ph, REMIND_NONE, now, sent);
	return (ops_finish(db, rc));
}

struct due_ctx {
	int	n;
	int64_t cycle[16];
	char	phase[16][16];
};

static int
collect_due(void *arg, const struct db_phase *p)
{
	struct due_ctx *d = arg;

	if (d->n == 16)
		return (1);
	d->cycle[d->n] = p->cycle_id;
	(void)snprintf(d->phase[d->n], sizeof(d->phase[0]), "%s", p->phase);
	d->n++;
	return (0);
}

int
ops_reminders_due(struct db *db, const struct settings *set, int64_t now)
{
	struct due_ctx	 d = { 0 };
	struct db_cycle	 c;
	struct db_phase	 ph;
	enum cycle_state state = CYCLE_SETUP;
	enum phase	 p;
	enum remind_kind which;
	int		 rc, i, sent = 0, total = 0;

	if ((rc = db_phase_due(db, now, now + REMIND_BEFORE, collect_due, &d)) <
	    0)
		return (rc);
	for (i = 0; i < d.n; i++) {
		if (phase_parse(d.phase[i], &p) != 0 || db_begin(db) != 0)
			continue;
		sent = 0;
		if ((rc = review_cycle(db, d.cycle[i], &c, &state, NULL)) !=
			OPS_OK ||
		    (rc = review_phase_get(db, d.cycle[i], p, &ph)) != 0)
			goto next;
		which = remind_due(ph.scoring_due_at, ph.reminded_at,
		    ph.overdue_reminded_at, now);
		if (which == REMIND_NONE)
			goto next;
		if (review_scoring_open(state))
			rc = remind_phase(
			    db, set, 0, &c, &ph, which, now, &sent);
		else {
			/* Scoring is over: mark it so it is not looked at
			 * again. */
			ph.reminded_at = ph.reminded_at ? ph.reminded_at : now;
			if (which == REMIND_OVERDUE)
				ph.overdue_reminded_at = now;
			rc = db_phase_put(db, &ph);
		}
	next:
		if (ops_finish(db, rc) == OPS_OK)
			total += sent;
	}
	return (total);
}
