/*
 * The demo cycle's review: default rubrics, scoring deadlines, one
 * conflict of interest and one known applicant, three screening raters
 * per submitted candidate, 20 interviewed candidates on four past
 * interview days with four raters each, two more invited to a day still
 * to come, and score sheets from six raters of visibly different
 * leniency, with some sheets missing and some in draft. Scores follow a
 * hidden quality per candidate plus the rater's leniency plus noise, so
 * the aggregation has something real to find. Everything is generated
 * with a fixed seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/dates.h"
#include "core/rubric.h"
#include "ops/demo.h"

#define RATERS	      6
#define INTERVIEWED   20
#define EXTRA_INVITES 2
#define DAY	      86400L

/* How much each demo rater adds to a candidate's true level (1-5). */
static const double leniency[RATERS] = { 0.7, -0.6, 0.0, 0.3, -0.9, 0.45 };

/* A small deterministic generator (a 64-bit LCG), so the demo is the
 * same everywhere whatever the C library's rand() does. */
static uint64_t demo_state = 20270101;

static double
demo_uniform(void)
{
	demo_state =
	    demo_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((double)(demo_state >> 11) / (double)(1ULL << 53));
}

struct review_seed {
	struct db     *db;
	int64_t	       cycle;
	int64_t	       now;
	int64_t	       raters[RATERS];
	int64_t	       director;
	int64_t	       rubric[PHASE__MAX];
	json_t	      *criteria[PHASE__MAX];
	const int64_t *apps;
	int	       napps;
	double	      *quality;
};

static int
user_id(struct db *db, const char *email, int64_t *id)
{
	struct db_user u;
	int	       rc;

	if ((rc = db_user_by_email(db, email, &u)) != 1)
		return (rc < 0 ? rc : DB_ERROR);
	*id = u.id;
	return (0);
}

static int
seed_rubrics(struct review_seed *s)
{
	struct db_phase	  ph;
	char		 *text, when[20];
	struct local_time lt;
	int		  p, rc;

	for (p = 0; p < PHASE__MAX; p++) {
		if ((s->criteria[p] = rubric_default((enum phase)p)) == NULL ||
		    (text = json_dumps(s->criteria[p], JSON_COMPACT)) == NULL)
			return (DB_ERROR);
		rc = db_rubric_insert(s->db, s->cycle, phase_names[p], 1, text,
		    s->director, s->now - 90 * DAY, &s->rubric[p]);
		free(text);
		if (rc != 0)
			return (rc);
		memset(&ph, 0, sizeof(ph));
		ph.cycle_id = s->cycle;
		(void)snprintf(
		    ph.phase, sizeof(ph.phase), "%s", phase_names[p]);
		ph.weight = phase_default_weight[p];
		demo_date(s->now, p == PHASE_SCREENING ? 5 : 12, 17, when,
		    sizeof(when));
		(void)snprintf(
		    ph.scoring_due, sizeof(ph.scoring_due), "%s", when);
		if (dates_parse(when, 0, &lt) != 0 ||
		    dates_to_instant(
			&lt, "America/New_York", &ph.scoring_due_at) != 0)
			return (DB_ERROR);
		if ((rc = db_phase_put(s->db, &ph)) != 0)
			return (rc);
	}
	return (0);
}

/* The demo's values for rater r on candidate i: quality plus leniency
 * plus noise, on each criterion's 1-5 scale. */
static char *
demo_values(struct review_seed *s, enum phase p, int r, int i, int partial)
{
	json_t *v = json_object();
	char   *text;
	size_t	c;
	double	x;
	int	n;

	for (c = 0; c < json_array_size(s->criteria[p]); c++) {
		const char *key = json_string_value(
		    json_object_get(json_array_get(s->criteria[p], c), "key"));

		if (partial && c >= 2)
			break;
		x = s->quality[i] + leniency[r] + (demo_uniform() - 0.5) * 1.3 +
		    (p == PHASE_INTERVIEW ? (demo_uniform() - 0.5) * 0.6 : 0);
		n = x < 1 ? 1 : (x > 5 ? 5 : (int)(x + 0.5));
		json_object_set_new(v, key, json_integer(n));
	}
	text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(v);
	return (text);
}

