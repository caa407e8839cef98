/*
 * Decision quality of the aggregation: simulated cycles with a known true
 * order of candidates, rater leniencies and noise, run through
 * src/core/aggregate.c, and for each way of ordering the candidates the
 * mean Kendall tau with the truth, the share of cycles whose true top two
 * are exactly the top two (as a set), and the share of the gain over the
 * raw mean that an oracle knowing every rater's true leniency gets.
 *
 * Each cycle: 20 candidates of true quality N(60, 12); 6 raters; a sheet
 * scores quality + leniency + N(0, 10) noise, clipped to 0..100. The
 * scenarios:
 *  - base: leniency N(0, 8); each candidate scored by 3 or 4 raters
 *    (even odds), taken among the least loaded so loads stay within one;
 *  - equal raters: the same with every leniency 0, where a correction
 *    can only cost;
 *  - confounded: leniency N(0, 10), and the harsh raters see mostly the
 *    strongest candidates: each candidate is scored by the 3 or 4 raters
 *    whose place in the order of leniency is nearest to the place of the
 *    candidate's quality turned round (with a little noise), so the
 *    raw mean pulls the strongest down;
 *  - two phases: screening by 2 or 3 raters and interview by 3 or 4 of
 *    the same 6 raters (leniency N(0, 8), each phase its own noise),
 *    combined 30/70 by the composite of core/aggregate.h.
 * The methods: the raw mean; per-rater z-scores (each rater's scores
 * standardised by its own mean and standard deviation, then averaged per
 * candidate); the adjusted score with lambda estimated (agg_phase(), the
 * product's), with the old fixed lambda 2 and without shrinkage; the
 * Borda consensus; the posterior mean under the simulation's spreads
 * (in one phase the true model's posterior; over two phases each phase's
 * quality its own unknown, as the composite takes them, and leniency
 * shared unless unrelated); and the oracle (each score less its
 * rater's true leniency, averaged). Seeds are fixed, so the figures
 * repeat.
 *
 *	build/bench/decision [cycles]	(default 500; bench/decision.sh)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/aggregate.h"

#define NCANDS	 20
#define NRATERS	 6
#define NPHASES	 2
#define MAXSHEET (NCANDS * NRATERS)

#define QUALITY_MEAN 60.0
#define QUALITY_SD   12.0
#define NOISE_SD     10.0

enum scenario {
	S_BASE,
	S_EQUAL,
	S_CONFOUNDED,
	S_TWO_PHASES,
	S_TWO_CONFOUNDED,
	S_TWO_UNRELATED,
	S__MAX
};

static const struct {
	const char *label;
	double	    leniency_sd;
	int	    phases;
	int	    confounded;
	int	    unrelated; /* a rater's leniency drawn anew per phase */
} scenarios[S__MAX] = {
	[S_BASE] = { "base: leniency N(0, 8), 3-4 raters each", 8.0, 1 },
	[S_EQUAL] = { "equal raters: leniency 0", 0.0, 1 },
	[S_CONFOUNDED] = { "confounded: harsh raters see the strongest, "
			   "leniency N(0, 10)",
	    10.0, 1, 1 },
	[S_TWO_PHASES] = { "two phases: screening 2-3 raters, interview 3-4, "
			   "30/70",
	    8.0, 2, 0 },
	[S_TWO_CONFOUNDED] = { "two phases confounded: both phases as the "
			       "confounded one",
	    10.0, 2, 1, 0 },
	[S_TWO_UNRELATED] = { "two phases, a rater's leniency unrelated "
			      "between them",
	    8.0, 2, 0, 1 },
};

/* The methods compared, in the order printed. */
enum method {
	M_RAW,
	M_Z,
	M_ADJ,
	M_SEP,
	M_ADJ2,
	M_ADJ0,
	M_BORDA,
	M_BAYES,
	M_ORACLE,
	M__MAX
};

