/*
 * Aggregation of one phase's sheets (see aggregate.h for the model and its
 * choices). The work is laid out so that it grows with the number of
 * sheets:
 *
 *  1. The sheets are checked and sorted by candidate, then rater, which
 *     is a canonical order because a rater has one sheet per candidate;
 *     every later loop walks this order or a per-rater index built from
 *     it, so the floating-point sums, and the result, do not depend on
 *     the order the caller gave.
 *  2. Groups: a union-find over raters and candidates.
 *  3. The fit. For given leniencies b the best theta of a candidate is the
 *     mean of its scores less the mean b of its raters, so theta is
 *     eliminated and the raters' normal equations remain:
 *
 *	(n_r + lambda) b_r - sum over r's sheets s of B_c(s) / n_c(s) = g_r
 *
 *     with B_c the sum of b over candidate c's raters and g_r the sum of
 *     r's scores less their candidates' means. The matrix is the Schur
 *     complement of the full normal equations, symmetric and positive
 *     definite for lambda > 0 (semi-definite for lambda 0, where the
 *     right-hand side sums to zero over each group, so the system is
 *     consistent and conjugate gradients from zero stay orthogonal to
 *     its null space). Conjugate gradients with the diagonal n_r + lambda
 *     as preconditioner solve it; each product is two passes over the
 *     sheets. The leniencies of each group are then recentred on zero to
 *     remove rounding drift, which leaves every fitted value as it was.
 *  4. The statistics per candidate, Borda points per rater, the places
 *     (agg_places(), the tie rule of aggregate.h), and Krippendorff's
 *     alpha, each in one pass or a sort.
 *
 * Means are taken about the first value of their set (m = x0 + sum(x -
 * x0) / n), so a set of equal values has exactly that value as its mean
 * and zero spread, with no rounding residue.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/aggregate.h"

/* Conjugate gradients stop at this relative residual, or after the cap. */
#define CG_TOL	    1e-13
#define CG_MIN_ITER 100

/* The working state of one call, freed in one place. */
struct work {
	int		  nc, nr, ns;
	double		  lambda;
	int		  estimate; /* lambda by restricted likelihood */
	struct agg_sheet *s;	    /* ns sheets, sorted by candidate, rater */
	int		 *cstart;   /* nc + 1: c's sheets are cstart[c].. */
	int		 *rstart;   /* nr + 1: r's entries in rsheet */
	int		 *rsheet;   /* ns sheet indexes, by rater, then cand */
	int		 *parent;   /* nr + nc union-find: raters, then cands */
	const double	 *prior;    /* nr leniency prior means, or NULL */
	double		 *cmean;    /* nc means of the scores less priors */
	double		 *b;	    /* nr leniencies */
	double		 *theta;    /* nc adjusted scores */
	double		 *cg;	   /* 4 * nr: residual, direction, product, z */
	double		 *bsum;	   /* nc: B_c */
	double		 *scratch; /* ns values for medians and sorts */
};

/* Rater r's prior leniency: 0 without one (NAN or no priors at all). */
static double
prior_of(const struct work *w, int r)
{
	return (w->prior != NULL && !isnan(w->prior[r]) ? w->prior[r] : 0.0);
}

/* A sheet's score less its rater's prior leniency: what the ridge fits. */
static double
fitted_score(const struct work *w, const struct agg_sheet *s)
{
	return (s->score - prior_of(w, s->rater));
}

/* Whether every rater with sheets has a prior (see reml_lambda()). */
static int
all_priors(const struct work *w)
{
	int r;

	if (w->prior == NULL)
		return (0);
	for (r = 0; r < w->nr; r++)
		if (w->rstart[r + 1] > w->rstart[r] && isnan(w->prior[r]))
			return (0);
	return (1);
}

static int
sheet_cmp(const void *a, const void *b)
{
	const struct agg_sheet *x = a, *y = b;

	if (x->cand != y->cand)
		return (x->cand < y->cand ? -1 : 1);
	if (x->rater != y->rater)
		return (x->rater < y->rater ? -1 : 1);
	return (0);
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

/* Pairs of a score with its sheet, for ordering one rater's sheets. */
struct scored {
	double score;
	int    sheet;
};

static int
scored_cmp(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->score != y->score)
		return (x->score < y->score ? -1 : 1);
	return ((x->sheet > y->sheet) - (x->sheet < y->sheet));
}

static void
work_free(struct work *w)
{
	free(w->s);
	free(w->cstart);
	free(w->rstart);
	free(w->rsheet);
	free(w->parent);
	free(w->cmean);
	free(w->b);
	free(w->theta);
	free(w->cg);
	free(w->bsum);
	free(w->scratch);
}

static void *
xcalloc(size_t n, size_t size)
{
	/* One byte at least, so that a zero count is not a failure. */
	return (calloc(n > 0 ? n : 1, size));
}

static int
uf_find(int *parent, int x)
{
	int root = x, next;

	while (parent[root] != root)
		root = parent[root];
	while (parent[x] != root) {
		next = parent[x];
		parent[x] = root;
		x = next;
	}
	return (root);
}

static void
uf_union(int *parent, int x, int y)
{
	int a = uf_find(parent, x), b = uf_find(parent, y);

	/* The smaller index becomes the root, which keeps it reproducible. */
	if (a < b)
		parent[b] = a;
	else if (b < a)
		parent[a] = b;
}

/* Appends piece to the warning; once it is full, ends it with "..." once. */
static void
warn_add(char *buf, size_t size, int *cut, const char *piece)
{
	size_t len, add;

	if (*cut)
		return;
	len = strlen(buf);
	add = strlen(piece);
	if (len + add < size) {
		memcpy(buf + len, piece, add + 1);
		return;
	}
	*cut = 1;
	if (len + 4 > size)
		len = size - 4;
	memcpy(buf + len, "...", 4);
}

