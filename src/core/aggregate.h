/*
 * Aggregation of the submitted score sheets of one review phase, and the
 * composite of a candidate over phases. Per candidate: the raw statistics
 * of the scores (count, mean, median, standard deviation, min and max), a
 * rater-adjusted score with a standard error and an interval, a flag for
 * strong disagreement, and the candidate's place under three methods (the
 * adjusted score, the raw mean, and a Borda count of the raters' own
 * orderings) with a flag when the place depends on the method, and the
 * same over the phases of a cycle (the ranking policy, below). Per rater:
 * the estimated leniency. Per phase: the connected groups of the design,
 * a warning when there is more than one, and the inter-rater reliability.
 *
 * The model behind the adjusted score is additive:
 *
 *	score(sheet) = theta[cand] + b[rater] + noise
 *
 * fitted by least squares over every sheet of the phase, with the rater
 * effects b (the leniencies) penalised by lambda * sum b[r]^2 and the
 * candidate effects theta free. The adjusted score is theta: the score the
 * fit expects from an average rater. The penalty is a ridge whose lambda
 * reads as a number of pseudo-sheets: a rater's leniency is estimated as if
 * the rater had also given lambda sheets at the level of an average rater.
 * A rater with n sheets of a complete design keeps n / (n + lambda) of its
 * raw offset (with AGG_LAMBDA 2: one sheet 1/3, two 1/2, ten 5/6), so a
 * rater who scored one candidate moves little, and a rater with many
 * sheets is corrected almost fully. A penalty that is the same for every
 * rater makes the leniencies sum to zero within each connected group of
 * the design by itself (moving every b of a group by t and every theta by
 * -t leaves the fit unchanged and the penalty least at t = 0), so the
 * average rater is the unweighted average of the raters of the group.
 *
 * lambda is estimated from the sheets themselves (empirical Bayes): it is
 * the ratio of the noise variance to the variance of leniencies between
 * raters, and agg_phase() takes the value that maximises the restricted
 * (REML) likelihood of the model with the leniencies as random effects,
 * b[r] ~ N(0, sigma^2 / lambda), searched between AGG_LAMBDA_MIN and
 * AGG_LAMBDA_MAX (aggregate.c has the formula). Where the raters do not
 * really differ the likelihood is highest at the top of the range, the
 * leniencies shrink to nothing and the adjusted score is the raw mean;
 * where they differ widely, lambda is small and each rater is corrected
 * almost fully. A fixed pseudo-count cannot do both: AGG_LAMBDA 2 (the
 * leniencies spreading about 0.7 times the noise of one sheet) left a
 * fifth of the achievable gain in a design where harsh raters saw the
 * strongest candidates (bench/decision.c has that scenario). When the
 * design cannot say (fewer than two raters, fewer than two residual
 * degrees of freedom, more than AGG_REML_RATERS_MAX raters, whose dense
 * factorisation would cost too much, or no spread at all), lambda is
 * AGG_LAMBDA, and the result says which (lambda_method).
 *
 * What a pure shift of one rater does. Adding c to every score of rater r
 * cannot leave every adjusted score unchanged while the leniencies average
 * zero: adding c to every rater in turn adds c to every score, which must
 * add c to every adjusted score, so each single shift carries its share.
 * What holds exactly:
 *  - in a complete design (every rater of a group scored every candidate
 *    of it, C candidates and R raters), r's leniency rises by
 *    c * C / (C + lambda) relative to every other rater's, and every
 *    adjusted score of the group rises by the same c / R, so no candidate
 *    moves relative to another and no order changes (the adjusted scores
 *    are then the raw means, whatever lambda);
 *  - with lambda 0 (agg_phase_ridge), in any connected design, r's
 *    leniency rises by exactly c relative to every other rater's and every
 *    adjusted score by c / R.
 * With lambda > 0 in an incomplete design the shrinkage keeps part of the
 * shift out of r's leniency, as it must: that part is what "a rater with
 * few sheets moves little" means. The tests check all three.
 *
 * The fit is solved with conjugate gradients on the raters' equations
 * (candidates eliminated), each step two passes over the sheets, so the work
 * grows with the number of sheets and no matrix is formed. The sheets are
 * first sorted into a canonical order, so the result does not depend on
 * the order they are given in, to the last bit.
 *
 * The module is pure (libc and libm): the caller computes each sheet's
 * weighted score from the rubric and maps candidates and raters to indexes.
 */
#ifndef FELLOW_CORE_AGGREGATE_H
#define FELLOW_CORE_AGGREGATE_H

/* The ridge pseudo-count when the design cannot estimate one, and the
 * range searched when it can; see the paragraph above. */
