/*
 * Tests for src/core/assign.c: k and cap met, conflicts respected, existing
 * pairs kept, loads even, the graph connected, and the verdicts exact. Every
 * test checks the matrix that comes back, not only the status; the random
 * tests compare the verdict with an exhaustive search on small instances.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/assign.h"

#define MAX_R 16
#define MAX_C 48

/* One instance with room for the largest the tests build. */
struct inst {
	int	      nr, nc, k, cap;
	unsigned char conflict[MAX_R * MAX_C];
	unsigned char assigned[MAX_R * MAX_C];
	unsigned char before[MAX_R * MAX_C];
};

static void
inst_init(struct inst *t, int nr, int nc, int k, int cap)
{
	memset(t, 0, sizeof(*t));
	t->nr = nr;
	t->nc = nc;
	t->k = k;
	t->cap = cap;
}

static void
set(unsigned char *m, const struct inst *t, int r, int c)
{
	m[r * t->nc + c] = 1;
}

static int
cell(const unsigned char *m, const struct inst *t, int r, int c)
{
	return (m[r * t->nc + c] != 0);
}

static int
load(const unsigned char *m, const struct inst *t, int r)
{
	int c, n = 0;

	for (c = 0; c < t->nc; c++)
		n += cell(m, t, r, c);
	return (n);
}

static int
raters(const unsigned char *m, const struct inst *t, int c)
{
	int r, n = 0;

	for (r = 0; r < t->nr; r++)
		n += cell(m, t, r, c);
	return (n);
}

/*
 * A message naming a group of candidates must give a need larger than the
 * room, or it proves nothing.
 */
static void
group_numbers_hold(const char *msg)
{
	const char *p;
	long long   needed, room;

	if (strncmp(msg, "Candidates ", 11) != 0)
		return;
	assert_non_null(p = strstr(msg, " need "));
	assert_int_equal(sscanf(p, " need %lld more raters", &needed), 1);
	assert_non_null(p = strstr(msg, "room for only "));
	assert_int_equal(sscanf(p, "room for only %lld.", &room), 1);
	assert_true(needed > room);
}

/*
 * Runs assign_balanced() on t and checks what must hold whatever the
 * instance: for a result, every candidate has k raters, no rater went over
 * cap by the new pairs, no conflicted pair, existing pairs kept, added
 * pairs marked and counted, components counted as assign_components()
 * does; for a refusal, the matrix is as it came and there is a message.
 */
static enum assign_status
run(struct inst *t, struct assign_report *rep)
{
	struct assign_problem p;
	enum assign_status    st;
	int		      r, c, i, added = 0, held;

	memcpy(t->before, t->assigned, sizeof(t->before));
	p.nraters = t->nr;
	p.ncands = t->nc;
	p.k = t->k;
	p.cap = t->cap;
	p.conflict = t->conflict;
	p.assigned = t->assigned;
	st = assign_balanced(&p, rep);

	if (st != ASSIGN_OK && st != ASSIGN_DISCONNECTED) {
		assert_memory_equal(t->assigned, t->before, sizeof(t->before));
		group_numbers_hold(rep->message);
		assert_int_equal(rep->added, 0);
		assert_true(rep->message[0] != '\0');
		if (st != ASSIGN_INFEASIBLE)
			assert_int_equal(rep->candidate, -1);
		else
			assert_true(
			    rep->candidate >= -1 && rep->candidate < t->nc);
		return (st);
	}
	assert_int_equal(rep->candidate, -1);
	for (c = 0; c < t->nc; c++)
		assert_true(raters(t->assigned, t, c) >= t->k);
	for (r = 0; r < t->nr; r++) {
		held = load(t->before, t, r);
		if (held >= t->cap)
			assert_int_equal(load(t->assigned, t, r), held);
		else
			assert_true(load(t->assigned, t, r) <= t->cap);
	}
	for (i = 0; i < t->nr * t->nc; i++) {
		if (t->conflict[i])
			assert_int_equal(t->assigned[i], 0);
		if (t->before[i])
			assert_int_equal(t->assigned[i], t->before[i]);
		else if (t->assigned[i]) {
			assert_int_equal(t->assigned[i], ASSIGN_ADDED);
			added++;
		}
	}
	assert_int_equal(rep->added, added);
	assert_true(rep->extra >= 0 && rep->extra <= added);
	assert_int_equal(
	    rep->components, assign_components(t->nr, t->nc, t->assigned));
	if (st == ASSIGN_OK) {
		assert_true(rep->components <= 1);
		assert_string_equal(rep->message, "");
	} else {
		assert_true(rep->components > 1);
		assert_true(rep->message[0] != '\0');
	}
	return (st);
}

