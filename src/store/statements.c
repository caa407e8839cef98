/*
 * The statement table: every SQL text the program runs against the
 * database, one row per enum stmt value, each with what it is for. Values
 * are always bound, never formatted into the text.
 */
#include "store/internal.h"

#define NOW_TEXT DB_SQL_NOW
/* An INSERT whose new row's id is read with db_last_id(): PostgreSQL
 * returns it (store/pg.c), SQLite keeps it for the connection. */
#define RETURNING_ID(s) .sql = "" s, .pg = "" s " RETURNING id"
#define USER_COLUMNS                                                           \
	"id, email, name, role, coalesce(password_hash, ''), disabled, "       \
	"created_at, imported_claimable, admin"

/* USER_COLUMNS of users u, with role the expression r. */
#define USER_COLUMNS_IN(r)                                                     \
	"u.id, u.email, u.name, " r ", coalesce(u.password_hash, ''), "        \
	"u.disabled, u.created_at, u.imported_claimable, u.admin"
#define PROGRAM_COLUMNS                                                        \
	"id, name, positions, timezone, mail_sender, created_at, updated_at"

#define CYCLE_COLUMNS                                                          \
	"id, year, name, positions, timezone, state, applications_open, "      \
	"applications_close, interviews_start, interviews_end, "               \
	"ranklist_due, open_at, close_at, ranklist_due_at, created_at, "       \
	"updated_at, program_id"
#define APP_COLUMNS                                                            \
	"id, cycle_id, applicant_id, status, fields, version, "                \
	"coalesce(submitted_at, ''), created_at, updated_at, "                 \
	"coalesce(withdrawn_at, '')"

/*
 * What differs between the engines, for the statements that have a
 * PostgreSQL text: T casts a parameter whose type PostgreSQL cannot
 * infer (one only compared with NULL), INSTR is SQLite's instr (strpos,
 * with the same arguments), KEYS(p) the values of JSON array p as rows
 * of one text column "value", SUM_IF(c) how many rows c holds for (SQLite
 * sums booleans).
 */
#define EVERY_RATER	 "(?3 = 0 OR faculty_id = ?3)"
#define EVERY_RATER_S	 "(?3 = 0 OR s.faculty_id = ?3)"
#define ONE_RATER	 "faculty_id = ?3"
#define ONE_RATER_S	 "s.faculty_id = ?3"
#define T_SQLITE	 ""
#define T_PG		 "::text"
#define KEYS_SQLITE(p)	 "SELECT value FROM json_each(" p ")"
#define KEYS_PG(p)	 "SELECT value FROM json_array_elements_text(" p "::json)"
#define SUM_IF_SQLITE(c) "sum(" c ")"
#define SUM_IF_PG(c)	 "count(*) FILTER (WHERE " c ")"

/* The filters of the applications lists (STMT_APP_LIST, STMT_APP_PAGE). */
#define APP_FILTER(T, INSTR)                                                   \
	"WHERE a.cycle_id = ?1 AND (?2" T " IS NULL OR a.status = ?2) "        \
	"AND (?3" T " IS NULL OR " INSTR                                       \
	"(lower(coalesce(a.fields ->> 'first_name', "                          \
	"'') || ' ' || coalesce(a.fields ->> 'last_name', '') || ' ' || "      \
	"coalesce(a.fields ->> 'email', '') || ' ' || "                        \
	"coalesce(a.fields ->> 'medical_school', '') || ' ' || "               \
	"coalesce(a.fields ->> 'residency_program', '')), lower(?3" T          \
	")) > 0) "                                                             \
	"AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE "                     \
	"c.application_id = a.id AND c.faculty_id = ?4) "                      \
	"AND (?7 = 0 OR EXISTS (SELECT 1 FROM assignments s WHERE "            \
	"s.application_id = a.id AND s.faculty_id = ?7)) "                     \
	"AND a.id > ?5 ORDER BY a.id LIMIT ?6"

#define DOC_COLUMNS                                                            \
	"id, application_id, kind, sha256, size, uploaded_by, created_at, "    \
	"coalesce(removed_at, '')"

#define LETTER_COLUMNS                                                         \
	"id, application_id, writer_name, writer_email, waived, status, "      \
	"coalesce(token_expires_at, 0), requested_at, "                        \
	"coalesce(reminded_at, ''), coalesce(received_at, ''), "               \
	"coalesce(sha256, ''), coalesce(size, 0)"

/* A candidate's name: the application's first and last name, else the
 * account's name (a is the application, u its applicant). */
#define CANDIDATE_NAME                                                         \
	"coalesce(nullif(trim(coalesce(a.fields ->> 'first_name', '') || ' ' " \
	"|| coalesce(a.fields ->> 'last_name', '')), ''), u.name)"
#define RUBRIC_COLUMNS                                                         \
	"r.id, r.cycle_id, r.phase, r.version, r.criteria, r.created_at, "     \
	"(SELECT count(*) FROM score_sheets s WHERE s.rubric_id = r.id AND "   \
	"s.status = 'submitted')"
#define PHASE_COLUMNS                                                          \
	"cycle_id, phase, coalesce(scoring_due, ''), "                         \
	"coalesce(scoring_due_at, 0), coalesce(closed_at, 0), "                \
	"coalesce(closed_by, 0), coalesce(reminded_at, 0), "                   \
	"coalesce(manual_reminded_at, 0), weight, "                            \
	"coalesce(overdue_reminded_at, 0)"
#define CONFLICT_COLUMNS                                                       \
	"c.id, c.application_id, c.faculty_id, f.name, " CANDIDATE_NAME ", "   \
	"c.kind, c.reason, c.recorded_by, c.created_at, (SELECT name FROM "    \
	"users WHERE id = c.recorded_by)"
#define CONFLICT_REQUEST_COLUMNS                                               \
	"q.id, q.application_id, q.faculty_id, f.name, " CANDIDATE_NAME ", "   \
	"q.kind, q.reason, q.held_because, q.declared_at, q.status, "          \
	"coalesce(q.decided_by, 0), coalesce((SELECT name FROM users WHERE "   \
	"id = q.decided_by), ''), coalesce(q.decided_at, ''), "                \
	"coalesce(q.note, ''), a.cycle_id"
#define CONFLICT_REQUEST_FROM                                                  \
	" FROM conflict_requests q JOIN users f ON f.id = q.faculty_id JOIN "  \
	"applications a ON a.id = q.application_id JOIN users u ON u.id = "    \
	"a.applicant_id "
#define SHEET_COLUMNS                                                          \
	"s.id, s.cycle_id, s.application_id, s.rater_id, s.phase, "            \
	"s.rubric_id, s.status, s.\"values\", s.comment, s.version, "          \
	"s.created_at, s.updated_at, coalesce(s.submitted_at, 0), f.name, "    \
	"r.version"
#define SLOT_COLUMNS                                                           \
	"sl.id, sl.day_id, d.cycle_id, d.day, sl.starts, sl.ends, "            \
	"sl.starts_at, sl.capacity, (SELECT count(*) FROM "                    \
	"interview_invitations i WHERE i.slot_id = sl.id)"
#define INVITATION_COLUMNS                                                     \
	"i.application_id, i.cycle_id, a.applicant_id, " CANDIDATE_NAME ", "   \
	"u.email, i.invited_at, coalesce(i.slot_id, 0), "                      \
	"coalesce(i.booked_at, 0), coalesce(i.waitlisted_at, 0), "             \
	"coalesce(i.reminded_at, 0), i.calendar_sequence"
#define MEETING_FIXED_COLUMNS                                                  \
	"m.id, m.cycle_id, m.started_by, coalesce((SELECT name FROM users "    \
	"WHERE id = m.started_by), ''), m.started_at, coalesce(m.ended_by, "   \
	"0), coalesce((SELECT name FROM users WHERE id = m.ended_by), ''), "   \
	"coalesce(m.ended_at, 0)"
#define MEETING_COLUMNS MEETING_FIXED_COLUMNS ", m.snapshot, m.agenda"
#define RANKLIST_COLUMNS                                                       \
	"v.id, v.cycle_id, v.version, v.kind, v.entries, "                     \
	"coalesce(v.sha256, ''), coalesce(v.reason, ''), "                     \
	"coalesce(v.created_by, 0), coalesce((SELECT name FROM users WHERE "   \
	"id = v.created_by), ''), v.created_at, v.acknowledged, v.snapshot"

/* STMT_APP_PAGE (see there). */
#define APP_PAGE(KEYS, T, INSTR)                                               \
	"WITH req(k) AS MATERIALIZED (" KEYS(                                  \
	    "?8") "), "                                                        \
		  "kinds(k) AS MATERIALIZED (" KEYS(                           \
		      "?9") ") "                                               \
			    "SELECT a.id, a.applicant_id, a.status, a.fields " \
			    "->> "                                             \
			    "'first_name', "                                   \
			    "a.fields ->> 'last_name', a.fields ->> "          \
			    "'medical_school', "                               \
			    "a.fields ->> 'residency_program', "               \
			    "coalesce(a.submitted_at, "                        \
			    "''), "                                            \
			    "a.updated_at, "                                   \
			    "(SELECT count(*) FROM req WHERE "                 \
			    "coalesce(a.fields ->> req.k, "                    \
			    "'') "                                             \
			    "= ''), "                                          \
			    "(SELECT count(*) FROM kinds WHERE NOT EXISTS "    \
			    "(SELECT 1 FROM "                                  \
			    "documents d WHERE d.application_id = a.id AND "   \
			    "d.kind = "                                        \
			    "kinds.k "                                         \
			    "AND d.removed_at IS NULL)), "                     \
			    "(SELECT count(*) FROM letters l WHERE "           \
			    "l.application_id = a.id "                         \
			    "AND l.status = 'received'), "                     \
			    "(SELECT count(*) FROM letters l WHERE "           \
			    "l.application_id = a.id "                         \
			    "AND l.status <> 'cancelled'), "                   \
			    "?10 <> 0 AND EXISTS (SELECT 1 FROM assignments "  \
			    "s WHERE "                                         \
			    "s.application_id = a.id AND s.faculty_id = "      \
			    "?10), "                                           \
			    "?10 <> 0 AND EXISTS (SELECT 1 FROM conflicts c "  \
			    "WHERE "                                           \
			    "c.application_id = a.id AND c.faculty_id = ?10) " \
			    "FROM applications a " APP_FILTER(T, INSTR)