/*
 * Checks the input and copies the sheets in canonical order. Returns 0,
 * or -1 on bad input (duplicates included) or no memory.
 */
static int
load_sheets(const struct agg_input *in, struct work *w)
{
	int i;

	for (i = 0; i < in->nsheets; i++) {
		const struct agg_sheet *s = &in->sheets[i];

		if (s->cand < 0 || s->cand >= in->ncands || s->rater < 0 ||
		    s->rater >= in->nraters)
			return (-1);
		/* Written so that NaN fails too. */
		if (!(s->score >= 0.0 && s->score <= 100.0))
			return (-1);
	}
	if ((w->s = xcalloc(w->ns, sizeof(*w->s))) == NULL)
		return (-1);
	if (w->ns > 0)
		memcpy(w->s, in->sheets, (size_t)w->ns * sizeof(*w->s));
	qsort(w->s, (size_t)w->ns, sizeof(*w->s), sheet_cmp);
	for (i = 1; i < w->ns; i++)
		if (sheet_cmp(&w->s[i - 1], &w->s[i]) == 0)
			return (-1);
	return (0);
}

/* Builds the per-candidate ranges and the per-rater index. */
static int
index_sheets(struct work *w)
{
	int i, r, *fill = NULL;

	w->cstart = xcalloc((size_t)w->nc + 1, sizeof(int));
	w->rstart = xcalloc((size_t)w->nr + 1, sizeof(int));
	w->rsheet = xcalloc(w->ns, sizeof(int));
	fill = xcalloc((size_t)w->nr + 1, sizeof(int));
	if (w->cstart == NULL || w->rstart == NULL || w->rsheet == NULL ||
	    fill == NULL) {
		free(fill);
		return (-1);
	}
	for (i = 0; i < w->ns; i++) {
		w->cstart[w->s[i].cand + 1]++;
		w->rstart[w->s[i].rater + 1]++;
	}
	for (i = 0; i < w->nc; i++)
		w->cstart[i + 1] += w->cstart[i];
	for (r = 0; r < w->nr; r++)
		w->rstart[r + 1] += w->rstart[r];
	/* Sheets are in candidate order, so each rater's list is too. */
	for (i = 0; i < w->ns; i++) {
		r = w->s[i].rater;
		w->rsheet[w->rstart[r] + fill[r]++] = i;
	}
	free(fill);
	return (0);
}

/* Numbers the groups by lowest rater index; returns their count. */
static int
find_groups(struct work *w, struct agg_result *out)
{
	int *gid = NULL, i, r, c, root, ngroups = 0;

	for (i = 0; i < w->nr + w->nc; i++)
		w->parent[i] = i;
	for (i = 0; i < w->ns; i++)
		uf_union(w->parent, w->s[i].rater, w->nr + w->s[i].cand);
	if ((gid = xcalloc((size_t)w->nr + w->nc, sizeof(int))) == NULL)
		return (-1);
	for (i = 0; i < w->nr + w->nc; i++)
		gid[i] = -1;
	for (r = 0; r < w->nr; r++) {
		out->raters[r].group = -1;
		if (w->rstart[r + 1] == w->rstart[r])
			continue;
		root = uf_find(w->parent, r);
		if (gid[root] == -1)
			gid[root] = ngroups++;
		out->raters[r].group = gid[root];
	}
	for (c = 0; c < w->nc; c++) {
		out->cands[c].group = -1;
		if (w->cstart[c + 1] > w->cstart[c])
			out->cands[c].group =
			    gid[uf_find(w->parent, w->nr + c)];
	}
	free(gid);
	return (ngroups);
}

int
agg_group_warning(const struct agg_result *res, const char *const *names,
    char *buf, size_t size)
{
	char piece[300];
	int  g, r, c, first, count, cut = 0;

	if (size == 0)
		return (0);
	buf[0] = '\0';
	if (res == NULL || res->groups < 2)
		return (0);
	(void)snprintf(piece, sizeof(piece),
	    "The raters fall into %d groups with no candidate in common, "
	    "so their scores cannot be compared across groups:",
	    res->groups);
	warn_add(buf, size, &cut, piece);
	for (g = 0; g < res->groups && !cut; g++) {
		first = 1;
		for (r = 0; r < res->nraters && !cut; r++) {
			if (res->raters[r].group != g)
				continue;
			if (names != NULL)
				(void)snprintf(piece, sizeof(piece), "%s%s",
				    first ? " " : ", ", names[r]);
			else
				(void)snprintf(piece, sizeof(piece), "%s%d",
				    first ? " raters " : ", ", r);
			warn_add(buf, size, &cut, piece);
			first = 0;
		}
		count = 0;
		for (c = 0; c < res->ncands; c++)
			count += res->cands[c].group == g;
		(void)snprintf(piece, sizeof(piece), " (%d candidate%s)%s",
		    count, count == 1 ? "" : "s",
		    g + 1 < res->groups ? ";" : ".");
		warn_add(buf, size, &cut, piece);
	}
	return (cut);
}

/* y = M x for the raters' equations (see the top of the file). */
static void
matvec(struct work *w, const double *x, double *y)
{
	int c, i, r, k;

	for (c = 0; c < w->nc; c++) {
		double sum = 0.0;

		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++)
			sum += x[w->s[i].rater];
		w->bsum[c] = w->cstart[c + 1] > w->cstart[c]
		    ? sum / (w->cstart[c + 1] - w->cstart[c])
		    : 0.0;
	}
	for (r = 0; r < w->nr; r++) {
		int    n = w->rstart[r + 1] - w->rstart[r];
		double sum = 0.0;

		for (k = w->rstart[r]; k < w->rstart[r + 1]; k++)
			sum += w->bsum[w->s[w->rsheet[k]].cand];
		/* A rater without sheets has the equation b = 0. */
		y[r] = n > 0 ? (n + w->lambda) * x[r] - sum : x[r];
	}
}

