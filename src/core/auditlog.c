/*
 * The audit log in words (core/auditlog.h): the table of actions and
 * their sentences, the table of detail keys and their labels, and the
 * few details that need more than a label (a score sheet's values, its
 * changes, the application's fields, reviewer assignments, rank-list
 * moves).
 *
 * A sentence is a template: {actor}, {object}, {cycle} and {whose} (the
 * actor's own "their", or the object's name with "’s") come from struct
 * auditlog_words; any other {key} is the detail's value for that key, in
 * words (a name for an id, "CV" for "cv"). A key the sentence shows is
 * not repeated among the lines.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/application.h"
#include "core/auditlog.h"
#include "core/readiness.h"

/* Details that need more than a label. */
enum lines_kind {
	LINES_PLAIN,
	LINES_FIELDS,	   /* "fields": the application's fields */
	LINES_VALUES,	   /* "values": a sheet's criterion: value */
	LINES_CHANGES,	   /* "changes": a submitted sheet's old → new */
	LINES_ASSIGNMENTS, /* "changes": rater → candidate, on or off */
	LINES_MOVES,	   /* "moves": the rank list's manual moves */
};

struct action {
	const char     *action;
	const char     *sentence;
	enum lines_kind lines;
	int		from_slot; /* "from" is the slot moved from */
};