/* Assigns rater r to candidate i and, unless missing, writes the sheet. */
static int
seed_pair(struct review_seed *s, enum phase p, int r, int i, int missing,
    int draft, int64_t at)
{
	struct db_sheet sh = { 0 };
	int		rc;

	if ((rc = db_assignment_insert(s->db, s->cycle, phase_names[p],
		 s->apps[i], s->raters[r], s->director, at - 10 * DAY)) < 0)
		return (rc);
	if (missing)
		return (0);
	sh.cycle_id = s->cycle;
	sh.application_id = s->apps[i];
	sh.rater_id = s->raters[r];
	(void)snprintf(sh.phase, sizeof(sh.phase), "%s", phase_names[p]);
	sh.rubric_id = s->rubric[p];
	(void)snprintf(
	    sh.status, sizeof(sh.status), "%s", draft ? "draft" : "submitted");
	if ((sh.values = demo_values(s, p, r, i, draft)) == NULL)
		return (DB_ERROR);
	sh.comment = (char *)"";
	sh.updated_at = at;
	sh.submitted_at = draft ? 0 : at;
	rc = db_sheet_insert(s->db, &sh, NULL);
	free(sh.values);
	return (rc);
}

/* Is rater r in conflict with candidate i (the two seeded conflicts)? */
static int
conflicted(int r, int i)
{
	return ((r == 1 && i == 2) || (r == 3 && i == 7));
}

static int
seed_conflicts(struct review_seed *s)
{
	int rc;

	if ((rc = db_conflict_insert(s->db, s->apps[2], s->raters[1],
		 "conflict",
		 "I supervised her research year and co-wrote two papers "
		 "with her.",
		 s->raters[1], NULL)) != 0)
		return (rc);
	return (db_conflict_insert(s->db, s->apps[7], s->raters[3],
	    "known_applicant",
	    "Rotated on our sarcoma service for a month as a resident.",
	    s->director, NULL));
}

static int
seed_screening(struct review_seed *s)
{
	int i, j, r, n, rc;

	for (i = 0; i < s->napps; i++) {
		for (j = 0, n = 0; j < RATERS && n < 3; j++) {
			r = (i + j) % RATERS;
			if (conflicted(r, i))
				continue;
			n++;
			/* Some sheets missing, a few drafts: faculty1 has
			 * candidates left to score. */
			rc = seed_pair(s, PHASE_SCREENING, r, i,
			    (r == 5 && i % 9 == 0) || (r == 0 && i % 13 == 1),
			    r == 2 && i % 17 == 3,
			    s->now - (50 - i % 20) * DAY);
			if (rc != 0)
				return (rc);
		}
	}
	return (0);
}

static int
by_quality(const void *a, const void *b, void *q)
{
	double x = ((const double *)q)[*(const int *)a];
	double y = ((const double *)q)[*(const int *)b];

	return (x < y ? 1 : (x > y ? -1 : 0));
}

/* Adds a day with slots of capacity 1 (cap2: the last holds two);
 * writes the slot ids. */
