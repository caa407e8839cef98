/*
 * Calibration of the ranking's uncertainty (core/uncertainty.h):
 * simulated cycles with a known true order, each aggregated and ranked
 * as the product does, then resampled. Among the candidates given a
 * probability p of a place within the positions, how often are they in
 * the true top k? Printed in bins of p, with the largest gap between the
 * mean p of a bin and its observed share; and what the flag does: how
 * many of a cycle's candidates it marks, and how many of the mistakes at
 * the top (a candidate placed within the positions who does not belong
 * there, or one left out who does) it marks.
 *
 * Cycles as bench/decision.c's base scenario (20 candidates, 6 raters of
 * leniency N(0, 8), noise N(0, 10), 3 or 4 raters each, 2 positions),
 * and a two-phase one (screening 2-3 raters, interview 3-4, 30/70).
 *
 *	build/bench/calibration [cycles]	(default 400)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/aggregate.h"
#include "core/rng.h"
#include "core/uncertainty.h"

#define NCANDS	  20
#define NRATERS	  6
#define POSITIONS 2
#define NBINS	  10
#define MAXSHEET  (NCANDS * NRATERS)

/* Normal with mean and sd, from core/rng.c. */
static double
normal(struct rng *g, double mean, double sd)
{
	return (mean + sd * rng_normal(g));
}

/* A phase's sheets: kmin or kmin + 1 of the least loaded raters each. */
static int
phase_sheets(struct rng *g, const double *quality, const double *lenient,
    int kmin, struct agg_sheet *s)
{
	int load[NRATERS] = { 0 }, used[NRATERS], c, r, j, k, n = 0;
	int best, nbest;

	for (c = 0; c < NCANDS; c++) {
		memset(used, 0, sizeof(used));
		k = kmin + (int)(rng_next(g) & 1);
		for (j = 0; j < k; j++) {
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
				    normal(g, 0, 10.0)));
			n++;
		}
	}
	return (n);
}

static int
run(int nphases, int cycles)
{
	static const int    weights[2] = { 30, 70 };
	struct agg_sheet    s[2][MAXSHEET];
	struct agg_result   res[2];
	struct agg_input    in[2];
	struct unc_phase    ph[2];
	double		    prior[2 * NRATERS];
	struct agg_standing st[NCANDS];
	struct unc_cand	    u[NCANDS];
	double		    quality[NCANDS], lenient[NRATERS];
	double		    psum[NBINS] = { 0 }, worst = 0, brier = 0;
	long		    nbin[NBINS] = { 0 }, hit[NBINS] = { 0 };
	long		    flagged = 0, mistakes = 0, caught = 0, width = 0;
	long		    cover = 0;
	int		    place[NCANDS], seed, c, p, k, n, draws, truth;
	const int	   *w = nphases == 1 ? (const int[]){ 100 } : weights;

	for (seed = 1; seed <= cycles; seed++) {
		struct rng g;

		rng_seed(
		    &g, (uint64_t)seed * 2654435761ULL + (uint64_t)nphases);

		for (c = 0; c < NCANDS; c++)
			quality[c] = normal(&g, 60.0, 12.0);
		for (k = 0; k < NRATERS; k++)
			lenient[k] = normal(&g, 0, 8.0);
		memset(in, 0, sizeof(in));
		for (p = 0; p < nphases; p++) {
			n = phase_sheets(&g, quality, lenient,
			    nphases == 1 ? 3 : 2 + p, s[p]);
			in[p].ncands = NCANDS;
			in[p].nraters = NRATERS;
			in[p].nsheets = n;
			in[p].sheets = s[p];
			in[p].positions = POSITIONS;
		}
		/* As the product fits them: the leniencies across phases. */
		if (agg_phases(nphases, in, res, prior) != 0)
			return (-1);
		for (p = 0; p < nphases; p++) {
			ph[p].sheets = s[p];
			ph[p].nsheets = in[p].nsheets;
			ph[p].res = &res[p];
			ph[p].prior = nphases > 1 ? prior + p * NRATERS : NULL;
		}
		if (agg_rank_cycle(nphases, res, w, POSITIONS, st) != 0)
			return (-1);
		for (c = 0; c < NCANDS; c++)
			place[c] = st[c].rank[AGG_ADJUSTED];
		if (unc_resample(NCANDS, NRATERS, nphases, ph, w, place,
			POSITIONS, NCANDS, (uint64_t)seed, u, &draws) != 0)
			return (-1);
		for (c = 0; c < NCANDS; c++) {
			int b, trank = 1;

			for (k = 0; k < NCANDS; k++)
				trank += quality[k] > quality[c];
			truth = trank <= POSITIONS;
			b = (int)fmin(NBINS - 1, floor(u[c].p_top * NBINS));
			psum[b] += u[c].p_top;
			nbin[b]++;
			hit[b] += truth;
			brier += (u[c].p_top - truth) * (u[c].p_top - truth);
			flagged += u[c].flagged;
			if ((place[c] <= POSITIONS) != truth) {
				mistakes++;
				caught += u[c].flagged;
			}
			width += u[c].rank_hi - u[c].rank_lo;
			cover += trank >= u[c].rank_lo && trank <= u[c].rank_hi;
		}
		for (p = 0; p < nphases; p++)
			agg_result_free(&res[p]);
	}
	printf("\n== %s, %d cycles of %d candidates, %d positions\n",
	    nphases == 1 ? "one phase" : "two phases (30/70)", cycles, NCANDS,
	    POSITIONS);
	printf("%-12s %10s %12s %12s\n", "P(top 2)", "candidates", "mean p",
	    "observed");
	for (k = 0; k < NBINS; k++) {
		double mp, ob;

		if (nbin[k] == 0)
			continue;
		mp = psum[k] / nbin[k];
		ob = (double)hit[k] / nbin[k];
		printf("%4.1f - %-5.1f %10ld %12.3f %12.3f\n", k / 10.0,
		    (k + 1) / 10.0, nbin[k], mp, ob);
		if (nbin[k] >= 50 && fabs(mp - ob) > worst)
			worst = fabs(mp - ob);
	}
	printf("largest gap (bins of 50 or more): %.3f\n", worst);
	printf("Brier score: %.4f\n", brier / ((double)cycles * NCANDS));
	printf("flagged per cycle: %.2f of %d\n", (double)flagged / cycles,
	    NCANDS);
	printf("mistakes at the top: %.2f per cycle, %.1f%% flagged\n",
	    (double)mistakes / cycles,
	    mistakes ? 100.0 * caught / mistakes : 100.0);
	printf("90%% place interval: mean width %.2f places, covers the true "
	       "place %.1f%%\n",
	    (double)width / ((double)cycles * NCANDS),
	    100.0 * cover / ((double)cycles * NCANDS));
	return (0);
}

int
main(int argc, char *argv[])
{
	int cycles = 400;

	if (argc > 1 && (cycles = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: %s [cycles]\n", argv[0]);
		return (2);
	}
	if (run(1, cycles) != 0 || run(2, cycles) != 0) {
		fprintf(stderr, "aggregation failed\n");
		return (1);
	}
	return (0);
}
