/*
 * Draws from the posterior of the ranking's model (see uncertainty.h for
 * the model and why). Per phase, once: the raters' precision matrix A,
 * its Cholesky factor and the posterior mean of the leniencies. Per draw:
 * a solve with the factor, a pass over the sheets, and a sort of the
 * placed candidates.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/uncertainty.h"

/* The work of a whole call, in one block of pointers freed together. */
struct prep {
	int	ra;    /* raters with sheets */
	int    *map;   /* nraters: index among them, or -1 */
	double *l;     /* ra * ra: Cholesky factor of A, lower */
	double *bbar;  /* ra: posterior mean of b */
	double *ysum;  /* ncands: sum of the candidate's scores */
	double *mu;    /* ncands: the prior mean of its group */
	int    *n;     /* ncands: its sheets */
	double	kappa; /* sigma^2 / omega^2 */
	double	sigma;
	const struct unc_phase *ph;
	struct unc_phase       *own;	/* ph, over sheets */
	struct agg_sheet       *sheets; /* in canonical order */
};

static void
prep_free(struct prep *p)
{
	free(p->map);
	free(p->l);
	free(p->bbar);
	free(p->ysum);
	free(p->mu);
	free(p->n);
	free(p->own);
	free(p->sheets);
	memset(p, 0, sizeof(*p));
}

/* Cholesky of the ra x ra matrix a in place (lower); -1 if not definite. */
static int
cholesky(double *a, int n)
{
	int i, j, k;

	for (j = 0; j < n; j++) {
		double d = a[j * n + j];

		for (k = 0; k < j; k++)
			d -= a[j * n + k] * a[j * n + k];
		if (!(d > 0.0))
			return (-1);
		a[j * n + j] = sqrt(d);
		for (i = j + 1; i < n; i++) {
			double v = a[i * n + j];

			for (k = 0; k < j; k++)
				v -= a[i * n + k] * a[j * n + k];
			a[i * n + j] = v / a[j * n + j];
		}
		for (i = 0; i < j; i++)
			a[i * n + j] = 0.0;
	}
	return (0);
}

/* x = (L L')^-1 x. */
static void
chol_solve(const double *l, int n, double *x)
{
	int i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < i; k++)
			x[i] -= l[i * n + k] * x[k];
		x[i] /= l[i * n + i];
	}
	for (i = n - 1; i >= 0; i--) {
		for (k = i + 1; k < n; k++)
			x[i] -= l[k * n + i] * x[k];
		x[i] /= l[i * n + i];
	}
}

/* x = L'^-1 x: a draw of N(0, A^-1) from x ~ N(0, I). */
static void
chol_back(const double *l, int n, double *x)
{
	int i, k;

	for (i = n - 1; i >= 0; i--) {
		for (k = i + 1; k < n; k++)
			x[i] -= l[k * n + i] * x[k];
		x[i] /= l[i * n + i];
	}
}

static int
sheet_cmp(const void *x, const void *y)
{
	const struct agg_sheet *a = x, *b = y;

	if (a->cand != b->cand)
		return (a->cand < b->cand ? -1 : 1);
	return ((a->rater > b->rater) - (a->rater < b->rater));
}

/*
 * The phase's prior and posterior mean; 0, or -1 (memory, too large).
 * The sheets are copied in canonical order (candidate, rater), so that
 * every sum runs in one order and the draws do not depend on the order
 * the caller gave, to the last bit.
 */
