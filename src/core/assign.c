/*
 * Balanced reviewer assignment as a flow problem. The source sends each
 * candidate the raters it still needs (k less its existing pairs), each
 * candidate may send one unit to each rater it has no pair and no conflict
 * with, and each rater may pass on to the sink the room left under its cap.
 * A flow that meets every candidate's need is an assignment, and when none
 * exists the last failed search names a group of candidates whose need
 * exceeds what their raters can give (the cut that proves it).
 *
 * The flow is kept in a working matrix of cells rather than as a graph:
 * a pair this call added is one unit on a candidate-rater edge, and the
 * residual graph is walked directly from the matrix (a rater reaches the
 * candidates it was given by this call, a candidate reaches the raters it
 * could still be given). Three passes run over it:
 *
 *  1. Augmenting paths, candidate by candidate, each ending at the least
 *     loaded rater that can still take one more.
 *  2. Balancing: while a path leads from a rater to another whose load is
 *     at least two lower, a pair moves along it. With a convex cost per
 *     rater (the square of its load) these paths are the only negative
 *     cycles of the residual graph, so when none is left the sum of
 *     squared loads is as small as the constraints allow.
 *  3. Linking: while the graph has several components, join two by the
 *     cheapest change that still meets k and cap: exchange the candidates
 *     of two added pairs (loads and counts unchanged), move an added pair
 *     to a rater of another component, add a pair beyond k, add two
 *     through an idle rater, or first make room in a full rater by passing
 *     one of its pairs on and then link. Each change leaves fewer
 *     components, so the pass ends. This is a search, not a proof: when it
 *     gives up, a connected assignment may still exist. Exhaustive checks
 *     on small instances find none missed when candidates want two raters
 *     or more and some room is left; with one rater each and tight caps a
 *     few are.
 *
 * Pairs that existed before the call are never removed. Everything walks in
 * index order, so the result depends only on the input. The sizes this
 * is meant for (tens of raters, hundreds of candidates) make the plain
 * breadth-first searches over the matrix fast enough.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assign.h"

/* The states of a cell of the working matrix. */
enum cell {
	CELL_FREE, /* no pair */
	CELL_HELD, /* a pair that existed before the call: never removed */
	CELL_NEW,  /* a pair added by this call: may move */
};

/*
 * The working state. Vertices number the raters 0 .. nr - 1, then the
 * candidates nr .. nr + nc - 1.
 */
struct work {
	int		     nr, nc, k, cap;
	const unsigned char *conflict; /* the caller's matrix */
	/* Matrices, nr * nc: */
	unsigned char *cell;   /* enum cell */
	unsigned char *bridge; /* 1: removing the pair splits its component */
	unsigned char *saved;  /* cell, kept while a trial runs */
	int	      *edges;  /* the cells of added pairs */
	/* Per rater and per candidate, and their copies during a trial: */
	int *load, *saved_load; /* candidates per rater */
	int *have, *saved_have; /* raters per candidate */
	int *need;		/* raters a candidate still wants */
	/* Per vertex: */
	int *parent; /* search tree; -2 unseen, -1 the start */
	int *queue;  /* search queue, or depth-first stack */
	int *disc;   /* depth-first discovery time */
	int *low;    /* lowest discovery time reachable */
	int *comp;   /* component, -1 for a vertex without pairs */
	int *iter;   /* next neighbour to try */
	int  ncomp;
};

/* Why a call did not end in ASSIGN_OK: the message for each reason. */
enum why {
	WHY_PROBLEM,
	WHY_SIZES,
	WHY_TOO_BIG,
	WHY_K,
	WHY_CAP,
	WHY_MATRICES,
	WHY_HELD_CONFLICT,
	WHY_NOMEM,
	WHY_FEW_RATERS,
	WHY_CAPACITY,
	WHY_CONFLICTS,
	WHY_FULL,
	WHY_GROUP,
	WHY_DISCONNECTED,
	WHY__MAX
};

/*
 * The arguments of each row follow it in the comment; "s" is a plural
 * ending from plural().
 */