#define AGG_LAMBDA	    2.0
#define AGG_LAMBDA_MIN	    0.01
#define AGG_LAMBDA_MAX	    10000.0
#define AGG_REML_RATERS_MAX 150
#define AGG_REML_DIFFER	    1.642 /* chi-square(1) 0.80: a 10 % test */

/* How lambda was chosen (struct agg_result's lambda_method). */
#define AGG_LAMBDA_REML	 "reml"
#define AGG_LAMBDA_FIXED "fixed"

/* Disagreement: the candidate's leniency-corrected scores spread wider. */
#define AGG_DISAGREE_SD	   15.0 /* standard deviation above this, or */
#define AGG_DISAGREE_RANGE 30.0 /* max - min above this, in points */

/*
 * The residual standard deviation assumed when the design leaves no degree
 * of freedom to estimate it (one rater, or one sheet per candidate): that
 * of scores spread evenly over 0..100, 100 / sqrt(12), so that the
 * interval then says how little the phase can tell.
 */
#define AGG_SIGMA_NONE 28.867513459481287

/* The name of the reliability coefficient in struct agg_result. */
#define AGG_RELIABILITY_METHOD "krippendorff_alpha_interval"

/*
 * One submitted sheet of a phase: candidate and rater as indexes
 * 0..ncands-1 / 0..nraters-1, and its weighted score on 0..100 (the
 * caller computes it from the rubric). A rater has at most one sheet per
 * candidate in a phase.
 */
struct agg_sheet {
	int    cand;
	int    rater;
	double score;
};

struct agg_input {
	int			ncands, nraters, nsheets; /* >= 0 */
	const struct agg_sheet *sheets; /* may be NULL when nsheets is 0 */
	int positions; /* the cycle's positions (for flags); >= 1 */
	/*
	 * What is known of each rater's leniency before this phase's
	 * sheets (nraters values, each within -100..100, or NAN for
	 * nothing), or NULL for nothing at all: the ridge then shrinks each
	 * leniency toward its prior (zero without one) instead of toward
	 * zero, by the same lambda, estimated as before (how far the
	 * phase's leniencies stray from their priors). The rule that
	 * corrects every rater fully when the raters differ is kept unless
	 * every rater with sheets has a prior. See agg_prior_from().
	 */
	const double *prior;
};

/*
 * A candidate's aggregate. A candidate without sheets has n 0, every
 * number 0, group -1 and ranks 0: callers show nothing for it.
 */
struct agg_cand {
	int n; /* sheets */
	/* Of the raw scores; sd with n - 1, 0 when n < 2. */
	double mean, median, sd, min, max;
	/*
	 * The rater-adjusted score theta on the 0..100 scale: the fitted
	 * score for an average rater of its group. It is not clipped, so a
	 * top score from a harsh rater may give a little over 100.
	 */
	double adjusted;
	/*
	 * Its standard error, a plug-in approximation: se^2 = sigma^2 / n +
	 * sum over its raters of sigma^2 / (n_r + lambda), divided by n^2.
	 * The first term is the noise of its own n sheets; the second the
	 * uncertainty of the leniencies they were corrected by, each taken
	 * as if estimated from the rater's n_r sheets and the lambda
	 * pseudo-sheets (covariances between them are left out). sigma is
	 * struct agg_result's.
	 */
	double se;
	/* adjusted -+ 1.96 se, clipped to 0..100. */
	double lo, hi;
	/*
	 * 1 when its raters disagree strongly: n >= 2 and, after each
	 * rater's leniency is taken out of its score, a standard deviation
	 * above AGG_DISAGREE_SD or a range above AGG_DISAGREE_RANGE points.
	 * Leniency is taken out so that a harsh rater does not put every
	 * candidate on the discussion agenda.
	 */
	int disagree;
	/* Connected group (0-based, see struct agg_result), -1 without sheets. */
	int group;
	/*
	 * Consensus of the raters' own orderings, 0..1: each rater who
	 * scored two candidates or more gives each of them the share of its
	 * other candidates it scored lower (ties count half); this is the
	 * mean over the candidate's raters. 0.5 when none of its raters
	 * scored another candidate.
	 */
	double borda;
	/*
	 * 1-based places among the candidates with sheets under the three
	 * methods (adjusted score, raw mean, borda), each descending and
	 * ordered by the tie rule (agg_places(): a tie on a method's value
	 * goes by the adjusted score, then by index); 0 without sheets.
	 */
	int rank_adjusted, rank_raw, rank_borda;
	/* agg_method_sensitive() of the three places. */
	int method_sensitive;
};

struct agg_rater {
	int n; /* sheets */
	/*
	 * The estimated rater effect b in points, positive when lenient;
	 * the leniencies of a group sum to zero. 0 for a rater without
	 * sheets.
	 */
	double leniency;
	int    group; /* -1 without sheets */
};