/* clang-format off */
static const struct action actions[] = {
	/* Accounts. */
	{ "login", "{actor} signed in", LINES_PLAIN, 0 },
	{ "login.failed", "A sign-in as {email} failed", LINES_PLAIN, 0 },
	{ "login.lockout", "Sign-in as {email} was locked after repeated failures", LINES_PLAIN, 0 },
	{ "logout", "{actor} signed out", LINES_PLAIN, 0 },
	{ "user.create", "{actor} created the account of {object} ({role})", LINES_PLAIN, 0 },
	{ "user.invite", "{actor} invited {object} to join as {role}", LINES_PLAIN, 0 },
	{ "user.reinvite", "{actor} sent {object} a new invitation", LINES_PLAIN, 0 },
	{ "user.role", "{actor} changed the role of {object} from {old} to {new}", LINES_PLAIN, 0 },
	{ "user.disable", "{actor} disabled the account of {object}", LINES_PLAIN, 0 },
	{ "user.enable", "{actor} enabled the account of {object}", LINES_PLAIN, 0 },
	{ "invitation.accept", "{object} accepted the invitation and chose a password", LINES_PLAIN, 0 },
	{ "password.reset_requested", "A password reset link was asked for {object}", LINES_PLAIN, 0 },
	{ "password.reset", "{object} chose a new password from a reset link", LINES_PLAIN, 0 },
	{ "password.change", "{actor} changed their password", LINES_PLAIN, 0 },
	{ "password.change_failed", "{actor} gave a wrong current password when changing it", LINES_PLAIN, 0 },
	{ "user.register", "{actor} signed up for an applicant account", LINES_PLAIN, 0 },
	{ "setup.director", "{actor} set up the installation as its first director", LINES_PLAIN, 0 },
	{ "program.rename", "{actor} renamed the program from {old} to {new}", LINES_PLAIN, 0 },
	{ "program.create", "{actor} created the program {name}, directed by {director}", LINES_PLAIN, 0 },
	/* Cycles and applications. */
	{ "cycle.create", "{actor} created the cycle {object}", LINES_PLAIN, 0 },
	{ "cycle.update", "{actor} changed the cycle {object}", LINES_PLAIN, 0 },
	{ "cycle.export", "{actor} exported {object} as an archive", LINES_PLAIN, 0 },
	{ "applications.export", "{actor} exported the list of applications of {object} ({rows} rows)", LINES_PLAIN, 0 },
	{ "cycle.import", "{actor} imported {object} from an archive", LINES_PLAIN, 0 },
	{ "user.import", "{actor} created the account of {object} for a person in an imported archive", LINES_PLAIN, 0 },
	/* Written by earlier versions, which moved an imported account
	 * aside on a sign-up with its address; kept for their records. */
	{ "user.import_aside", "Someone signed up with the address of {object}, an imported person's account, which moved to a placeholder address and stays closed", LINES_PLAIN, 0 },
	{ "user.import_claim", "{object} claimed their imported account from a reset link sent to its address", LINES_PLAIN, 0 },
	{ "application.create", "{actor} started {whose} application to {cycle}", LINES_PLAIN, 0 },
	{ "application.save", "{actor} saved {whose} application", LINES_FIELDS, 0 },
	{ "application.copy", "{actor} copied {fields} fields and {documents} documents into {whose} application from another of theirs", LINES_PLAIN, 0 },
	{ "application.submit", "{actor} submitted {whose} application to {cycle}", LINES_PLAIN, 0 },
	{ "application.withdraw", "{actor} withdrew {whose} application", LINES_PLAIN, 0 },
	{ "application.reopen", "{actor} reopened {whose} application for changes", LINES_PLAIN, 0 },
	{ "document.upload", "{actor} uploaded {whose} {kind}", LINES_PLAIN, 0 },
	{ "document.remove", "{actor} removed {whose} {kind}", LINES_PLAIN, 0 },
	{ "letter.request", "{actor} asked {writer_email} for a letter for {object}", LINES_PLAIN, 0 },
	{ "letter.remind", "{actor} sent a letter writer a reminder for {object}", LINES_PLAIN, 0 },
	{ "letter.cancel", "{actor} cancelled a letter request for {object}", LINES_PLAIN, 0 },
	{ "letter.receive", "A letter of recommendation from {writer_email} arrived for {object}", LINES_PLAIN, 0 },
	/* Review. */
	{ "rubric.save", "{actor} saved the {phase} rubric of {object}", LINES_PLAIN, 0 },
	{ "phase.update", "{actor} changed the {phase} phase of {object}", LINES_PLAIN, 0 },
	{ "phase.close", "{actor} closed {phase} scoring in {object}", LINES_PLAIN, 0 },
	{ "phase.reopen", "{actor} reopened {phase} scoring in {object}", LINES_PLAIN, 0 },
	{ "conflict.declare", "{actor} recorded a {kind} between {faculty_id} and {object}", LINES_PLAIN, 0 },
	{ "conflict.remove", "{actor} removed the {kind} between {faculty_id} and {object}", LINES_PLAIN, 0 },
	{ "conflict.request", "{actor} declared a {kind} with {object} after scoring closed, so it awaits the staff’s decision and changes nothing until accepted", LINES_PLAIN, 0 },
	{ "conflict.accept", "{actor} accepted the {kind} {faculty_id} declared late with {object}; their sheets of the candidate no longer count", LINES_PLAIN, 0 },
	{ "conflict.decline", "{actor} declined the {kind} {faculty_id} declared late with {object}; nothing changed", LINES_PLAIN, 0 },
	{ "assignment.set", "{actor} changed the reviewer assignments of {object}", LINES_ASSIGNMENTS, 0 },
	{ "assignment.auto", "{actor} assigned {phase} reviewers automatically in {object}", LINES_PLAIN, 0 },
	{ "score.draft", "{actor} saved a draft {phase} sheet for {object}", LINES_VALUES, 0 },
	{ "score.submit", "{actor} submitted the {phase} sheet for {object}", LINES_VALUES, 0 },
	{ "score.change", "{actor} changed the submitted {phase} sheet for {object}", LINES_CHANGES, 0 },
	{ "score.remind", "{actor} reminded the raters with missing {phase} sheets in {object}", LINES_PLAIN, 0 },
	{ "score.remind_auto", "Raters with missing {phase} sheets in {object} were reminded of the deadline", LINES_PLAIN, 0 },
	{ "score.remind_overdue", "Raters with missing {phase} sheets in {object} were told the deadline has passed", LINES_PLAIN, 0 },
	{ "score.remind_rater", "{actor} reminded {faculty_id} of their missing {phase} sheets in {object}", LINES_PLAIN, 0 },
	/* Interviews. */
	{ "interview.day_create", "{actor} added an interview day to {object}", LINES_PLAIN, 0 },
	{ "interview.day_delete", "{actor} deleted an interview day of {object}", LINES_PLAIN, 0 },
	{ "interview.invite", "{actor} invited {invited} to interview in {object}", LINES_PLAIN, 0 },
	{ "interview.book", "{actor} booked {whose} interview", LINES_PLAIN, 1 },
	{ "interview.change", "{actor} moved {whose} interview", LINES_PLAIN, 1 },
	{ "interview.cancel", "{actor} cancelled {whose} interview booking", LINES_PLAIN, 0 },
	{ "interview.seat", "{object} was given a seat from the waitlist", LINES_PLAIN, 0 },
	{ "interview.release", "The interview booking of {object} was released", LINES_PLAIN, 0 },
	{ "interview.waitlist_join", "{actor} joined the interview waitlist", LINES_PLAIN, 0 },
	{ "interview.waitlist_leave", "{actor} left the interview waitlist", LINES_PLAIN, 0 },
	{ "interview.remind", "{object} was reminded to book an interview slot", LINES_PLAIN, 0 },
	{ "interview.waitlist_drop", "{object} was taken off the interview waitlist", LINES_PLAIN, 0 },
	/* The rank list. */
	{ "ranklist.save", "{actor} saved version {version} of the rank list of {object}", LINES_MOVES, 0 },
	{ "ranklist.certify", "{actor} certified version {version} of the rank list of {object}", LINES_PLAIN, 0 },
	{ "ranklist.reopen", "{actor} reopened the certified rank list of {object}", LINES_PLAIN, 0 },
	{ "ranklist.export", "{actor} exported the rank list of {object} for the match", LINES_PLAIN, 0 },
	/* The rank meeting. */
	{ "meeting.start", "{actor} started a rank meeting for {object}, locking a snapshot of the sheets and the order", LINES_PLAIN, 0 },
	{ "meeting.end", "{actor} ended the rank meeting of {object}", LINES_PLAIN, 0 },
	{ "meeting.discussed", "{actor} marked {object} as discussed in the rank meeting", LINES_PLAIN, 0 },
	{ "meeting.undiscussed", "{actor} marked {object} as not yet discussed in the rank meeting", LINES_PLAIN, 0 },
	/* The installation. */
	{ "demo.seed", "The demo data was loaded", LINES_PLAIN, 0 },
	{ "database.to_postgresql", "The installation was moved here from its SQLite database: {rows_copied} rows copied, {files_checked} stored files checked", LINES_PLAIN, 0 },
};
/* clang-format on */