static void
loads_range(const struct inst *t, int *lo, int *hi)
{
	int r, n;

	*lo = *hi = load(t->assigned, t, 0);
	for (r = 1; r < t->nr; r++) {
		n = load(t->assigned, t, r);
		if (n < *lo)
			*lo = n;
		if (n > *hi)
			*hi = n;
	}
}

static void
test_no_candidates_is_ok(void **state)
{
	struct assign_problem p = { 3, 0, 2, 5, NULL, NULL };
	struct assign_report  rep;
	struct inst	      t;

	(void)state;
	assert_int_equal(assign_balanced(&p, &rep), ASSIGN_OK);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.components, 0);
	assert_string_equal(rep.message, "");

	p.nraters = 0;
	assert_int_equal(assign_balanced(&p, &rep), ASSIGN_OK);
	assert_int_equal(assign_balanced(&p, NULL), ASSIGN_OK);

	/* No raters but candidates to serve: nobody can rate them. */
	inst_init(&t, 0, 3, 1, 5);
	assert_int_equal(run(&t, &rep), ASSIGN_INFEASIBLE);
	assert_int_equal(rep.candidate, -1);
}

static void
test_unconstrained_loads_are_equal(void **state)
{
	struct assign_report rep;
	struct inst	     t;
	int		     r, c;

	(void)state;
	inst_init(&t, 6, 20, 3, 10);
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
	assert_int_equal(rep.added, 60);
	assert_int_equal(rep.extra, 0);
	assert_int_equal(rep.components, 1);
	for (r = 0; r < t.nr; r++)
		assert_int_equal(load(t.assigned, &t, r), 10);
	for (c = 0; c < t.nc; c++)
		assert_int_equal(raters(t.assigned, &t, c), 3);
}

static void
test_uneven_total_differs_by_at_most_one(void **state)
{
	struct assign_report rep;
	struct inst	     t;
	int		     lo, hi;

	(void)state;
	/* 40 pairs over 7 raters: five take 6, two take 5. */
	inst_init(&t, 7, 20, 2, 10);
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
	loads_range(&t, &lo, &hi);
	assert_int_equal(lo, 5);
	assert_int_equal(hi, 6);
}

static void
test_typical_result_is_connected(void **state)
{
	struct assign_report rep;
	struct inst	     t;
	int		     c, lo, hi;

	(void)state;
	inst_init(&t, 6, 20, 2, 10);
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
	assert_int_equal(rep.components, 1);
	assert_int_equal(rep.extra, 0);
	for (c = 0; c < t.nc; c++)
		assert_int_equal(raters(t.assigned, &t, c), 2);
	loads_range(&t, &lo, &hi);
	assert_true(hi - lo <= 1);
}

static void
test_balance_works_around_conflicts(void **state)
{
	struct assign_report rep;
	struct inst	     t;
	int		     c, lo, hi;

	(void)state;
	/*
	 * Rater 0 may only rate the first four candidates, and candidates
	 * 0-3 may not be rated by rater 1: the rest must even out around
	 * them.
	 */
	inst_init(&t, 5, 20, 2, 20);
	for (c = 4; c < t.nc; c++)
		set(t.conflict, &t, 0, c);
	for (c = 0; c < 4; c++)
		set(t.conflict, &t, 1, c);
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
	assert_int_equal(load(t.assigned, &t, 0), 4);
	/* The other 36 pairs over four raters: 9 each. */
	loads_range(&t, &lo, &hi);
	assert_int_equal(lo, 4);
	assert_int_equal(hi, 9);
	assert_int_equal(load(t.assigned, &t, 1), 9);
}