static const struct {
	const char *label;
	double	    lambda; /* for the adjusted methods; -1: estimated */
} methods[M__MAX] = {
	[M_RAW] = { "raw mean", 0 },
	[M_Z] = { "per-rater z-scores", 0 },
	[M_ADJ] = { "adjusted (lambda estimated)", -1 },
	[M_SEP] = { "  adjusted, each phase alone", -1 },
	[M_ADJ2] = { "  adjusted, fixed lambda 2", AGG_LAMBDA },
	[M_ADJ0] = { "  adjusted, lambda 0 (no shrinkage)", 0 },
	[M_BORDA] = { "Borda of the raters' orderings", 0 },
	[M_BAYES] = { "posterior, spreads known (model known)", 0 },
	[M_ORACLE] = { "oracle (true leniencies known)", 0 },
};

struct rng {
	uint64_t state;
};

static uint64_t
rng_next(struct rng *g)
{
	uint64_t z = (g->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* Uniform on (0, 1). */
static double
rng_unit(struct rng *g)
{
	return (((double)(rng_next(g) >> 11) + 0.5) / 9007199254740992.0);
}

/* Normal by Box-Muller; one of the pair is thrown away, for simplicity. */
static double
rng_normal(struct rng *g, double mean, double sd)
{
	double u = rng_unit(g), v = rng_unit(g);

	return (mean + sd * sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v));
}

/* Kendall's tau-b of est against truth (truth has no ties). */
static double
kendall(const double *est, const double *truth, int n)
{
	long conc = 0, disc = 0, ties = 0, pairs = 0;
	int  i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			double a = est[i] - est[j], b = truth[i] - truth[j];

			pairs++;
			if (a == 0)
				ties++;
			else if ((a > 0) == (b > 0))
				conc++;
			else
				disc++;
		}
	if (pairs == ties)
		return (0);
	return ((double)(conc - disc) / sqrt((double)pairs * (pairs - ties)));
}

/* The indexes of the two largest values; ties go to the lower index. */
static void
top2(const double *x, int n, int *a, int *b)
{
	int i;

	*a = *b = -1;
	for (i = 0; i < n; i++) {
		if (*a < 0 || x[i] > x[*a]) {
			*b = *a;
			*a = i;
		} else if (*b < 0 || x[i] > x[*b])
			*b = i;
	}
}

static int
same_top2(const double *est, const double *truth, int n)
{
	int ea, eb, ta, tb;

	top2(est, n, &ea, &eb);
	top2(truth, n, &ta, &tb);
	return ((ea == ta && eb == tb) || (ea == tb && eb == ta));
}

/* Rater r's place in the order of leniency, harshest first. */
static int
leniency_place(const double *lenient, int r)
{
	int k, place = 0;

	for (k = 0; k < NRATERS; k++)
		if (lenient[k] < lenient[r] ||
		    (lenient[k] == lenient[r] && k < r))
			place++;
	return (place);
}

/* Candidate c's place in the order of quality, strongest first. */
static int
quality_place(const double *quality, int c)
{
	int k, place = 0;

	for (k = 0; k < NCANDS; k++)
		if (quality[k] > quality[c] ||
		    (quality[k] == quality[c] && k < c))
			place++;
	return (place);
}

/*
 * The sheets of one phase: each candidate gets kmin or kmin + 1 raters
 * (even odds), the least loaded, or, when confounded, those nearest in
 * the order of leniency to the candidate's place in the order of quality
 * (the strongest to the harshest). Returns their number.
 */
static int
phase_sheets(struct rng *g, const double *quality, const double *lenient,
    int kmin, int confounded, struct agg_sheet *s)
{
	int    load[NRATERS] = { 0 }, used[NRATERS];
	double dist[NRATERS];
	int    c, r, j, k, n = 0, best, nbest;

	for (c = 0; c < NCANDS; c++) {
		memset(used, 0, sizeof(used));
		k = kmin + (int)(rng_next(g) & 1);
		if (confounded) {
			double want = (double)quality_place(quality, c) *
			    (NRATERS - 1) / (NCANDS - 1);

			for (r = 0; r < NRATERS; r++)
				dist[r] =
				    fabs(leniency_place(lenient, r) - want) +
				    1.5 * rng_unit(g);
		}
		for (j = 0; j < k; j++) {
			best = -1;
			nbest = 0;
			for (r = 0; r < NRATERS; r++) {
				if (used[r])
					continue;
				if (confounded) {
					if (best < 0 || dist[r] < dist[best])
						best = r;
					continue;
				}
				/* A random one among the least loaded. */
				if (best < 0 || load[r] < load[best]) {
					best = r;
					nbest = 1;
				} else if (load[r] == load[best] &&
				    rng_next(g) % (uint64_t)++nbest == 0)
					best = r;
			}
			used[best] = 1;
			load[best]++;
			s[n].cand = c;
			s[n].rater = best;
			s[n].score = fmin(100,
			    fmax(0,
				quality[c] + lenient[best] +
				    rng_normal(g, 0, NOISE_SD)));
			n++;
		}
	}
	return (n);
}

