/*
 * The rank meeting's agenda rule (core/meeting.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access.h"
#include "core/meeting.h"
#include "core/uncertainty.h"

const char *const meeting_reason_codes[MEETING_REASONS] = {
	"near_line",
	"unsettled",
	"disagree",
	"may_swap",
};

static int
near_line(int rank, int positions)
{
	return (rank > 0 && rank >= positions - (MEETING_NEAR_LINE - 1) &&
	    rank <= positions + MEETING_NEAR_LINE);
}

/* A known probability strictly between lo and hi. */
static int
between(double p, double lo, double hi)
{
	return (!isnan(p) && p > lo && p < hi);
}

/* The index of the candidate placed rank, or -1. */
static int
at_place(const struct meeting_cand *cands, int n, int rank)
{
	int i;

	for (i = 0; i < n; i++)
		if (cands[i].rank == rank)
			return (i);
	return (-1);
}

static int
by_place(const void *a, const void *b)
{
	const struct meeting_item *x = a, *y = b;

	return ((x->next > y->next) - (x->next < y->next));
}

int
meeting_agenda(const struct meeting_cand *cands, int n, int positions,
    struct meeting_item *items)
{
	int i, k = 0;

	if (n < 0 || positions < 1 || (n > 0 && (cands == NULL || !items)))
		return (-1);
	for (i = 0; i < n; i++) {
		const struct meeting_cand *c = &cands[i];
		unsigned		   r = 0;

		if (!c->in_pool || c->rank <= 0)
			continue;
		if (near_line(c->rank, positions))
			r |= MEETING_R_NEAR_LINE;
		if (between(c->p_top, MEETING_P_TOP_LO, MEETING_P_TOP_HI))
			r |= MEETING_R_UNSETTLED;
		if (c->disagree != 0)
			r |= MEETING_R_DISAGREE;
		if (!isnan(c->p_swap_next) && c->p_swap_next > MEETING_P_SWAP &&
		    at_place(cands, n, c->rank + 1) >= 0)
			r |= MEETING_R_SWAP;
		if (r == 0)
			continue;
		items[k].cand = i;
		items[k].reasons = r;
		/* Sorted by place through next, then set. */
		items[k].next = c->rank;
		k++;
	}
	if (k > 1)
		qsort(items, (size_t)k, sizeof(*items), by_place);
	for (i = 0; i < k; i++)
		items[i].next = items[i].reasons & MEETING_R_SWAP
		    ? at_place(cands, n, cands[items[i].cand].rank + 1)
		    : -1;
	return (k);
}

static void
disagree_text(unsigned phases, const char *const *words, int nphases, char *out,
    size_t len)
{
	size_t used;
	int    p, k = 0, total = 0;

	for (p = 0; p < nphases; p++)
		total += (phases >> p) & 1u;
	used = (size_t)snprintf(
	    out, len, "%s", "Raters disagree strongly in the ");
	for (p = 0; p < nphases && used < len; p++) {
		if (!((phases >> p) & 1u))
			continue;
		k++;
		used += (size_t)snprintf(out + used, len - used, "%s%s",
		    k == 1 ? "" : (k == total ? " and the " : ", the "),
		    words[p]);
	}
	if (used < len)
		(void)snprintf(out + used, len - used, "%s", ".");
}

int
meeting_reason_text(unsigned reason, const struct meeting_cand *c,
    int positions, const char *const *phase_words, int nphases,
    const struct meeting_cand *next, const char *next_name, char *out,
    size_t len)
{
	int above, d;

	if (out == NULL || len == 0)
		return (-1);
	out[0] = '\0';
	if (c == NULL || positions < 1)
		return (-1);
	switch (reason) {
	case MEETING_R_NEAR_LINE:
		if (!near_line(c->rank, positions))
			return (-1);
		above = c->rank <= positions;
		d = above ? positions - c->rank + 1 : c->rank - positions;
		if (d == 1)
			(void)snprintf(out, len,
			    "Just %s the line (place %d; %d position%s).",
			    above ? "above" : "below", c->rank, positions,
			    positions == 1 ? "" : "s");
		else
			(void)snprintf(out, len,
			    "%s the line, %d places from it (place %d; %d "
			    "position%s).",
			    above ? "Above" : "Below", d, c->rank, positions,
			    positions == 1 ? "" : "s");
		return (0);
	case MEETING_R_UNSETTLED:
		if (isnan(c->p_top))
			return (-1);
		(void)snprintf(out, len,
		    "Its chance of a place within the %d position%s is %d %%: "
		    "the scores do not settle its side of the line.",
		    positions, positions == 1 ? "" : "s",
		    unc_percent(c->p_top));
		return (0);
	case MEETING_R_DISAGREE:
		if (c->disagree == 0 || phase_words == NULL || nphases < 1)
			return (-1);
		disagree_text(c->disagree, phase_words, nphases, out, len);
		return (0);
	case MEETING_R_SWAP:
		if (isnan(c->p_swap_next) || next == NULL || next_name == NULL)
			return (-1);
		(void)snprintf(out, len,
		    "A %d %% chance that it and %s (place %d, next in the "
		    "composite order) are the other way round.",
		    unc_percent(c->p_swap_next), next_name, next->rank);
		return (0);
	default:
		return (-1);
	}
}

int
meeting_may_run(enum role r)
{
	return (r == ROLE_DIRECTOR);
}

/* Whoever sees the standing (core/access.h): the meeting shows it. */
int
meeting_may_view(enum role r)
{
	return (access_view_standing(r));
}