/* STMT_ASSIGN_LIST and _RATER (see there): W and SW are the filters on
 * the rater, of assignments and of s. */
#define ASSIGN_LIST(T, W, SW)                                                  \
	"WITH n(id, name) AS MATERIALIZED (SELECT a.id, " CANDIDATE_NAME       \
	" FROM applications a JOIN users u ON u.id = a.applicant_id "          \
	"WHERE "                                                               \
	"a.id IN (SELECT application_id FROM assignments WHERE "               \
	"cycle_id = ?1 "                                                       \
	"AND (?2" T " IS NULL OR phase = ?2) AND " W ")) "                     \
	"SELECT s.id, s.phase, s.application_id, s.faculty_id, f.name, "       \
	"n.name, coalesce(h.status, 'none') FROM assignments s JOIN "          \
	"users f "                                                             \
	"ON f.id = s.faculty_id JOIN n ON n.id = s.application_id LEFT "       \
	"JOIN "                                                                \
	"score_sheets h ON h.application_id = s.application_id AND "           \
	"h.rater_id = s.faculty_id AND h.phase = s.phase WHERE "               \
	"s.cycle_id = "                                                        \
	"?1 AND (?2" T " IS NULL OR s.phase = ?2) AND " SW " "                 \
	"ORDER BY s.phase DESC, f.name, s.faculty_id, "                        \
	"s.application_id"

/*
 * The people of program p who have no role in another: the installation's
 * records and mail about them are the program's to read (someone with a
 * role in another program too is that program's as much).
 */
#define OWN_PEOPLE(p)                                                          \
	"(SELECT m.user_id FROM memberships m WHERE m.program_id = " p " AND " \
	"NOT EXISTS (SELECT 1 FROM memberships o WHERE o.user_id = m.user_id " \
	"AND o.program_id <> " p "))"

/* The people with a role in program p. */
#define MEMBERS(p) "(SELECT user_id FROM memberships WHERE program_id = " p ")"

/* Mail of program p: its own, and the installation's to its own people
 * (OWN_PEOPLE): a password link mailed to someone another program has
 * too is not this program's to read. */
#define MAIL_OF(p)                                                             \
	"(program_id = " p                                                     \
	" OR (program_id IS NULL AND EXISTS (SELECT 1 FROM "                   \
	"users u WHERE u.email = outbox.to_addr AND u.id IN " OWN_PEOPLE(      \
	    p) ")))"

/* STMT_AUDIT_LIST (see there); T reads the JSON detail as text. A
 * program's log holds its own records and those of the installation
 * (sign-ins, accounts): about one of its people (MEMBERS), or about no
 * account and by one of its people or by no one (a sign-in with an
 * address of no account). */
#define AUDIT_LIST(T)                                                          \
	"SELECT a.id, a.at, coalesce(a.actor_id, 0), coalesce(u.name, ''), "   \
	"a.action, coalesce(a.object, ''), coalesce(a.detail" T ", '') "       \
	"FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "             \
	"WHERE a.id < ?1 AND (?3 = 0 OR a.program_id = ?3 OR "                 \
	"(a.program_id IS NULL AND CASE WHEN a.object LIKE 'user:%' THEN "     \
	"CAST(substr(a.object, 6) AS INTEGER) IN " MEMBERS(                    \
	    "?3") " ELSE "                                                     \
		  "(a.actor_id IS NULL OR a.actor_id IN " MEMBERS(             \
		      "?3") ") END)) "                                         \
			    "ORDER BY a.id DESC LIMIT ?2"

/* STMT_HOME_RATER_SHEETS (see there); BY_NAME orders by name without
 * case. */
#define HOME_RATER_SHEETS(BY_NAME)                                             \
	"SELECT s.phase, s.application_id, " CANDIDATE_NAME " AS name, "       \
	"a.status, coalesce(h.status, 'none'), EXISTS (SELECT 1 FROM "         \
	"conflicts c WHERE c.application_id = s.application_id AND "           \
	"c.faculty_id = s.faculty_id) FROM assignments s JOIN applications a " \
	"ON a.id = s.application_id JOIN users u ON u.id = a.applicant_id "    \
	"LEFT JOIN score_sheets h ON h.application_id = s.application_id AND " \
	"h.rater_id = s.faculty_id AND h.phase = s.phase WHERE s.cycle_id = "  \
	"?1 AND s.faculty_id = ?2 ORDER BY s.phase DESC, " BY_NAME ", "        \
	"s.application_id"

/* STMT_HOME_PROGRESS (see there). */
#define HOME_PROGRESS(SUM_IF)                                                  \
	"SELECT s.phase, f.id, f.name, f.disabled, count(*), "                 \
	"coalesce(" SUM_IF(                                                    \
	    "h.status = 'submitted'") ", 0), "                                 \
				      "coalesce(" SUM_IF(                      \
					  "h.status = 'draft'") ", 0) FROM "   \
								"assignments " \
								"s "           \
								"JOIN users "  \
								"f ON f.id = " \
								"s.faculty_"   \
								"id JOIN "     \
								"applications" \
								" a ON a.id "  \
								"= "           \
								"s."           \
								"application_" \
								"id LEFT "     \
								"JOIN "        \
								"score_"       \
								"sheets h ON " \
								"h."           \
								"application_" \
								"id = "        \
								"s."           \
								"application_" \
								"id AND "      \
								"h.rater_id "  \
								"= "           \
								"s.faculty_"   \
								"id AND "      \
								"h.phase = "   \
								"s.phase "     \
								"WHERE "       \
								"s.cycle_id "  \
								"= ?1 AND "    \
								"a.status = "  \
								"'submitted' " \
								"AND NOT "     \
								"EXISTS "      \
								"(SELECT 1 "   \
								"FROM "        \
								"conflicts c " \
								"WHERE "       \
								"c."           \
								"application_" \
								"id = "        \
								"s."           \
								"application_" \
								"id AND "      \
								"c.faculty_"   \
								"id = "        \
								"s.faculty_"   \
								"id) GROUP "   \
								"BY s.phase, " \
								"f.id ORDER "  \
								"BY s.phase "  \
								"DESC, "       \
								"f.name, f.id"

/* STMT_HOME_PIPELINE (see there). */
#define HOME_PIPELINE(KEYS, SUM_IF)                                                                                                                                                                                                                           \
	"WITH req(k) AS MATERIALIZED (" KEYS(                                                                                                                                                                                                                 \
	    "?2") "), "                                                                                                                                                                                                                                       \
		  "kinds(k) AS MATERIALIZED (" KEYS(                                                                                                                                                                                                          \
		      "?3") "), "                                                                                                                                                                                                                             \
			    "r(status, missing, waiting) AS (SELECT "                                                                                                                                                                                         \
			    "a.status, "                                                                                                                                                                                                                      \
			    "(SELECT count(*) FROM req WHERE "                                                                                                                                                                                                \
			    "coalesce(a.fields ->> req.k, '') "                                                                                                                                                                                               \
			    "= '') + (SELECT count(*) FROM kinds WHERE NOT "                                                                                                                                                                                  \
			    "EXISTS (SELECT 1 FROM "                                                                                                                                                                                                          \
			    "documents d WHERE d.application_id = a.id AND "                                                                                                                                                                                  \
			    "d.kind = kinds.k "                                                                                                                                                                                                               \
			    "AND d.removed_at IS NULL)), (SELECT count(*) "                                                                                                                                                                                   \
			    "FROM letters l WHERE "                                                                                                                                                                                                           \
			    "l.application_id = a.id AND l.status = "                                                                                                                                                                                         \
			    "'requested') FROM "                                                                                                                                                                                                              \
			    "applications a WHERE a.cycle_id = ?1) "                                                                                                                                                                                          \
			    "SELECT coalesce(" SUM_IF(                                                                                                                                                                                                        \
				"status = 'draft'") ", 0), "                                                                                                                                                                                                  \
						    "coalesce(" SUM_IF(                                                                                                                                                                                       \
							"status = 'draft' "                                                                                                                                                                                   \
							"AND missing = 0") ","                                                                                                                                                                                \
									   " "                                                                                                                                                                                \
									   "0"                                                                                                                                                                                \
									   ")"                                                                                                                                                                                \
									   ","                                                                                                                                                                                \
									   " "                                                                                                                                                                                \
									   "c"                                                                                                                                                                                \
									   "o"                                                                                                                                                                                \
									   "a"                                                                                                                                                                                \
									   "l"                                                                                                                                                                                \
									   "e"                                                                                                                                                                                \
									   "s"                                                                                                                                                                                \
									   "c"                                                                                                                                                                                \
									   "e"                                                                                                                                                                                \
									   "(" SUM_IF(                                                                                                                                                                        \
									       "status = 'submitted' AND missing = 0 AND waiting = 0") ", 0), "                                                                                                               \
																       "coalesce(" SUM_IF(                                                                                                    \
																	   "status = 'submitted' AND (missing > 0 OR "                                                                        \
																	   "waiting > 0)") ", 0), "                                                                                           \
																			   "coalesce(" SUM_IF(                                                                                \
																			       "status = 'withdrawn'") ", 0), "                                                               \
																						       "coalesce(sum(CASE WHEN status <> 'withdrawn' THEN waiting END), 0), " \
																						       "coalesce(" SUM_IF(                                                    \
																							   "status <> 'withdrawn' AND waiting > 0") ", 0) "                   \
																												    "FROM r"