static int
prepare(const struct unc_phase *given, int nc, int nr, struct prep *p)
{
	struct unc_phase	*ph;
	const struct agg_result *res = given->res;
	double *gsum = NULL, *gcount = NULL, var = 0.0, se2 = 0.0, omega2;
	double *a = NULL;
	int	c, r, i, j, k, active = 0, groups = res->groups, rc = -1;

	memset(p, 0, sizeof(*p));
	if ((ph = calloc(1, sizeof(*ph))) == NULL)
		return (-1);
	p->own = ph;
	ph->nsheets = given->nsheets;
	ph->res = given->res;
	ph->prior = given->prior;
	if ((p->sheets = calloc(
		 (size_t)given->nsheets + 1, sizeof(struct agg_sheet))) == NULL)
		goto out;
	if (given->nsheets > 0)
		memcpy(p->sheets, given->sheets,
		    (size_t)given->nsheets * sizeof(struct agg_sheet));
	qsort(p->sheets, (size_t)given->nsheets, sizeof(struct agg_sheet),
	    sheet_cmp);
	ph->sheets = p->sheets;
	p->ph = ph;
	p->sigma = res->sigma;
	p->map = calloc((size_t)nr + 1, sizeof(int));
	p->ysum = calloc((size_t)nc + 1, sizeof(double));
	p->mu = calloc((size_t)nc + 1, sizeof(double));
	p->n = calloc((size_t)nc + 1, sizeof(int));
	gsum = calloc((size_t)groups + 1, sizeof(double));
	gcount = calloc((size_t)groups + 1, sizeof(double));
	if (p->map == NULL || p->ysum == NULL || p->mu == NULL ||
	    p->n == NULL || gsum == NULL || gcount == NULL)
		goto out;
	for (r = 0; r < nr; r++)
		p->map[r] = res->raters[r].n > 0 ? p->ra++ : -1;
	if (p->ra > UNC_RATERS_MAX)
		goto out;
	for (i = 0; i < ph->nsheets; i++) {
		p->ysum[ph->sheets[i].cand] += ph->sheets[i].score;
		p->n[ph->sheets[i].cand]++;
	}
	/* The prior: each group's mean, one spread for the phase. */
	for (c = 0; c < nc; c++) {
		if (res->cands[c].n == 0 || res->cands[c].group < 0)
			continue;
		gsum[res->cands[c].group] += res->cands[c].adjusted;
		gcount[res->cands[c].group] += 1.0;
	}
	for (c = 0; c < nc; c++) {
		const struct agg_cand *ac = &res->cands[c];
		double		       d;

		if (ac->n == 0 || ac->group < 0)
			continue;
		p->mu[c] = gsum[ac->group] / gcount[ac->group];
		d = ac->adjusted - p->mu[c];
		var += d * d;
		se2 += ac->se * ac->se;
		active++;
	}
	omega2 = active > groups ? var / (active - groups) - se2 / active : 0;
	if (!(omega2 >= UNC_OMEGA2_MIN))
		omega2 = UNC_OMEGA2_MIN;
	p->kappa = p->sigma * p->sigma / omega2;

	/* A, its factor, and the posterior mean of b. */
	p->l = calloc((size_t)p->ra * p->ra + 1, sizeof(double));
	p->bbar = calloc((size_t)p->ra + 1, sizeof(double));
	if (p->l == NULL || p->bbar == NULL)
		goto out;
	a = p->l;
	for (r = 0; r < nr; r++)
		if ((k = p->map[r]) >= 0) {
			a[k * p->ra + k] = res->raters[r].n + res->lambda;
			/* The prior's pull toward its mean. */
			if (ph->prior != NULL && !isnan(ph->prior[r]))
				p->bbar[k] = res->lambda * ph->prior[r];
		}
	/* Sheets are in canonical order, so each candidate's are together. */
	for (i = 0; i < ph->nsheets; i = j) {
		double inv, m;
		int    k2;

		c = ph->sheets[i].cand;
		for (j = i; j < ph->nsheets && ph->sheets[j].cand == c; j++)
			;
		inv = 1.0 / (p->n[c] + p->kappa);
		m = (p->ysum[c] + p->kappa * p->mu[c]) * inv;
		for (k = i; k < j; k++) {
			int ri = p->map[ph->sheets[k].rater];

			p->bbar[ri] += ph->sheets[k].score - m;
			for (k2 = i; k2 < j; k2++)
				a[ri * p->ra + p->map[ph->sheets[k2].rater]] -=
				    inv;
		}
	}
	if (cholesky(a, p->ra) != 0)
		goto out;
	chol_solve(p->l, p->ra, p->bbar);
	rc = 0;
out:
	free(gsum);
	free(gcount);
	if (rc != 0)
		prep_free(p);
	return (rc);
}

/* One draw of the phase's theta into theta[0..nc); b is ra scratch. */
static void
draw_phase(
    const struct prep *p, int nc, struct rng *g, double *b, double *theta)
{
	const struct unc_phase *ph = p->ph;
	int			i, c;

	for (i = 0; i < p->ra; i++)
		b[i] = rng_normal(g);
	chol_back(p->l, p->ra, b);
	for (i = 0; i < p->ra; i++)
		b[i] = p->bbar[i] + p->sigma * b[i];
	for (c = 0; c < nc; c++)
		theta[c] = p->ysum[c] + p->kappa * p->mu[c];
	for (i = 0; i < ph->nsheets; i++)
		theta[ph->sheets[i].cand] -= b[p->map[ph->sheets[i].rater]];
	for (c = 0; c < nc; c++) {
		double prec = p->n[c] + p->kappa;

		theta[c] =
		    theta[c] / prec + p->sigma / sqrt(prec) * rng_normal(g);
	}
}

/* Candidates of one draw, for its sort. */
struct drawn {
	double value;
	int    tier, cand;
};