static double
dot(const double *x, const double *y, int n)
{
	double sum = 0.0;
	int    i;

	for (i = 0; i < n; i++)
		sum += x[i] * y[i];
	return (sum);
}

/* Solves for the leniencies; returns the number of steps taken. */
static int
solve(struct work *w)
{
	size_t	nr = (size_t)w->nr;
	double *res = w->cg, *dir = w->cg + nr, *prod = w->cg + 2 * nr;
	double *z = w->cg + 3 * nr;
	double	rz, rz_next, alpha, norm0, pap;
	int	r, k, it, cap;

	/* The right-hand side g, and the start b = 0. */
	for (r = 0; r < w->nr; r++) {
		double sum = 0.0;

		for (k = w->rstart[r]; k < w->rstart[r + 1]; k++) {
			const struct agg_sheet *s = &w->s[w->rsheet[k]];

			sum += fitted_score(w, s) - w->cmean[s->cand];
		}
		res[r] = sum;
		w->b[r] = 0.0;
	}
	norm0 = sqrt(dot(res, res, w->nr));
	if (norm0 == 0.0)
		return (0);
	for (r = 0; r < w->nr; r++) {
		int n = w->rstart[r + 1] - w->rstart[r];

		z[r] = n > 0 ? res[r] / (n + w->lambda) : res[r];
		dir[r] = z[r];
	}
	rz = dot(res, z, w->nr);
	cap = 4 * w->nr + CG_MIN_ITER;
	for (it = 0; it < cap; it++) {
		matvec(w, dir, prod);
		pap = dot(dir, prod, w->nr);
		if (!(pap > 0.0))
			break;
		alpha = rz / pap;
		for (r = 0; r < w->nr; r++) {
			w->b[r] += alpha * dir[r];
			res[r] -= alpha * prod[r];
		}
		if (sqrt(dot(res, res, w->nr)) <= CG_TOL * norm0) {
			it++;
			break;
		}
		for (r = 0; r < w->nr; r++) {
			int n = w->rstart[r + 1] - w->rstart[r];

			z[r] = n > 0 ? res[r] / (n + w->lambda) : res[r];
		}
		rz_next = dot(res, z, w->nr);
		for (r = 0; r < w->nr; r++)
			dir[r] = z[r] + (rz_next / rz) * dir[r];
		rz = rz_next;
	}
	return (it);
}

/*
 * The restricted likelihood of the ridge's pseudo-count (see aggregate.h).
 * With the candidates' effects profiled out, the raters' equations are
 * (M + lambda I) b = g with M the matrix of the top of the file for
 * lambda 0, and, with sigma^2 profiled out too,
 *
 *	-2 log L_R(lambda) = log det(I + M / lambda)
 *	    + (N - p) log(S - g' (M + lambda I)^-1 g) + constant
 *
 * where S is the sum of squares of the scores about their candidates'
 * means, N the sheets and p the candidates with sheets. The second term
 * is the penalised residual sum of squares of the ridge at lambda. Both
 * come out of one Cholesky factorisation of M + lambda I over the raters
 * with sheets: log det(I + M / lambda) = log det(M + lambda I) - R log
 * lambda, and g' (M + lambda I)^-1 g from two triangular solves.
 */
struct reml {
	int	ra;    /* raters with sheets */
	double *m;     /* ra * ra: M */
	double *a;     /* ra * ra: the factor of M + lambda I */
	double *g;     /* ra */
	double *y;     /* ra */
	double	s;     /* S */
	int	resid; /* N - p */
};

/* -2 log L_R at lambda, up to a constant; HUGE_VAL when it fails. */
static double
reml_objective(struct reml *q, double lambda)
{
	double logdet = 0.0, quad = 0.0, d, prss;
	int    n = q->ra, i, j, k;

	for (i = 0; i < n * n; i++)
		q->a[i] = q->m[i];
	for (i = 0; i < n; i++)
		q->a[i * n + i] += lambda;
	/* Cholesky, lower triangle in place. */
	for (j = 0; j < n; j++) {
		d = q->a[j * n + j];
		for (k = 0; k < j; k++)
			d -= q->a[j * n + k] * q->a[j * n + k];
		if (!(d > 0.0))
			return (HUGE_VAL);
		q->a[j * n + j] = sqrt(d);
		logdet += log(d);
		for (i = j + 1; i < n; i++) {
			double v = q->a[i * n + j];

			for (k = 0; k < j; k++)
				v -= q->a[i * n + k] * q->a[j * n + k];
			q->a[i * n + j] = v / q->a[j * n + j];
		}
	}
	/* L y = g; then g' (L L')^-1 g = y' y. */
	for (i = 0; i < n; i++) {
		double v = q->g[i];

		for (k = 0; k < i; k++)
			v -= q->a[i * n + k] * q->y[k];
		q->y[i] = v / q->a[i * n + i];
		quad += q->y[i] * q->y[i];
	}
	prss = q->s - quad;
	if (!(prss > 0.0))
		return (HUGE_VAL);
	return (logdet - n * log(lambda) + q->resid * log(prss));
}

/*
 * The pseudo-count that maximises the restricted likelihood, searched on
 * log lambda between AGG_LAMBDA_MIN and AGG_LAMBDA_MAX: a grid of half
 * decades, then golden sections around its best point. 0 and *lambda
 * set, or 1 when the design cannot say (too few raters or residual
 * degrees of freedom, no spread, more raters than AGG_REML_RATERS_MAX),
 * or -1 when memory runs out.
 */