/* Per-rater z-scores, averaged per candidate. */
static void
zscores(const struct agg_sheet *s, int n, double *out)
{
	double sum[NRATERS] = { 0 }, ss[NRATERS] = { 0 }, sd[NRATERS];
	double mean[NRATERS], csum[NCANDS] = { 0 };
	int    cnt[NRATERS] = { 0 }, ccnt[NCANDS] = { 0 }, i, r;

	for (i = 0; i < n; i++) {
		sum[s[i].rater] += s[i].score;
		cnt[s[i].rater]++;
	}
	for (r = 0; r < NRATERS; r++)
		mean[r] = cnt[r] > 0 ? sum[r] / cnt[r] : 0;
	for (i = 0; i < n; i++) {
		double d = s[i].score - mean[s[i].rater];

		ss[s[i].rater] += d * d;
	}
	for (r = 0; r < NRATERS; r++)
		sd[r] = cnt[r] > 1 ? sqrt(ss[r] / (cnt[r] - 1)) : 0;
	for (i = 0; i < n; i++) {
		r = s[i].rater;
		csum[s[i].cand] +=
		    sd[r] > 0 ? (s[i].score - mean[r]) / sd[r] : 0;
		ccnt[s[i].cand]++;
	}
	for (i = 0; i < NCANDS; i++)
		out[i] = ccnt[i] > 0 ? csum[i] / ccnt[i] : 0;
}

/* The oracle: each score less its rater's true leniency, averaged. */
static void
oracle(const struct agg_sheet *s, int n, const double *lenient, double *out)
{
	double sum[NCANDS] = { 0 };
	int    cnt[NCANDS] = { 0 }, i;

	for (i = 0; i < n; i++) {
		sum[s[i].cand] += s[i].score - lenient[s[i].rater];
		cnt[s[i].cand]++;
	}
	for (i = 0; i < NCANDS; i++)
		out[i] = cnt[i] > 0 ? sum[i] / cnt[i] : 0;
}

/*
 * The posterior mean of each candidate's quality in each phase given
 * every sheet of every phase, under the model that made them (quality
 * N(QUALITY_MEAN, QUALITY_SD), leniency N(0, leniency_sd) and the same in
 * both phases unless unrelated, noise N(0, NOISE_SD)), clipping aside,
 * into est[p]: what a method knowing everything but the leniencies and
 * the qualities would give each phase before the composite weighs them.
 * Each phase's quality is its own unknown, as the product's composite
 * takes them; the leniencies are shared (one per rater) or, when
 * unrelated, one per rater and phase. The normal equations, by Gaussian elimination.
 */