static void
test_existing_pairs_kept_and_counted(void **state)
{
	struct assign_report rep;
	struct inst	     t;
	int		     c, r, n;

	(void)state;
	/* Rater 0 already has five candidates against a cap of 4. */
	inst_init(&t, 4, 8, 2, 4);
	for (c = 0; c < 5; c++)
		set(t.assigned, &t, 0, c);
	set(t.assigned, &t, 1, 0);
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
	/* Kept, over cap, and nothing more for rater 0. */
	assert_int_equal(load(t.assigned, &t, 0), 5);
	/* Candidate 0 had its two raters: nothing added to it. */
	assert_int_equal(raters(t.assigned, &t, 0), 2);
	/* 16 wanted, 6 held: 10 added to raters 1, 2 and 3, evenly. */
	assert_int_equal(rep.added, 10);
	for (r = 1; r < 4; r++) {
		n = load(t.assigned, &t, r);
		assert_true(n == 3 || n == 4);
	}

	/* With cap 3 there is room for 9 but 11 are needed. */
	inst_init(&t, 4, 8, 2, 3);
	for (c = 0; c < 5; c++)
		set(t.assigned, &t, 0, c);
	assert_int_equal(run(&t, &rep), ASSIGN_INFEASIBLE);
	assert_string_equal(rep.message,
	    "4 raters with at most 3 candidates each cannot give 8 "
	    "candidates 2 raters each (11 needed, room for 9).");
}

static void
test_infeasible_capacity(void **state)
{
	struct assign_report rep;
	struct inst	     t;

	(void)state;
	inst_init(&t, 6, 30, 3, 10);
	set(t.assigned, &t, 2, 7);
	set(t.assigned, &t, 4, 7);
	assert_int_equal(run(&t, &rep), ASSIGN_INFEASIBLE);
	assert_int_equal(rep.candidate, -1);
	/* 90 wanted less the 2 held; 60 places less the 2 taken. */
	assert_string_equal(rep.message,
	    "6 raters with at most 10 candidates each cannot give 30 "
	    "candidates 3 raters each (88 needed, room for 58).");
	assert_int_equal(rep.components, 1);
}

static void
test_infeasible_too_few_raters(void **state)
{
	struct assign_report rep;
	struct inst	     t;

	(void)state;
	inst_init(&t, 2, 5, 3, 10);
	assert_int_equal(run(&t, &rep), ASSIGN_INFEASIBLE);
	assert_int_equal(rep.candidate, -1);
	assert_string_equal(rep.message,
	    "2 raters cannot give a candidate 3 different raters.");

	/* Huge k and cap do not overflow the sums. */
	inst_init(&t, 3, MAX_C, INT_MAX, INT_MAX);
	assert_int_equal(run(&t, &rep), ASSIGN_INFEASIBLE);
	t.k = 2;
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
}

static void
test_infeasible_conflicts_on_one_candidate(void **state)
{
	struct assign_report rep;
	struct inst	     t;
	int		     r;

	(void)state;
	inst_init(&t, 6, 10, 3, 10);
	for (r = 1; r < 6; r++)
		set(t.conflict, &t, r, 4);
	set(t.assigned, &t, 0, 1);
	assert_int_equal(run(&t, &rep), ASSIGN_INFEASIBLE);
	assert_int_equal(rep.candidate, 4);
	assert_string_equal(rep.message,
	    "Candidate 4 has conflicts with 5 of 6 raters and cannot get 3.");
}

static void
test_infeasible_raters_full_for_one_candidate(void **state)
{
	struct assign_report rep;
	struct inst	     t;
	int		     c;

	(void)state;
	/*
	 * Raters 0 and 1 are full with existing pairs, and candidate 5 has
	 * a conflict with rater 2, the only one with room.
	 */
	inst_init(&t, 3, 6, 1, 4);
	set(t.conflict, &t, 2, 5);
	for (c = 0; c < 4; c++) {
		set(t.assigned, &t, 0, c);
		set(t.assigned, &t, 1, c);
	}
	assert_int_equal(run(&t, &rep), ASSIGN_INFEASIBLE);
	assert_int_equal(rep.candidate, 5);
	assert_string_equal(rep.message,
	    "Candidate 5 needs 1 more rater, but raters without a conflict "
	    "have room for only 0.");
}

