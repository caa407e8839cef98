/*
 * Tests for src/core/meeting.c: who is on the rank meeting's agenda, why,
 * in what order, and the reasons in words; an unknown probability (NaN)
 * puts nobody on it.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/meeting.h"

static const char *const words[] = { "screening", "interview" };

/* Ten candidates placed 1..10 (given out of order), all in the pool,
 * probabilities unknown. */
static void
ten(struct meeting_cand *c)
{
	static const int places[10] = { 5, 1, 10, 3, 2, 7, 4, 9, 6, 8 };
	int		 i;

	for (i = 0; i < 10; i++) {
		c[i].app = 100 + i;
		c[i].in_pool = 1;
		c[i].rank = places[i];
		c[i].p_top = NAN;
		c[i].p_swap_next = NAN;
		c[i].disagree = 0;
	}
}

static void
test_near_line_by_places_when_probabilities_unknown(void **state)
{
	struct meeting_cand c[10];
	struct meeting_item it[10];
	int		    n, i;

	(void)state;
	ten(c);
	n = meeting_agenda(c, 10, 2, it);
	/* Two positions: places 1 to 4, in order. */
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++) {
		assert_int_equal(c[it[i].cand].rank, i + 1);
		assert_int_equal(it[i].reasons, MEETING_R_NEAR_LINE);
		assert_int_equal(it[i].next, -1);
	}
	/* Four positions: places 3 to 6. */
	n = meeting_agenda(c, 10, 4, it);
	assert_int_equal(n, 4);
	assert_int_equal(c[it[0].cand].rank, 3);
	assert_int_equal(c[it[3].cand].rank, 6);
}

static void
test_unsettled_disagree_and_swap(void **state)
{
	struct meeting_cand c[10];
	struct meeting_item it[10];
	int		    n;

	(void)state;
	ten(c);
	c[5].p_top = 0.5;	/* place 7 */
	c[7].disagree = 2;	/* place 9, the interview */
	c[9].p_swap_next = 0.4; /* place 8, next is place 9 (c[7]) */
	c[8].p_top = 0.95;	/* place 6: settled */
	c[8].p_swap_next = 0.3; /* not above 0.3 */
	c[2].p_top = 0.1;	/* place 10: 0.1 is not between */
	n = meeting_agenda(c, 10, 2, it);
	assert_int_equal(n, 7);
	assert_int_equal(c[it[4].cand].rank, 7);
	assert_int_equal(it[4].reasons, MEETING_R_UNSETTLED);
	assert_int_equal(c[it[5].cand].rank, 8);
	assert_int_equal(it[5].reasons, MEETING_R_SWAP);
	assert_int_equal(it[5].next, 7);
	assert_int_equal(c[it[6].cand].rank, 9);
	assert_int_equal(it[6].reasons, MEETING_R_DISAGREE);
}

static void
test_several_reasons_and_the_pool(void **state)
{
	struct meeting_cand c[10];
	struct meeting_item it[10];
	int		    n;

	(void)state;
	ten(c);
	c[4].p_top = 0.6;     /* place 2 */
	c[4].disagree = 1;    /* the screening */
	c[2].p_swap_next = 1; /* place 10, the last: no neighbour */
	c[3].in_pool = 0;     /* place 3: not on the rank list */
	c[7].rank = 0;	      /* no place at all */
	c[7].disagree = 3;
	n = meeting_agenda(c, 10, 2, it);
	assert_int_equal(n, 3);
	assert_int_equal(c[it[0].cand].rank, 1);
	assert_int_equal(c[it[1].cand].rank, 2);
	assert_int_equal(it[1].reasons,
	    MEETING_R_NEAR_LINE | MEETING_R_UNSETTLED | MEETING_R_DISAGREE);
	assert_int_equal(c[it[2].cand].rank, 4);
}