/* How a detail key's value is shown. */
enum show {
	SHOW_TEXT,     /* its words */
	SHOW_TYPED,    /* text someone typed: shown as data (put_data()) */
	SHOW_HIDE,     /* an internal id or a repeat: not shown */
	SHOW_WHEN,     /* a day, a deadline as typed or an instant */
	SHOW_USER,     /* a user id: the name */
	SHOW_APP,      /* an application id: the candidate's name */
	SHOW_SLOT,     /* an interview slot id: its time */
	SHOW_USERS,    /* user ids: the names */
	SHOW_APPS,     /* application ids: the candidates' names */
	SHOW_COUNT,    /* a list: how many */
	SHOW_CRITERIA, /* a rubric's criteria: label (weight) */
	SHOW_WARNINGS, /* readiness warning codes: their titles */
};

struct key {
	const char *key;
	const char *label;
	enum show   show;
};

/* clang-format off */
static const struct key keys[] = {
	{ "address", "From address", SHOW_TEXT },
	{ "email", "E-mail", SHOW_TYPED },
	{ "role", "Role", SHOW_TEXT },
	{ "old", "Before", SHOW_TEXT },
	{ "new", "After", SHOW_TEXT },
	{ "from", "Before", SHOW_TEXT },
	{ "locked", "Locked", SHOW_TEXT },
	{ "rehashed", NULL, SHOW_HIDE },
	{ "reason", "Reason", SHOW_TEXT },
	{ "kind", "Kind", SHOW_TEXT },
	{ "faculty_id", "Rater", SHOW_USER },
	{ "application_id", "Candidate", SHOW_APP },
	{ "raters", "Raters", SHOW_USERS },
	{ "invited", "Invited", SHOW_APPS },
	{ "already", "Invited before", SHOW_TEXT },
	{ "slot", "Slot", SHOW_SLOT },
	{ "waitlisted", "From the waitlist", SHOW_TEXT },
	{ "day", "Day", SHOW_WHEN },
	{ "location", "Location", SHOW_TEXT },
	{ "slots", "Slots", SHOW_TEXT },
	{ "sheet", NULL, SHOW_HIDE },
	{ "conflict", NULL, SHOW_HIDE },
	{ "request", NULL, SHOW_HIDE },
	{ "held_because", "Held because", SHOW_TEXT },
	{ "note", "Note", SHOW_TEXT },
	{ "letter", NULL, SHOW_HIDE },
	{ "document", NULL, SHOW_HIDE },
	{ "day_id", NULL, SHOW_HIDE },
	{ "replaced", "Replaced", SHOW_COUNT },
	{ "sha256", "SHA-256", SHOW_TEXT },
	{ "certified_sha256", "SHA-256 of the certified version", SHOW_TEXT },
	{ "size", "Size in bytes", SHOW_TEXT },
	{ "writer_email", "Writer", SHOW_TEXT },
	{ "waived", "Right to read the letter waived", SHOW_TEXT },
	{ "phase", "Phase", SHOW_TEXT },
	{ "version", "Version", SHOW_TEXT },
	{ "versioned", "Saved as a new version", SHOW_TEXT },
	{ "criteria", "Criteria", SHOW_CRITERIA },
	{ "assignments_removed", "Assignments removed", SHOW_TEXT },
	{ "k", "Raters per candidate", SHOW_TEXT },
	{ "cap", "Most candidates per rater", SHOW_TEXT },
	{ "added", "Added", SHOW_TEXT },
	{ "removed", "Removed", SHOW_TEXT },
	{ "components", "Groups of raters", SHOW_TEXT },
	{ "pairs", "Pairs added to link the raters", SHOW_COUNT },
	{ "format", "Format", SHOW_TEXT },
	{ "status", "Status", SHOW_TEXT },
	{ "identifier", "Identifier", SHOW_TEXT },
	{ "state", "State", SHOW_TEXT },
	{ "ranked", "Ranked", SHOW_TEXT },
	{ "cycle_state_was", "Cycle state before", SHOW_TEXT },
	{ "name", "Name", SHOW_TEXT },
	{ "year", "Year", SHOW_TEXT },
	{ "positions", "Positions", SHOW_TEXT },
	{ "timezone", "Time zone", SHOW_TEXT },
	{ "applications_open", "Applications open", SHOW_WHEN },
	{ "applications_close", "Applications close", SHOW_WHEN },
	{ "interviews_start", "Interviews start", SHOW_WHEN },
	{ "interviews_end", "Interviews end", SHOW_WHEN },
	{ "ranklist_due", "Rank list due", SHOW_WHEN },
	{ "scoring_due", "Scoring due", SHOW_WHEN },
	{ "weight", "Weight in the composite", SHOW_TEXT },
	{ "closed", "Closed", SHOW_TEXT },
	{ "source", "Source", SHOW_TEXT },
	{ "from_cycle", "Archived cycle", SHOW_TEXT },
	{ "candidates", "Candidates", SHOW_TEXT },
	{ "sheets", "Score sheets", SHOW_TEXT },
	{ "ranklist_versions", "Rank list versions", SHOW_TEXT },
	{ "conflicts", "Conflicts", SHOW_COUNT },
	{ "acknowledged", "Warnings acknowledged", SHOW_WARNINGS },
	{ "certified", "Certified", SHOW_TEXT },
	{ "meeting", NULL, SHOW_HIDE },
	{ "agenda", "Candidates on the agenda", SHOW_TEXT },
	{ "rows_copied", "Rows copied", SHOW_TEXT },
	{ "files_checked", "Stored files checked", SHOW_TEXT },
	{ "schema_version", "Schema version", SHOW_TEXT },
};
/* clang-format on */