static void
test_infeasible_group_is_named(void **state)
{
	struct assign_report rep;
	struct inst	     t;
	int		     r;

	(void)state;
	/*
	 * Candidates 1 and 3 may only have rater 0. With a cap of 2 both
	 * can (though nobody else can join rater 0, so the groups stay
	 * apart); with a cap of 1 each alone could, so only the pair is to
	 * blame.
	 */
	inst_init(&t, 4, 4, 1, 2);
	for (r = 1; r < 4; r++) {
		set(t.conflict, &t, r, 1);
		set(t.conflict, &t, r, 3);
	}
	assert_int_equal(run(&t, &rep), ASSIGN_DISCONNECTED);
	memset(t.assigned, 0, sizeof(t.assigned));
	t.cap = 1;
	assert_int_equal(run(&t, &rep), ASSIGN_INFEASIBLE);
	assert_int_equal(rep.candidate, 3);
	assert_string_equal(rep.message,
	    "Candidates 1 and 3 need 2 more raters between them, but raters "
	    "without a conflict with them have room for only 1.");

	/* With one rater fewer, capacity is named first. */
	t.nr = 3;
	assert_int_equal(run(&t, &rep), ASSIGN_INFEASIBLE);
	assert_int_equal(rep.candidate, -1);
}

/*
 * The obvious greedy pass: each candidate in turn takes the least loaded
 * raters it may have. Returns 1 when it serves everybody.
 */
static int
greedy(const struct inst *t)
{
	int l[MAX_R] = { 0 }, r, c, got, best;

	for (c = 0; c < t->nc; c++) {
		for (got = 0; got < t->k; got++) {
			best = -1;
			for (r = 0; r < t->nr; r++) {
				if (cell(t->conflict, t, r, c) ||
				    l[r] >= t->cap || l[r] < 0)
					continue;
				if (best == -1 || l[r] < l[best])
					best = r;
			}
			if (best == -1)
				return (0);
			/* Mark the pair by a negative load until the end. */
			l[best] = -l[best] - 1;
		}
		for (r = 0; r < t->nr; r++)
			if (l[r] < 0)
				l[r] = -l[r];
	}
	return (1);
}

static void
test_flow_succeeds_where_greedy_fails(void **state)
{
	struct assign_report rep;
	struct inst	     t;

	(void)state;
	/*
	 * Candidate 0 may have either rater and comes first; greedy gives
	 * it rater 0 and then has nobody for candidate 1, whom only rater 0
	 * may rate.
	 */
	inst_init(&t, 2, 2, 1, 1);
	set(t.conflict, &t, 1, 1);
	assert_false(greedy(&t));
	/* With a cap of 1 the pairs cannot overlap: k is met, not linked. */
	assert_int_equal(run(&t, &rep), ASSIGN_DISCONNECTED);
	assert_int_equal(cell(t.assigned, &t, 1, 0), 1);
	assert_int_equal(cell(t.assigned, &t, 0, 1), 1);

	/*
	 * A chain: candidate 2 may only have rater 0, candidate 1 raters 0
	 * and 1, candidate 0 anyone. Serving candidate 2 moves candidate 1
	 * to rater 1 and candidate 0 to rater 2.
	 */
	inst_init(&t, 3, 3, 1, 1);
	set(t.conflict, &t, 2, 1);
	set(t.conflict, &t, 1, 2);
	set(t.conflict, &t, 2, 2);
	assert_false(greedy(&t));
	assert_int_equal(run(&t, &rep), ASSIGN_DISCONNECTED);
	assert_int_equal(cell(t.assigned, &t, 2, 0), 1);
	assert_int_equal(cell(t.assigned, &t, 1, 1), 1);
	assert_int_equal(cell(t.assigned, &t, 0, 2), 1);
}

