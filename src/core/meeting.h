/*
 * The rank meeting's agenda: which candidates the faculty discuss before
 * the director certifies the list, and why, in words.
 *
 * A candidate of the rank list's pool with a place in the composite order
 * is on the agenda when
 *  (a) it is within two places of the line after the positions (places
 *      positions - 1 to positions + 2: the two last above the line and
 *      the two first below it), or its probability of a place within the
 *      positions is between MEETING_P_TOP_LO and MEETING_P_TOP_HI (the
 *      evidence does not settle its side of the line);
 *  (b) its raters disagree strongly in any phase (core/aggregate.h);
 *  (c) the probability that it and the next candidate in composite order
 *      are the other way round is above MEETING_P_SWAP (the neighbour is
 *      named).
 * Probabilities come from the ranking's resampling; NaN means unknown
 * (not computed, or no neighbour), and an unknown probability puts no
 * one on the agenda: (a) by places and (b) still apply. The items come
 * in composite order (by place). Pure: no I/O.
 */
#ifndef FELLOW_CORE_MEETING_H
#define FELLOW_CORE_MEETING_H

#include <stddef.h>
#include <stdint.h>

#include "core/roles.h"

#define MEETING_NEAR_LINE 2   /* places either side of the line */
#define MEETING_P_TOP_LO  0.1 /* p_top strictly between these: unsettled */
#define MEETING_P_TOP_HI  0.9
#define MEETING_P_SWAP	  0.3 /* p_swap_next above this: may swap */

/* The reasons an item is on the agenda (a bit set). */
enum meeting_reason {
	MEETING_R_NEAR_LINE = 1 << 0, /* within two places of the line */
	MEETING_R_UNSETTLED = 1 << 1, /* p_top between 0.1 and 0.9 */
	MEETING_R_DISAGREE = 1 << 2,  /* raters disagree in a phase */
	MEETING_R_SWAP = 1 << 3,      /* may swap with the next one */
};

/* The reasons' codes, as the API names them, by bit index. */
#define MEETING_REASONS 4
extern const char *const meeting_reason_codes[MEETING_REASONS];

/* One candidate as the agenda rule sees it. */
struct meeting_cand {
	int64_t	 app;	      /* the application's id */
	int	 in_pool;     /* belongs on the rank list */
	int	 rank;	      /* place in the composite order, 0: none */
	double	 p_top;	      /* NaN: unknown */
	double	 p_swap_next; /* NaN: unknown (or the last) */
	unsigned disagree;    /* bit p set: raters disagree in phase p */
};

/* An agenda item: the index of its candidate in the input, its reasons,
 * and for MEETING_R_SWAP the index of the next candidate (else -1). */
struct meeting_item {
	int	 cand;
	unsigned reasons;
	int	 next;
};

/*
 * The agenda of cands[0..n) for positions (>= 1): writes the items, in
 * order of place, to items (room for n) and returns their number, or -1
 * on bad arguments.
 */
int meeting_agenda(const struct meeting_cand *cands, int n, int positions,
    struct meeting_item *items);

/*
 * The sentence for one reason (a single bit of enum meeting_reason) of
 * the item on candidate c: positions as above; for MEETING_R_DISAGREE
 * phase_words[p] names phase p (nphases of them, e.g. "screening"); for
 * MEETING_R_SWAP next is the next candidate and next_name its name.
 * Writes it to out (cut to len - 1 bytes). Returns 0, or -1 on bad
 * arguments (out is then "").
 */
int meeting_reason_text(unsigned reason, const struct meeting_cand *c,
    int positions, const char *const *phase_words, int nphases,
    const struct meeting_cand *next, const char *next_name, char *out,
    size_t len);

/*
 * Who runs a meeting: the director alone starts and ends it and marks
 * the agenda's candidates as discussed (the director certifies the list
 * the meeting prepares). The coordinator follows it (sees it, its
 * agenda, its changes and the earlier meetings) but runs none; faculty
 * and applicants see nothing of it: who sees the meeting is who sees
 * the standing (access_view_standing()).
 */
int meeting_may_run(enum role);
int meeting_may_view(enum role);

#endif