static void
bayes(struct agg_sheet s[][MAXSHEET], const int *n, int np, double leniency_sd,
    int unrelated, double est[][NCANDS])
{
	enum { K = NPHASES * (NCANDS + NRATERS) };
	static double a[K][K + 1];
	double	      f;
	double	      pq = 1.0 / (QUALITY_SD * QUALITY_SD);
	double	      pl = 1.0 / fmax(leniency_sd * leniency_sd, 1e-9);
	double	      pe = 1.0 / (NOISE_SD * NOISE_SD);
	int	      i, j, k, p, piv;
	int	      nl = unrelated ? np * NRATERS : NRATERS;
	int	      nk = np * NCANDS + nl;

	memset(a, 0, sizeof(a));
	for (i = 0; i < np * NCANDS; i++) {
		a[i][i] = pq;
		a[i][K] = pq * QUALITY_MEAN;
	}
	for (i = np * NCANDS; i < nk; i++)
		a[i][i] = pl;
	for (p = 0; p < np; p++)
		for (k = 0; k < n[p]; k++) {
			int c = p * NCANDS + s[p][k].cand;
			int r = np * NCANDS + (unrelated ? p * NRATERS : 0) +
			    s[p][k].rater;

			a[c][c] += pe;
			a[r][r] += pe;
			a[c][r] += pe;
			a[r][c] += pe;
			a[c][K] += pe * s[p][k].score;
			a[r][K] += pe * s[p][k].score;
		}
	for (i = 0; i < nk; i++) {
		piv = i;
		for (j = i + 1; j < nk; j++)
			if (fabs(a[j][i]) > fabs(a[piv][i]))
				piv = j;
		for (k = 0; k <= K; k++) {
			f = a[i][k];
			a[i][k] = a[piv][k];
			a[piv][k] = f;
		}
		for (j = 0; j < nk; j++) {
			if (j == i || a[j][i] == 0)
				continue;
			f = a[j][i] / a[i][i];
			for (k = i; k <= K; k++)
				a[j][k] -= f * a[i][k];
		}
	}
	for (p = 0; p < np; p++)
		for (i = 0; i < NCANDS; i++)
			est[p][i] = a[p * NCANDS + i][K] /
			    a[p * NCANDS + i][p * NCANDS + i];
}

/* One phase's values under method m into est; -1 when the fit fails. */
static int
phase_values(
    int m, const struct agg_sheet *s, int n, const double *lenient, double *est)
{
	struct agg_input  in;
	struct agg_result res;
	int		  c, rc;

	if (m == M_Z) {
		zscores(s, n, est);
		return (0);
	}
	if (m == M_ORACLE) {
		oracle(s, n, lenient, est);
		return (0);
	}
	memset(&in, 0, sizeof(in));
	in.ncands = NCANDS;
	in.nraters = NRATERS;
	in.nsheets = n;
	in.sheets = s;
	in.positions = 2;
	rc = methods[m].lambda < 0 || m == M_RAW || m == M_BORDA
	    ? agg_phase(&in, &res)
	    : agg_phase_ridge(&in, methods[m].lambda, &res);
	if (rc == -1)
		return (-1);
	for (c = 0; c < NCANDS; c++)
		est[c] = m == M_RAW ? res.cands[c].mean
		    : m == M_BORDA  ? res.cands[c].borda * 100.0
				    : res.cands[c].adjusted;
	agg_result_free(&res);
	return (0);
}

/* The product's fit of every phase (agg_phases(): a rater's leniency
 * learned across the phases) into est[p]; -1 when it fails. */
static int
joint(
    struct agg_sheet s[][MAXSHEET], const int *n, int np, double est[][NCANDS])
{
	struct agg_input  in[NPHASES];
	struct agg_result res[NPHASES];
	int		  p, c;

	memset(in, 0, sizeof(in));
	for (p = 0; p < np; p++) {
		in[p].ncands = NCANDS;
		in[p].nraters = NRATERS;
		in[p].nsheets = n[p];
		in[p].sheets = s[p];
		in[p].positions = 2;
	}
	if (agg_phases(np, in, res, NULL) != 0)
		return (-1);
	for (p = 0; p < np; p++) {
		for (c = 0; c < NCANDS; c++)
			est[p][c] = res[p].cands[c].adjusted;
		agg_result_free(&res[p]);
	}
	return (0);
}

struct tally {
	double tau[M__MAX], tau2[M__MAX];
	long   top[M__MAX];
	double sheets;
};

