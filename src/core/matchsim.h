/*
 * How deep to rank: a simulation of the match for one program, to help
 * the director choose the length of the rank list. It is a model with
 * assumptions the director sets, not a prediction of the match.
 *
 * The match. NRMP and SF Match run applicant-proposing deferred
 * acceptance: each applicant proposes to the programs on their own list
 * in order; a program holds, among those who proposed to it and whom it
 * ranked, the best by its own list up to its positions, and rejects the
 * rest; a rejected applicant proposes to their next program. It ends
 * when nobody is rejected any more. Seen from one program, an applicant
 * on its list reaches it only when no program the applicant prefers
 * holds them at the end: the applicant proposes to their preferred
 * programs first and goes on to ours only when rejected by each of them.
 * Every applicant who does reach ours is compared by our list alone, and
 * a program never lets go of someone it holds except for someone it
 * ranked higher. So the program ends holding the first k of its list
 * (k its positions) among those who reach it, or all of them when fewer
 * than k do: those "available" to it. Who ranks it first is always
 * available; anyone else is available when they do not end up matched
 * at a program they prefer.
 *
 * The model of interest. Each candidate ranked at place i (1 = top) of
 * our list, independently of the others:
 *  - ranks this program first with probability p_first;
 *  - otherwise ends up matched at a program they prefer with probability
 *    p_elsewhere(i), which falls linearly from p_elsewhere_top at place
 *    1 to p_elsewhere_bottom at place span (the candidates the program
 *    has, the pool) and stays there below it: the candidates a program
 *    likes best are those other programs like best too.
 * Candidate i is thus available with probability p_first + (1 -
 * p_first) * (1 - p_elsewhere(i)). Choices are independent between
 * candidates, which the real match is not (one applicant's place
 * elsewhere takes a position another could have had); for one small
 * program among many that is a fair first approximation.
 *
 * The simulation draws, trial after trial, each candidate's two chances
 * in list order, from a seeded generator (splitmix64), and lets the
 * program hold the first k available. With the same draws for every list
 * length L (a list of length L is the first L of the order), filling
 * with L places implies filling with L + 1, so the estimated probability
 * of filling every position never falls as L grows. matchsim_exact()
 * gives the same figures by a closed computation (the number available
 * among the first L is a sum of independent Bernoulli variables): the
 * tests check the simulation against it.
 *
 * Defaults (MATCHSIM_DEFAULT_*): conservative values, labelled as such.
 * NRMP's "Results and Data: Specialties Matching Service" reports (as
 * NRMP's announcements of the reports summarise them) that in the 2024
 * appointment year 83.7 % of the fellowship positions
 * offered were filled and 74.9 % of the programs filled all of theirs
 * (2016: 86.3 % and 78.0 %); among surgical fellowships in 2017, colon
 * and rectal surgery filled every program and position while abdominal
 * transplant surgery filled 36 of 58 programs. We did not find, for the
 * fellowship matches, the published mean number of applicants ranked
 * per position by programs that filled and by those that did not, nor
 * SF Match per-program fill figures, nor any figure for the chance that
 * an interviewee ranks a program first. The defaults were therefore
 * chosen on the cautious side: a fifth of interviewees rank the program
 * first; of the others, 85 % of the strongest and 50 % of the weakest
 * match somewhere they prefer. With two positions and a pool of 8 to 30
 * they recommend 9 to 11 candidates (about five a position) for a 95 %
 * chance of filling both, so that a list cut to the recommendation errs
 * long rather than short.
 *
 * The module is pure (libc and libm) and deterministic for a seed.
 */
#ifndef FELLOW_CORE_MATCHSIM_H
#define FELLOW_CORE_MATCHSIM_H

#include <stddef.h>
#include <stdint.h>

#define MATCHSIM_DEFAULT_P_FIRST	    0.20
#define MATCHSIM_DEFAULT_P_ELSEWHERE_TOP    0.85
#define MATCHSIM_DEFAULT_P_ELSEWHERE_BOTTOM 0.50
#define MATCHSIM_DEFAULT_TARGET		    0.95
#define MATCHSIM_DEFAULT_TRIALS		    20000
#define MATCHSIM_DEFAULT_SEED		    1

/* The ranges the parameters must lie in (matchsim_check()). */
#define MATCHSIM_TARGET_MIN 0.5
#define MATCHSIM_TARGET_MAX 0.999
#define MATCHSIM_TRIALS_MIN 100
#define MATCHSIM_TRIALS_MAX 50000
#define MATCHSIM_LMAX_MAX   500 /* the longest list simulated */
#define MATCHSIM_SEED_MAX   2147483647

struct matchsim_params {
	int	 positions; /* k, 1..MATCHSIM_LMAX_MAX */
	int	 lmax;	    /* longest list simulated, positions..LMAX_MAX */
	int	 span;	    /* p_elsewhere falls over places 1..span; >= 1 */
	double	 p_first;   /* 0..1 */
	double	 p_elsewhere_top;    /* 0..1, at place 1 */
	double	 p_elsewhere_bottom; /* 0..1, at place span and below */
	int	 trials;	     /* TRIALS_MIN..TRIALS_MAX */
	uint64_t seed;
};

/* The figures for one list length. */
struct matchsim_row {
	int    length;	 /* L */
	double p_fill;	 /* P(every position filled) */
	double expected; /* expected positions filled, 0..k */
};

struct matchsim_result {
	int		     nrows; /* lmax - positions + 1 */
	struct matchsim_row *rows;  /* L = positions .. lmax, in order */
};

/* Fills p with the defaults for positions, lmax and span. */
void matchsim_defaults(
    struct matchsim_params *p, int positions, int lmax, int span);

/*
 * Checks p. Returns 0, or -1 with *field set to the parameter's name
 * (the API's) and a sentence for the director in msg (size len).
 */
int matchsim_check(
    const struct matchsim_params *p, const char **field, char *msg, size_t len);

/* p_elsewhere at place i (1-based) of the list; p valid. */
double matchsim_p_elsewhere(const struct matchsim_params *p, int i);

/* The probability that the candidate at place i is available. */
double matchsim_p_available(const struct matchsim_params *p, int i);

/*
 * Simulates p->trials matches. Returns 0 and fills *out (free with
 * matchsim_result_free()), or -1 on invalid parameters or no memory
 * (*out zeroed).
 */
int matchsim_run(const struct matchsim_params *p, struct matchsim_result *out);

/* The same figures computed exactly (the cross-check). As matchsim_run. */
int matchsim_exact(
    const struct matchsim_params *p, struct matchsim_result *out);

/* The smallest list length whose p_fill reaches target, or 0 for none. */
int matchsim_recommend(const struct matchsim_result *r, double target);

/* Frees r's rows and zeroes it; accepts NULL. */
void matchsim_result_free(struct matchsim_result *r);

#endif
