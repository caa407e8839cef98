/*
 * Automatic reviewer assignment for one review phase: every candidate gets
 * at least k raters, no rater takes more than cap candidates, no rater rates
 * a candidate they have a conflict with, and the raters overlap enough that
 * their leniency can be compared later, which needs the graph of raters and
 * candidates joined by assignments to be connected. Loads are spread as
 * evenly as the conflicts allow. The module is pure: it works on matrices
 * the caller fills from the database and writes back.
 */
#ifndef FELLOW_CORE_ASSIGN_H
#define FELLOW_CORE_ASSIGN_H

/* The value assign_balanced() writes into the cells of the pairs it adds. */
#define ASSIGN_ADDED 2

/*
 * Both matrices hold nraters * ncands cells, row by rater: cell
 * [r * ncands + c] is about rater r and candidate c, and any non-zero value
 * means yes. They may be NULL when nraters * ncands is 0.
 */
struct assign_problem {
	int		     nraters;  /* >= 0 */
	int		     ncands;   /* >= 0 */
	int		     k;	       /* raters wanted per candidate, >= 1 */
	int		     cap;      /* most candidates per rater, >= 1 */
	const unsigned char *conflict; /* rater r must not rate candidate c */
	/*
	 * In: the pairs that exist already. They are kept and count toward
	 * k and cap, even when a rater is over cap because of them, but an
	 * existing pair on a conflicted cell is refused (ASSIGN_INVALID).
	 * Out (ASSIGN_OK, ASSIGN_DISCONNECTED): existing cells as they came,
	 * added pairs set to ASSIGN_ADDED. Otherwise left as it came.
	 */
	unsigned char *assigned;
};

enum assign_status {
	/* Every candidate has >= k raters; components is 0 or 1. */
	ASSIGN_OK,
	/* k and cap are met, but no way was found to link the graph. */
	ASSIGN_DISCONNECTED,
	/*
	 * Some candidate cannot reach k, whatever the assignment (cap too
	 * low, too few raters or conflicts). assigned is left as it came.
	 */
	ASSIGN_INFEASIBLE,
	/*
	 * Bad arguments: a NULL problem, k < 1, cap < 1, negative sizes,
	 * sizes whose product overflows an int, NULL matrices with non-zero
	 * sizes, or an existing pair on a conflicted cell. assigned is left
	 * as it came.
	 */
	ASSIGN_INVALID,
	/* Memory ran out; assigned is left as it came. */
	ASSIGN_NOMEM,
	ASSIGN__MAX
};

struct assign_report {
	int added;	/* pairs added by this call */
	int extra;	/* of those, pairs beyond k added only to link groups */
	int components; /* assign_components() of assigned on return */
	/*
	 * ASSIGN_INFEASIBLE: a candidate that cannot reach k, the one the
	 * message names or, when it names a group that cannot all reach k
	 * together, the first of them left short; -1 when the shortfall is
	 * one of total capacity (too few raters, or too little room among
	 * them), which no single candidate explains. -1 for other statuses.
	 */
	int candidate;
	/*
	 * A sentence for the coordinator explaining anything but ASSIGN_OK,
	 * which leaves it "". Raters and candidates are named by their index
	 * in the matrices, which the caller may map to names.
	 */
	char message[256];
};

/*
 * Adds pairs to p->assigned so that every candidate has at least p->k
 * raters, every rater at most p->cap candidates, no conflicted pair is
 * assigned and the graph is connected.
 *
 * Meeting k and cap is decided exactly: if any assignment does, one is
 * returned, else ASSIGN_INFEASIBLE. Loads are then as even as the
 * conflicts allow, counting existing pairs (the sum of squared loads is
 * least: no added pair could pass, directly or along a chain, from a rater
 * to one with a load two or more lower). Candidates get exactly k raters,
 * or keep the more they already had.
 *
 * Linking the graph comes last and may trade some of that: pairs are
 * exchanged, moved, or added beyond k (counted in report->extra) where
 * that is the only way found to join two groups. It is a search rather
 * than a proof, so ASSIGN_DISCONNECTED means no way was found, not that
 * none exists; the tests find it complete on small instances with k >= 2
 * and room to spare.
 *
 * The result depends only on the input. report may be NULL. Returns the
 * status; see the enum for what happens to p->assigned in each case.
 */
enum assign_status assign_balanced(
    struct assign_problem *p, struct assign_report *report);

/*
 * Returns the number of connected components of the bipartite graph of
 * raters and candidates whose edges are the non-zero cells of assigned
 * (row by rater, as in struct assign_problem). Raters without candidates
 * and candidates without raters are left out, since they have nothing to
 * compare: an empty assignment has 0 components, and any assignment in
 * which every rater who rates somebody can be compared with every other
 * has 1. Returns -1 on bad arguments (as for ASSIGN_INVALID) or when
 * memory runs out.
 */
int assign_components(int nraters, int ncands, const unsigned char *assigned);

/* The status as a lower-case word for JSON replies ("ok" ...). */
const char *assign_status_name(enum assign_status);

#endif