static void
test_disconnected_by_conflicts(void **state)
{
	struct assign_report rep;
	struct inst	     t;
	int		     r, c;

	(void)state;
	/* Raters 0-1 may rate only candidates 0-1, raters 2-3 only 2-3. */
	inst_init(&t, 4, 4, 2, 4);
	for (r = 0; r < 4; r++)
		for (c = 0; c < 4; c++)
			if (r / 2 != c / 2)
				set(t.conflict, &t, r, c);
	assert_int_equal(run(&t, &rep), ASSIGN_DISCONNECTED);
	assert_int_equal(rep.components, 2);
	assert_int_equal(rep.added, 8);
	assert_non_null(strstr(rep.message, "2 groups"));
}

static void
test_linking_by_a_move(void **state)
{
	struct assign_report rep;
	struct inst	     t;

	(void)state;
	/*
	 * Two candidates, four raters, k 2: one rater each gives two
	 * separate pairs of raters, and every pair is a bridge, so no
	 * exchange links them; a rater must take both.
	 */
	inst_init(&t, 4, 2, 2, 2);
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
	assert_int_equal(rep.components, 1);
	assert_int_equal(rep.added, 4);
	assert_int_equal(rep.extra, 0);
}

static void
test_linking_existing_pairs_by_extra_pairs(void **state)
{
	struct assign_report rep;
	struct inst	     t;

	(void)state;
	/* Existing pairs (0, 0) and (1, 1) are never moved: one is added. */
	inst_init(&t, 2, 2, 1, 2);
	set(t.assigned, &t, 0, 0);
	set(t.assigned, &t, 1, 1);
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.extra, 1);

	/* Both raters full: the idle rater 2 links them with two pairs. */
	inst_init(&t, 3, 4, 1, 2);
	set(t.assigned, &t, 0, 0);
	set(t.assigned, &t, 0, 1);
	set(t.assigned, &t, 1, 2);
	set(t.assigned, &t, 1, 3);
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
	assert_int_equal(rep.added, 2);
	assert_int_equal(rep.extra, 2);
	assert_int_equal(load(t.assigned, &t, 2), 2);

	/* With cap 1 nobody can link them. */
	inst_init(&t, 3, 2, 1, 1);
	set(t.assigned, &t, 0, 0);
	set(t.assigned, &t, 1, 1);
	assert_int_equal(run(&t, &rep), ASSIGN_DISCONNECTED);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.components, 2);
}

/* Sets the conflicts and existing pairs from rows of "x", "H" and ".". */
static void
draw(struct inst *t, const char *const rows[])
{
	int r, c;

	for (r = 0; r < t->nr; r++) {
		for (c = 0; c < t->nc; c++) {
			if (rows[r][c] == 'x')
				set(t->conflict, t, r, c);
			else if (rows[r][c] == 'H')
				set(t->assigned, t, r, c);
		}
	}
}

static void
test_linking_after_making_room(void **state)
{
	static const char *const two[] = { "xx.", "x.x", "...", "xx.", "H.x" };
	static const char *const one[] = { "...H.", "x.xx.", ".xx.x" };
	struct assign_report	 rep;
	struct inst		 t;

	(void)state;
	/*
	 * Only rater 2 may rate candidate 2 besides raters 0 and 3, who may
	 * rate nobody else; it is full with candidates 0 and 1 until one of
	 * them passes to rater 4.
	 */
	inst_init(&t, 5, 3, 2, 2);
	draw(&t, two);
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
	assert_int_equal(load(t.assigned, &t, 2), 2);
	assert_int_equal(cell(t.assigned, &t, 2, 2), 1);

	/*
	 * k = 1: rater 0 fills up first; it must pass candidate 0 to rater 2,
	 * take one of rater 1's, and rater 2 must join through candidate 3.
	 */
	inst_init(&t, 3, 5, 1, 3);
	draw(&t, one);
	assert_int_equal(run(&t, &rep), ASSIGN_OK);
	assert_true(rep.extra > 0);
}