static int
reml_lambda(struct work *w, double *lambda)
{
	struct reml q;
	int	   *map = NULL, r, c, i, j, active_c = 0, best, rc = 1, k;
	double	    grid[32], val[32], lo, hi, x1, x2, f1, f2, gr;
	int	    ngrid = 0;

	memset(&q, 0, sizeof(q));
	if ((map = xcalloc(w->nr, sizeof(int))) == NULL)
		return (-1);
	for (r = 0; r < w->nr; r++)
		map[r] = w->rstart[r + 1] > w->rstart[r] ? q.ra++ : -1;
	for (c = 0; c < w->nc; c++)
		active_c += w->cstart[c + 1] > w->cstart[c];
	q.resid = w->ns - active_c;
	if (q.ra < 2 || q.ra > AGG_REML_RATERS_MAX || q.resid < 2)
		goto out;
	q.m = xcalloc((size_t)q.ra * q.ra, sizeof(double));
	q.a = xcalloc((size_t)q.ra * q.ra, sizeof(double));
	q.g = xcalloc(q.ra, sizeof(double));
	q.y = xcalloc(q.ra, sizeof(double));
	if (q.m == NULL || q.a == NULL || q.g == NULL || q.y == NULL) {
		rc = -1;
		goto out;
	}
	for (c = 0; c < w->nc; c++) {
		int    n = w->cstart[c + 1] - w->cstart[c];
		double inv;

		if (n == 0)
			continue;
		inv = 1.0 / n;
		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++) {
			const struct agg_sheet *s = &w->s[i];
			double d = fitted_score(w, s) - w->cmean[c];

			q.s += d * d;
			q.g[map[s->rater]] += d;
			for (j = w->cstart[c]; j < w->cstart[c + 1]; j++)
				q.m[map[s->rater] * q.ra +
				    map[w->s[j].rater]] -= inv;
		}
	}
	for (r = 0; r < w->nr; r++)
		if (map[r] >= 0)
			q.m[map[r] * q.ra + map[r]] +=
			    w->rstart[r + 1] - w->rstart[r];
	if (!(q.s > 0.0))
		goto out;
	/* The grid, half a decade apart. */
	for (x1 = log10(AGG_LAMBDA_MIN);
	     x1 <= log10(AGG_LAMBDA_MAX) + 1e-9 && ngrid < 32; x1 += 0.5) {
		grid[ngrid] = x1;
		val[ngrid] = reml_objective(&q, pow(10.0, x1));
		ngrid++;
	}
	best = 0;
	for (k = 1; k < ngrid; k++)
		if (val[k] < val[best])
			best = k;
	if (!(val[best] < HUGE_VAL))
		goto out;
	lo = grid[best > 0 ? best - 1 : 0];
	hi = grid[best + 1 < ngrid ? best + 1 : ngrid - 1];
	gr = (sqrt(5.0) - 1.0) / 2.0;
	x1 = hi - gr * (hi - lo);
	x2 = lo + gr * (hi - lo);
	f1 = reml_objective(&q, pow(10.0, x1));
	f2 = reml_objective(&q, pow(10.0, x2));
	for (k = 0; k < 40 && hi - lo > 1e-4; k++) {
		if (f1 <= f2) {
			hi = x2;
			x2 = x1;
			f2 = f1;
			x1 = hi - gr * (hi - lo);
			f1 = reml_objective(&q, pow(10.0, x1));
		} else {
			lo = x1;
			x1 = x2;
			f1 = f2;
			x2 = lo + gr * (hi - lo);
			f2 = reml_objective(&q, pow(10.0, x2));
		}
	}
	x1 = (lo + hi) / 2.0;
	f1 = reml_objective(&q, pow(10.0, x1));
	/* The grid's ends are boundaries: keep a point there as it is. */
	if (val[best] <= f1) {
		x1 = grid[best];
		f1 = val[best];
	}
	*lambda = pow(10.0, x1);
	/*
	 * Whether the raters differ at all: the likelihood ratio (a 10 % test) against
	 * the top of the range (leniencies all but zero), whose null
	 * distribution is half chi-square with one degree of freedom and
	 * half a point mass at zero. When they do, the design is trusted
	 * only as far as it is connected, not as far as it is random: a
	 * shrunk leniency is unbiased only when who scores whom does not
	 * depend on leniency and quality, and a program that sends its
	 * strongest candidates to its hardest raters breaks that. So each
	 * rater is then corrected fully (AGG_LAMBDA_MIN). Not so when every
	 * rater of the phase has a prior (agg_phases()): the leniencies then
	 * shrink toward each rater's own leniency as the other phases
	 * measured it, not toward zero, and the likelihood says how far,
	 * confounded or not (the test would see every disagreement between
	 * the phases' noisy measures as raters differing, and throw away
	 * what the other phases know). One rater without a prior would be
	 * shrunk toward zero: the test then stands, for all.
	 */
	if (!all_priors(w) && val[ngrid - 1] - f1 > AGG_REML_DIFFER)
		*lambda = AGG_LAMBDA_MIN;
	rc = 0;
out:
	free(map);
	free(q.m);
	free(q.a);
	free(q.g);
	free(q.y);
	return (rc);
}

/* Recentres the leniencies of each group on zero. */
static int
recentre(struct work *w, const struct agg_result *out)
{
	double *sum = NULL;
	int    *count = NULL, r, g;

	sum = xcalloc((size_t)out->groups, sizeof(double));
	count = xcalloc((size_t)out->groups, sizeof(int));
	if (sum == NULL || count == NULL) {
		free(sum);
		free(count);
		return (-1);
	}
	for (r = 0; r < w->nr; r++) {
		if ((g = out->raters[r].group) < 0)
			continue;
		sum[g] += w->b[r];
		count[g]++;
	}
	for (r = 0; r < w->nr; r++)
		if ((g = out->raters[r].group) >= 0)
			w->b[r] -= sum[g] / count[g];
	free(sum);
	free(count);
	return (0);
}

/*
 * The raw statistics, theta, the residual sum of squares and the
 * leniency-corrected spread of each candidate.
 */