static const char *const why_text[WHY__MAX] = {
	/* (none) */
	"The assignment problem is missing.",
	/* (none) */
	"The numbers of raters and candidates must not be negative.",
	/* raters, candidates */
	"%d raters and %d candidates are too many to assign at once.",
	/* (none) */
	"Each candidate must want at least one rater.",
	/* (none) */
	"Each rater must be able to take at least one candidate.",
	/* (none) */
	"The conflict and assignment tables are missing.",
	/* rater, candidate */
	"Rater %d is assigned candidate %d despite a conflict; withdraw that "
	"assignment first.",
	/* (none) */
	"There was not enough memory to compute the assignment.",
	/* raters, s, k, s */
	"%d rater%s cannot give a candidate %d different rater%s.",
	/* raters, s, cap, s, candidates, s, k, s, needed, room */
	"%d rater%s with at most %d candidate%s each cannot give %d "
	"candidate%s %d rater%s each (%lld needed, room for %lld).",
	/* candidate, conflicts, raters, k */
	"Candidate %d has conflicts with %d of %d raters and cannot get %d.",
	/* candidate, needed, s, room */
	"Candidate %d needs %d more rater%s, but raters without a conflict "
	"have room for only %d.",
	/* list of candidates, needed, room */
	"Candidates %s need %lld more raters between them, but raters "
	"without a conflict with them have room for only %lld.",
	/* groups */
	"The assignment falls into %d groups with no rater in common, so "
	"leniency can be compared only within each group; conflicts and caps "
	"leave no way to link them.",
};

static const char *const status_names[ASSIGN__MAX] = {
	"ok",
	"disconnected",
	"infeasible",
	"invalid",
	"out_of_memory",
};

static void
say(struct assign_report *rep, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* The analyzer loses track of va_start through the fortified
	 * vsnprintf; ap is initialised on the line above. */
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
	(void)vsnprintf(rep->message, sizeof(rep->message), fmt, ap);
	va_end(ap);
}

static const char *
plural(long long n)
{
	return (n == 1 ? "" : "s");
}

static size_t
at(const struct work *w, int r, int c)
{
	return ((size_t)r * (size_t)w->nc + (size_t)c);
}

/* Returns 1 when the pair (r, c) could be added. */
static int
addable(const struct work *w, int r, int c)
{
	size_t i = at(w, r, c);

	return (w->cell[i] == CELL_FREE && w->conflict[i] == 0);
}

static int
degree(const struct work *w, int v)
{
	return (v < w->nr ? w->load[v] : w->have[v - w->nr]);
}

static void
pair_set(struct work *w, int r, int c, enum cell to)
{
	w->cell[at(w, r, c)] = (unsigned char)to;
}

/*
 * Breadth-first search of the residual graph from vertex start: a rater
 * leads to the candidates it was given by this call (giving one up), a
 * candidate to the raters it could still be given. Leaves the tree in
 * parent and the vertices reached in queue; returns how many.
 */
static int
reach(struct work *w, int start)
{
	int head = 0, tail = 0, v, u, r, c;

	for (v = 0; v < w->nr + w->nc; v++)
		w->parent[v] = -2;
	w->parent[start] = -1;
	w->queue[tail++] = start;
	while (head < tail) {
		v = w->queue[head++];
		if (v < w->nr) {
			for (c = 0; c < w->nc; c++) {
				u = w->nr + c;
				if (w->parent[u] == -2 &&
				    w->cell[at(w, v, c)] == CELL_NEW) {
					w->parent[u] = v;
					w->queue[tail++] = u;
				}
			}
		} else {
			c = v - w->nr;
			for (r = 0; r < w->nr; r++) {
				if (w->parent[r] == -2 && addable(w, r, c)) {
					w->parent[r] = v;
					w->queue[tail++] = r;
				}
			}
		}
	}
	return (tail);
}

/*
 * Of the n raters just reached, returns the least loaded one with a load
 * of at most limit (the lowest index among equals), or -1.
 */