/* Codes stored in details, in words. */
static const struct {
	const char *key, *value, *words;
} value_words[] = {
	{ "kind", "cv", "CV" },
	{ "kind", "personal_statement", "personal statement" },
	{ "kind", "other", "other document" },
	{ "kind", "conflict", "conflict of interest" },
	{ "kind", "known_applicant", "known applicant" },
	{ "locked", "account", "the account" },
	{ "locked", "address", "the address" },
	{ "reason", "withdrawn", "the application was withdrawn" },
};

/* A growing string; on out of memory s is freed and set to NULL, and
 * what follows does nothing. */
struct text {
	char  *s;
	size_t len, cap;
};

static void
put_n(struct text *t, const char *s, size_t n)
{
	char *grown;

	if (t->s == NULL)
		return;
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		if ((grown = realloc(t->s, t->cap)) == NULL) {
			free(t->s);
			t->s = NULL;
			return;
		}
		t->s = grown;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void
put(struct text *t, const char *s)
{
	put_n(t, s, strlen(s));
}

/*
 * How many bytes at s (n left) make a character that typed text may not
 * show as itself: a line or paragraph separator (NEL, U+2028, U+2029), a
 * direction control (U+200E, U+200F, U+202A to U+202E, U+2066 to
 * U+2069), or a curly double quotation mark (which would close ours).
 * 0 for any other.
 */
static size_t
disguising(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xc2 && s[1] == 0x85)
		return (2);
	if (n < 3 || s[0] != 0xe2)
		return (0);
	if (s[1] == 0x80 &&
	    (s[2] == 0x8e || s[2] == 0x8f || s[2] == 0x9c || s[2] == 0x9d ||
		(s[2] >= 0xa8 && s[2] <= 0xae)))
		return (3);
	if (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
		return (3);
	return (0);
}

/*
 * Writes free text someone typed (an e-mail address tried at sign-in) as
 * data: in quotation marks, line breaks, other control characters and
 * characters that could disguise it (disguising()) as spaces, at most
 * AUDIT_DATA_MAX bytes (cut between characters), so no value can pass for
 * the sentence's own words or start a line of its own.
 */
#define AUDIT_DATA_MAX 120

static void
put_data(struct text *t, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t		     n = 0, i, k;

	put(t, "“");
	while (n < AUDIT_DATA_MAX && s[n] != '\0')
		n++;
	if (s[n] != '\0')
		while (n > 0 && (u[n] & 0xc0) == 0x80)
			n--;
	for (i = 0; i < n; i++) {
		if ((k = disguising(u + i, n - i)) > 0) {
			put(t, " ");
			i += k - 1;
		} else
			put_n(t, u[i] < 0x20 || u[i] == 0x7f ? " " : s + i, 1);
	}
	if (s[n] != '\0')
		put(t, "…");
	put(t, "”");
}

static int
text_init(struct text *t)
{
	t->len = 0;
	t->cap = 64;
	if ((t->s = malloc(t->cap)) == NULL)
		return (-1);
	t->s[0] = '\0';
	return (0);
}

static const struct action *
find_action(const char *action)
{
	size_t i;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(actions[i].action, action) == 0)
			return (&actions[i]);
	return (NULL);
}

int
auditlog_known(const char *action)
{
	return (find_action(action) != NULL);
}

