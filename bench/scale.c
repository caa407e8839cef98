/*
 * The aggregation at a national size (issue 6, "Bench"): 10,000
 * candidates, 600 raters and 60,000 sheets of 6 criteria, each candidate
 * scored by 6 distinct raters drawn at random. Prints the time of
 * agg_phase() against computing the raw means alone in the same run (and
 * the time of turning the criteria into weighted scores, which both need),
 * and the peak resident memory (getrusage ru_maxrss) before and after.
 * Nothing is asserted: these are figures to read.
 *
 *	build/bench/scale [repeats]	(default 5; bench/scale.sh)
 */
#include <sys/resource.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/aggregate.h"

#define NCANDS	  10000
#define NRATERS	  600
#define PER_CAND  6
#define NSHEETS	  (NCANDS * PER_CAND)
#define NCRIT	  6
#define SCALE_MAX 5 /* criteria are scored 1..5 */

/* The rubric's weights, summing to 100. */
static const int weights[NCRIT] = { 25, 20, 20, 15, 10, 10 };

static uint64_t
rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static double
rng_normal(uint64_t *state)
{
	double u = ((double)(rng_next(state) >> 11) + 0.5) / 9007199254740992.0;
	double v = ((double)(rng_next(state) >> 11) + 0.5) / 9007199254740992.0;

	return (sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v));
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static long
maxrss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_maxrss);
}

/* The weighted 0..100 score of each sheet, as the server computes it. */
static void
weigh(const unsigned char *crit, struct agg_sheet *s)
{
	int i, k;

	for (i = 0; i < NSHEETS; i++) {
		double sum = 0;

		for (k = 0; k < NCRIT; k++)
			sum += weights[k] * (crit[i * NCRIT + k] - 1) /
			    (double)(SCALE_MAX - 1);
		s[i].score = sum;
	}
}

/* The raw means alone: one pass over the sheets. */
static void
raw_means(const struct agg_sheet *s, double *sum, int *count)
{
	int i;

	memset(sum, 0, NCANDS * sizeof(*sum));
	memset(count, 0, NCANDS * sizeof(*count));
	for (i = 0; i < NSHEETS; i++) {
		sum[s[i].cand] += s[i].score;
		count[s[i].cand]++;
	}
	for (i = 0; i < NCANDS; i++)
		sum[i] = count[i] > 0 ? sum[i] / count[i] : 0;
}

/* Pearson correlation, for a sanity line about the estimates. */
static double
corr(const double *x, const double *y, int n)
{
	double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
	int    i;

	for (i = 0; i < n; i++) {
		mx += x[i] / n;
		my += y[i] / n;
	}
	for (i = 0; i < n; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) * (x[i] - mx);
		syy += (y[i] - my) * (y[i] - my);
	}
	return (sxy / sqrt(sxx * syy));
}