static double
candidate_stats(struct work *w, struct agg_result *out)
{
	double rss = 0.0;
	int    c, i, n;

	for (c = 0; c < w->nc; c++) {
		struct agg_cand *ac = &out->cands[c];
		double		 x0, sum = 0.0, ss = 0.0, bs = 0.0, d;
		double		 cmin, cmax, cx0, csum = 0.0, css = 0.0, cm;
		double		*v = w->scratch;

		n = ac->n = w->cstart[c + 1] - w->cstart[c];
		if (n == 0)
			continue;
		x0 = w->s[w->cstart[c]].score;
		ac->min = ac->max = x0;
		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++) {
			d = w->s[i].score;
			sum += d - x0;
			bs += w->b[w->s[i].rater];
			if (d < ac->min)
				ac->min = d;
			if (d > ac->max)
				ac->max = d;
			v[i - w->cstart[c]] = d;
		}
		ac->mean = x0 + sum / n;
		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++) {
			d = w->s[i].score - ac->mean;
			ss += d * d;
		}
		ac->sd = n > 1 ? sqrt(ss / (n - 1)) : 0.0;
		qsort(v, (size_t)n, sizeof(double), double_cmp);
		ac->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		w->theta[c] = ac->mean - bs / n;
		ac->adjusted = w->theta[c];

		/* Residuals, and the spread after leniency is taken out. */
		cx0 = w->s[w->cstart[c]].score - w->b[w->s[w->cstart[c]].rater];
		cmin = cmax = cx0;
		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++) {
			d = w->s[i].score - w->b[w->s[i].rater];
			csum += d - cx0;
			if (d < cmin)
				cmin = d;
			if (d > cmax)
				cmax = d;
			rss += (d - w->theta[c]) * (d - w->theta[c]);
		}
		cm = cx0 + csum / n;
		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++) {
			d = w->s[i].score - w->b[w->s[i].rater] - cm;
			css += d * d;
		}
		ac->disagree = n > 1 &&
		    (sqrt(css / (n - 1)) > AGG_DISAGREE_SD ||
			cmax - cmin > AGG_DISAGREE_RANGE);
	}
	return (rss);
}

/* The standard errors and intervals, once sigma is known. */
static void
candidate_se(struct work *w, struct agg_result *out)
{
	double s2 = out->sigma * out->sigma;
	int    c, i, n;

	for (c = 0; c < w->nc; c++) {
		struct agg_cand *ac = &out->cands[c];
		double		 rsum = 0.0;

		if ((n = ac->n) == 0)
			continue;
		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++)
			rsum +=
			    1.0 / (out->raters[w->s[i].rater].n + w->lambda);
		ac->se = sqrt(s2 / n + s2 * rsum / ((double)n * n));
		ac->lo = fmax(0.0, fmin(100.0, ac->adjusted - 1.96 * ac->se));
		ac->hi = fmax(0.0, fmin(100.0, ac->adjusted + 1.96 * ac->se));
	}
}

/* Borda points: each rater's sheets, by score, as shares of the others. */
static int
borda(struct work *w, struct agg_result *out)
{
	struct scored *v = NULL;
	double	      *points = w->scratch;
	int	      *nvotes = NULL, r, c, k, j, n, i;

	v = xcalloc(w->ns, sizeof(*v));
	nvotes = xcalloc(w->nc, sizeof(int));
	if (v == NULL || nvotes == NULL) {
		free(v);
		free(nvotes);
		return (-1);
	}
	for (i = 0; i < w->ns; i++)
		points[i] = 0.0;
	for (r = 0; r < w->nr; r++) {
		n = w->rstart[r + 1] - w->rstart[r];
		if (n < 2)
			continue;
		for (k = 0; k < n; k++) {
			v[k].sheet = w->rsheet[w->rstart[r] + k];
			v[k].score = w->s[v[k].sheet].score;
		}
		qsort(v, (size_t)n, sizeof(*v), scored_cmp);
		/* Runs of equal scores share the mean of their places. */
		for (k = 0; k < n; k = j) {
			for (j = k; j < n && v[j].score == v[k].score; j++)
				;
			for (i = k; i < j; i++)
				points[v[i].sheet] =
				    ((k + j - 1) / 2.0) / (n - 1);
		}
		for (k = 0; k < n; k++)
			nvotes[w->s[v[k].sheet].cand]++;
	}
	for (c = 0; c < w->nc; c++) {
		double sum = 0.0;

		if (out->cands[c].n == 0)
			continue;
		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++)
			sum += points[i];
		out->cands[c].borda = nvotes[c] > 0 ? sum / nvotes[c] : 0.5;
	}
	free(v);
	free(nvotes);
	return (0);
}

/* Fills the three rank fields and the method flag of every candidate. */
static int
rank_methods(struct agg_result *out, int positions)
{
	struct agg_rankee *v = NULL;
	int		  *place = NULL, c, m, rk[AGG__METHODS];

	v = xcalloc(out->ncands, sizeof(*v));
	place = xcalloc((size_t)out->ncands * AGG__METHODS, sizeof(int));
	if (v == NULL || place == NULL) {
		free(v);
		free(place);
		return (-1);
	}
	for (m = 0; m < AGG__METHODS; m++) {
		for (c = 0; c < out->ncands; c++) {
			const struct agg_cand *ac = &out->cands[c];

			v[c].tier = 0;
			v[c].key = ac->n == 0	? NAN
			    : m == AGG_ADJUSTED ? ac->adjusted
			    : m == AGG_RAW	? ac->mean
						: ac->borda * 100.0;
			v[c].tiebreak = m == AGG_ADJUSTED ? NAN : ac->adjusted;
		}
		if (agg_places(out->ncands, v,
			place + (size_t)m * (size_t)out->ncands) != 0) {
			free(v);
			free(place);
			return (-1);
		}
	}
	for (c = 0; c < out->ncands; c++) {
		struct agg_cand *ac = &out->cands[c];

		for (m = 0; m < AGG__METHODS; m++)
			rk[m] = place[m * out->ncands + c];
		ac->rank_adjusted = rk[AGG_ADJUSTED];
		ac->rank_raw = rk[AGG_RAW];
		ac->rank_borda = rk[AGG_BORDA];
		ac->method_sensitive = agg_method_sensitive(rk, positions);
	}
	free(v);
	free(place);
	return (0);
}