static int
least_loaded(const struct work *w, int n, int limit)
{
	int i, v, best = -1;

	for (i = 0; i < n; i++) {
		v = w->queue[i];
		if (v >= w->nr || w->load[v] > limit)
			continue;
		if (best == -1 || w->load[v] < w->load[best] ||
		    (v < best && w->load[v] == w->load[best]))
			best = v;
	}
	return (best);
}

/*
 * Applies the path of the last search from start to the rater end: the
 * end rater gains a pair, and a start rater loses one or a start candidate
 * gains one; the raters and candidates between keep their counts.
 */
static void
flip(struct work *w, int start, int end)
{
	int v = end, c, u;

	for (;;) {
		c = w->parent[v] - w->nr;
		pair_set(w, v, c, CELL_NEW);
		if (w->parent[v] == start)
			break;
		u = w->parent[w->nr + c];
		pair_set(w, u, c, CELL_FREE);
		if (u == start)
			break;
		v = u;
	}
	w->load[end]++;
	if (start < w->nr)
		w->load[start]--;
	else
		w->have[start - w->nr]++;
}

/*
 * Pass 1: meets every candidate's need by augmenting paths. Returns -1, or
 * the candidate no path could serve, with the vertices of the failed search
 * (the proof) left in queue and their number in *n.
 */
static int
augment(struct work *w, int *n)
{
	int c, end;

	for (c = 0; c < w->nc; c++) {
		while (w->need[c] > 0) {
			*n = reach(w, w->nr + c);
			if ((end = least_loaded(w, *n, w->cap - 1)) == -1)
				return (c);
			flip(w, w->nr + c, end);
			w->need[c]--;
		}
	}
	return (-1);
}

/*
 * Pass 2: moves pairs along paths from a rater to one whose load is at
 * least two lower and under cap, until there are none. Each move lowers
 * the sum of squared loads, so the pass ends.
 */
static void
balance(struct work *w)
{
	int r, n, end, limit, moved;

	do {
		moved = 0;
		for (r = 0; r < w->nr; r++) {
			for (;;) {
				limit = w->load[r] - 2;
				if (limit > w->cap - 1)
					limit = w->cap - 1;
				if (limit < 0)
					break;
				n = reach(w, r);
				if ((end = least_loaded(w, n, limit)) == -1)
					break;
				flip(w, r, end);
				moved = 1;
			}
		}
	} while (moved);
}

/*
 * Returns the next neighbour of vertex v after those already returned, or
 * -1 when there are no more.
 */
static int
next_neighbour(struct work *w, int v)
{
	int i, c;

	if (v < w->nr) {
		for (i = w->iter[v]; i < w->nc; i++) {
			if (w->cell[at(w, v, i)] != CELL_FREE) {
				w->iter[v] = i + 1;
				return (w->nr + i);
			}
		}
		w->iter[v] = w->nc;
		return (-1);
	}
	c = v - w->nr;
	for (i = w->iter[v]; i < w->nr; i++) {
		if (w->cell[at(w, i, c)] != CELL_FREE) {
			w->iter[v] = i + 1;
			return (i);
		}
	}
	w->iter[v] = w->nr;
	return (-1);
}

/*
 * Labels the components of the graph (vertices without pairs get -1 and
 * are not counted) and marks its bridges, the pairs whose removal would
 * split a component, by a depth-first search without recursion (Tarjan's
 * low-link method; the graph has no parallel edges, so skipping the tree
 * parent is enough).
 */