struct agg_result {
	int		  ncands, nraters;
	struct agg_cand	 *cands;  /* ncands, by input index */
	struct agg_rater *raters; /* nraters, by input index */
	/*
	 * Connected components of the graph of raters and candidates joined
	 * by sheets, leaving out those without sheets (0 when there are no
	 * sheets). Groups are numbered in the order of their lowest rater
	 * index. Scores in different groups cannot be compared: each group
	 * gets its own fit, whose leniencies sum to zero.
	 */
	int    groups;
	double mean; /* grand mean of the raw scores, 0 without sheets */
	/*
	 * Krippendorff's alpha with the interval metric over the raw scores,
	 * candidates as units, which allows any pattern of missing sheets.
	 * NaN when undefined: no candidate with two sheets, or every
	 * pairable score equal. 1 is perfect agreement, 0 no better than
	 * chance.
	 */
	double	    reliability;
	const char *reliability_method; /* AGG_RELIABILITY_METHOD, always */
	/*
	 * The residual standard deviation behind se: sqrt(RSS / (N - p)),
	 * with p counting every candidate and rater with sheets less one per
	 * group (the count without shrinkage, which errs on the large side),
	 * or AGG_SIGMA_NONE when N - p < 1.
	 */
	double	    sigma;
	double	    lambda;	   /* the ridge pseudo-count used */
	const char *lambda_method; /* AGG_LAMBDA_REML or AGG_LAMBDA_FIXED */
	int	    iterations;	   /* conjugate-gradient steps taken */
	/*
	 * "" or a sentence for the director, at present only when groups > 1:
	 * "The raters fall into 2 groups with no candidate in common, so
	 * their scores cannot be compared across groups: raters 0, 2 (3
	 * candidates); raters 1, 3 (2 candidates)." Raters are named by input
	 * index; agg_group_warning() names them. Cut with "..." when it does
	 * not fit.
	 */
	char warning[256];
};

/*
 * Aggregates one phase with the ridge pseudo-count estimated from the
 * sheets (AGG_LAMBDA when they cannot say; see above). Returns 0
 * and fills *out, whose arrays the caller frees with agg_result_free().
 * Returns -1 on bad input (NULL pointers, negative counts, positions < 1,
 * an index out of range, a score outside 0..100 or NaN, two sheets of one
 * rater for one candidate) or when memory runs out; *out is then zeroed
 * (when out is not NULL), which agg_result_free() accepts. Deterministic:
 * the order of the sheets does not matter, to the last bit.
 */
int agg_phase(const struct agg_input *in, struct agg_result *out);

/*
 * As agg_phase() with the fixed pseudo-count lambda >= 0 (-1 otherwise). Zero
 * means no shrinkage: plain least squares with the leniencies of each
 * group summing to zero. For the tests and the benches.
 */
int agg_phase_ridge(
    const struct agg_input *in, double lambda, struct agg_result *out);

/*
 * The warning of struct agg_result when the design falls into groups,
 * written to buf: raters named by names[r] (their input index when names
 * is NULL, as in warning), each group with its count of candidates, cut
 * with "..." when it does not fit (then 1 is returned, else 0). "" with
 * fewer than two groups.
 */
int agg_group_warning(const struct agg_result *res, const char *const *names,
    char *buf, size_t size);

/*
 * Fits nphases phases whose raters are the same people (in[p].nraters
 * equal, in[p].prior NULL): each alone, then each again with its raters'
 * leniencies from the other phases as priors (agg_prior_from()), so a
 * rater's leniency is learned from every sheet the rater wrote, as far
 * as the phases agree on it: how far a phase strays from its priors is
 * estimated as lambda is. With one phase, agg_phase(). priors (nphases *
 * nraters, or NULL) receives the priors used, phase by phase, for
 * core/uncertainty.h. 0, or -1 on bad input or no memory (out then
 * holds nothing to free).
 */
int agg_phases(int nphases, const struct agg_input *in, struct agg_result *out,
    double *priors);

/*
 * The prior of each rater's leniency in phase p (res[p].nraters values
 * into prior): the rater's leniencies in the other phases where it has
 * sheets and belongs to a group, weighted by its sheets there; NAN where
 * it has none.
 */
void agg_prior_from(
    int nphases, const struct agg_result *res, int p, double *prior);

/* Frees the arrays of r and zeroes it. Accepts NULL and a zeroed result. */
void agg_result_free(struct agg_result *r);