static void
test_invalid_arguments(void **state)
{
	unsigned char	      m[4] = { 0 }, conflict[4] = { 0, 0, 1, 0 };
	struct assign_problem p = { 2, 2, 1, 2, m, m };
	struct assign_report  rep;

	(void)state;
	assert_int_equal(assign_balanced(NULL, &rep), ASSIGN_INVALID);
	assert_int_equal(rep.candidate, -1);
	assert_true(rep.message[0] != '\0');
	p.k = 0;
	assert_int_equal(assign_balanced(&p, &rep), ASSIGN_INVALID);
	assert_string_equal(
	    rep.message, "Each candidate must want at least one rater.");
	p.k = 1;
	p.cap = 0;
	assert_int_equal(assign_balanced(&p, &rep), ASSIGN_INVALID);
	p.cap = 2;
	p.nraters = -1;
	assert_int_equal(assign_balanced(&p, &rep), ASSIGN_INVALID);
	p.nraters = 2;
	p.ncands = -3;
	assert_int_equal(assign_balanced(&p, &rep), ASSIGN_INVALID);
	p.ncands = 2;
	p.conflict = NULL;
	assert_int_equal(assign_balanced(&p, &rep), ASSIGN_INVALID);
	p.conflict = conflict;
	p.assigned = NULL;
	assert_int_equal(assign_balanced(&p, &rep), ASSIGN_INVALID);
	p.nraters = 1 << 16;
	p.ncands = 1 << 16;
	assert_int_equal(assign_balanced(&p, &rep), ASSIGN_INVALID);
	assert_non_null(strstr(rep.message, "65536 raters"));

	/* An existing pair on a conflicted cell is refused, untouched. */
	p.nraters = p.ncands = 2;
	p.assigned = m;
	m[2] = 1;
	assert_int_equal(assign_balanced(&p, &rep), ASSIGN_INVALID);
	assert_string_equal(rep.message,
	    "Rater 1 is assigned candidate 0 despite a conflict; withdraw "
	    "that assignment first.");
	assert_int_equal(m[0] + m[1] + m[2] + m[3], 1);

	assert_int_equal(assign_components(-1, 2, m), -1);
	assert_int_equal(assign_components(2, 2, NULL), -1);
	assert_int_equal(assign_components(0, 2, NULL), 0);
	assert_string_equal(
	    assign_status_name(ASSIGN_INFEASIBLE), "infeasible");
	assert_string_equal(assign_status_name(ASSIGN__MAX), "");
}

static void
test_components_count_only_linked_vertices(void **state)
{
	/* 3 raters x 4 candidates. */
	unsigned char empty[12] = { 0 };
	unsigned char one[12] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	unsigned char two[12] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 };
	unsigned char joined[12] = { 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1 };
	unsigned char three[12] = { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 };

	(void)state;
	assert_int_equal(assign_components(3, 4, empty), 0);
	assert_int_equal(assign_components(3, 4, one), 1);
	assert_int_equal(assign_components(3, 4, two), 2);
	assert_int_equal(assign_components(3, 4, joined), 1);
	assert_int_equal(assign_components(3, 4, three), 3);
}

static void
test_same_input_same_output(void **state)
{
	struct assign_report rep1, rep2;
	struct inst	     a, b;
	int		     r, c;

	(void)state;
	inst_init(&a, 9, 37, 3, 14);
	for (r = 0; r < a.nr; r++)
		for (c = 0; c < a.nc; c++)
			if ((r * 7 + c * 3) % 11 == 0)
				set(a.conflict, &a, r, c);
	b = a;
	assert_int_equal(run(&a, &rep1), ASSIGN_OK);
	assert_int_equal(run(&b, &rep2), ASSIGN_OK);
	assert_memory_equal(a.assigned, b.assigned, sizeof(a.assigned));
	assert_memory_equal(&rep1, &rep2, sizeof(rep1));
}

/* A fixed linear congruential generator, so that failures repeat. */
static unsigned long lcg_state;

static int
lcg(int n)
{
	lcg_state = lcg_state * 6364136223846793005UL + 1442695040888963407UL;
	return ((int)((lcg_state >> 33) % (unsigned long)n));
}

/*
 * Fills t with a random instance: conflicts with density about 1/dens,
 * and some existing pairs off the conflicted cells.
 */