/* How key shows in a record of action a (NULL: unknown action). */
static enum show
show_of(const struct action *a, const char *key, const char **label)
{
	size_t i;

	*label = NULL;
	if (a != NULL && a->from_slot && strcmp(key, "from") == 0) {
		*label = "Moved from";
		return (SHOW_SLOT);
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].key, key) == 0) {
			*label = keys[i].label;
			return (keys[i].show);
		}
	return (SHOW_TEXT);
}

/* The name refs gives "kind:id", or NULL. */
static const json_t *
ref(const struct auditlog_words *w, const char *kind, const json_t *id)
{
	char k[48];

	if (!json_is_integer(id) || w->refs == NULL)
		return (NULL);
	(void)snprintf(
	    k, sizeof(k), "%s:%" PRId64, kind, (int64_t)json_integer_value(id));
	return (json_object_get(w->refs, k));
}

/* Puts the words of scalar v (of detail key) into t. Returns 0, or -1
 * when v is not a scalar. */
/* The words for a coded value of key, or NULL when it has none. */
static const char *
value_word(const char *key, const char *value)
{
	size_t i;

	for (i = 0;
	     key != NULL && i < sizeof(value_words) / sizeof(value_words[0]);
	     i++)
		if (strcmp(value_words[i].key, key) == 0 &&
		    strcmp(value_words[i].value, value) == 0)
			return (value_words[i].words);
	return (NULL);
}

static int
put_scalar(struct text *t, const char *key, const json_t *v)
{
	const char *words;
	char	    num[32];

	switch (json_typeof(v)) {
	case JSON_STRING:
		words = value_word(key, json_string_value(v));
		put(t, words != NULL ? words : json_string_value(v));
		return (0);
	case JSON_INTEGER:
		(void)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		put(t, num);
		return (0);
	case JSON_REAL:
		(void)snprintf(num, sizeof(num), "%g", json_real_value(v));
		put(t, num);
		return (0);
	case JSON_TRUE:
		put(t, "yes");
		return (0);
	case JSON_FALSE:
		put(t, "no");
		return (0);
	case JSON_NULL:
		put(t, "none");
		return (0);
	default:
		return (-1);
	}
}

/* The name of one referred-to id, or "kind id" when unknown. */
static void
put_ref(struct text *t, const struct auditlog_words *w, const char *kind,
    const json_t *id)
{
	const json_t *r = ref(w, kind, id);

	if (json_is_string(r))
		put(t, json_string_value(r));
	else if (json_is_object(r) &&
	    json_is_string(json_object_get(r, "text")))
		put(t, json_string_value(json_object_get(r, "text")));
	else {
		put(t, kind);
		put(t, " ");
		(void)put_scalar(t, NULL, id);
	}
}

/* At most this many names of a list are written out. */
#define NAMES_MAX 8

/* The names of a list of ids: "A, B and C", "A, B … and 4 more". */
static void
put_refs(struct text *t, const struct auditlog_words *w, const char *kind,
    const json_t *ids)
{
	char   more[48];
	size_t i, n = json_array_size(ids);

	if (n == 0) {
		put(t, "nobody");
		return;
	}
	for (i = 0; i < n && i < NAMES_MAX; i++) {
		if (i > 0)
			put(t, i + 1 == n ? " and " : ", ");
		put_ref(t, w, kind, json_array_get(ids, i));
	}
	if (n > NAMES_MAX) {
		(void)snprintf(
		    more, sizeof(more), " and %zu more", n - NAMES_MAX);
		put(t, more);
	}
}

/*
 * The words of the detail's value v for key as shown by how; returns 0,
 * or -1 when it has none (a hidden key, a date the page writes).
 */