static int
drawn_cmp(const void *x, const void *y)
{
	const struct drawn *a = x, *b = y;

	if (a->tier != b->tier)
		return (a->tier < b->tier ? -1 : 1);
	if (a->value != b->value)
		return (a->value > b->value ? -1 : 1);
	return ((a->cand > b->cand) - (a->cand < b->cand));
}

/*
 * The 5th and 95th percentiles of the n places in r (each 1..nplaced),
 * the elements a sort would put at floor(0.05 (n - 1)) and ceil(0.95 (n -
 * 1)), by counting: hist is nplaced + 1 scratch.
 */
static void
rank_interval(const int *r, int n, int nplaced, int *hist, int *lo, int *hi)
{
	int i, k, seen = 0;
	int want_lo = (int)floor(0.05 * (n - 1));
	int want_hi = (int)ceil(0.95 * (n - 1));

	memset(hist, 0, ((size_t)nplaced + 1) * sizeof(int));
	for (i = 0; i < n; i++)
		hist[r[i]]++;
	*lo = *hi = nplaced;
	for (k = 1; k <= nplaced; k++) {
		if (seen <= want_lo && want_lo < seen + hist[k])
			*lo = k;
		if (seen <= want_hi && want_hi < seen + hist[k]) {
			*hi = k;
			break;
		}
		seen += hist[k];
	}
}