/*
 * Krippendorff's alpha, interval metric, candidates as units. With n the
 * pairable values (those in units of two or more), the observed
 * disagreement is D_o = (1/n) sum_u sum_{i != j in u} (v_i - v_j)^2 /
 * (m_u - 1) and the expected D_e = sum_{i != j} (v_i - v_j)^2 / (n (n -
 * 1)) over all pairable values; sums over ordered pairs are 2 m times the
 * sum of squared deviations from the mean. alpha = 1 - D_o / D_e.
 */
static double
krippendorff(const struct work *w, const struct agg_result *out)
{
	double do_sum = 0.0, x0 = 0.0, sum = 0.0, ss = 0.0, mean, de;
	double vmin = 0.0, vmax = 0.0;
	int    c, i, n = 0, m;

	for (c = 0; c < w->nc; c++) {
		const struct agg_cand *ac = &out->cands[c];
		double		       uss = 0.0, d;

		if ((m = ac->n) < 2)
			continue;
		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++) {
			d = w->s[i].score - ac->mean;
			uss += d * d;
			if (n == 0)
				x0 = vmin = vmax = w->s[i].score;
			sum += w->s[i].score - x0;
			vmin = fmin(vmin, w->s[i].score);
			vmax = fmax(vmax, w->s[i].score);
			n++;
		}
		do_sum += 2.0 * m * uss / (m - 1);
	}
	if (n < 2 || vmin == vmax)
		return (NAN);
	mean = x0 + sum / n;
	for (c = 0; c < w->nc; c++) {
		if (out->cands[c].n < 2)
			continue;
		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++)
			ss += (w->s[i].score - mean) * (w->s[i].score - mean);
	}
	de = 2.0 * n * ss / ((double)n * (n - 1));
	if (!(de > 0.0))
		return (NAN);
	return (1.0 - (do_sum / n) / de);
}

/* Everything after the input is checked and sorted. */
static int
fit(struct work *w, struct agg_result *out, int positions)
{
	double rss, x0, sum = 0.0;
	int    c, r, i, n, active_c = 0, active_r = 0, df;

	for (r = 0; r < w->nr; r++)
		if ((out->raters[r].n = w->rstart[r + 1] - w->rstart[r]) > 0)
			active_r++;
	if ((out->groups = find_groups(w, out)) < 0)
		return (-1);
	for (c = 0; c < w->nc; c++) {
		double csum = 0.0;

		if ((n = w->cstart[c + 1] - w->cstart[c]) == 0)
			continue;
		active_c++;
		x0 = fitted_score(w, &w->s[w->cstart[c]]);
		for (i = w->cstart[c]; i < w->cstart[c + 1]; i++)
			csum += fitted_score(w, &w->s[i]) - x0;
		w->cmean[c] = x0 + csum / n;
	}
	if (w->ns > 0) {
		x0 = w->s[0].score;
		for (i = 0; i < w->ns; i++)
			sum += w->s[i].score - x0;
		out->mean = x0 + sum / w->ns;
	}

	if (w->estimate) {
		switch (reml_lambda(w, &w->lambda)) {
		case -1:
			return (-1);
		case 0:
			out->lambda_method = AGG_LAMBDA_REML;
			break;
		default:
			w->lambda = AGG_LAMBDA;
			out->lambda_method = AGG_LAMBDA_FIXED;
			break;
		}
		out->lambda = w->lambda;
	}
	out->iterations = solve(w);
	/* The ridge found each leniency's distance from its prior. */
	for (r = 0; r < w->nr && w->prior != NULL; r++)
		if (w->rstart[r + 1] > w->rstart[r])
			w->b[r] += prior_of(w, r);
	if (recentre(w, out) == -1)
		return (-1);
	for (r = 0; r < w->nr; r++)
		out->raters[r].leniency =
		    out->raters[r].group >= 0 ? w->b[r] : 0;

	rss = candidate_stats(w, out);
	df = w->ns - (active_c + active_r - out->groups);
	out->sigma = df >= 1 ? sqrt(rss / df) : AGG_SIGMA_NONE;
	candidate_se(w, out);
	if (borda(w, out) == -1)
		return (-1);
	if (rank_methods(out, positions) == -1)
		return (-1);
	out->reliability = krippendorff(w, out);
	(void)agg_group_warning(out, NULL, out->warning, sizeof(out->warning));
	return (0);
}

/* Whether the input's prior leniencies (when given) are all finite and
 * within the scale's width. */
static int
prior_ok(const struct agg_input *in)
{
	int r;

	for (r = 0; r < in->nraters && in->prior != NULL; r++)
		if (!isnan(in->prior[r]) && !(fabs(in->prior[r]) <= 100.0))
			return (0);
	return (1);
}