static int
put_value(struct text *t, const struct auditlog_words *w, const char *key,
    const json_t *v, enum show how)
{
	char   num[32];
	size_t i;

	switch (how) {
	case SHOW_HIDE:
		return (-1);
	case SHOW_USER:
		put_ref(t, w, "user", v);
		return (0);
	case SHOW_APP:
		put_ref(t, w, "application", v);
		return (0);
	case SHOW_SLOT:
		if (json_is_null(v)) {
			put(t, "none");
			return (0);
		}
		put_ref(t, w, "slot", v);
		return (0);
	case SHOW_USERS:
	case SHOW_APPS:
		if (!json_is_array(v))
			break;
		put_refs(t, w, how == SHOW_USERS ? "user" : "application", v);
		return (0);
	case SHOW_COUNT:
		if (!json_is_array(v))
			break;
		(void)snprintf(num, sizeof(num), "%zu", json_array_size(v));
		put(t, num);
		return (0);
	case SHOW_CRITERIA:
		if (!json_is_array(v))
			break;
		for (i = 0; i < json_array_size(v); i++) {
			const json_t *c = json_array_get(v, i);

			if (i > 0)
				put(t, ", ");
			if (put_scalar(t, NULL, json_object_get(c, "label")) !=
			    0)
				put(t, "?");
			put(t, " (");
			(void)put_scalar(t, NULL, json_object_get(c, "weight"));
			put(t, ")");
		}
		return (0);
	case SHOW_WARNINGS:
		if (!json_is_array(v))
			break;
		if (json_array_size(v) == 0) {
			put(t, "none");
			return (0);
		}
		for (i = 0; i < json_array_size(v); i++) {
			const char *code =
			    json_string_value(json_array_get(v, i));
			int k;

			if (i > 0)
				put(t, "; ");
			for (k = 0; k < READY_WARN__MAX; k++)
				if (code != NULL &&
				    strcmp(code, ready_warn_codes[k]) == 0)
					break;
			put(t,
			    k < READY_WARN__MAX ? ready_warn_titles[k]
						: "an unknown warning");
		}
		return (0);
	default:
		break;
	}
	if (put_scalar(t, key, v) == 0)
		return (0);
	if (json_is_array(v)) {
		/* A list of plain values is written out; anything else is
		 * counted, never shown as code. */
		for (i = 0; i < json_array_size(v); i++)
			if (json_is_array(json_array_get(v, i)) ||
			    json_is_object(json_array_get(v, i)))
				break;
		if (i == json_array_size(v) && i > 0) {
			for (i = 0; i < json_array_size(v); i++) {
				if (i > 0)
					put(t, ", ");
				(void)put_scalar(t, key, json_array_get(v, i));
			}
			return (0);
		}
		(void)snprintf(num, sizeof(num), "%zu %s", json_array_size(v),
		    json_array_size(v) == 1 ? "entry" : "entries");
		put(t, num);
		return (0);
	}
	(void)snprintf(num, sizeof(num), "%zu entries", json_object_size(v));
	put(t, num);
	return (0);
}

char *
auditlog_sentence(const char *action, const struct auditlog_words *w)
{
	const struct action *a = find_action(action);
	const char	    *p, *end, *label;
	const json_t	    *v;
	struct text	     t;
	char		     key[48];
	size_t		     n;

	if (text_init(&t) != 0)
		return (NULL);
	if (a == NULL) {
		/* Not in the table yet: still a sentence, naming it. */
		put(&t, w->actor != NULL ? w->actor : "The system");
		put(&t, ": ");
		put(&t, action);
		if (w->object != NULL || w->object_ref != NULL) {
			put(&t, " (");
			put(&t, w->object != NULL ? w->object : w->object_ref);
			put(&t, ")");
		}
		return (t.s);
	}
	for (p = a->sentence; *p != '\0'; p = end + 1) {
		if (*p != '{' || (end = strchr(p, '}')) == NULL) {
			end = p;
			put_n(&t, p, 1);
			continue;
		}
		n = (size_t)(end - p - 1);
		if (n >= sizeof(key))
			n = sizeof(key) - 1;
		memcpy(key, p + 1, n);
		key[n] = '\0';
		if (strcmp(key, "actor") == 0)
			put(&t, w->actor != NULL ? w->actor : "The system");
		else if (strcmp(key, "object") == 0)
			put(&t,
			    w->object != NULL		? w->object
				: w->object_ref != NULL ? w->object_ref
							: "—");
		else if (strcmp(key, "cycle") == 0)
			put(&t, w->cycle != NULL ? w->cycle : "the cycle");
		else if (strcmp(key, "whose") == 0) {
			if (w->self)
				put(&t, "their");
			else {
				put(&t, w->object != NULL ? w->object : "the");
				if (w->object != NULL)
					put(&t, "’s");
			}
		} else if ((v = json_object_get(w->detail, key)) != NULL &&
		    json_is_string(v) && show_of(a, key, &label) == SHOW_TYPED)
			put_data(&t, json_string_value(v));
		else if (v == NULL ||
		    put_value(&t, w, key, v, show_of(a, key, &label)) != 0)
			put(&t, "—");
	}
	return (t.s);
}

/* Appends {label, text[, when]} to lines; the text is taken, its control
 * characters made spaces (a value is one line of data). Returns 0,
 * or -1 when out of memory (text freed either way). */