static void
analyse(struct work *w)
{
	int nv = w->nr + w->nc, v, u, root, top, t = 0;

	memset(w->bridge, 0, (size_t)w->nr * (size_t)w->nc);
	for (v = 0; v < nv; v++) {
		w->disc[v] = -1;
		w->comp[v] = -1;
		w->iter[v] = 0;
	}
	w->ncomp = 0;
	for (root = 0; root < nv; root++) {
		if (w->disc[root] != -1 || degree(w, root) == 0)
			continue;
		top = 0;
		w->queue[top++] = root;
		w->parent[root] = -1;
		w->disc[root] = w->low[root] = t++;
		w->comp[root] = w->ncomp;
		while (top > 0) {
			v = w->queue[top - 1];
			if ((u = next_neighbour(w, v)) != -1) {
				if (w->disc[u] == -1) {
					w->parent[u] = v;
					w->disc[u] = w->low[u] = t++;
					w->comp[u] = w->ncomp;
					w->queue[top++] = u;
				} else if (u != w->parent[v] &&
				    w->disc[u] < w->low[v])
					w->low[v] = w->disc[u];
				continue;
			}
			top--;
			if ((u = w->parent[v]) == -1)
				continue;
			if (w->low[v] < w->low[u])
				w->low[u] = w->low[v];
			if (w->low[v] > w->disc[u]) {
				if (u < w->nr)
					w->bridge[at(w, u, v - w->nr)] = 1;
				else
					w->bridge[at(w, v, u - w->nr)] = 1;
			}
		}
		w->ncomp++;
	}
}

/* Collects the cells of the pairs added so far; returns how many. */
static int
added_pairs(struct work *w)
{
	size_t i, cells = (size_t)w->nr * (size_t)w->nc;
	int    n = 0;

	for (i = 0; i < cells; i++)
		if (w->cell[i] == CELL_NEW)
			w->edges[n++] = (int)i;
	return (n);
}

/*
 * Linking by exchange: added pairs (r1, c1) and (r2, c2) in different
 * components become (r2, c1) and (r1, c2). Every count stays the same.
 * When (r1, c1) is no bridge its component stays whole, and the two new
 * pairs tie both halves of the other component to it.
 */
static int
link_swap(struct work *w)
{
	int n, a, b, r1, c1, r2, c2;

	n = added_pairs(w);
	for (a = 0; a < n; a++) {
		if (w->bridge[w->edges[a]])
			continue;
		r1 = w->edges[a] / w->nc;
		c1 = w->edges[a] % w->nc;
		for (b = 0; b < n; b++) {
			r2 = w->edges[b] / w->nc;
			c2 = w->edges[b] % w->nc;
			if (w->comp[r2] == w->comp[r1] ||
			    w->conflict[at(w, r2, c1)] ||
			    w->conflict[at(w, r1, c2)])
				continue;
			pair_set(w, r1, c1, CELL_FREE);
			pair_set(w, r2, c2, CELL_FREE);
			pair_set(w, r2, c1, CELL_NEW);
			pair_set(w, r1, c2, CELL_NEW);
			return (1);
		}
	}
	return (0);
}

/*
 * Linking by a move: the added pair (r1, c) becomes (r2, c) for a rater r2
 * of another component with room. It merges the two when (r1, c) is no
 * bridge, or when it was r1's only pair (r1 then drops out). Of the moves
 * that work, takes the one to the least loaded r2 from the most loaded r1.
 */
static int
link_move(struct work *w)
{
	int n, a, r1, c, r2, score, best = -1, best_r2 = -1, best_score = 0;

	n = added_pairs(w);
	for (a = 0; a < n; a++) {
		r1 = w->edges[a] / w->nc;
		c = w->edges[a] % w->nc;
		if (w->bridge[w->edges[a]] && w->load[r1] != 1)
			continue;
		for (r2 = 0; r2 < w->nr; r2++) {
			if (w->load[r2] == 0 || w->load[r2] >= w->cap ||
			    w->comp[r2] == w->comp[r1] || !addable(w, r2, c))
				continue;
			score = w->load[r2] - w->load[r1];
			if (best == -1 || score < best_score) {
				best = a;
				best_r2 = r2;
				best_score = score;
			}
		}
	}
	if (best == -1)
		return (0);
	r1 = w->edges[best] / w->nc;
	c = w->edges[best] % w->nc;
	pair_set(w, r1, c, CELL_FREE);
	pair_set(w, best_r2, c, CELL_NEW);
	w->load[r1]--;
	w->load[best_r2]++;
	return (1);
}

/*
 * Linking by an extra pair: a rater with room takes a candidate of
 * another component, the least loaded such rater first.
 */