/* Runs cycles of scenario sc into t; -1 when a fit fails. */
static int
run(enum scenario sc, int cycles, struct tally *t)
{
	static const int weights[NPHASES] = { 30, 70 };
	static const int kmin[2][NPHASES] = { { 3, 3 }, { 2, 3 } };
	struct agg_sheet s[NPHASES][MAXSHEET];
	double		 quality[NCANDS], lenient[NPHASES][NRATERS];
	double		 est[NPHASES][NCANDS], val[NPHASES], comp[NCANDS];
	double		 tau;
	int		 have[NPHASES] = { 1, 1 }, n[NPHASES];
	int		 seed, m, c, r, p, np = scenarios[sc].phases;

	memset(t, 0, sizeof(*t));
	for (seed = 1; seed <= cycles; seed++) {
		struct rng g;

		g.state = (uint64_t)seed * 1000003ULL + (uint64_t)sc * 7919ULL;
		for (c = 0; c < NCANDS; c++)
			quality[c] = rng_normal(&g, QUALITY_MEAN, QUALITY_SD);
		for (p = 0; p < np; p++)
			for (r = 0; r < NRATERS; r++)
				lenient[p][r] =
				    p > 0 && !scenarios[sc].unrelated
				    ? lenient[0][r]
				    : rng_normal(
					  &g, 0, scenarios[sc].leniency_sd);
		for (p = 0; p < np; p++) {
			n[p] = phase_sheets(&g, quality, lenient[p],
			    kmin[np - 1][p], scenarios[sc].confounded, s[p]);
			t->sheets += n[p];
		}
		for (m = 0; m < M__MAX; m++) {
			if (m == M_BAYES)
				bayes(s, n, np, scenarios[sc].leniency_sd,
				    scenarios[sc].unrelated, est);
			if (m == M_ADJ && joint(s, n, np, est) == -1)
				return (-1);
			for (p = 0; p < np && m != M_BAYES && m != M_ADJ; p++)
				if (phase_values(m, s[p], n[p], lenient[p],
					est[p]) == -1)
					return (-1);
			for (c = 0; c < NCANDS; c++) {
				for (p = 0; p < np; p++)
					val[p] = est[p][c];
				comp[c] = np == 1 ? val[0]
						  : agg_composite(np, val, have,
							weights, NULL);
			}
			tau = kendall(comp, quality, NCANDS);
			t->tau[m] += tau;
			t->tau2[m] += tau * tau;
			t->top[m] += same_top2(comp, quality, NCANDS);
		}
	}
	return (0);
}

int
main(int argc, char *argv[])
{
	struct tally t;
	int	     cycles = 500, m, sc;

	if (argc > 1 && (cycles = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: %s [cycles]\n", argv[0]);
		return (2);
	}
	printf("decision quality: %d simulated cycles per scenario, %d "
	       "candidates, %d raters,\n",
	    cycles, NCANDS, NRATERS);
	printf("quality N(%.0f, %.0f), noise N(0, %.0f), scores clipped to "
	       "0..100; gain: share of the\n",
	    QUALITY_MEAN, QUALITY_SD, NOISE_SD);
	printf("oracle's Kendall tau gain over the raw mean\n");
	for (sc = 0; sc < S__MAX; sc++) {
		double raw, orc;

		if (run((enum scenario)sc, cycles, &t) == -1) {
			fprintf(stderr, "agg_phase failed\n");
			return (1);
		}
		raw = t.tau[M_RAW] / cycles;
		orc = t.tau[M_ORACLE] / cycles;
		printf("\n== %s (%.1f sheets per cycle)\n", scenarios[sc].label,
		    t.sheets / cycles);
		printf("%-38s %12s %10s %14s %8s\n", "method", "Kendall tau",
		    "(se)", "top 2 exact", "gain");
		for (m = 0; m < M__MAX; m++) {
			double mean = t.tau[m] / cycles;
			double var = cycles > 1
			    ? (t.tau2[m] - cycles * mean * mean) / (cycles - 1)
			    : 0;
			char   gain[16] = "-";

			if (fabs(orc - raw) > 0.002)
				(void)snprintf(gain, sizeof(gain), "%.0f%%",
				    100.0 * (mean - raw) / (orc - raw));
			printf("%-38s %12.3f %10.3f %13.1f%% %8s\n",
			    methods[m].label, mean, sqrt(fmax(var, 0) / cycles),
			    100.0 * t.top[m] / cycles, gain);
		}
	}
	return (0);
}