/* agg_phase() and agg_phase_ridge(); lambda < 0: estimate it. */
static int
phase_fit(const struct agg_input *in, double lambda, struct agg_result *out)
{
	struct work w;
	int	    rc = -1, estimate = lambda < 0.0;

	memset(&w, 0, sizeof(w));
	if (out == NULL)
		return (-1);
	memset(out, 0, sizeof(*out));
	if (in == NULL || in->ncands < 0 || in->nraters < 0 ||
	    in->nsheets < 0 || (in->nsheets > 0 && in->sheets == NULL) ||
	    in->positions < 1 || isnan(lambda) || isinf(lambda) ||
	    !prior_ok(in))
		goto out;
	w.prior = in->prior;
	if (estimate)
		lambda = AGG_LAMBDA;
	w.nc = in->ncands;
	w.nr = in->nraters;
	w.ns = in->nsheets;
	w.lambda = lambda;
	w.estimate = estimate;
	if (load_sheets(in, &w) == -1 || index_sheets(&w) == -1)
		goto out;
	w.parent = xcalloc((size_t)w.nr + w.nc, sizeof(int));
	w.cmean = xcalloc(w.nc, sizeof(double));
	w.b = xcalloc(w.nr, sizeof(double));
	w.theta = xcalloc(w.nc, sizeof(double));
	w.cg = xcalloc(4 * (size_t)w.nr, sizeof(double));
	w.bsum = xcalloc(w.nc, sizeof(double));
	w.scratch = xcalloc(w.ns, sizeof(double));
	out->cands = xcalloc(w.nc, sizeof(*out->cands));
	out->raters = xcalloc(w.nr, sizeof(*out->raters));
	if (w.parent == NULL || w.cmean == NULL || w.b == NULL ||
	    w.theta == NULL || w.cg == NULL || w.bsum == NULL ||
	    w.scratch == NULL || out->cands == NULL || out->raters == NULL)
		goto out;
	out->ncands = w.nc;
	out->nraters = w.nr;
	out->lambda = lambda;
	out->lambda_method = AGG_LAMBDA_FIXED;
	out->reliability_method = AGG_RELIABILITY_METHOD;
	if (fit(&w, out, in->positions) == -1)
		goto out;
	rc = 0;
out:
	work_free(&w);
	if (rc == -1)
		agg_result_free(out);
	return (rc);
}

int
agg_phase_ridge(
    const struct agg_input *in, double lambda, struct agg_result *out)
{
	if (!(lambda >= 0.0)) {
		if (out != NULL)
			memset(out, 0, sizeof(*out));
		return (-1);
	}
	return (phase_fit(in, lambda, out));
}

int
agg_phase(const struct agg_input *in, struct agg_result *out)
{
	return (phase_fit(in, -1.0, out));
}

void
agg_prior_from(int nphases, const struct agg_result *res, int p, double *prior)
{
	int q, r;

	for (r = 0; r < res[p].nraters; r++) {
		double sum = 0.0, n = 0.0;

		for (q = 0; q < nphases; q++) {
			const struct agg_rater *x;

			if (q == p || r >= res[q].nraters)
				continue;
			x = &res[q].raters[r];
			if (x->n == 0 || x->group < 0)
				continue;
			sum += x->n * x->leniency;
			n += x->n;
		}
		prior[r] = n > 0 ? fmax(-100.0, fmin(100.0, sum / n)) : NAN;
	}
}

int
agg_phases(int nphases, const struct agg_input *in, struct agg_result *out,
    double *priors)
{
	struct agg_result *alone = NULL;
	struct agg_input   with;
	double		  *prior = NULL;
	int		   p, q, r, any, rc = -1, nr;

	if (nphases < 1 || in == NULL || out == NULL)
		return (-1);
	nr = in[0].nraters;
	for (p = 0; p < nphases; p++)
		memset(&out[p], 0, sizeof(out[p]));
	for (p = 0; p < nphases; p++)
		if (in[p].nraters != nr || in[p].prior != NULL)
			return (-1);
	alone = xcalloc((size_t)nphases, sizeof(*alone));
	prior = xcalloc((size_t)nphases * nr + 1, sizeof(double));
	if (alone == NULL || prior == NULL)
		goto out;
	for (p = 0; p < nphases; p++)
		if (agg_phase(&in[p], &alone[p]) != 0)
			goto out;
	/* Every phase's priors from the fits alone, before any is moved. */
	for (p = 0; p < nphases; p++)
		agg_prior_from(nphases, alone, p, prior + (size_t)p * nr);
	for (p = 0; p < nphases; p++) {
		for (any = 0, r = 0; r < nr; r++)
			any |= !isnan(prior[(size_t)p * nr + r]);
		/* Without a prior the fit again would be the fit alone. */
		if (!any) {
			out[p] = alone[p];
			memset(&alone[p], 0, sizeof(alone[p]));
			continue;
		}
		with = in[p];
		with.prior = prior + (size_t)p * nr;
		if (agg_phase(&with, &out[p]) != 0)
			goto out;
	}
	if (priors != NULL)
		memcpy(priors, prior, (size_t)nphases * nr * sizeof(double));
	rc = 0;
out:
	for (q = 0; alone != NULL && q < nphases; q++)
		agg_result_free(&alone[q]);
	free(alone);
	free(prior);
	if (rc != 0)
		for (p = 0; p < nphases; p++)
			agg_result_free(&out[p]);
	return (rc);
}

void
agg_result_free(struct agg_result *r)
{
	if (r == NULL)
		return;
	free(r->cands);
	free(r->raters);
	memset(r, 0, sizeof(*r));
}

double
agg_composite(int nphases, const double *adjusted, const int *have,
    const int *weights, int *complete)
{
	double sum = 0.0, wsum = 0.0;
	int    p, all = 1;

	if (complete != NULL)
		*complete = 0;
	if (nphases < 1 || adjusted == NULL || have == NULL || weights == NULL)
		return (NAN);
	for (p = 0; p < nphases; p++) {
		if (weights[p] <= 0)
			continue;
		if (!have[p]) {
			all = 0;
			continue;
		}
		sum += weights[p] * adjusted[p];
		wsum += weights[p];
	}
	if (complete != NULL)
		*complete = all;
	if (wsum == 0.0)
		return (NAN);
	return (sum / wsum);
}

/* The working copy of one item in agg_places(). */
struct placed {
	double key, tiebreak;
	int    tier, index;
};

/* Descending, NaN last: negative when x goes before y. */
static int
descending(double x, double y)
{
	if (isnan(x) || isnan(y))
		return (isnan(x) - isnan(y));
	return ((x < y) - (x > y));
}

/* Whether x and y are tied under the tolerance (two NaNs are). */
static int
tied(double x, double y)
{
	if (isnan(x) || isnan(y))
		return (isnan(x) && isnan(y));
	return (fabs(x - y) <= AGG_TIE_EPSILON);
}