const struct stmt_text stmt_sql[STMT__MAX] = {
	/* STMT_PING: the cheapest query that touches the connection. */
	{ .sql = "SELECT 1" },

	/* STMT_DATA_VERSION: a read of the database file that makes the
	 * connection notice commits by others (store/memo.c). */
	{ .sql = "PRAGMA data_version", .pg = "SELECT 1" },

	/* STMT_RANKING_EPOCH: the counter of changes that move a ranking
	 * (migrations/014). */
	{ .sql = "SELECT n FROM ranking_epoch WHERE id = 1" },

	/* STMT_SCHEMA_VERSION: highest migration applied (0 when none). */
	{ .sql = "SELECT coalesce(max(version), 0) FROM schema_migrations" },

	/*
	 * The schema as the database itself describes it, for the copy of
	 * an installation from one engine to the other (store/copy.c),
	 * which must follow every migration without being told of it.
	 */

	/* STMT_SCHEMA_TABLES: the names of the database's tables (SQLite's
	 * own left out), in no particular order. */
	{ .sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND "
		 "name NOT LIKE 'sqlite!_%' ESCAPE '!'",
	    .pg = "SELECT table_name::text FROM information_schema.tables "
		  "WHERE table_schema = current_schema() AND "
		  "table_type = 'BASE TABLE'" },

	/* STMT_SCHEMA_COLUMNS: table ?1's columns in order: name, type,
	 * and 1 when the database hands its values out itself (SQLite's
	 * INTEGER PRIMARY KEY, PostgreSQL's identity), else 0. */
	{ .sql = "SELECT name, upper(type), CASE WHEN pk = 1 AND "
		 "upper(type) = 'INTEGER' AND (SELECT count(*) FROM "
		 "pragma_table_info(?1) WHERE pk > 0) = 1 THEN 1 ELSE 0 END "
		 "FROM pragma_table_info(?1) ORDER BY cid",
	    .pg = "SELECT column_name::text, data_type::text, CASE WHEN "
		  "is_identity = 'YES' THEN 1 ELSE 0 END FROM "
		  "information_schema.columns WHERE table_schema = "
		  "current_schema() AND table_name = ?1 ORDER BY "
		  "ordinal_position" },

	/* STMT_SCHEMA_REFERENCES: the tables table ?1's foreign keys refer
	 * to. */
	{ .sql = "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)",
	    .pg = "SELECT DISTINCT r.relname::text FROM pg_constraint c "
		  "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r "
		  "ON r.oid = c.confrelid WHERE c.contype = 'f' AND "
		  "t.relname = ?1 AND t.relnamespace = "
		  "to_regnamespace(current_schema())" },

	/* STMT_PROGRAM_GET: a program by id. */
	{ .sql = "SELECT " PROGRAM_COLUMNS " FROM programs WHERE id = ?1" },

	/* STMT_PROGRAM_SET_NAME: id, name. */
	{ .sql = "UPDATE programs SET name = ?2, updated_at = " NOW_TEXT
		 " WHERE id = ?1" },

	/* STMT_PROGRAM_INSERT: name, positions, time zone, mail sender. */
	{ RETURNING_ID("INSERT INTO programs (name, positions, timezone, "
		       "mail_sender) VALUES (?1, ?2, ?3, ?4)") },

	/* STMT_PROGRAM_LIST: every program, by name. */
	{ .sql = "SELECT " PROGRAM_COLUMNS " FROM programs ORDER BY name, id" },

	/* STMT_PROGRAM_OF_CYCLE .. _SLOT: the program of one object. */
	{ .sql = "SELECT program_id FROM cycles WHERE id = ?1" },
	{ .sql = "SELECT c.program_id FROM applications a JOIN cycles c ON "
		 "c.id = a.cycle_id WHERE a.id = ?1" },
	{ .sql = "SELECT c.program_id FROM documents d JOIN applications a ON "
		 "a.id = d.application_id JOIN cycles c ON c.id = a.cycle_id "
		 "WHERE d.id = ?1" },
	{ .sql = "SELECT c.program_id FROM letters l JOIN applications a ON "
		 "a.id = l.application_id JOIN cycles c ON c.id = a.cycle_id "
		 "WHERE l.id = ?1" },
	{ .sql = "SELECT c.program_id FROM conflicts x JOIN applications a ON "
		 "a.id = x.application_id JOIN cycles c ON c.id = a.cycle_id "
		 "WHERE x.id = ?1" },
	{ .sql = "SELECT c.program_id FROM conflict_requests x JOIN "
		 "applications a ON a.id = x.application_id JOIN cycles c ON "
		 "c.id = a.cycle_id WHERE x.id = ?1" },
	{ .sql = "SELECT c.program_id FROM interview_days d JOIN cycles c ON "
		 "c.id = d.cycle_id WHERE d.id = ?1" },
	{ .sql = "SELECT c.program_id FROM interview_slots s JOIN "
		 "interview_days d ON d.id = s.day_id JOIN cycles c ON c.id = "
		 "d.cycle_id WHERE s.id = ?1" },

	/* STMT_MEMBERSHIP_ROLE: user ?1's role in program ?2. */
	{ .sql = "SELECT role FROM memberships WHERE user_id = ?1 AND "
		 "program_id = ?2" },

	/* STMT_MEMBERSHIP_FIRST: user ?1's first program (by id). */
	{ .sql = "SELECT program_id FROM memberships WHERE user_id = ?1 "
		 "ORDER BY program_id LIMIT 1" },

	/* STMT_MEMBERSHIP_SET: user, program, role (made or changed). */
	{ .sql = "INSERT INTO memberships (user_id, program_id, role) VALUES "
		 "(?1, ?2, ?3) ON CONFLICT (user_id, program_id) DO UPDATE SET "
		 "role = excluded.role, updated_at = " NOW_TEXT },

	/* STMT_MEMBERSHIP_DELETE: user ?1's role in program ?2. */
	{ .sql = "DELETE FROM memberships WHERE user_id = ?1 AND program_id = "
		 "?2" },

	/* STMT_MEMBERSHIP_LIST: user ?1's programs: id, name, role. */
	{ .sql = "SELECT p.id, p.name, m.role FROM memberships m JOIN "
		 "programs p ON p.id = m.program_id WHERE m.user_id = ?1 ORDER "
		 "BY p.name, p.id" },

	/* STMT_MEMBERSHIP_OTHER: how many programs other than ?2 user ?1
	 * has a role in. */
	{ .sql = "SELECT count(*) FROM memberships WHERE user_id = ?1 AND "
		 "program_id <> ?2" },

	/* STMT_APPLICANT_OTHERS: how many programs other than ?2 applicant
	 * ?1 has an application in. */
	{ .sql = "SELECT count(DISTINCT c.program_id) FROM applications a "
		 "JOIN cycles c ON c.id = a.cycle_id WHERE a.applicant_id = ?1 "
		 "AND c.program_id <> ?2" },

	/* STMT_MEMBERSHIP_COUNT: how many people hold role ?2 in program
	 * ?1 (NULL: any role). */
	{ .sql = "SELECT count(*) FROM memberships WHERE program_id = ?1 AND "
		 "(?2" T_SQLITE " IS NULL OR role = ?2)",
	    .pg = "SELECT count(*) FROM memberships WHERE program_id = ?1 AND "
		  "(?2" T_PG " IS NULL OR role = ?2)" },

	/* STMT_USER_IN_PROGRAM: account ?1 as seen in program ?2: a staff
	 * account with its role there, or an applicant's account. */
	{ .sql = "SELECT " USER_COLUMNS_IN(
	      "m.role") " FROM users u JOIN "
			"memberships m ON m.user_id = u.id AND m.program_id = "
			"?2 "
			"WHERE u.id = ?1 UNION ALL SELECT " USER_COLUMNS_IN(
			    "u.role") " FROM users u WHERE u.id = ?1 AND "
				      "u.role = 'applicant' AND "
				      "EXISTS (SELECT 1 FROM applications a "
				      "JOIN cycles c ON c.id = "
				      "a.cycle_id WHERE a.applicant_id = u.id "
				      "AND c.program_id = "
				      "?2)" },

	/* STMT_USER_SET_ADMIN: id, 0 or 1. */
	{ .sql = "UPDATE users SET admin = ?2, updated_at = " NOW_TEXT
		 " WHERE id = ?1" },

	/* STMT_USER_INSERT: email, name, role, password hash (or NULL). */
	{ RETURNING_ID("INSERT INTO users (email, name, role, password_hash) "
		       "VALUES (?1, ?2, ?3, ?4)") },

	/* STMT_USER_COUNT: how many accounts exist. */
	{ .sql = "SELECT count(*) FROM users" },

	/* STMT_USER_BY_EMAIL: one account by e-mail (any case). */
	{ .sql = "SELECT " USER_COLUMNS " FROM users WHERE email = ?1" },

	/* STMT_USER_BY_ID: one account by id. */
	{ .sql = "SELECT " USER_COLUMNS " FROM users WHERE id = ?1" },

	/* STMT_USER_LIST: a page of accounts after id ?1, ?2 at most: of
	 * program ?3, its staff (with their role there) and the applicants
	 * to its cycles; every account when ?3 is 0. */
	{ .sql = "SELECT " USER_COLUMNS_IN(
	      "coalesce(m.role, u.role)") " FROM users u LEFT JOIN memberships "
					  "m ON m.user_id = u.id AND "
					  "m.program_id = ?3 WHERE u.id > ?1 "
					  "AND (?3 = 0 OR m.user_id IS "
					  "NOT NULL OR (u.role = 'applicant' "
					  "AND EXISTS (SELECT 1 FROM "
					  "applications a JOIN cycles c ON "
					  "c.id = a.cycle_id WHERE "
					  "a.applicant_id = u.id AND "
					  "c.program_id = ?3))) ORDER BY u.id "
					  "LIMIT ?2" },

	/* STMT_USER_SET_PASSWORD: id, new hash. */
	{ .sql = "UPDATE users SET password_hash = ?2, updated_at = " NOW_TEXT
		 " WHERE id = ?1" },

	/* STMT_USER_SET_ROLE: id, role. */
	{ .sql = "UPDATE users SET role = ?2, updated_at = " NOW_TEXT
		 " WHERE id = ?1" },

	/* STMT_USER_SET_DISABLED: id, 0 or 1. */
	{ .sql = "UPDATE users SET disabled = ?2, updated_at = " NOW_TEXT
		 " WHERE id = ?1" },

	/* STMT_USER_SET_CLAIMABLE: id, 0 or 1 (whether the owner of its
	 * address may claim the imported account). */
	{ .sql = "UPDATE users SET imported_claimable = ?2, updated_at "
		 "= " NOW_TEXT " WHERE id = ?1" },

	/* STMT_SESSION_INSERT: token hash, user, CSRF token, now. */
	{ RETURNING_ID("INSERT INTO sessions (token_hash, user_id, csrf_token, "
		       "created_at, "
		       "last_seen_at) VALUES (?1, ?2, ?3, ?4, ?4)") },

	/* STMT_SESSION_LOOKUP: a session and its account by token hash. */
	{ .sql = "SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at, "
		 "u.id, u.email, u.name, u.role, '', u.disabled, u.created_at, "
		 "u.imported_claimable, u.admin FROM sessions s JOIN users u "
		 "ON u.id = s.user_id "
		 "WHERE s.token_hash = ?1" },

	/* STMT_SESSION_TOUCH: id, now. */
	{ .sql = "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1" },

	/* STMT_SESSION_DELETE: sign-out of one session. */
	{ .sql = "DELETE FROM sessions WHERE id = ?1" },

	/* STMT_SESSION_DELETE_USER: every session of a user. */
	{ .sql = "DELETE FROM sessions WHERE user_id = ?1" },

	/* STMT_SESSION_DELETE_USER_EXCEPT: every session of ?1 but ?2. */
	{ .sql = "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2" },

	/* STMT_SESSION_PURGE: sessions idle since ?1 or created before ?2. */
	{ .sql = "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < "
		 "?2" },

	/* STMT_TOKEN_INSERT: kind, hash, user (or NULL), now, expiry. */
	{ .sql = "INSERT INTO tokens (kind, token_hash, user_id, created_at, "
		 "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)" },

	/* STMT_TOKEN_LOOKUP: a token of kind ?2 by hash ?1. */
	{ .sql = "SELECT id, coalesce(user_id, 0), expires_at, "
		 "coalesce(used_at, 0) "
		 "FROM tokens WHERE token_hash = ?1 AND kind = ?2" },

	/* STMT_TOKEN_USE: marks token ?1 used at ?2, once. */
	{ .sql = "UPDATE tokens SET used_at = ?2 WHERE id = ?1 AND used_at IS "
		 "NULL" },

	/* STMT_TOKEN_REVOKE: every unused token of user ?1 and kind ?2. */
	{ .sql = "UPDATE tokens SET used_at = ?3 WHERE user_id = ?1 AND kind = "
		 "?2 "
		 "AND used_at IS NULL" },

	/* STMT_THROTTLE_GET: a key's counters. */
	{ .sql = "SELECT failures, window_start, blocked_until FROM "
		 "login_throttle "
		 "WHERE key = ?1" },

	/* STMT_THROTTLE_PUT: key, failures, window start, blocked until. */
	{ .sql = "INSERT INTO login_throttle (key, failures, window_start, "
		 "blocked_until) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO "
		 "UPDATE "
		 "SET failures = excluded.failures, window_start = "
		 "excluded.window_start, blocked_until = "
		 "excluded.blocked_until" },

	/* STMT_THROTTLE_CLEAR: forget a key after a successful sign-in. */
	{ .sql = "DELETE FROM login_throttle WHERE key = ?1" },

	/* STMT_THROTTLE_PURGE: the keys whose window began before ?1 and
	 * that are not blocked at ?2: they count nothing any more. */
	{ .sql = "DELETE FROM login_throttle WHERE window_start < ?1 AND "
		 "blocked_until <= ?2" },

	/* STMT_OUTBOX_INSERT: to, subject, body, now, calendar (or NULL). */
	{ RETURNING_ID(
	    "INSERT INTO outbox (to_addr, subject, body, created_at, "
	    "next_attempt_at, calendar, program_id) VALUES (?1, ?2, ?3, ?4, "
	    "?4, ?5, ?6)") },

	/* STMT_OUTBOX_NEXT_DUE: the oldest message due for delivery at ?1. */
	{ .sql = "SELECT o.id, o.to_addr, o.subject, o.body, o.attempts, "
		 "o.calendar, coalesce(p.mail_sender, '') FROM outbox o LEFT "
		 "JOIN programs p ON p.id = o.program_id WHERE o.status = "
		 "'pending' AND o.next_attempt_at <= ?1 ORDER BY "
		 "o.next_attempt_at, o.id LIMIT 1" },

	/* STMT_OUTBOX_SENT: id, now. */
	{ .sql = "UPDATE outbox SET status = 'sent', sent_at = ?2, "
		 "attempts = attempts + 1, last_error = NULL WHERE id = ?1" },

	/* STMT_OUTBOX_RETRY: id, next attempt, error, new status. */
	{ .sql = "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = "
		 "?2, "
		 "last_error = ?3, status = ?4 WHERE id = ?1" },

	/* STMT_OUTBOX_LIST: a page of messages before id ?1, newest first:
	 * of program ?3 (every one when 0), with the installation's own to
	 * the people whose every role is in it (their password resets). */
	{ .sql = "SELECT id, to_addr, subject, body, created_at, status, "
		 "attempts, "
		 "next_attempt_at, coalesce(last_error, ''), coalesce(sent_at, "
		 "0), "
		 "calendar FROM outbox WHERE id < ?1 AND (?3 = 0 OR " MAIL_OF(
		     "?3") ") ORDER BY id DESC LIMIT ?2" },

	/* STMT_OUTBOX_ROTATE: delivered messages sent before ?1. */
	{ .sql = "DELETE FROM outbox WHERE status = 'sent' AND sent_at < ?1" },

	/* STMT_CYCLE_INSERT: year, name, positions, time zone, the five
	 * dates as typed, and the open, close and rank list due instants. */
	{ RETURNING_ID(
	    "INSERT INTO cycles (year, name, positions, timezone, "
	    "applications_open, applications_close, interviews_start, "
	    "interviews_end, ranklist_due, open_at, close_at, ranklist_due_at, "
	    "program_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	    "?12, ?13)") },

	/* STMT_CYCLE_BY_ID: one cycle. */
	{ .sql = "SELECT " CYCLE_COLUMNS " FROM cycles WHERE id = ?1" },

	/* STMT_CYCLE_LIST: the cycles of program ?1 (every program's when
	 * 0), newest first. */
	{ .sql = "SELECT " CYCLE_COLUMNS " FROM cycles WHERE ?1 = 0 OR "
		 "program_id = ?1 ORDER BY year DESC, id DESC" },

	/* STMT_CYCLE_UPDATE: id, then the columns of STMT_CYCLE_INSERT
	 * (?2..?13) and the state (?14). */
	{ .sql = "UPDATE cycles SET year = ?2, name = ?3, positions = ?4, "
		 "timezone = ?5, applications_open = ?6, applications_close = "
		 "?7, "
		 "interviews_start = ?8, interviews_end = ?9, ranklist_due = "
		 "?10, "
		 "open_at = ?11, close_at = ?12, ranklist_due_at = ?13, state "
		 "= ?14, "
		 "updated_at = " NOW_TEXT " WHERE id = ?1" },

	/* STMT_APP_INSERT: cycle, applicant, fields JSON. */
	{ RETURNING_ID(
	    "INSERT INTO applications (cycle_id, applicant_id, fields) "
	    "VALUES (?1, ?2, ?3)") },

	/* STMT_APP_BY_ID: one application. */
	{ .sql = "SELECT " APP_COLUMNS " FROM applications WHERE id = ?1" },

	/* STMT_APP_BY_OWNER: the application of applicant ?2 in cycle ?1. */
	{ .sql = "SELECT " APP_COLUMNS " FROM applications "
		 "WHERE cycle_id = ?1 AND applicant_id = ?2" },

	/* STMT_APP_SET_FIELDS: id, fields JSON, expected version. */
	{ .sql = "UPDATE applications SET fields = ?2, version = version + 1, "
		 "updated_at = " NOW_TEXT " WHERE id = ?1 AND version = ?3" },

	/* STMT_APP_SET_STATUS: id, status, submitted (1) or cleared (0).
	 * withdrawn_at is set when it becomes withdrawn, cleared otherwise. */
	{ .sql = "UPDATE applications SET status = ?2, version = version + 1, "
		 "submitted_at = CASE WHEN ?3 THEN " NOW_TEXT
		 " ELSE submitted_at END, "
		 "withdrawn_at = CASE WHEN ?2 = 'withdrawn' THEN "
		 "coalesce(withdrawn_at, " NOW_TEXT
		 ") END, updated_at = " NOW_TEXT " WHERE id = ?1" },

	/* STMT_APP_LIST: applications of cycle ?1 with status ?2 (NULL: any)
	 * whose names, e-mail or schools contain ?3 (NULL: any), hiding those
	 * faculty ?4 (0: nobody) has a conflict with, only those assigned to
	 * ?7 in some phase (0: any), after id ?5, ?6 at most. */
	{ .sql = "SELECT " APP_COLUMNS
		 " FROM applications a " APP_FILTER(T_SQLITE, "instr"),
	    .pg = "SELECT " APP_COLUMNS
		  " FROM applications a " APP_FILTER(T_PG, "strpos") },

	/* STMT_APP_PAGE: a page of the applications list, in one statement:
	 * the filters of STMT_APP_LIST (?1 to ?7), and for each row the
	 * fields the list shows, how many of the required fields (?8, a JSON
	 * array of keys) are absent, null or empty, how many of the required
	 * document kinds (?9, a JSON array) have no current document, the
	 * letters received and requested (not cancelled), and whether viewer
	 * ?10 (0: nobody) is assigned to it and has a conflict with it. The
	 * two lists are read once per page, not once per row; the ->> of a
	 * row share one parse of its fields. */
	{ .sql = APP_PAGE(KEYS_SQLITE, T_SQLITE, "instr"),
	    .pg = APP_PAGE(KEYS_PG, T_PG, "strpos") },

	/* STMT_CONFLICT_EXISTS: does faculty ?2 have a conflict with
	 * application ?1? */
	{ .sql = "SELECT count(*) FROM conflicts WHERE application_id = ?1 "
		 "AND faculty_id = ?2" },

	/* STMT_DOC_INSERT: application, kind, sha256, size, uploader. */
	{ RETURNING_ID(
	    "INSERT INTO documents (application_id, kind, sha256, size, "
	    "uploaded_by) VALUES (?1, ?2, ?3, ?4, ?5)") },

	/* STMT_DOC_REMOVE_KIND: the current documents of kind ?2 of
	 * application ?1 are replaced. */
	{ .sql = "UPDATE documents SET removed_at = " NOW_TEXT " WHERE "
		 "application_id = ?1 AND kind = ?2 AND removed_at IS NULL" },

	/* STMT_DOC_REMOVE: one document is removed. */
	{ .sql = "UPDATE documents SET removed_at = " NOW_TEXT " WHERE id = ?1 "
		 "AND removed_at IS NULL" },

	/* STMT_DOC_BY_ID: one document, current or not. */
	{ .sql = "SELECT " DOC_COLUMNS " FROM documents WHERE id = ?1" },

	/* STMT_DOC_LIST: the current documents of application ?1. */
	{ .sql = "SELECT " DOC_COLUMNS
		 " FROM documents WHERE application_id = ?1 "
		 "AND removed_at IS NULL ORDER BY id" },

	/* STMT_LETTER_INSERT: application, writer name, e-mail, waived,
	 * token hash, expiry. */
	{ RETURNING_ID(
	    "INSERT INTO letters (application_id, writer_name, writer_email, "
	    "waived, token_hash, token_expires_at) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6)") },

	/* STMT_LETTER_BY_ID: one letter. */
	{ .sql = "SELECT " LETTER_COLUMNS " FROM letters WHERE id = ?1" },

	/* STMT_LETTER_BY_TOKEN: the letter whose link has hash ?1. */
	{ .sql = "SELECT " LETTER_COLUMNS
		 " FROM letters WHERE token_hash = ?1" },

	/* STMT_LETTER_LIST: the letters of application ?1. */
	{ .sql = "SELECT " LETTER_COLUMNS
		 " FROM letters WHERE application_id = ?1 "
		 "ORDER BY id" },

	/* STMT_LETTER_SET_TOKEN: a new link (a reminder): id, hash, expiry. */
	{ .sql = "UPDATE letters SET token_hash = ?2, token_expires_at = ?3, "
		 "reminded_at = " NOW_TEXT
		 " WHERE id = ?1 AND status = 'requested'" },

	/* STMT_LETTER_CANCEL: id. */
	{ .sql = "UPDATE letters SET status = 'cancelled', token_hash = NULL, "
		 "token_expires_at = NULL WHERE id = ?1 AND status = "
		 "'requested'" },

	/* STMT_LETTER_RECEIVE: id, sha256, size; the link is used up. */
	{ .sql = "UPDATE letters SET status = 'received', received_at "
		 "= " NOW_TEXT ", "
		 "sha256 = ?2, size = ?3, token_hash = NULL, token_expires_at "
		 "= NULL "
		 "WHERE id = ?1 AND status = 'requested'" },

	/* STMT_LETTER_MAIL_ADD: a letter mail sent: applicant, letter,
	 * address, kind ('request' or 'reminder'), now. */
	{ .sql = "INSERT INTO letter_mails (applicant_id, letter_id, address, "
		 "kind, "
		 "sent_at) VALUES (?1, ?2, ?3, ?4, ?5)" },

	/* STMT_LETTER_MAILS_BY_APPLICANT: the letter mails applicant ?1
	 * sent after ?2, and when the ?3-th newest of them went (0: fewer). */
	{ .sql = "SELECT count(*), coalesce((SELECT sent_at FROM letter_mails "
		 "WHERE "
		 "applicant_id = ?1 AND sent_at > ?2 ORDER BY sent_at DESC, id "
		 "DESC "
		 "LIMIT 1 OFFSET ?3 - 1), 0) FROM letter_mails WHERE "
		 "applicant_id = ?1 "
		 "AND sent_at > ?2" },

	/* STMT_LETTER_MAILS_TO: the same for the mails to address ?1. */
	{ .sql = "SELECT count(*), coalesce((SELECT sent_at FROM letter_mails "
		 "WHERE "
		 "address = ?1 AND sent_at > ?2 ORDER BY sent_at DESC, id DESC "
		 "LIMIT 1 OFFSET ?3 - 1), 0) FROM letter_mails WHERE address = "
		 "?1 "
		 "AND sent_at > ?2" },

	/* STMT_LETTER_MAILS_PURGE: the mails sent at ?1 or before. */
	{ .sql = "DELETE FROM letter_mails WHERE sent_at <= ?1" },

	/* STMT_FILES_NAMED: the hashes of the stored files a row still
	 * needs (current documents, letters), in order; a removed document
	 * keeps its row and its hash for the record, not its file. */
	{ .sql = "SELECT sha256 FROM documents WHERE removed_at IS NULL UNION "
		 "SELECT sha256 FROM letters WHERE sha256 IS NOT NULL ORDER BY "
		 "1" },

	/* STMT_FILES_CHECK: the stored files rows need, as
	 * STMT_FILES_NAMED, with the size each row records. */
	{ .sql = "SELECT sha256, size FROM documents WHERE removed_at IS "
		 "NULL UNION SELECT sha256, size FROM letters WHERE sha256 IS "
		 "NOT NULL ORDER BY 1, 2" },

	/* STMT_RUBRIC_CURRENT: the highest version of cycle ?1, phase ?2. */
	{ .sql = "SELECT " RUBRIC_COLUMNS
		 " FROM rubrics r WHERE r.cycle_id = ?1 AND "
		 "r.phase = ?2 ORDER BY r.version DESC LIMIT 1" },

	/* STMT_RUBRIC_BY_VERSION: cycle ?1, phase ?2, version ?3. */
	{ .sql = "SELECT " RUBRIC_COLUMNS
		 " FROM rubrics r WHERE r.cycle_id = ?1 AND "
		 "r.phase = ?2 AND r.version = ?3" },

	/* STMT_RUBRIC_BY_ID: one version by id. */
	{ .sql = "SELECT " RUBRIC_COLUMNS " FROM rubrics r WHERE r.id = ?1" },

	/* STMT_RUBRIC_LIST: every version of cycle ?1, phase ?2, newest
	 * first. */
	{ .sql = "SELECT " RUBRIC_COLUMNS
		 " FROM rubrics r WHERE r.cycle_id = ?1 AND "
		 "r.phase = ?2 ORDER BY r.version DESC" },

	/* STMT_RUBRIC_INSERT: cycle, phase, version, criteria, author, now. */
	{ RETURNING_ID("INSERT INTO rubrics (cycle_id, phase, version, "
		       "criteria, created_by, "
		       "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)") },

	/* STMT_RUBRIC_UPDATE: id, criteria; only while no sheet is
	 * submitted on it. */
	{ .sql =
		"UPDATE rubrics SET criteria = ?2 WHERE id = ?1 AND NOT EXISTS "
		"(SELECT 1 FROM score_sheets s WHERE s.rubric_id = ?1 AND "
		"s.status = 'submitted')" },

	/* STMT_PHASE_GET: cycle ?1, phase ?2. */
	{ .sql = "SELECT " PHASE_COLUMNS " FROM phases WHERE cycle_id = ?1 AND "
		 "phase = ?2" },

	/* STMT_PHASE_PUT: every column (0 and "" stored as NULL). */
	{ .sql =
		"INSERT INTO phases (cycle_id, phase, scoring_due, "
		"scoring_due_at, "
		"closed_at, closed_by, reminded_at, manual_reminded_at, "
		"weight, "
		"overdue_reminded_at) "
		"VALUES (?1, ?2, nullif(?3, ''), nullif(?4, 0), nullif(?5, 0), "
		"nullif(?6, 0), nullif(?7, 0), nullif(?8, 0), ?9, nullif(?10, "
		"0)) "
		"ON CONFLICT (cycle_id, phase) DO UPDATE SET "
		"scoring_due = excluded.scoring_due, scoring_due_at = "
		"excluded.scoring_due_at, closed_at = excluded.closed_at, "
		"closed_by = "
		"excluded.closed_by, reminded_at = excluded.reminded_at, "
		"manual_reminded_at = excluded.manual_reminded_at, weight = "
		"excluded.weight, overdue_reminded_at = "
		"excluded.overdue_reminded_at" },

	/* STMT_PHASE_DUE: open phases that may need an automatic reminder
	 * now (?2): the one before the deadline when it is due by ?1 and
	 * has not gone, or the overdue one when the deadline has passed
	 * and it has not gone (core/remind.c decides which). A phase
	 * reminded before its deadline is not looked at again until the
	 * deadline passes. */
	{ .sql = "SELECT " PHASE_COLUMNS
		 " FROM phases WHERE scoring_due_at IS NOT "
		 "NULL AND closed_at IS NULL AND ((reminded_at IS NULL AND "
		 "scoring_due_at <= ?1) OR (overdue_reminded_at IS NULL AND "
		 "scoring_due_at <= ?2)) ORDER BY cycle_id, phase" },

	/* STMT_CONFLICT_INSERT: application, faculty, kind, reason,
	 * recorded by. */
	{ RETURNING_ID(
	    "INSERT INTO conflicts (application_id, faculty_id, kind, reason, "
	    "recorded_by) VALUES (?1, ?2, ?3, ?4, ?5)") },

	/* STMT_CONFLICT_BY_ID: one conflict. */
	{ .sql = "SELECT " CONFLICT_COLUMNS
		 " FROM conflicts c JOIN users f ON f.id = "
		 "c.faculty_id JOIN applications a ON a.id = c.application_id "
		 "JOIN "
		 "users u ON u.id = a.applicant_id WHERE c.id = ?1" },

	/* STMT_CONFLICT_DELETE: one conflict. */
	{ .sql = "DELETE FROM conflicts WHERE id = ?1" },

	/* STMT_CONFLICT_LIST: the conflicts of cycle ?1, of faculty ?2 (0:
	 * everyone's). */
	{ .sql = "SELECT " CONFLICT_COLUMNS
		 " FROM conflicts c JOIN users f ON f.id = "
		 "c.faculty_id JOIN applications a ON a.id = c.application_id "
		 "JOIN "
		 "users u ON u.id = a.applicant_id WHERE a.cycle_id = ?1 AND "
		 "(?2 = 0 OR c.faculty_id = ?2) ORDER BY c.id" },

	/* STMT_CONFLICT_REQUEST_INSERT: application, faculty, kind, reason,
	 * why it is held. */
	{ RETURNING_ID(
	    "INSERT INTO conflict_requests (application_id, faculty_id, kind, "
	    "reason, held_because) VALUES (?1, ?2, ?3, ?4, ?5)") },

	/* STMT_CONFLICT_REQUEST_BY_ID: one request. */
	{ .sql = "SELECT " CONFLICT_REQUEST_COLUMNS CONFLICT_REQUEST_FROM
		 "WHERE q.id = ?1" },

	/* STMT_CONFLICT_REQUEST_PENDING: is a request of faculty ?2 about
	 * application ?1 pending? */
	{ .sql = "SELECT count(*) FROM conflict_requests WHERE application_id "
		 "= ?1 "
		 "AND faculty_id = ?2 AND status = 'pending'" },

	/* STMT_CONFLICT_REQUEST_DECIDE: request ?1, if still pending, becomes
	 * ?2 (accepted or declined), by ?3, with note ?4 (or NULL). */
	{ .sql = "UPDATE conflict_requests SET status = ?2, decided_by = ?3, "
		 "decided_at = " NOW_TEXT
		 ", note = ?4 WHERE id = ?1 AND status = "
		 "'pending'" },

	/* STMT_CONFLICT_REQUEST_LIST: the requests of cycle ?1, of faculty ?2
	 * (0: everyone's), pending only when ?3; the pending first, then the
	 * newest. */
	{ .sql = "SELECT " CONFLICT_REQUEST_COLUMNS CONFLICT_REQUEST_FROM
		 "WHERE a.cycle_id = ?1 AND (?2 = 0 OR q.faculty_id = ?2) AND "
		 "(?3 = 0 "
		 "OR q.status = 'pending') ORDER BY q.status <> 'pending', "
		 "q.id DESC" },

	/* STMT_ASSIGN_INSERT: cycle, phase, application, faculty, by, now;
	 * nothing when the pair is assigned already. */
	{ .sql = "INSERT INTO assignments (cycle_id, phase, application_id, "
		 "faculty_id, assigned_by, created_at) VALUES (?1, ?2, ?3, ?4, "
		 "nullif(?5, 0), ?6) ON CONFLICT DO NOTHING" },

	/* STMT_ASSIGN_DELETE: application ?1, faculty ?2, phase ?3 (NULL:
	 * every phase). */
	{ .sql = "DELETE FROM assignments WHERE application_id = ?1 AND "
		 "faculty_id = ?2 AND (?3 IS NULL OR phase = ?3)",
	    .pg = "DELETE FROM assignments WHERE application_id = ?1 AND "
		  "faculty_id = ?2 AND (?3::text IS NULL OR phase = ?3)" },

	/* STMT_ASSIGN_EXISTS: is faculty ?2 assigned application ?1 in phase
	 * ?3 (NULL: in any phase)? */
	{ .sql = "SELECT count(*) FROM assignments WHERE application_id = ?1 "
		 "AND faculty_id = ?2 AND (?3 IS NULL OR phase = ?3)",
	    .pg = "SELECT count(*) FROM assignments WHERE application_id = ?1 "
		  "AND faculty_id = ?2 AND (?3::text IS NULL OR phase = ?3)" },

	/* STMT_ASSIGN_LIST: the assignments of cycle ?1 in phase ?2 (NULL:
	 * both) of faculty ?3 (0: all), with names and the sheet's status.
	 * The assignments view is served on the event loop, so each
	 * candidate's name is read out of its fields once (n), not once per
	 * rater, and the sheet comes by its unique index. */
	{ .sql = ASSIGN_LIST(T_SQLITE, EVERY_RATER, EVERY_RATER_S),
	    .pg = ASSIGN_LIST(T_PG, EVERY_RATER, EVERY_RATER_S) },

	/* STMT_ASSIGN_LIST_RATER: as STMT_ASSIGN_LIST, of one rater ?3:
	 * a statement of its own, whose plan PostgreSQL keeps (with "?3 = 0
	 * OR" it plans the statement anew on every request once the
	 * installation is large). */
	{ .sql = ASSIGN_LIST(T_SQLITE, ONE_RATER, ONE_RATER_S),
	    .pg = ASSIGN_LIST(T_PG, ONE_RATER, ONE_RATER_S) },

	/* STMT_SHEET_GET: the sheet of application ?1, rater ?2, phase ?3. */
	{ .sql = "SELECT " SHEET_COLUMNS
		 " FROM score_sheets s JOIN users f ON f.id = "
		 "s.rater_id JOIN rubrics r ON r.id = s.rubric_id WHERE "
		 "s.application_id = ?1 AND s.rater_id = ?2 AND s.phase = ?3" },

	/* STMT_SHEET_INSERT: cycle, application, rater, phase, rubric,
	 * status, values, comment, now, submitted at (0: none). */
	{ RETURNING_ID(
	    "INSERT INTO score_sheets (cycle_id, application_id, rater_id, "
	    "phase, "
	    "rubric_id, status, \"values\", comment, created_at, updated_at, "
	    "submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, "
	    "nullif(?10, 0))") },

	/* STMT_SHEET_UPDATE: id, rubric, status, values, comment, now,
	 * submitted at, expected version. */
	{ .sql = "UPDATE score_sheets SET rubric_id = ?2, status = ?3, "
		 "\"values\" = ?4, "
		 "comment = ?5, updated_at = ?6, submitted_at = nullif(?7, 0), "
		 "version = version + 1 WHERE id = ?1 AND version = ?8" },

	/* STMT_SHEET_LIST: the sheets of application ?1 in phase ?2, only
	 * submitted ones when ?3. */
	{ .sql = "SELECT " SHEET_COLUMNS
		 " FROM score_sheets s JOIN users f ON f.id = "
		 "s.rater_id JOIN rubrics r ON r.id = s.rubric_id WHERE "
		 "s.application_id = ?1 AND s.phase = ?2 AND (?3 = 0 OR "
		 "s.status = "
		 "'submitted') ORDER BY f.name, s.rater_id" },

	/* STMT_SHEET_LIST_CYCLE: the submitted sheets of cycle ?1, phase ?2
	 * (NULL: both), for aggregation and export. */
	{ .sql = "SELECT " SHEET_COLUMNS
		 " FROM score_sheets s JOIN users f ON f.id = "
		 "s.rater_id JOIN rubrics r ON r.id = s.rubric_id WHERE "
		 "s.cycle_id = ?1 AND (?2 IS NULL OR s.phase = ?2) AND "
		 "s.status = "
		 "'submitted' ORDER BY s.phase, s.application_id, s.rater_id",
	    .pg = "SELECT " SHEET_COLUMNS
		  " FROM score_sheets s JOIN users f ON f.id = "
		  "s.rater_id JOIN rubrics r ON r.id = s.rubric_id WHERE "
		  "s.cycle_id = ?1 AND (?2::text IS NULL OR s.phase = ?2) AND "
		  "s.status = 'submitted' ORDER BY s.phase, s.application_id, "
		  "s.rater_id" },

	/* STMT_CHANGE_INSERT: sheet, changed by, now, field, old, new. */
	{ .sql = "INSERT INTO score_changes (sheet_id, changed_by, at, field, "
		 "old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },

	/* STMT_CHANGE_LIST: the changes of the sheets of application ?1 in
	 * phase ?2, oldest first. */
	{ .sql = "SELECT c.id, c.sheet_id, s.rater_id, f.name, c.changed_by, "
		 "b.name, "
		 "c.at, c.field, coalesce(c.old_value, ''), "
		 "coalesce(c.new_value, '') "
		 "FROM score_changes c JOIN score_sheets s ON s.id = "
		 "c.sheet_id JOIN "
		 "users f ON f.id = s.rater_id JOIN users b ON b.id = "
		 "c.changed_by "
		 "WHERE s.application_id = ?1 AND s.phase = ?2 ORDER BY c.id" },

	/* STMT_SHEETS_MISSING: per rater of cycle ?1 and phase ?2, how many
	 * assigned candidates have no submitted sheet; conflicted pairs
	 * left out. */
	{ .sql = "SELECT f.id, f.email, f.name, count(*) FROM assignments s "
		 "JOIN "
		 "users f ON f.id = s.faculty_id WHERE s.cycle_id = ?1 AND "
		 "s.phase = "
		 "?2 AND f.disabled = 0 AND NOT EXISTS (SELECT 1 FROM "
		 "score_sheets h "
		 "WHERE h.application_id = s.application_id AND h.rater_id = "
		 "s.faculty_id AND h.phase = s.phase AND h.status = "
		 "'submitted') AND "
		 "NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.application_id "
		 "= "
		 "s.application_id AND c.faculty_id = s.faculty_id) GROUP BY "
		 "f.id "
		 "ORDER BY f.name" },

	/* STMT_RATER_REMINDED_GET: when rater ?3 was last reminded of phase
	 * ?2 of cycle ?1. */
	{ .sql = "SELECT reminded_at FROM rater_reminders WHERE cycle_id = ?1 "
		 "AND "
		 "phase = ?2 AND faculty_id = ?3" },

	/* STMT_RATER_REMINDED_SET: rater ?3 reminded of phase ?2 of cycle ?1
	 * at ?4. */
	{ .sql = "INSERT INTO rater_reminders (cycle_id, phase, faculty_id, "
		 "reminded_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (cycle_id, "
		 "phase, faculty_id) DO UPDATE "
		 "SET "
		 "reminded_at = excluded.reminded_at" },

	/* STMT_IDAY_INSERT: cycle, day, location, now. */
	{ RETURNING_ID(
	    "INSERT INTO interview_days (cycle_id, day, location, created_at) "
	    "VALUES (?1, ?2, ?3, ?4)") },

	/* STMT_IDAY_BY_ID: one day: id, cycle, day, location, bookings. */
	{ .sql =
		"SELECT d.id, d.cycle_id, d.day, d.location, (SELECT count(*) "
		"FROM "
		"interview_invitations i JOIN interview_slots sl ON sl.id = "
		"i.slot_id WHERE sl.day_id = d.id) FROM interview_days d WHERE "
		"d.id = ?1" },

	/* STMT_IDAY_DELETE_SLOTS: the slots of day ?1. */
	{ .sql = "DELETE FROM interview_slots WHERE day_id = ?1" },

	/* STMT_IDAY_DELETE: day ?1. */
	{ .sql = "DELETE FROM interview_days WHERE id = ?1" },

	/* STMT_ISLOT_INSERT: day, starts, ends, starts at, capacity. */
	{ RETURNING_ID(
	    "INSERT INTO interview_slots (day_id, starts, ends, starts_at, "
	    "capacity) VALUES (?1, ?2, ?3, ?4, ?5)") },

	/* STMT_ISLOT_BY_ID: one slot with its day, bookings and the day's
	 * location. */
	{ .sql = "SELECT " SLOT_COLUMNS
		 ", d.location FROM interview_slots sl JOIN "
		 "interview_days d ON d.id = sl.day_id WHERE sl.id = ?1" },

	/* STMT_ISLOT_LIST: every slot of cycle ?1 by time, with its day's
	 * location. */
	{ .sql = "SELECT " SLOT_COLUMNS
		 ", d.location FROM interview_slots sl JOIN "
		 "interview_days d ON d.id = sl.day_id WHERE d.cycle_id = ?1 "
		 "ORDER BY "
		 "d.day, sl.starts, sl.id" },

	/* STMT_INVITE_INSERT: application, cycle, by, now; nothing when
	 * invited already. */
	{ .sql = "INSERT INTO interview_invitations (application_id, cycle_id, "
		 "invited_by, invited_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
		 "DO "
		 "NOTHING" },

	/* STMT_INVITE_GET: the invitation of application ?1. */
	{ .sql = "SELECT " INVITATION_COLUMNS
		 " FROM interview_invitations i JOIN "
		 "applications a ON a.id = i.application_id JOIN users u ON "
		 "u.id = "
		 "a.applicant_id WHERE i.application_id = ?1" },

	/* STMT_INVITE_SET: application, slot (0: none), booked at,
	 * waitlisted at (0: not waiting). */
	{ .sql = "UPDATE interview_invitations SET slot_id = nullif(?2, 0), "
		 "booked_at = nullif(?3, 0), waitlisted_at = nullif(?4, 0) "
		 "WHERE "
		 "application_id = ?1" },

	/* STMT_INVITE_LIST: the invitations of cycle ?1: booked and invited
	 * by name, the waitlist in the order people joined it. */
	{ .sql = "SELECT " INVITATION_COLUMNS
		 " FROM interview_invitations i JOIN "
		 "applications a ON a.id = i.application_id JOIN users u ON "
		 "u.id = "
		 "a.applicant_id WHERE i.cycle_id = ?1 ORDER BY "
		 "i.waitlisted_at IS "
		 "NOT NULL, i.waitlisted_at, i.application_id" },

	/* STMT_WAITLIST_FIRST: who has waited longest in cycle ?1. */
	{ .sql = "SELECT " INVITATION_COLUMNS
		 " FROM interview_invitations i JOIN "
		 "applications a ON a.id = i.application_id JOIN users u ON "
		 "u.id = "
		 "a.applicant_id WHERE i.cycle_id = ?1 AND i.waitlisted_at IS "
		 "NOT "
		 "NULL ORDER BY i.waitlisted_at, i.application_id LIMIT 1" },

	/* STMT_WAITLIST_POSITION: how many of cycle ?1 joined the waitlist
	 * before (?2, application ?3). */
	{ .sql = "SELECT count(*) FROM interview_invitations WHERE cycle_id = "
		 "?1 AND "
		 "waitlisted_at IS NOT NULL AND (waitlisted_at < ?2 OR "
		 "(waitlisted_at = ?2 AND application_id < ?3))" },

	/* STMT_INVITE_SEQUENCE_NEXT: the calendar sequence of application
	 * ?1's invitation, one more. */
	{ .sql = "UPDATE interview_invitations SET calendar_sequence = "
		 "calendar_sequence + 1 WHERE application_id = ?1 RETURNING "
		 "calendar_sequence" },

	/* STMT_INVITE_REMINDED: the reminder to book of application ?1 was
	 * decided at ?2. */
	{ .sql = "UPDATE interview_invitations SET reminded_at = ?2 WHERE "
		 "application_id = ?1 AND reminded_at IS NULL" },

	/* STMT_INVITE_UNREMINDED: up to ?2 invitations made by ?1, never
	 * booked and whose reminder to book is undecided, oldest first,
	 * through the partial index interview_invitations_unreminded (the
	 * "+" keeps the planner off the slot index, which would visit every
	 * invitation without a slot). */
	{ .sql = "SELECT " INVITATION_COLUMNS
		 " FROM interview_invitations i JOIN "
		 "applications a ON a.id = i.application_id JOIN users u ON "
		 "u.id = "
		 "a.applicant_id WHERE i.reminded_at IS NULL AND +i.slot_id IS "
		 "NULL "
		 "AND i.calendar_sequence = 0 AND i.invited_at <= ?1 ORDER BY "
		 "i.invited_at, i.application_id LIMIT ?2" },

	/* STMT_RANKLIST_INSERT: cycle, version, kind, entries, sha256 (or
	 * NULL), reason (or NULL), by, now, the warnings acknowledged (or
	 * NULL), the snapshot of the entries (or NULL). */
	{ .sql =
		"INSERT INTO ranklist_versions (cycle_id, version, kind, "
		"entries, "
		"sha256, reason, created_by, created_at, acknowledged, "
		"snapshot) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, nullif(?7, 0), ?8, ?9, ?10)" },

	/* STMT_RANKLIST_CURRENT: the highest version of cycle ?1. */
	{ .sql = "SELECT " RANKLIST_COLUMNS " FROM ranklist_versions v WHERE "
		 "v.cycle_id = ?1 ORDER BY v.version DESC LIMIT 1" },

	/* STMT_RANKLIST_BY_VERSION: cycle ?1, version ?2. */
	{ .sql = "SELECT " RANKLIST_COLUMNS " FROM ranklist_versions v WHERE "
		 "v.cycle_id = ?1 AND v.version = ?2" },

	/* STMT_RANKLIST_LIST: every version of cycle ?1, newest first. */
	{ .sql = "SELECT " RANKLIST_COLUMNS " FROM ranklist_versions v WHERE "
		 "v.cycle_id = ?1 ORDER BY v.version DESC" },

	/* STMT_MEETING_INSERT: cycle, started by, at, snapshot, agenda. */
	{ RETURNING_ID(
	    "INSERT INTO rank_meetings (cycle_id, started_by, started_at, "
	    "snapshot, agenda) VALUES (?1, ?2, ?3, ?4, ?5)") },

	/* STMT_MEETING_OPEN: the open meeting of cycle ?1. */
	{ .sql = "SELECT " MEETING_COLUMNS
		 " FROM rank_meetings m WHERE m.cycle_id = "
		 "?1 AND m.ended_at IS NULL" },

	/* STMT_MEETING_LATEST: the open meeting of cycle ?1, else the last
	 * one (the open one, when there is one, is the newest). */
	{ .sql = "SELECT " MEETING_COLUMNS
		 " FROM rank_meetings m WHERE m.cycle_id = "
		 "?1 ORDER BY m.id DESC LIMIT 1" },

	/* STMT_MEETING_END: meeting ?1 ended by ?2 at ?3, if open. */
	{ .sql = "UPDATE rank_meetings SET ended_by = ?2, ended_at = ?3 WHERE "
		 "id = ?1 "
		 "AND ended_at IS NULL" },

	/* STMT_MEETING_LIST: every meeting of cycle ?1, oldest first. */
	{ .sql = "SELECT " MEETING_COLUMNS
		 " FROM rank_meetings m WHERE m.cycle_id = "
		 "?1 ORDER BY m.id" },

	/* STMT_MEETING_HISTORY: every meeting of cycle ?1, newest first,
	 * without its texts: how many candidates its agenda has, how many of
	 * them are marked as discussed (only the agenda's are marked) and
	 * how many sheet changes it logged. */
	{ .sql = "SELECT " MEETING_FIXED_COLUMNS
		 ", json_array_length(m.agenda), "
		 "(SELECT count(*) FROM rank_meeting_items i WHERE "
		 "i.meeting_id = "
		 "m.id AND i.discussed = 1), (SELECT count(*) FROM "
		 "rank_meeting_changes x WHERE x.meeting_id = m.id) FROM "
		 "rank_meetings m WHERE m.cycle_id = ?1 ORDER BY m.id DESC" },

	/* STMT_MEETING_ITEM_SET: meeting, application, discussed, by, at. */
	{ .sql = "INSERT INTO rank_meeting_items (meeting_id, application_id, "
		 "discussed, set_by, set_at) VALUES (?1, ?2, ?3, ?4, ?5) ON "
		 "CONFLICT "
		 "(meeting_id, application_id) DO UPDATE SET discussed = "
		 "excluded.discussed, set_by = excluded.set_by, set_at = "
		 "excluded.set_at" },

	/* STMT_MEETING_ITEM_LIST: the marks of meeting ?1. */
	{ .sql = "SELECT i.application_id, i.discussed, i.set_by, "
		 "coalesce(u.name, "
		 "''), i.set_at FROM rank_meeting_items i LEFT JOIN users u ON "
		 "u.id = "
		 "i.set_by WHERE i.meeting_id = ?1 ORDER BY i.application_id" },

	/* STMT_MEETING_CHANGE_INSERT: meeting, sheet, by, at, kind, before
	 * (or NULL), after. */
	{ .sql = "INSERT INTO rank_meeting_changes (meeting_id, sheet_id, "
		 "changed_by, "
		 "at, kind, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		 "?7)" },

	/* STMT_MEETING_CHANGE_LIST: the changes of meeting ?1, oldest
	 * first, with the sheet's candidate, rater and phase and the names. */
	{ .sql = "SELECT x.id, x.meeting_id, x.sheet_id, x.changed_by, x.at, "
		 "x.kind, "
		 "x.before, x.after, s.application_id, s.rater_id, "
		 "s.phase, " CANDIDATE_NAME
		 ", coalesce(r.name, ''), coalesce(b.name, '') FROM "
		 "rank_meeting_changes x JOIN score_sheets s ON s.id = "
		 "x.sheet_id "
		 "JOIN applications a ON a.id = s.application_id JOIN users u "
		 "ON u.id "
		 "= a.applicant_id LEFT JOIN users r ON r.id = s.rater_id LEFT "
		 "JOIN "
		 "users b ON b.id = x.changed_by WHERE x.meeting_id = ?1 ORDER "
		 "BY x.id" },

	/* STMT_AUDIT_APPEND: actor (NULL for the system), action, object,
	 * detail JSON. */
	{ .sql = "INSERT INTO audit_log (actor_id, action, object, detail, "
		 "program_id) VALUES (?1, ?2, ?3, ?4, ?5)" },

	/* STMT_AUDIT_LIST: a page of records before id ?1, newest first. */
	{ .sql = AUDIT_LIST(""), .pg = AUDIT_LIST("::text") },

	/* STMT_AUDIT_CANDIDATE: application ?1's candidate name, cycle id,
	 * cycle name and time zone, and applicant id. */
	{ .sql = "SELECT " CANDIDATE_NAME ", a.cycle_id, c.name, c.timezone, "
		 "a.applicant_id FROM applications a JOIN users u ON u.id = "
		 "a.applicant_id JOIN cycles c ON c.id = a.cycle_id WHERE a.id "
		 "= ?1" },

	/* STMT_AUDIT_IMPORT_FIND: the newest import of the archive whose
	 * text has SHA-256 ?1: the cycle it became and when. */
	{ .sql = "SELECT CAST(substr(object, 7) AS INTEGER), at FROM audit_log "
		 "WHERE "
		 "action = 'cycle.import' AND object LIKE 'cycle:%' AND "
		 "detail ->> 'sha256' = ?1 ORDER BY id DESC LIMIT 1" },

	/* STMT_HOME_RATER_SHEETS: the assignments of rater ?2 in cycle ?1,
	 * screening first, by candidate name: the candidate's name, the
	 * application's status, the rater's sheet (none, draft or
	 * submitted) and whether the rater has a recorded conflict with
	 * the candidate (the access rules decide what that hides). */
	{ .sql = HOME_RATER_SHEETS("name COLLATE NOCASE"),
	    .pg = HOME_RATER_SHEETS("lower(" CANDIDATE_NAME ")") },

	/* STMT_HOME_PROGRESS: per phase and rater of cycle ?1, screening
	 * first, by name: the rater's account (disabled or not), how many
	 * submitted candidates are assigned to them without a recorded
	 * conflict, and of those how many sheets are submitted and how
	 * many are drafts. */
	{ .sql = HOME_PROGRESS(SUM_IF_SQLITE), .pg = HOME_PROGRESS(SUM_IF_PG) },

	/* STMT_HOME_PIPELINE: the applications of cycle ?1 counted: drafts
	 * (and those of them with nothing missing), submitted with nothing
	 * outstanding, submitted with something missing or a letter not
	 * yet received, withdrawn; the letters requested and not received
	 * of the applications not withdrawn, and how many applications
	 * wait for one. What is required: ?2 (field keys) and ?3 (document
	 * kinds), JSON arrays, as in STMT_APP_PAGE. */
	{ .sql = HOME_PIPELINE(KEYS_SQLITE, SUM_IF_SQLITE),
	    .pg = HOME_PIPELINE(KEYS_PG, SUM_IF_PG) },

	/* STMT_HOME_NOT_BOOKED: the candidates of cycle ?1 invited to
	 * interview who have not booked a slot (waiting or not), their
	 * application still submitted, by when they were invited. */
	{ .sql = "SELECT i.application_id, " CANDIDATE_NAME ", i.invited_at, "
		 "coalesce(i.waitlisted_at, 0) FROM interview_invitations i "
		 "JOIN "
		 "applications a ON a.id = i.application_id JOIN users u ON "
		 "u.id = "
		 "a.applicant_id WHERE i.cycle_id = ?1 AND i.slot_id IS NULL "
		 "AND "
		 "a.status = 'submitted' ORDER BY i.invited_at, "
		 "i.application_id" },

	/* STMT_HOME_MAIL_COUNTS: messages given up on, and messages that
	 * failed at least once and wait for another attempt, of program ?1
	 * (as STMT_OUTBOX_LIST's). */
	{ .sql = "SELECT (SELECT count(*) FROM outbox WHERE status = 'failed' "
		 "AND " MAIL_OF(
		     "?1") "), (SELECT count(*) FROM outbox WHERE "
			   "status = 'pending' AND attempts > 0 AND " MAIL_OF(
			       "?1") ")" },

	/* STMT_HOME_MAIL_FAILED: the ?1 latest messages given up on, of
	 * program ?2 (as STMT_OUTBOX_LIST's). */
	{ .sql = "SELECT id, to_addr, subject, created_at, attempts, "
		 "coalesce(last_error, '') FROM outbox WHERE status = 'failed' "
		 "AND " MAIL_OF("?2") " ORDER BY id DESC LIMIT ?1" },
};
