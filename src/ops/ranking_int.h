/*
 * What ops/ranking.c and ops/ranklist.c share: the ranking as built from
 * the database, before it becomes JSON.
 */
#ifndef FELLOW_OPS_RANKING_INT_H
#define FELLOW_OPS_RANKING_INT_H

#include <jansson.h>

#include "core/aggregate.h"
#include "core/rubric.h"
#include "ops/accounts.h"

#define RANK_RUBRICS_MAX 64

struct rank_cand {
	int64_t app;
	char	name[DB_NAME_MAX];
	json_t *fields;	     /* the application's fields */
	int	interviewed; /* invited to interview */
	int	in_pool;     /* belongs on the rank list */
	double	composite;   /* NaN when the candidate has no sheet */
	int	complete;    /* every weighted phase has sheets */
	int	rank, rank_raw, rank_borda; /* 1-based; 0 when no sheet */
	int	method_sensitive;
};

struct rank_rater {
	int64_t id;
	char	name[DB_NAME_MAX];
};

struct rank_phase {
	struct agg_sheet *sheets;
	int64_t		 *sheet_ids;
	size_t		  nsheets, cap;
	struct agg_result res;
	int		  done;
};

struct ranking {
	struct db	  *db;
	int64_t		   cycle;
	int		   positions;
	int		   weights[PHASE__MAX];
	struct rank_cand  *cands; /* by application id */
	int		   ncands;
	struct rank_rater *raters;
	int		   nraters;
	struct rank_phase  phases[PHASE__MAX];
	int64_t		  *conflicts; /* pairs: application, rater */
	size_t		   nconflicts;
	int64_t		   rubric_ids[RANK_RUBRICS_MAX];
	json_t		  *rubrics[RANK_RUBRICS_MAX];
	int		   nrubrics;
};

/* Builds the ranking of cycle: OPS_OK and *out (free with
 * ranking_free()), OPS_NOT_FOUND, or a DB_E* code. */
int  ranking_build(struct db *, int64_t cycle, struct ranking **out);
void ranking_free(struct ranking *);

/* The JSON of the whole ranking, and of candidate i. */
json_t *ranking_json(const struct ranking *);
json_t *ranking_cand_json(const struct ranking *, int i);

#endif