/* The exact order, a total one: tier, key, tiebreak, index. */
static int
placed_cmp(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	int		     d;

	if (x->tier != y->tier)
		return (x->tier < y->tier ? -1 : 1);
	if ((d = descending(x->key, y->key)) != 0)
		return (d);
	if ((d = descending(x->tiebreak, y->tiebreak)) != 0)
		return (d);
	return ((x->index > y->index) - (x->index < y->index));
}

static int
placed_tiebreak_cmp(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	int		     d;

	if ((d = descending(x->tiebreak, y->tiebreak)) != 0)
		return (d);
	return ((x->index > y->index) - (x->index < y->index));
}

static int
placed_index_cmp(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;

	return ((x->index > y->index) - (x->index < y->index));
}

/*
 * Reorders v[0..n), sorted in the exact order, by the tie rule: each run
 * of neighbours tied on the key (on the tiebreak when by_tiebreak) is
 * ordered again by what comes next in the rule.
 */
static void
order_ties(struct placed *v, int n, int by_tiebreak)
{
	int i, j;

	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j].tier == v[i].tier &&
		     tied(by_tiebreak ? v[j - 1].tiebreak : v[j - 1].key,
			 by_tiebreak ? v[j].tiebreak : v[j].key);
		     j++)
			;
		if (j - i < 2)
			continue;
		if (by_tiebreak) {
			qsort(v + i, (size_t)(j - i), sizeof(*v),
			    placed_index_cmp);
			continue;
		}
		qsort(v + i, (size_t)(j - i), sizeof(*v), placed_tiebreak_cmp);
		order_ties(v + i, j - i, 1);
	}
}

int
agg_places(int n, const struct agg_rankee *items, int *place)
{
	struct placed *v;
	int	       i, k = 0;

	if (n < 0 || (n > 0 && (items == NULL || place == NULL)))
		return (-1);
	if ((v = xcalloc(n, sizeof(*v))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		place[i] = 0;
		if (isnan(items[i].key))
			continue;
		v[k].key = items[i].key;
		v[k].tiebreak = items[i].tiebreak;
		v[k].tier = items[i].tier;
		v[k].index = i;
		k++;
	}
	qsort(v, (size_t)k, sizeof(*v), placed_cmp);
	order_ties(v, k, 0);
	for (i = 0; i < k; i++)
		place[v[i].index] = i + 1;
	free(v);
	return (0);
}

int
agg_method_sensitive(const int place[AGG__METHODS], int positions)
{
	int m, d = place[AGG_ADJUSTED];

	for (m = 0; m < AGG__METHODS; m++)
		if (place[m] <= 0)
			return (0);
	for (m = 0; m < AGG__METHODS; m++) {
		if (m == AGG_ADJUSTED)
			continue;
		if (abs(place[m] - d) >= 2 ||
		    (place[m] <= positions) != (d <= positions))
			return (1);
	}
	return (0);
}

int
agg_crosses_line(const int place[AGG__METHODS], int positions)
{
	int m, d = place[AGG_ADJUSTED];

	if (positions <= 0)
		return (0);
	for (m = 0; m < AGG__METHODS; m++)
		if (place[m] <= 0)
			return (0);
	for (m = 0; m < AGG__METHODS; m++)
		if (m != AGG_ADJUSTED &&
		    (place[m] <= positions) != (d <= positions))
			return (1);
	return (0);
}

int
agg_rank_cycle(int nphases, const struct agg_result *phases, const int *weights,
    int positions, struct agg_standing *out)
{
	struct agg_rankee *v = NULL;
	double		  *val = NULL, *key = NULL;
	int		  *have = NULL, *place = NULL;
	int		   n, c, p, m, complete, rc = -1, rk[AGG__METHODS];

	if (nphases < 1 || phases == NULL || weights == NULL)
		return (-1);
	n = phases[0].ncands;
	for (p = 1; p < nphases; p++)
		if (phases[p].ncands != n)
			return (-1);
	if (n > 0 && out == NULL)
		return (-1);
	v = xcalloc(n, sizeof(*v));
	key = xcalloc((size_t)n * AGG__METHODS, sizeof(double));
	place = xcalloc((size_t)n * AGG__METHODS, sizeof(int));
	val = xcalloc(nphases, sizeof(double));
	have = xcalloc(nphases, sizeof(int));
	if (v == NULL || key == NULL || place == NULL || val == NULL ||
	    have == NULL)
		goto out;
	for (c = 0; c < n; c++) {
		for (m = 0; m < AGG__METHODS; m++) {
			for (p = 0; p < nphases; p++) {
				const struct agg_cand *a = &phases[p].cands[c];

				have[p] = a->n > 0;
				val[p] = m == AGG_ADJUSTED ? a->adjusted
				    : m == AGG_RAW	   ? a->mean
							   : a->borda * 100.0;
			}
			key[m * n + c] = agg_composite(
			    nphases, val, have, weights, &complete);
		}
		out[c].composite = key[AGG_ADJUSTED * n + c];
		out[c].complete = complete;
	}
	for (m = 0; m < AGG__METHODS; m++) {
		for (c = 0; c < n; c++) {
			v[c].tier = out[c].complete ? 0 : 1;
			v[c].key = key[m * n + c];
			v[c].tiebreak =
			    m == AGG_ADJUSTED ? NAN : key[AGG_ADJUSTED * n + c];
		}
		if (agg_places(n, v, place + (size_t)m * (size_t)n) != 0)
			goto out;
	}
	for (c = 0; c < n; c++) {
		for (m = 0; m < AGG__METHODS; m++)
			rk[m] = out[c].rank[m] = place[m * n + c];
		out[c].method_sensitive = agg_method_sensitive(rk, positions);
		out[c].crosses_line = agg_crosses_line(rk, positions);
	}
	rc = 0;
out:
	free(v);
	free(key);
	free(place);
	free(val);
	free(have);
	return (rc);
}