int
unc_resample(int ncands, int nraters, int nphases,
    const struct unc_phase *phases, const int *weights, const int *place,
    int positions, int depth, uint64_t seed, struct unc_cand *out, int *draws)
{
	struct prep  *prep = NULL;
	struct drawn *v = NULL;
	struct rng    g;
	double	     *theta = NULL, *b = NULL, *comp = NULL, cost;
	int	     *ranks = NULL, *tier = NULL, *next = NULL, *byplace = NULL;
	int	     *swaps = NULL, *top = NULL, *inlist = NULL, *hist = NULL;
	int	      nplaced = 0, ndraws, d, c, p, k, rc = -1, maxra = 0;
	size_t	      ns = 0;

	if (ncands < 0 || nraters < 0 || nphases < 1 || phases == NULL ||
	    weights == NULL || (ncands > 0 && (place == NULL || out == NULL)) ||
	    positions < 1 || depth < positions || draws == NULL)
		return (-1);
	*draws = 0;
	for (p = 0; p < nphases; p++)
		if (phases[p].res == NULL || phases[p].res->ncands != ncands ||
		    phases[p].res->nraters != nraters ||
		    phases[p].nsheets < 0 ||
		    (phases[p].nsheets > 0 && phases[p].sheets == NULL))
			return (-1);
	for (c = 0; c < ncands; c++) {
		out[c].p_top = out[c].p_list = out[c].p_swap_next = NAN;
		out[c].rank_lo = out[c].rank_hi = out[c].flagged = 0;
		if (place[c] > 0)
			nplaced++;
	}
	if (nplaced == 0)
		return (0);
	prep = calloc((size_t)nphases, sizeof(*prep));
	byplace = calloc((size_t)nplaced + 1, sizeof(int));
	tier = calloc((size_t)ncands + 1, sizeof(int));
	if (prep == NULL || byplace == NULL || tier == NULL)
		goto out;
	for (c = 0; c < ncands; c++) {
		if (place[c] <= 0)
			continue;
		if (place[c] > nplaced || byplace[place[c] - 1] != 0)
			goto out; /* places must be 1..nplaced, each once */
		byplace[place[c] - 1] = c + 1;
	}
	for (p = 0; p < nphases; p++) {
		if (weights[p] <= 0)
			continue;
		if (prepare(&phases[p], ncands, nraters, &prep[p]) != 0)
			goto out;
		if (prep[p].ra > maxra)
			maxra = prep[p].ra;
		ns += (size_t)phases[p].nsheets;
	}
	/* Complete candidates first, as the ranking places them. */
	for (c = 0; c < ncands; c++)
		for (p = 0; p < nphases; p++)
			if (weights[p] > 0 && phases[p].res->cands[c].n == 0)
				tier[c] = 1;
	/* Draws: about 2e7 operations in all, within the bounds. */
	cost = (double)ns + (double)maxra * maxra +
	    (double)nplaced * (log2((double)nplaced) + 1.0) + 1.0;
	ndraws = (int)fmin(UNC_DRAWS_MAX, fmax(UNC_DRAWS_MIN, 2e7 / cost));
	if ((size_t)ndraws * (size_t)nplaced > ((size_t)1 << 23))
		ndraws = (int)fmax(1.0, (double)((size_t)1 << 23) / nplaced);
	theta = calloc((size_t)nphases * ncands + 1, sizeof(double));
	b = calloc((size_t)maxra + 1, sizeof(double));
	comp = calloc((size_t)ncands + 1, sizeof(double));
	v = calloc((size_t)nplaced + 1, sizeof(*v));
	ranks = calloc((size_t)ndraws * nplaced + 1, sizeof(int));
	next = calloc((size_t)ncands + 1, sizeof(int));
	swaps = calloc((size_t)ncands + 1, sizeof(int));
	top = calloc((size_t)ncands + 1, sizeof(int));
	inlist = calloc((size_t)ncands + 1, sizeof(int));
	hist = calloc((size_t)nplaced + 1, sizeof(int));
	if (hist == NULL || theta == NULL || b == NULL || comp == NULL ||
	    v == NULL || ranks == NULL || next == NULL || swaps == NULL ||
	    top == NULL || inlist == NULL)
		goto out;
	for (k = 0; k < nplaced; k++)
		next[byplace[k] - 1] = k + 1 < nplaced ? byplace[k + 1] : 0;

	rng_seed(&g, seed);
	for (d = 0; d < ndraws; d++) {
		for (p = 0; p < nphases; p++)
			if (weights[p] > 0)
				draw_phase(&prep[p], ncands, &g, b,
				    theta + (size_t)p * ncands);
		k = 0;
		for (c = 0; c < ncands; c++) {
			double sum = 0.0, wsum = 0.0;

			if (place[c] <= 0)
				continue;
			for (p = 0; p < nphases; p++) {
				if (weights[p] <= 0 ||
				    phases[p].res->cands[c].n == 0)
					continue;
				sum +=
				    weights[p] * theta[(size_t)p * ncands + c];
				wsum += weights[p];
			}
			comp[c] = wsum > 0 ? sum / wsum : 0.0;
			v[k].value = comp[c];
			v[k].tier = tier[c];
			v[k].cand = c;
			k++;
		}
		qsort(v, (size_t)nplaced, sizeof(*v), drawn_cmp);
		for (k = 0; k < nplaced; k++) {
			c = v[k].cand;
			/* ranks is by place order: the candidate's slot. */
			ranks[(size_t)(place[c] - 1) * ndraws + d] = k + 1;
			top[c] += k < positions;
			inlist[c] += k < depth;
		}
		for (c = 0; c < ncands; c++) {
			int n1 = next[c] - 1;

			if (place[c] <= 0 || n1 < 0)
				continue;
			if (tier[c] > tier[n1] ||
			    (tier[c] == tier[n1] && comp[c] < comp[n1]))
				swaps[c]++;
		}
	}
	for (c = 0; c < ncands; c++) {
		if (place[c] <= 0)
			continue;
		rank_interval(ranks + (size_t)(place[c] - 1) * ndraws, ndraws,
		    nplaced, hist, &out[c].rank_lo, &out[c].rank_hi);
		out[c].p_top = (double)top[c] / ndraws;
		out[c].p_list = (double)inlist[c] / ndraws;
		out[c].p_swap_next =
		    next[c] > 0 ? (double)swaps[c] / ndraws : NAN;
		out[c].flagged =
		    out[c].p_top >= UNC_FLAG_LO && out[c].p_top <= UNC_FLAG_HI;
	}
	*draws = ndraws;
	rc = 0;
out:
	if (prep != NULL)
		for (p = 0; p < nphases; p++)
			prep_free(&prep[p]);
	free(prep);
	free(byplace);
	free(tier);
	free(theta);
	free(b);
	free(comp);
	free(v);
	free(ranks);
	free(next);
	free(swaps);
	free(top);
	free(inlist);
	free(hist);
	return (rc);
}

int
unc_percent(double p)
{
	if (isnan(p))
		return (-1);
	return ((int)lround(100.0 * (round(p * 1000.0) / 1000.0)));
}

const char *
unc_words(double p, int positions, char *buf, size_t size)
{
	char line[64];
	int  pct = unc_percent(p);

	if (size == 0)
		return (buf);
	(void)snprintf(line, sizeof(line),
	    positions == 1 ? "the position" : "the %d positions", positions);
	if (isnan(p))
		(void)snprintf(buf, size, "No estimate.");
	else if (p >= 0.9)
		(void)snprintf(buf, size, "Almost certainly within %s (%d %%).",
		    line, pct);
	else if (p >= 0.7)
		(void)snprintf(
		    buf, size, "Probably within %s (%d %%).", line, pct);
	else if (p > 0.3)
		(void)snprintf(buf, size,
		    "Could be on either side of the line (%d %% within %s).",
		    pct, line);
	else if (p > 0.1)
		(void)snprintf(buf, size,
		    "Probably below the line (%d %% within %s).", pct, line);
	else
		(void)snprintf(buf, size,
		    "Almost certainly below the line (%d %% within %s).", pct,
		    line);
	return (buf);
}
