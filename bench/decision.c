/*
 * Decision quality of the aggregation (issue 6, "Bench"): simulated cycles
 * with a known true order of candidates, rater leniencies and noise, run
 * through src/core/aggregate.c, and for each way of ordering the
 * candidates the mean Kendall tau with the truth and the share of cycles
 * whose true top two are exactly the top two (as a set).
 *
 * Each cycle: 20 candidates of true quality N(60, 12); 6 raters of
 * leniency N(0, 8) points; each candidate scored by 3 or 4 raters (even
 * odds), taken among the least loaded raters so loads stay within one;
 * a sheet scores quality + leniency + N(0, 10) noise, clipped to 0..100.
 * The methods: the raw mean; per-rater z-scores (each rater's scores
 * standardised by its own mean and standard deviation, then averaged per
 * candidate); the adjusted score with the default lambda and, to show the
 * sensitivity to it, with others; and the Borda consensus. Seeds are
 * fixed, so the figures repeat from run to run.
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
#define MAXSHEET (NCANDS * NRATERS)

#define QUALITY_MEAN 60.0
#define QUALITY_SD   12.0
#define LENIENCY_SD  8.0
#define NOISE_SD     10.0

/* The methods compared, in the order printed. */
enum method {
	M_RAW,
	M_Z,
	M_ADJ,
	M_ADJ0,
	M_ADJ1,
	M_ADJ4,
	M_ADJ8,
	M_BORDA,
	M__MAX
};

static const struct {
	const char *label;
	double	    lambda; /* for the adjusted methods */
} methods[M__MAX] = {
	[M_RAW] = { "raw mean", 0 },
	[M_Z] = { "per-rater z-scores", 0 },
	[M_ADJ] = { "adjusted (default lambda 2)", AGG_LAMBDA },
	[M_ADJ0] = { "  adjusted, lambda 0 (no shrinkage)", 0 },
	[M_ADJ1] = { "  adjusted, lambda 1", 1 },
	[M_ADJ4] = { "  adjusted, lambda 4", 4 },
	[M_ADJ8] = { "  adjusted, lambda 8", 8 },
	[M_BORDA] = { "Borda of the raters' orderings", 0 },
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

/* One simulated cycle's sheets; returns their number. */
static int
simulate(struct rng *g, double *quality, struct agg_sheet *s)
{
	double lenient[NRATERS];
	int    load[NRATERS] = { 0 }, used[NRATERS];
	int    c, r, j, k, n = 0, best, nbest;

	for (c = 0; c < NCANDS; c++)
		quality[c] = rng_normal(g, QUALITY_MEAN, QUALITY_SD);
	for (r = 0; r < NRATERS; r++)
		lenient[r] = rng_normal(g, 0, LENIENCY_SD);
	for (c = 0; c < NCANDS; c++) {
		memset(used, 0, sizeof(used));
		k = 3 + (int)(rng_next(g) & 1);
		for (j = 0; j < k; j++) {
			/* A random one among the least loaded free raters. */
			best = -1;
			nbest = 0;
			for (r = 0; r < NRATERS; r++) {
				if (used[r])
					continue;
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

int
main(int argc, char *argv[])
{
	struct agg_sheet  s[MAXSHEET];
	struct agg_input  in;
	struct agg_result res;
	struct rng	  g;
	double		  quality[NCANDS], est[M__MAX][NCANDS];
	double		  tau[M__MAX] = { 0 }, tau2[M__MAX] = { 0 }, t;
	long		  top[M__MAX] = { 0 }, adj_better = 0, adj_worse = 0;
	long		  sheets = 0;
	int		  cycles = 500, seed, m, c, n;

	if (argc > 1 && (cycles = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: %s [cycles]\n", argv[0]);
		return (2);
	}
	for (seed = 1; seed <= cycles; seed++) {
		g.state = (uint64_t)seed * 1000003ULL;
		n = simulate(&g, quality, s);
		sheets += n;
		memset(&in, 0, sizeof(in));
		in.ncands = NCANDS;
		in.nraters = NRATERS;
		in.nsheets = n;
		in.sheets = s;
		in.positions = 2;
		for (m = 0; m < M__MAX; m++) {
			if (m == M_Z) {
				zscores(s, n, est[m]);
				continue;
			}
			if (m == M_RAW || m == M_BORDA) {
				if (agg_phase(&in, &res) == -1)
					goto fail;
			} else if (agg_phase_ridge(
				       &in, methods[m].lambda, &res) == -1)
				goto fail;
			for (c = 0; c < NCANDS; c++)
				est[m][c] = m == M_RAW ? res.cands[c].mean
				    : m == M_BORDA     ? res.cands[c].borda
						       : res.cands[c].adjusted;
			agg_result_free(&res);
		}
		for (m = 0; m < M__MAX; m++) {
			t = kendall(est[m], quality, NCANDS);
			tau[m] += t;
			tau2[m] += t * t;
			top[m] += same_top2(est[m], quality, NCANDS);
		}
		t = kendall(est[M_ADJ], quality, NCANDS) -
		    kendall(est[M_RAW], quality, NCANDS);
		adj_better += t > 0;
		adj_worse += t < 0;
	}

	printf("decision quality: %d simulated cycles (seeds 1..%d), %d "
	       "candidates, %d raters,\n",
	    cycles, cycles, NCANDS, NRATERS);
	printf("3-4 raters per candidate (%.1f sheets per cycle); quality "
	       "N(%.0f, %.0f), leniency N(0, %.0f),\n",
	    (double)sheets / cycles, QUALITY_MEAN, QUALITY_SD, LENIENCY_SD);
	printf("noise N(0, %.0f), scores clipped to 0..100\n\n", NOISE_SD);
	printf("%-38s %12s %10s %14s\n", "method", "Kendall tau", "(se)",
	    "top 2 exact");
	for (m = 0; m < M__MAX; m++) {
		double mean = tau[m] / cycles;
		double var = cycles > 1
		    ? (tau2[m] - cycles * mean * mean) / (cycles - 1)
		    : 0;

		printf("%-38s %12.3f %10.3f %13.1f%%\n", methods[m].label, mean,
		    sqrt(fmax(var, 0) / cycles), 100.0 * top[m] / cycles);
	}
	printf("\nadjusted (default) vs raw mean, per cycle: tau higher in "
	       "%.1f%%, lower in %.1f%%, equal in %.1f%%\n",
	    100.0 * adj_better / cycles, 100.0 * adj_worse / cycles,
	    100.0 * (cycles - adj_better - adj_worse) / cycles);
	return (0);
fail:
	fprintf(stderr, "agg_phase failed\n");
	return (1);
}
