/*
 * Programs (migrations/017, 018): the programs an installation hosts, and
 * the roles people hold in them.
 */
#include "store/internal.h"

static void
read_program(struct db_q *st, void *out)
{
	struct db_program *p = out;

	p->id = db_col_int64(st, 0);
	db_column_text(st, 1, p->name, sizeof(p->name));
	p->positions = db_col_int64(st, 2);
	db_column_text(st, 3, p->timezone, sizeof(p->timezone));
	db_column_text(st, 4, p->mail_sender, sizeof(p->mail_sender));
	db_column_text(st, 5, p->created_at, sizeof(p->created_at));
	db_column_text(st, 6, p->updated_at, sizeof(p->updated_at));
}

int
db_program_get(struct db *db, int64_t id, struct db_program *p)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_PROGRAM_GET)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, read_program, p));
}

int
db_program_set_name(struct db *db, int64_t id, const char *name)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_PROGRAM_SET_NAME)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, name);
	if ((rc = db_changed(db, st)) < 0)
		return (rc);
	return (rc == 1 ? 0 : DB_ERROR);
}

int
db_program_insert(struct db *db, const struct db_program *p, int64_t *id)
{
	struct db_q *st;
	int	     rc;

	if ((st = db_stmt(db, STMT_PROGRAM_INSERT)) == NULL)
		return (DB_ERROR);
	db_bind_text(st, 1, p->name);
	db_bind_int64(st, 2, p->positions);
	db_bind_text(st, 3, p->timezone);
	db_bind_text(st, 4, p->mail_sender);
	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	*id = db_last_id(db);
	return (0);
}

static int
program_each(struct db_q *st, void *arg)
{
	struct db_list	 *l = arg;
	struct db_program p;

	read_program(st, &p);
	return (
	    ((int (*)(void *, const struct db_program *))l->fn)(l->arg, &p));
}

int
db_program_list(
    struct db *db, int (*cb)(void *, const struct db_program *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_PROGRAM_LIST)) == NULL)
		return (DB_ERROR);
	return (db_each(db, st, program_each, &l));
}

int
db_program_of(struct db *db, enum db_object kind, int64_t id, int64_t *program)
{
	static const enum stmt of[] = {
		[DB_OBJ_CYCLE] = STMT_PROGRAM_OF_CYCLE,
		[DB_OBJ_APPLICATION] = STMT_PROGRAM_OF_APPLICATION,
		[DB_OBJ_DOCUMENT] = STMT_PROGRAM_OF_DOCUMENT,
		[DB_OBJ_LETTER] = STMT_PROGRAM_OF_LETTER,
		[DB_OBJ_CONFLICT] = STMT_PROGRAM_OF_CONFLICT,
		[DB_OBJ_CONFLICT_REQUEST] = STMT_PROGRAM_OF_CONFLICT_REQUEST,
		[DB_OBJ_INTERVIEW_DAY] = STMT_PROGRAM_OF_INTERVIEW_DAY,
		[DB_OBJ_INTERVIEW_SLOT] = STMT_PROGRAM_OF_INTERVIEW_SLOT,
	};
	struct db_q *st;

	*program = 0;
	if ((unsigned int)kind >= sizeof(of) / sizeof(of[0]))
		return (0);
	if ((st = db_stmt(db, of[kind])) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, id);
	return (db_row(db, st, db_read_int64, program));
}

static void
read_role(struct db_q *st, void *out)
{
	db_column_text(st, 0, out, DB_ROLE_MAX);
}

int
db_membership_role(struct db *db, int64_t user, int64_t program, char *role)
{
	struct db_q *st;

	role[0] = '\0';
	if ((st = db_stmt(db, STMT_MEMBERSHIP_ROLE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, user);
	db_bind_int64(st, 2, program);
	return (db_row(db, st, read_role, role));
}

int
db_membership_first(struct db *db, int64_t user, int64_t *program)
{
	struct db_q *st;

	*program = 0;
	if ((st = db_stmt(db, STMT_MEMBERSHIP_FIRST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, user);
	return (db_row(db, st, db_read_int64, program));
}

int
db_membership_set(
    struct db *db, int64_t user, int64_t program, const char *role)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_MEMBERSHIP_SET)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, user);
	db_bind_int64(st, 2, program);
	db_bind_text(st, 3, role);
	return (db_step_done(db, st));
}

int
db_membership_delete(struct db *db, int64_t user, int64_t program)
{
	struct db_q *st;

	if ((st = db_stmt(db, STMT_MEMBERSHIP_DELETE)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, user);
	db_bind_int64(st, 2, program);
	return (db_step_done(db, st));
}

static int
membership_each(struct db_q *st, void *arg)
{
	struct db_list	    *l = arg;
	struct db_membership m;

	m.program_id = db_col_int64(st, 0);
	db_column_text(st, 1, m.program_name, sizeof(m.program_name));
	db_column_text(st, 2, m.role, sizeof(m.role));
	return (
	    ((int (*)(void *, const struct db_membership *))l->fn)(l->arg, &m));
}

int
db_membership_list(struct db *db, int64_t		   user,
    int (*cb)(void *, const struct db_membership *), void *arg)
{
	struct db_list l = { (void (*)(void))cb, arg };
	struct db_q   *st;

	if ((st = db_stmt(db, STMT_MEMBERSHIP_LIST)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, user);
	return (db_each(db, st, membership_each, &l));
}

/* Runs statement id, a count of the rows of ?1 and ?2, into *count: 0
 * or a DB_E* code. */
static int
count2(struct db *db, enum stmt id, int64_t a, int64_t b, int64_t *count)
{
	struct db_q *st;
	int	     rc;

	*count = 0;
	if ((st = db_stmt(db, id)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, a);
	db_bind_int64(st, 2, b);
	rc = db_row(db, st, db_read_int64, count);
	return (rc < 0 ? rc : 0);
}

int
db_membership_others(
    struct db *db, int64_t user, int64_t program, int64_t *count)
{
	return (count2(db, STMT_MEMBERSHIP_OTHER, user, program, count));
}

int
db_applicant_others(
    struct db *db, int64_t user, int64_t program, int64_t *count)
{
	return (count2(db, STMT_APPLICANT_OTHERS, user, program, count));
}

int
db_membership_count(
    struct db *db, int64_t program, const char *role, int64_t *count)
{
	struct db_q *st;
	int	     rc;

	*count = 0;
	if ((st = db_stmt(db, STMT_MEMBERSHIP_COUNT)) == NULL)
		return (DB_ERROR);
	db_bind_int64(st, 1, program);
	if (role != NULL)
		db_bind_text(st, 2, role);
	else
		db_bind_null(st, 2);
	rc = db_row(db, st, db_read_int64, count);
	return (rc < 0 ? rc : 0);
}