static int
link_add(struct work *w)
{
	int r, c, best_r = -1, best_c = -1;

	for (r = 0; r < w->nr; r++) {
		if (w->load[r] == 0 || w->load[r] >= w->cap)
			continue;
		if (best_r != -1 && w->load[r] >= w->load[best_r])
			continue;
		for (c = 0; c < w->nc; c++) {
			if (w->comp[w->nr + c] != -1 &&
			    w->comp[w->nr + c] != w->comp[r] &&
			    addable(w, r, c)) {
				best_r = r;
				best_c = c;
				break;
			}
		}
	}
	if (best_r == -1)
		return (0);
	pair_set(w, best_r, best_c, CELL_NEW);
	w->load[best_r]++;
	w->have[best_c]++;
	return (1);
}

/*
 * Linking through an idle rater with room for two: it takes one candidate
 * in each of two components.
 */
static int
link_idle(struct work *w)
{
	int r, c, c1, c2;

	if (w->cap < 2)
		return (0);
	for (r = 0; r < w->nr; r++) {
		if (w->load[r] != 0)
			continue;
		c1 = c2 = -1;
		for (c = 0; c < w->nc && c2 == -1; c++) {
			if (w->comp[w->nr + c] == -1 || !addable(w, r, c))
				continue;
			if (c1 == -1)
				c1 = c;
			else if (w->comp[w->nr + c] != w->comp[w->nr + c1])
				c2 = c;
		}
		if (c2 == -1)
			continue;
		pair_set(w, r, c1, CELL_NEW);
		pair_set(w, r, c2, CELL_NEW);
		w->load[r] += 2;
		w->have[c1]++;
		w->have[c2]++;
		return (1);
	}
	return (0);
}

static void
save(struct work *w)
{
	memcpy(w->saved, w->cell, (size_t)w->nr * (size_t)w->nc);
	memcpy(w->saved_load, w->load, (size_t)w->nr * sizeof(int));
	memcpy(w->saved_have, w->have, (size_t)w->nc * sizeof(int));
}

static void
restore(struct work *w)
{
	memcpy(w->cell, w->saved, (size_t)w->nr * (size_t)w->nc);
	memcpy(w->load, w->saved_load, (size_t)w->nr * sizeof(int));
	memcpy(w->have, w->saved_have, (size_t)w->nc * sizeof(int));
}

/*
 * Linking after making room: a full rater that could take a candidate of
 * another component passes one of its added pairs along a path to the
 * least loaded rater with room (as balancing does), which may split its
 * component, and then moves and extra pairs link what they can. The trial
 * is kept only when the components end up fewer than before it.
 */
static int
link_room(struct work *w)
{
	int r, c, n, end, before = w->ncomp;

	for (r = 0; r < w->nr; r++) {
		if (w->load[r] < w->cap)
			continue;
		for (c = 0; c < w->nc; c++)
			if (w->comp[w->nr + c] != -1 &&
			    w->comp[w->nr + c] != w->comp[r] &&
			    addable(w, r, c))
				break;
		if (c == w->nc)
			continue;
		n = reach(w, r);
		if ((end = least_loaded(w, n, w->cap - 1)) == -1)
			continue;
		save(w);
		flip(w, r, end);
		for (;;) {
			analyse(w);
			if (w->ncomp < before)
				return (1);
			if (!link_add(w) && !link_idle(w) && !link_move(w))
				break;
		}
		restore(w);
		analyse(w);
	}
	return (0);
}

/* The ways of linking two components, cheapest first. */
static int (*const linkers[])(struct work *) = {
	link_swap,
	link_move,
	link_add,
	link_idle,
	link_room,
};

/*
 * Pass 3: links components until one is left or no way is found. Each
 * linker leaves fewer components; should one ever fail to, the pass stops
 * rather than loop.
 */
static void
link_components(struct work *w)
{
	size_t i;
	int    before;

	analyse(w);
	while (w->ncomp > 1) {
		for (i = 0; i < sizeof(linkers) / sizeof(linkers[0]); i++)
			if (linkers[i](w))
				break;
		if (i == sizeof(linkers) / sizeof(linkers[0]))
			return;
		before = w->ncomp;
		analyse(w);
		if (w->ncomp >= before)
			return;
	}
}