static int
add_line(json_t *lines, const char *label, char *text, const json_t *when)
{
	json_t *line;
	char   *p;

	if (text == NULL)
		return (-1);
	for (p = text; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	line = json_pack("{s:s,s:s}", "label", label, "text", text);
	free(text);
	if (line == NULL)
		return (-1);
	if (when != NULL &&
	    json_object_set(line, "when", (json_t *)when) != 0) {
		json_decref(line);
		return (-1);
	}
	return (json_array_append_new(lines, line));
}

/* A line of label with the words of value (one scalar). */
static int
add_scalar(json_t *lines, const char *label, const char *key, const json_t *v)
{
	struct text t;

	if (text_init(&t) != 0)
		return (-1);
	if (put_scalar(&t, key, v) != 0)
		put(&t, "—");
	return (add_line(lines, label, t.s, NULL));
}

/* A key's label when the table has none: "from_cycle" as "From cycle". */
static void
put_label(struct text *t, const char *key)
{
	size_t i;
	char   c;

	for (i = 0; key[i] != '\0'; i++) {
		c = key[i] == '_' ? ' ' : key[i];
		if (i == 0 && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		put_n(t, &c, 1);
	}
}

/* Whether the action's sentence shows {key}. */
static int
in_sentence(const struct action *a, const char *key)
{
	char k[52];

	if (a == NULL)
		return (0);
	(void)snprintf(k, sizeof(k), "{%s}", key);
	return (strstr(a->sentence, k) != NULL);
}

/* One line per member of a plain detail (or of an object inside it). */
static int
plain_lines(const struct action *a, const struct auditlog_words *w,
    const json_t *obj, json_t *lines, int depth)
{
	const char   *key, *label;
	const json_t *v, *r;
	struct text   t, lt;
	enum show     how;
	int	      rc;

	json_object_foreach((json_t *)obj, key, v)
	{
		if (depth == 0 && in_sentence(a, key))
			continue;
		how = show_of(a, key, &label);
		/* No slot before a first booking: nothing to say. */
		if (how == SHOW_HIDE || (how == SHOW_SLOT && json_is_null(v)))
			continue;
		if (json_is_object(v) && depth == 0) {
			/* A change set ({scoring_due, weight}): its members. */
			if (plain_lines(a, w, v, lines, 1) != 0)
				return (-1);
			continue;
		}
		if (label == NULL) {
			if (text_init(&lt) != 0)
				return (-1);
			put_label(&lt, key);
			if (lt.s == NULL)
				return (-1);
		} else
			lt.s = NULL;
		if (text_init(&t) != 0) {
			free(lt.s);
			return (-1);
		}
		r = NULL;
		if (how == SHOW_WHEN &&
		    (json_is_string(v) || json_is_integer(v)))
			r = v;
		else if (how == SHOW_SLOT && (r = ref(w, "slot", v)) != NULL)
			r = json_object_get(r, "at");
		(void)put_value(&t, w, key, v, how);
		rc = add_line(lines, label != NULL ? label : lt.s, t.s, r);
		free(lt.s);
		if (rc != 0)
			return (-1);
	}
	return (0);
}

/* The criterion's label for key, or the key. */
static const char *
criterion(const struct auditlog_words *w, const char *key)
{
	const json_t *l = json_object_get(w->labels, key);

	if (strcmp(key, "comment") == 0)
		return ("Comment");
	return (json_is_string(l) ? json_string_value(l) : key);
}

static int
fields_lines(const json_t *fields, json_t *lines)
{
	const struct app_field *f;
	const char	       *key;
	const json_t	       *v;
	struct text		t;

	json_object_foreach((json_t *)fields, key, v)
	{
		f = application_field(key);
		if (text_init(&t) != 0)
			return (-1);
		if (json_is_null(v))
			put(&t, "cleared");
		else if (put_scalar(&t, NULL, v) != 0)
			put(&t, "—");
		if (add_line(lines, f != NULL ? f->label : key, t.s, NULL) != 0)
			return (-1);
	}
	return (0);
}

static int
values_lines(
    const struct auditlog_words *w, const json_t *values, json_t *lines)
{
	const char   *key;
	const json_t *v;

	json_object_foreach((json_t *)values, key, v)
	{
		if (add_scalar(lines, criterion(w, key), NULL, v) != 0)
			return (-1);
	}
	return (0);
}

static int
changes_lines(
    const struct auditlog_words *w, const json_t *changes, json_t *lines)
{
	const json_t *c, *f;
	struct text   t;
	size_t	      i;

	json_array_foreach((json_t *)changes, i, c)
	{
		f = json_object_get(c, "field");
		if (!json_is_string(f) || text_init(&t) != 0)
			return (json_is_string(f) ? -1 : 0);
		if (strcmp(json_string_value(f), "comment") == 0)
			put(&t, "changed");
		else {
			(void)put_scalar(&t, NULL, json_object_get(c, "old"));
			put(&t, " → ");
			(void)put_scalar(&t, NULL, json_object_get(c, "new"));
		}
		if (add_line(lines, criterion(w, json_string_value(f)), t.s,
			NULL) != 0)
			return (-1);
	}
	return (0);
}

static int
assignment_lines(
    const struct auditlog_words *w, const json_t *changes, json_t *lines)
{
	const json_t *c;
	struct text   t;
	size_t	      i;

	json_array_foreach((json_t *)changes, i, c)
	{
		if (text_init(&t) != 0)
			return (-1);
		put_ref(&t, w, "user", json_object_get(c, "faculty_id"));
		put(&t, " → ");
		put_ref(
		    &t, w, "application", json_object_get(c, "application_id"));
		put(&t, " (");
		(void)put_scalar(&t, NULL, json_object_get(c, "phase"));
		put(&t, ")");
		if (add_line(lines,
			json_is_true(json_object_get(c, "assigned"))
			    ? "Assigned"
			    : "Unassigned",
			t.s, NULL) != 0)
			return (-1);
	}
	return (0);
}

static int
moves_lines(const struct auditlog_words *w, const json_t *moves, json_t *lines)
{
	const json_t *m, *reason;
	struct text   t, name;
	size_t	      i;
	int	      rc;

	json_array_foreach((json_t *)moves, i, m)
	{
		if (text_init(&t) != 0)
			return (-1);
		if (text_init(&name) != 0) {
			free(t.s);
			return (-1);
		}
		put_ref(&name, w, "application",
		    json_object_get(m, "application_id"));
		if (json_is_true(json_object_get(m, "do_not_rank")))
			put(&t, "not to be ranked");
		else {
			put(&t, "moved from ");
			(void)put_scalar(&t, NULL, json_object_get(m, "from"));
			put(&t, " to ");
			(void)put_scalar(&t, NULL, json_object_get(m, "to"));
		}
		reason = json_object_get(m, "reason");
		if (json_is_string(reason) && json_string_length(reason) > 0) {
			put(&t, ": ");
			put(&t, json_string_value(reason));
		}
		rc = name.s != NULL ? add_line(lines, name.s, t.s, NULL) : -1;
		free(name.s);
		if (rc != 0)
			return (-1);
	}
	return (0);
}

json_t *
auditlog_lines(const char *action, const struct auditlog_words *w)
{
	const struct action *a = find_action(action);
	enum lines_kind	     kind = a != NULL ? a->lines : LINES_PLAIN;
	const char	    *special = NULL;
	json_t		    *lines, *rest = NULL, *v;
	int		     rc = 0;

	if ((lines = json_array()) == NULL)
		return (NULL);
	if (!json_is_object(w->detail))
		return (lines);
	switch (kind) {
	case LINES_FIELDS:
		special = "fields";
		break;
	case LINES_VALUES:
		special = "values";
		break;
	case LINES_CHANGES:
	case LINES_ASSIGNMENTS:
		special = "changes";
		break;
	case LINES_MOVES:
		special = "moves";
		break;
	default:
		break;
	}
	if (special != NULL &&
	    (v = json_object_get(w->detail, special)) != NULL) {
		if (kind == LINES_FIELDS && json_is_object(v))
			rc = fields_lines(v, lines);
		else if (kind == LINES_VALUES && json_is_object(v))
			rc = values_lines(w, v, lines);
		else if (kind == LINES_CHANGES && json_is_array(v))
			rc = changes_lines(w, v, lines);
		else if (kind == LINES_ASSIGNMENTS && json_is_array(v))
			rc = assignment_lines(w, v, lines);
		else if (kind == LINES_MOVES && json_is_array(v))
			rc = moves_lines(w, v, lines);
		if ((rest = json_copy((json_t *)w->detail)) == NULL)
			rc = -1;
		else
			(void)json_object_del(rest, special);
	}
	if (rc == 0)
		rc = plain_lines(
		    a, w, rest != NULL ? rest : w->detail, lines, 0);
	json_decref(rest);
	if (rc != 0) {
		json_decref(lines);
		return (NULL);
	}
	return (lines);
}

/* Calls ref for id v of kind when it is one. */
static int
ref_one(int (*cb)(void *, const char *, int64_t), void *arg, const char *kind,
    const json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return (0);
	return (cb(arg, kind, (int64_t)json_integer_value(v)));
}

int
auditlog_refs(const char *action, const json_t	   *detail,
    int (*cb)(void *, const char *, int64_t), void *arg)
{
	const struct action *a = find_action(action);
	const char	    *key, *label, *kind;
	const json_t	    *v, *x;
	size_t		     i;
	int		     rc = 0;

	if (!json_is_object(detail))
		return (0);
	json_object_foreach((json_t *)detail, key, v)
	{
		switch (show_of(a, key, &label)) {
		case SHOW_USER:
			rc = ref_one(cb, arg, "user", v);
			break;
		case SHOW_APP:
			rc = ref_one(cb, arg, "application", v);
			break;
		case SHOW_SLOT:
			rc = ref_one(cb, arg, "slot", v);
			break;
		case SHOW_USERS:
		case SHOW_APPS:
			kind = show_of(a, key, &label) == SHOW_USERS
			    ? "user"
			    : "application";
			for (i = 0;
			     rc == 0 && i < json_array_size(v) && i < NAMES_MAX;
			     i++)
				rc = ref_one(
				    cb, arg, kind, json_array_get(v, i));
			break;
		default:
			break;
		}
		if (rc != 0)
			return (rc);
		/* The assignments' and the moves' entries name both. */
		if (a != NULL &&
		    (a->lines == LINES_ASSIGNMENTS ||
			a->lines == LINES_MOVES) &&
		    json_is_array(v))
			json_array_foreach((json_t *)v, i, x)
			{
				if ((rc = ref_one(cb, arg, "user",
					 json_object_get(x, "faculty_id"))) !=
					0 ||
				    (rc = ref_one(cb, arg, "application",
					 json_object_get(
					     x, "application_id"))) != 0)
					return (rc);
			}
	}
	return (0);
}