static void
test_bad_arguments_and_empty(void **state)
{
	struct meeting_cand c[1];
	struct meeting_item it[1];

	(void)state;
	assert_int_equal(meeting_agenda(NULL, 0, 2, NULL), 0);
	assert_int_equal(meeting_agenda(c, -1, 2, it), -1);
	assert_int_equal(meeting_agenda(c, 1, 0, it), -1);
	assert_int_equal(meeting_agenda(NULL, 1, 2, it), -1);
}

static void
test_reasons_in_words(void **state)
{
	struct meeting_cand c = { 1, 1, 2, 0.64, 0.42, 3 };
	struct meeting_cand next = { 2, 1, 3, NAN, NAN, 0 };
	char		    s[256];

	(void)state;
	assert_int_equal(meeting_reason_text(MEETING_R_NEAR_LINE, &c, 2, words,
			     2, NULL, NULL, s, sizeof(s)),
	    0);
	assert_string_equal(s, "Just above the line (place 2; 2 positions).");
	c.rank = 4;
	assert_int_equal(meeting_reason_text(MEETING_R_NEAR_LINE, &c, 2, words,
			     2, NULL, NULL, s, sizeof(s)),
	    0);
	assert_string_equal(
	    s, "Below the line, 2 places from it (place 4; 2 positions).");
	assert_int_equal(meeting_reason_text(MEETING_R_UNSETTLED, &c, 2, words,
			     2, NULL, NULL, s, sizeof(s)),
	    0);
	assert_string_equal(s,
	    "Its chance of a place within the 2 positions is 64 %: the "
	    "scores do not settle its side of the line.");
	assert_int_equal(meeting_reason_text(MEETING_R_DISAGREE, &c, 2, words,
			     2, NULL, NULL, s, sizeof(s)),
	    0);
	assert_string_equal(
	    s, "Raters disagree strongly in the screening and the interview.");
	c.disagree = 2;
	assert_int_equal(meeting_reason_text(MEETING_R_DISAGREE, &c, 2, words,
			     2, NULL, NULL, s, sizeof(s)),
	    0);
	assert_string_equal(s, "Raters disagree strongly in the interview.");
	assert_int_equal(meeting_reason_text(MEETING_R_SWAP, &c, 2, words, 2,
			     &next, "Ada Byron", s, sizeof(s)),
	    0);
	assert_string_equal(s,
	    "A 42 % chance that it and Ada Byron (place 3, next in the "
	    "composite order) are the other way round.");
	/* Unknown probabilities have no sentence. */
	c.p_top = NAN;
	assert_int_equal(meeting_reason_text(MEETING_R_UNSETTLED, &c, 2, words,
			     2, NULL, NULL, s, sizeof(s)),
	    -1);
	assert_string_equal(s, "");
	assert_int_equal(meeting_reason_text(MEETING_R_SWAP, &c, 2, words, 2,
			     NULL, NULL, s, sizeof(s)),
	    -1);
	/* A short buffer is cut, never overrun. */
	assert_int_equal(meeting_reason_text(MEETING_R_DISAGREE, &c, 2, words,
			     2, NULL, NULL, s, 10),
	    0);
	assert_int_equal(strlen(s), 9);
}

static void
test_who_runs_and_who_views(void **state)
{
	(void)state;
	assert_true(meeting_may_run(ROLE_DIRECTOR));
	assert_false(meeting_may_run(ROLE_COORDINATOR));
	assert_false(meeting_may_run(ROLE_FACULTY));
	assert_false(meeting_may_run(ROLE_APPLICANT));
	assert_true(meeting_may_view(ROLE_DIRECTOR));
	assert_true(meeting_may_view(ROLE_COORDINATOR));
	assert_false(meeting_may_view(ROLE_FACULTY));
	assert_false(meeting_may_view(ROLE_APPLICANT));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_near_line_by_places_when_probabilities_unknown),
		cmocka_unit_test(test_unsettled_disagree_and_swap),
		cmocka_unit_test(test_several_reasons_and_the_pool),
		cmocka_unit_test(test_bad_arguments_and_empty),
		cmocka_unit_test(test_reasons_in_words),
		cmocka_unit_test(test_who_runs_and_who_views),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