/*
 * Writes "2, 3 and 5" into buf for the candidates the last search reached,
 * in index order, naming at most a few and counting the rest.
 */
static void
group_list(const struct work *w, char *buf, size_t size)
{
	enum { SHOWN = 8 };
	int    c, total = 0, shown = 0;
	size_t len = 0;

	for (c = 0; c < w->nc; c++)
		total += w->parent[w->nr + c] != -2;
	buf[0] = '\0';
	for (c = 0; c < w->nc && shown < SHOWN; c++) {
		if (w->parent[w->nr + c] == -2)
			continue;
		shown++;
		if (shown == 1)
			(void)snprintf(buf + len, size - len, "%d", c);
		else if (shown == total)
			(void)snprintf(buf + len, size - len, " and %d", c);
		else
			(void)snprintf(buf + len, size - len, ", %d", c);
		len = strlen(buf);
	}
	if (total > shown)
		(void)snprintf(buf + len, size - len, " and %d other%s",
		    total - shown, plural(total - shown));
}

/*
 * Explains a failed augmenting search from a candidate. The candidates
 * reached need more raters than the raters can give them: each rater can
 * give the group no more than its room and no more than the number of
 * group members it could rate. The sums come from the input alone, so the
 * message holds whatever order the flow took.
 */
static void
explain_group(const struct work *w, int n, struct assign_report *rep)
{
	char	  list[160];
	long long needed = 0, room = 0;
	int	  i, r, c, held, spare, open;

	for (i = 0; i < n; i++) {
		if (w->queue[i] < w->nr)
			continue;
		c = w->queue[i] - w->nr;
		for (held = 0, r = 0; r < w->nr; r++)
			held += w->cell[at(w, r, c)] == CELL_HELD;
		needed += held < w->k ? w->k - held : 0;
	}
	for (r = 0; r < w->nr; r++) {
		for (held = 0, c = 0; c < w->nc; c++)
			held += w->cell[at(w, r, c)] == CELL_HELD;
		spare = held < w->cap ? w->cap - held : 0;
		for (open = 0, i = 0; i < n; i++) {
			if (w->queue[i] < w->nr)
				continue;
			c = w->queue[i] - w->nr;
			open += w->cell[at(w, r, c)] != CELL_HELD &&
			    w->conflict[at(w, r, c)] == 0;
		}
		room += open < spare ? open : spare;
	}
	group_list(w, list, sizeof(list));
	say(rep, why_text[WHY_GROUP], list, needed, room);
}

/*
 * The checks that need no search, each with its own message: too few
 * raters, too little room in all, then each candidate against its own
 * conflicts and the room of the raters it may have. Returns 0 when they
 * pass, else -1 with the report filled in.
 */
static int
precheck(const struct work *w, struct assign_report *rep)
{
	long long needed = 0, room = 0;
	int	  r, c, conflicts, open;

	for (c = 0; c < w->nc; c++)
		needed += w->need[c];
	if (needed == 0)
		return (0);
	for (r = 0; r < w->nr; r++)
		room += w->load[r] < w->cap ? w->cap - w->load[r] : 0;
	if (w->nr < w->k) {
		say(rep, why_text[WHY_FEW_RATERS], w->nr, plural(w->nr), w->k,
		    plural(w->k));
		return (-1);
	}
	if (needed > room) {
		say(rep, why_text[WHY_CAPACITY], w->nr, plural(w->nr), w->cap,
		    plural(w->cap), w->nc, plural(w->nc), w->k, plural(w->k),
		    needed, room);
		return (-1);
	}
	for (c = 0; c < w->nc; c++) {
		if (w->need[c] == 0)
			continue;
		conflicts = open = 0;
		for (r = 0; r < w->nr; r++) {
			if (w->conflict[at(w, r, c)])
				conflicts++;
			else if (w->cell[at(w, r, c)] == CELL_FREE &&
			    w->load[r] < w->cap)
				open++;
		}
		if (w->nr - conflicts < w->k) {
			rep->candidate = c;
			say(rep, why_text[WHY_CONFLICTS], c, conflicts, w->nr,
			    w->k);
			return (-1);
		}
		if (open < w->need[c]) {
			rep->candidate = c;
			say(rep, why_text[WHY_FULL], c, w->need[c],
			    plural(w->need[c]), open);
			return (-1);
		}
	}
	return (0);
}