/*
 * The ranking policy: how candidates are placed, when a place depends on
 * the method, and the composite over phases. ops/ranking.c only loads the
 * rows; every rule below is the one it uses.
 *
 * Methods. A candidate has a value under each of three methods: the
 * adjusted score (the default, the one the rank list starts from), the
 * raw mean, and the borda consensus on the 0..100 scale (borda * 100).
 * Over phases each is combined by agg_composite() with the director's
 * weights.
 *
 * The tie rule. Values are placed in descending order; two values closer
 * than AGG_TIE_EPSILON points are tied (scores that are equal on paper
 * come out of the arithmetic a few units of the last place apart, and
 * that noise must not order candidates). Ties are taken in runs: every
 * value within AGG_TIE_EPSILON of its neighbour belongs to the run, so
 * the order does not depend on how the noise fell. A run under the raw
 * mean or the borda is ordered by the adjusted score (a tie under another
 * method says nothing, and the default method's order then keeps the
 * candidate where it would be anyway, with no place change to flag); what
 * is still tied, and every tie under the adjusted score, goes to the
 * lower index. Callers number candidates in application id order, so
 * exact ties are broken by application id. Over phases, candidates with
 * sheets in every weighted phase come before those without (their
 * composites are not comparable), then the same rule.
 *
 * The method flag. A candidate's place depends on the method when its
 * place under the raw mean or under the borda is two or more from its
 * place under the adjusted score, or on the other side of the line after
 * the cycle's positions. Each other method is compared with the default
 * one, not with each other: a candidate placed 5th by the adjusted score
 * and 4th and 6th by the others sits where either would put it within
 * one place, and is not flagged. The same rule serves one phase and the
 * composite.
 */

/* Scores (0..100 points) closer than this are tied. */
#define AGG_TIE_EPSILON 1e-9

enum agg_method { AGG_ADJUSTED, AGG_RAW, AGG_BORDA, AGG__METHODS };

/* One candidate to place: its tier (lower first), its value under the
 * method (higher first; NaN: not placed) and the value that orders its
 * ties (higher first; NaN for none). */
struct agg_rankee {
	int    tier;
	double key;
	double tiebreak;
};

/*
 * Places items[0..n) by the tie rule above: tier ascending, then key
 * descending, runs tied on the key by tiebreak descending, then what is
 * still tied by index ascending. Writes 1-based places to place[0..n),
 * 0 for a NaN key. Returns 0, or -1 on bad arguments or no memory.
 */
int agg_places(int n, const struct agg_rankee *items, int *place);

/* 1 when the place under another method than AGG_ADJUSTED is two or more
 * from the place under AGG_ADJUSTED or on the other side of the line
 * after positions, else 0 (also when a place is 0, unplaced). */
int agg_method_sensitive(const int place[AGG__METHODS], int positions);

/* 1 when a method other than AGG_ADJUSTED puts the candidate on the other
 * side of the line after positions (positions > 0) than AGG_ADJUSTED
 * does: the method decides whether the candidate is above the line; else
 * 0 (also when a place is 0, unplaced). */
int agg_crosses_line(const int place[AGG__METHODS], int positions);

/* A candidate's standing over the phases of a cycle. */
struct agg_standing {
	double composite; /* adjusted scores, weighted; NaN: no sheets */
	int    complete;  /* sheets in every phase of weight > 0 */
	int    rank[AGG__METHODS]; /* places by enum agg_method; 0: none */
	int    method_sensitive;   /* agg_method_sensitive() of rank */
	int    crosses_line;	   /* agg_crosses_line() of rank */
};

/*
 * Ranks the candidates of a cycle over nphases phases (each an
 * agg_phase() result over the same candidates) with weights[p]: each
 * method's composite by agg_composite(), placed by the tie rule with the
 * complete first, and the method flag against positions (>= 0; 0 for no
 * line). Fills out[0..phases[0].ncands). Returns 0, or -1 on bad
 * arguments (counts that differ between phases) or no memory.
 */
int agg_rank_cycle(int nphases, const struct agg_result *phases,
    const int *weights, int positions, struct agg_standing *out);

/*
 * The composite of a candidate over nphases phases: sum of weights[p] *
 * adjusted[p] over sum of weights[p], over the phases with weights[p] > 0
 * and have[p] non-zero (the candidate has sheets in that phase). When a
 * phase with weight > 0 lacks sheets, *complete is set to 0 and the
 * composite is that of the phases it has, reweighted: it is then not
 * comparable with a complete one, which the caller must show. Otherwise
 * *complete is set to 1. complete may be NULL. Returns NaN when no phase
 * with weight > 0 has sheets, and when nphases < 1 or an array is NULL
 * (*complete then 0).
 */
double agg_composite(int nphases, const double *adjusted, const int *have,
    const int *weights, int *complete);

#endif