static void
random_inst(struct inst *t, int nr, int nc, int k, int cap, int dens)
{
	int i;

	inst_init(t, nr, nc, k, cap);
	for (i = 0; i < nr * nc; i++) {
		if (lcg(dens) == 0)
			t->conflict[i] = 1;
		else if (lcg(8) == 0)
			t->assigned[i] = 1;
	}
}

/*
 * Exhaustive search over the raters each candidate gets (a bitmask, at
 * most 5 raters). Sets *feasible when some choice meets k and cap, and
 * *connected when one of those is also connected. Extra raters beyond k
 * are tried too, since linking may need them.
 */
struct brute {
	const struct inst *t;
	int		   held[MAX_C], open[MAX_C], room[MAX_R];
	int		   pick[MAX_C];
	int		   feasible, connected;
};

static int
bits(int m)
{
	int n = 0;

	for (; m != 0; m &= m - 1)
		n++;
	return (n);
}

static int
brute_connected(const struct brute *b)
{
	const struct inst *t = b->t;
	int		   seen_r = 0, seen_c = 0, active_r = 0, changed, c;
	int		   first = -1;

	for (c = 0; c < t->nc; c++) {
		active_r |= b->pick[c];
		if (b->pick[c] != 0 && first == -1)
			first = c;
	}
	if (first == -1)
		return (1);
	seen_c = 1 << first;
	do {
		changed = 0;
		for (c = 0; c < t->nc; c++) {
			if ((seen_c >> c & 1) == 0 && (b->pick[c] & seen_r)) {
				seen_c |= 1 << c;
				changed = 1;
			}
			if ((seen_c >> c & 1) && (b->pick[c] & ~seen_r)) {
				seen_r |= b->pick[c];
				changed = 1;
			}
		}
	} while (changed);
	for (c = 0; c < t->nc; c++)
		if (b->pick[c] != 0 && (seen_c >> c & 1) == 0)
			return (0);
	return ((active_r & ~seen_r) == 0);
}

static void
brute_search(struct brute *b, int c)
{
	const struct inst *t = b->t;
	int		   m, r, ok;

	if (b->connected)
		return;
	if (c == t->nc) {
		b->feasible = 1;
		if (brute_connected(b))
			b->connected = 1;
		return;
	}
	for (m = 0; m < 1 << t->nr; m++) {
		if ((m & ~b->open[c]) != 0 || bits(b->held[c] | m) < t->k)
			continue;
		for (ok = 1, r = 0; r < t->nr; r++)
			if ((m >> r & 1) && b->room[r] == 0)
				ok = 0;
		if (!ok)
			continue;
		for (r = 0; r < t->nr; r++)
			if (m >> r & 1)
				b->room[r]--;
		b->pick[c] = b->held[c] | m;
		brute_search(b, c + 1);
		for (r = 0; r < t->nr; r++)
			if (m >> r & 1)
				b->room[r]++;
	}
}

static void
brute(const struct inst *t, int *feasible, int *connected)
{
	struct brute b;
	int	     r, c;

	memset(&b, 0, sizeof(b));
	b.t = t;
	for (r = 0; r < t->nr; r++) {
		b.room[r] = t->cap - load(t->assigned, t, r);
		if (b.room[r] < 0)
			b.room[r] = 0;
		for (c = 0; c < t->nc; c++) {
			if (cell(t->assigned, t, r, c))
				b.held[c] |= 1 << r;
			else if (!cell(t->conflict, t, r, c))
				b.open[c] |= 1 << r;
		}
	}
	brute_search(&b, 0);
	*feasible = b.feasible;
	*connected = b.connected;
}

/* Room left under the caps less the raters still wanted. */
static int
spare(const struct inst *t)
{
	int r, c, n, room = 0;

	for (r = 0; r < t->nr; r++) {
		n = load(t->assigned, t, r);
		room += n < t->cap ? t->cap - n : 0;
	}
	for (c = 0; c < t->nc; c++) {
		n = raters(t->assigned, t, c);
		room -= n < t->k ? t->k - n : 0;
	}
	return (room);
}