/* Returns the reason the arguments are refused, or WHY__MAX. */
static enum why
check_args(const struct assign_problem *p, int *bad_r, int *bad_c)
{
	int r, c;

	if (p == NULL)
		return (WHY_PROBLEM);
	if (p->nraters < 0 || p->ncands < 0)
		return (WHY_SIZES);
	if ((p->ncands > 0 && p->nraters > INT_MAX / p->ncands) ||
	    p->nraters > INT_MAX - p->ncands)
		return (WHY_TOO_BIG);
	if (p->k < 1)
		return (WHY_K);
	if (p->cap < 1)
		return (WHY_CAP);
	if (p->nraters > 0 && p->ncands > 0 &&
	    (p->conflict == NULL || p->assigned == NULL))
		return (WHY_MATRICES);
	for (r = 0; r < p->nraters; r++) {
		for (c = 0; c < p->ncands; c++) {
			if (p->assigned[r * p->ncands + c] &&
			    p->conflict[r * p->ncands + c]) {
				*bad_r = r;
				*bad_c = c;
				return (WHY_HELD_CONFLICT);
			}
		}
	}
	return (WHY__MAX);
}

/* calloc that does not fail for zero elements. */
static void *
zalloc(size_t n, size_t size)
{
	return (calloc(n > 0 ? n : 1, size));
}

static void
work_free(struct work *w)
{
	free(w->cell);
	free(w->bridge);
	free(w->edges);
	free(w->saved);
	free(w->saved_load);
	free(w->saved_have);
	free(w->load);
	free(w->have);
	free(w->need);
	free(w->parent);
	free(w->queue);
	free(w->disc);
	free(w->low);
	free(w->comp);
	free(w->iter);
}

/*
 * Allocates the working state and fills it from the problem. Returns 0, or
 * -1 when memory ran out (work_free() still applies).
 */
static int
work_init(struct work *w, const struct assign_problem *p)
{
	size_t cells, nv, i;
	int    r, c;

	memset(w, 0, sizeof(*w));
	w->nr = p->nraters;
	w->nc = p->ncands;
	w->k = p->k;
	w->cap = p->cap;
	w->conflict = p->conflict;
	cells = (size_t)w->nr * (size_t)w->nc;
	nv = (size_t)w->nr + (size_t)w->nc;
	if ((w->cell = zalloc(cells, 1)) == NULL ||
	    (w->bridge = zalloc(cells, 1)) == NULL ||
	    (w->edges = zalloc(cells, sizeof(int))) == NULL ||
	    (w->saved = zalloc(cells, 1)) == NULL ||
	    (w->saved_load = zalloc((size_t)w->nr, sizeof(int))) == NULL ||
	    (w->saved_have = zalloc((size_t)w->nc, sizeof(int))) == NULL ||
	    (w->load = zalloc((size_t)w->nr, sizeof(int))) == NULL ||
	    (w->have = zalloc((size_t)w->nc, sizeof(int))) == NULL ||
	    (w->need = zalloc((size_t)w->nc, sizeof(int))) == NULL ||
	    (w->parent = zalloc(nv, sizeof(int))) == NULL ||
	    (w->queue = zalloc(nv, sizeof(int))) == NULL ||
	    (w->disc = zalloc(nv, sizeof(int))) == NULL ||
	    (w->low = zalloc(nv, sizeof(int))) == NULL ||
	    (w->comp = zalloc(nv, sizeof(int))) == NULL ||
	    (w->iter = zalloc(nv, sizeof(int))) == NULL)
		return (-1);
	for (r = 0; r < w->nr; r++) {
		for (c = 0; c < w->nc; c++) {
			i = at(w, r, c);
			if (p->assigned[i] == 0)
				continue;
			w->cell[i] = CELL_HELD;
			w->load[r]++;
			w->have[c]++;
		}
	}
	for (c = 0; c < w->nc; c++)
		w->need[c] = w->have[c] < w->k ? w->k - w->have[c] : 0;
	return (0);
}