static int
seed_day(struct review_seed *s, int days, int nslots, int cap2, int64_t *slots)
{
	static const char *const starts[] = { "08:00", "09:00", "10:00",
		"11:00", "13:00" };
	static const char *const ends[] = { "08:45", "09:45", "10:45", "11:45",
		"13:45" };
	struct local_time	 lt;
	char			 when[20];
	int64_t			 day, at;
	int			 k, rc;

	demo_date(s->now, days, 8, when, sizeof(when));
	when[10] = '\0';
	if ((rc = db_iday_insert(s->db, s->cycle, when,
		 "Sarcoma Center, 4th floor conference room", s->now - 40 * DAY,
		 &day)) != 0)
		return (rc);
	for (k = 0; k < nslots; k++) {
		if (dates_parse(when, 1, &lt) != 0)
			return (DB_ERROR);
		lt.hour = atoi(starts[k]);
		lt.min = 0;
		if (dates_to_instant(&lt, "America/New_York", &at) != 0)
			return (DB_ERROR);
		if ((rc = db_slot_insert(s->db, day, starts[k], ends[k], at,
			 cap2 && k == nslots - 1 ? 2 : 1, &slots[k])) != 0)
			return (rc);
	}
	return (0);
}

static int
seed_interviews(struct review_seed *s)
{
	struct db_invitation inv;
	int		     order[128], t, j, r, n, rc, d;
	int64_t		     slots[5];

	for (t = 0; t < s->napps && t < 128; t++)
		order[t] = t;
	qsort_r(order, (size_t)t, sizeof(int), by_quality, s->quality);
	for (d = 0; d < 4; d++) {
		if ((rc = seed_day(s, -30 + 7 * d, 5, 0, slots)) != 0)
			return (rc);
		for (j = 0; j < 5; j++) {
			t = d * 5 + j;
			memset(&inv, 0, sizeof(inv));
			inv.application_id = s->apps[order[t]];
			inv.slot_id = slots[j];
			inv.booked_at = s->now - 35 * DAY;
			if ((rc = db_invitation_insert(s->db,
				 inv.application_id, s->cycle, s->director,
				 s->now - 38 * DAY)) < 0 ||
			    (rc = db_invitation_set(s->db, &inv)) != 0)
				return (rc);
			for (r = 0, n = 0; r < RATERS && n < 4; r++) {
				int rr = (t + r) % RATERS;

				if (conflicted(rr, order[t]))
					continue;
				n++;
				rc = seed_pair(s, PHASE_INTERVIEW, rr, order[t],
				    (rr == 0 && t % 7 == 2) ||
					(rr == 3 && t % 10 == 5),
				    0, s->now + (-30 + 7 * d) * DAY + 3600);
				if (rc != 0)
					return (rc);
			}
		}
	}
	/* A day still to come, and two candidates invited to book it. */
	if ((rc = seed_day(s, 7, 4, 1, slots)) != 0)
		return (rc);
	for (t = INTERVIEWED; t < INTERVIEWED + EXTRA_INVITES; t++)
		if ((rc = db_invitation_insert(s->db, s->apps[order[t]],
			 s->cycle, s->director, s->now - 2 * DAY)) < 0)
			return (rc);
	return (0);
}

int
demo_review_seed(
    struct db *db, int64_t cycle, const int64_t *apps, int napps, int64_t now)
{
	struct review_seed s = { 0 };
	char		   email[64];
	int		   i, rc;

	s.db = db;
	s.cycle = cycle;
	s.now = now;
	s.apps = apps;
	s.napps = napps;
	if ((s.quality = calloc((size_t)napps, sizeof(double))) == NULL)
		return (DB_ERROR);
	for (i = 0; i < napps; i++)
		s.quality[i] = 1.7 + 2.7 * demo_uniform();
	for (i = 0; i < RATERS; i++) {
		(void)snprintf(
		    email, sizeof(email), "faculty%d@demo.test", i + 1);
		if ((rc = user_id(db, email, &s.raters[i])) != 0)
			goto out;
	}
	if ((rc = user_id(db, "director@demo.test", &s.director)) != 0 ||
	    (rc = seed_rubrics(&s)) != 0 || (rc = seed_conflicts(&s)) != 0 ||
	    (rc = seed_screening(&s)) != 0 || (rc = seed_interviews(&s)) != 0)
		goto out;
out:
	json_decref(s.criteria[0]);
	json_decref(s.criteria[1]);
	free(s.quality);
	return (rc);
}