static void
test_random_small_against_exhaustive_search(void **state)
{
	struct assign_report rep;
	struct inst	     t;
	enum assign_status   st;
	int		     i, feasible, connected, n[ASSIGN__MAX] = { 0 };

	(void)state;
	lcg_state = 20240601;
	for (i = 0; i < 1500; i++) {
		random_inst(&t, 2 + lcg(4), 1 + lcg(4), 1 + lcg(3), 1 + lcg(5),
		    2 + lcg(5));
		brute(&t, &feasible, &connected);
		st = run(&t, &rep);
		n[st]++;
		/* Feasibility is exact: a result whenever one exists. */
		assert_int_equal(st != ASSIGN_INFEASIBLE, feasible);
		if (st == ASSIGN_OK)
			assert_true(connected);
		/*
		 * Linking is a search, not a proof; it must not miss when
		 * candidates want two raters or more and there is room to
		 * spare. (With k = 1 and tight caps it can, rarely.)
		 */
		if (feasible && connected && t.k >= 2 && spare(&t) > 0)
			assert_int_equal(st, ASSIGN_OK);
	}
	/* The instances cover every verdict. */
	assert_true(n[ASSIGN_OK] > 0);
	assert_true(n[ASSIGN_DISCONNECTED] > 0);
	assert_true(n[ASSIGN_INFEASIBLE] > 0);
}

static void
test_random_medium_invariants(void **state)
{
	struct assign_report rep, again;
	struct inst	     t, copy;
	enum assign_status   st;
	int		     i, lo, hi;

	(void)state;
	lcg_state = 7;
	for (i = 0; i < 200; i++) {
		random_inst(&t, 2 + lcg(MAX_R - 1), 1 + lcg(MAX_C), 1 + lcg(4),
		    1 + lcg(12), 3 + lcg(20));
		copy = t;
		st = run(&t, &rep);
		assert_int_equal(run(&copy, &again), st);
		assert_memory_equal(
		    t.assigned, copy.assigned, sizeof(t.assigned));
	}

	/*
	 * Without conflicts or existing pairs, and with enough pairs for
	 * every rater to be linked in, loads stay within one. (With fewer,
	 * linking must leave some raters out and give others two.)
	 */
	for (i = 0; i < 300; i++) {
		inst_init(
		    &t, 2 + lcg(MAX_R - 1), 1 + lcg(MAX_C), 1 + lcg(4), MAX_C);
		if (t.k > t.nr)
			t.k = t.nr;
		st = run(&t, &rep);
		if (t.k == 1)
			continue;
		assert_int_equal(st, ASSIGN_OK);
		loads_range(&t, &lo, &hi);
		if (t.k * t.nc >= t.nr + t.nc - 1)
			assert_true(hi - lo <= 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_candidates_is_ok),
		cmocka_unit_test(test_unconstrained_loads_are_equal),
		cmocka_unit_test(test_uneven_total_differs_by_at_most_one),
		cmocka_unit_test(test_typical_result_is_connected),
		cmocka_unit_test(test_balance_works_around_conflicts),
		cmocka_unit_test(test_existing_pairs_kept_and_counted),
		cmocka_unit_test(test_infeasible_capacity),
		cmocka_unit_test(test_infeasible_too_few_raters),
		cmocka_unit_test(test_infeasible_conflicts_on_one_candidate),
		cmocka_unit_test(test_infeasible_raters_full_for_one_candidate),
		cmocka_unit_test(test_infeasible_group_is_named),
		cmocka_unit_test(test_flow_succeeds_where_greedy_fails),
		cmocka_unit_test(test_disconnected_by_conflicts),
		cmocka_unit_test(test_linking_by_a_move),
		cmocka_unit_test(test_linking_existing_pairs_by_extra_pairs),
		cmocka_unit_test(test_linking_after_making_room),
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_components_count_only_linked_vertices),
		cmocka_unit_test(test_same_input_same_output),
		cmocka_unit_test(test_random_small_against_exhaustive_search),
		cmocka_unit_test(test_random_medium_invariants),
	};

	return (cmocka_run_group_tests_name("core/assign", tests, NULL, NULL));
}