int
main(int argc, char *argv[])
{
	struct agg_sheet *s = NULL;
	struct agg_input  in;
	struct agg_result res;
	unsigned char	 *crit = NULL;
	double		 *quality = NULL, *lenient = NULL, *mean = NULL;
	double	*adj = NULL, t0, t_weigh = 1e9, t_raw = 1e9, t_agg = 1e9;
	double	 sum_raw = 0, sum_agg = 0;
	uint64_t seed = 20260101;
	long	 rss_data, rss_raw, rss_agg;
	int	*count = NULL, used[NRATERS];
	int	 repeats = 5, rep, c, j, k, r, n = 0, rc = 1;

	if (argc > 1 && (repeats = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: %s [repeats]\n", argv[0]);
		return (2);
	}
	s = calloc((size_t)NSHEETS, sizeof(*s));
	crit = calloc((size_t)NSHEETS * NCRIT, 1);
	quality = calloc(NCANDS, sizeof(double));
	lenient = calloc(NRATERS, sizeof(double));
	mean = calloc(NCANDS, sizeof(double));
	adj = calloc(NCANDS, sizeof(double));
	count = calloc(NCANDS, sizeof(int));
	if (s == NULL || crit == NULL || quality == NULL || lenient == NULL ||
	    mean == NULL || adj == NULL || count == NULL)
		goto out;

	/* Quality N(60, 12), leniency N(0, 8), noise N(0, 10) in points. */
	for (c = 0; c < NCANDS; c++)
		quality[c] = 60 + 12 * rng_normal(&seed);
	for (r = 0; r < NRATERS; r++)
		lenient[r] = 8 * rng_normal(&seed);
	for (c = 0; c < NCANDS; c++) {
		memset(used, 0, sizeof(used));
		for (j = 0; j < PER_CAND; j++) {
			do
				r = (int)(rng_next(&seed) % NRATERS);
			while (used[r]);
			used[r] = 1;
			s[n].cand = c;
			s[n].rater = r;
			for (k = 0; k < NCRIT; k++) {
				/* Each criterion near the sheet's level. */
				double x = quality[c] + lenient[r] +
				    10 * rng_normal(&seed);
				long level =
				    lround(1 + x / 100 * (SCALE_MAX - 1));

				crit[n * NCRIT + k] =
				    (unsigned char)(level < 1	? 1
					    : level > SCALE_MAX ? SCALE_MAX
								: level);
			}
			n++;
		}
	}
	memset(&in, 0, sizeof(in));
	in.ncands = NCANDS;
	in.nraters = NRATERS;
	in.nsheets = NSHEETS;
	in.sheets = s;
	in.positions = 2;
	rss_data = maxrss_kib();

	for (rep = 0; rep < repeats; rep++) {
		t0 = now();
		weigh(crit, s);
		t_weigh = fmin(t_weigh, now() - t0);
		t0 = now();
		raw_means(s, mean, count);
		t0 = now() - t0;
		t_raw = fmin(t_raw, t0);
		sum_raw += t0;
	}
	rss_raw = maxrss_kib();
	for (rep = 0; rep < repeats; rep++) {
		t0 = now();
		if (agg_phase(&in, &res) == -1) {
			fprintf(stderr, "agg_phase failed\n");
			goto out;
		}
		t0 = now() - t0;
		t_agg = fmin(t_agg, t0);
		sum_agg += t0;
		if (rep + 1 < repeats)
			agg_result_free(&res);
	}
	rss_agg = maxrss_kib();
	for (c = 0; c < NCANDS; c++)
		adj[c] = res.cands[c].adjusted;

	printf("scale: %d candidates, %d raters, %d sheets of %d criteria "
	       "(%d raters per candidate)\n",
	    NCANDS, NRATERS, NSHEETS, NCRIT, PER_CAND);
	printf("%d runs each; best and mean wall time\n\n", repeats);
	printf("%-40s %10s %10s\n", "step", "best ms", "mean ms");
	printf("%-40s %10.3f %10s\n", "weighted scores from criteria",
	    t_weigh * 1e3, "");
	printf("%-40s %10.3f %10.3f\n", "raw means alone", t_raw * 1e3,
	    sum_raw / repeats * 1e3);
	printf("%-40s %10.3f %10.3f\n", "agg_phase (everything)", t_agg * 1e3,
	    sum_agg / repeats * 1e3);
	printf("agg_phase / raw means: %.0f times\n\n", t_agg / t_raw);
	printf(
	    "peak resident memory (ru_maxrss): %ld KiB with the data, "
	    "%ld after raw means,\n%ld after agg_phase (+%ld KiB for it)\n\n",
	    rss_data, rss_raw, rss_agg, rss_agg - rss_raw);
	printf("solver: %d conjugate-gradient steps, %d group(s), sigma %.2f, "
	       "reliability (%s) %.3f\n",
	    res.iterations, res.groups, res.sigma, res.reliability_method,
	    res.reliability);
	printf("correlation with true quality: raw mean %.4f, adjusted %.4f\n",
	    corr(mean, quality, NCANDS), corr(adj, quality, NCANDS));
	agg_result_free(&res);
	rc = 0;
out:
	free(s);
	free(crit);
	free(quality);
	free(lenient);
	free(mean);
	free(adj);
	free(count);
	return (rc);
}