enum assign_status
assign_balanced(struct assign_problem *p, struct assign_report *report)
{
	struct assign_report scratch;
	struct work	     w;
	enum assign_status   st;
	enum why	     why;
	size_t		     i, cells;
	int		     bad_r = -1, bad_c = -1, c, n = 0, wanted = 0;

	if (report == NULL)
		report = &scratch;
	memset(report, 0, sizeof(*report));
	report->candidate = -1;
	if ((why = check_args(p, &bad_r, &bad_c)) != WHY__MAX) {
		say(report, why_text[why],
		    why == WHY_TOO_BIG ? p->nraters : bad_r,
		    why == WHY_TOO_BIG ? p->ncands : bad_c);
		return (ASSIGN_INVALID);
	}

	if (work_init(&w, p) == -1) {
		say(report, why_text[WHY_NOMEM]);
		st = ASSIGN_NOMEM;
		goto out;
	}
	analyse(&w);
	report->components = w.ncomp;
	if (precheck(&w, report) == -1) {
		st = ASSIGN_INFEASIBLE;
		goto out;
	}
	/* Past the checks each need is at most nr, so the sum fits. */
	for (c = 0; c < w.nc; c++)
		wanted += w.need[c];
	if ((c = augment(&w, &n)) != -1) {
		report->candidate = c;
		explain_group(&w, n, report);
		st = ASSIGN_INFEASIBLE;
		goto out;
	}
	balance(&w);
	link_components(&w);

	cells = (size_t)w.nr * (size_t)w.nc;
	for (i = 0; i < cells; i++) {
		if (w.cell[i] != CELL_NEW)
			continue;
		p->assigned[i] = ASSIGN_ADDED;
		report->added++;
	}
	report->extra = report->added - wanted;
	report->components = w.ncomp;
	if (w.ncomp > 1) {
		say(report, why_text[WHY_DISCONNECTED], w.ncomp);
		st = ASSIGN_DISCONNECTED;
	} else
		st = ASSIGN_OK;
out:
	work_free(&w);
	return (st);
}

int
assign_components(int nraters, int ncands, const unsigned char *assigned)
{
	int *root = NULL, *deg = NULL, r, c, a, b, v, n = -1;

	if (nraters < 0 || ncands < 0 ||
	    (ncands > 0 && nraters > INT_MAX / ncands) ||
	    nraters > INT_MAX - ncands ||
	    (nraters > 0 && ncands > 0 && assigned == NULL))
		return (-1);
	/* Union-find over the vertices, independent of the search above. */
	if ((root = zalloc((size_t)nraters + (size_t)ncands, sizeof(int))) ==
		NULL ||
	    (deg = zalloc((size_t)nraters + (size_t)ncands, sizeof(int))) ==
		NULL)
		goto out;
	for (v = 0; v < nraters + ncands; v++)
		root[v] = v;
	for (r = 0; r < nraters; r++) {
		for (c = 0; c < ncands; c++) {
			if (assigned[r * ncands + c] == 0)
				continue;
			deg[r]++;
			deg[nraters + c]++;
			for (a = r; root[a] != a; a = root[a])
				root[a] = root[root[a]];
			for (b = nraters + c; root[b] != b; b = root[b])
				root[b] = root[root[b]];
			if (a != b)
				root[a < b ? b : a] = a < b ? a : b;
		}
	}
	n = 0;
	for (v = 0; v < nraters + ncands; v++)
		n += deg[v] > 0 && root[v] == v;
out:
	free(root);
	free(deg);
	return (n);
}

const char *
assign_status_name(enum assign_status st)
{
	return ((unsigned int)st < ASSIGN__MAX ? status_names[st] : "");
}
