/*
 * The audit log in words. One table holds every action the log records
 * with the sentence that tells it — "{actor} submitted the {phase} sheet
 * for {object}" reads "Dr. Henrik Lund submitted the interview sheet for
 * Amara Dvořák" — and one table every detail key with its label, so that
 * a record's detail is shown as lines of "label: value" (a score sheet as
 * criterion: value), never as codes. A new action gets its row here.
 *
 * Pure: the caller (ops/system.c) loads the names the record refers to
 * and passes them in struct auditlog_words.
 */
#ifndef FELLOW_CORE_AUDITLOG_H
#define FELLOW_CORE_AUDITLOG_H

#include <stdint.h>

#include <jansson.h>

/* What a record's words are made of; any member may be NULL. */
struct auditlog_words {
	const char   *actor;  /* the acting account's name; NULL: the system */
	const char   *object; /* the object's name (candidate, user, cycle) */
	const char   *object_ref; /* the object as stored, "application:12" */
	const char   *cycle;	  /* the cycle the object belongs to */
	int	      self;   /* the actor is the object (or its applicant) */
	const json_t *detail; /* the record's detail (a JSON object) */
	/* Names of what the detail refers to, by "kind:id": "user:5" and
	 * "application:7" give a name (a string), "slot:3" an object
	 * {at (Unix seconds), text}. */
	const json_t *refs;
	/* The labels of the criteria of the record's phase, by key. */
	const json_t *labels;
};

/*
 * Calls ref(arg, kind, id) for everything the detail of a record of
 * action refers to by id: kind "user", "application" or "slot", so that
 * the caller can name it in words.refs. Stops at, and returns, the first
 * non-zero return of ref; else 0.
 */
int auditlog_refs(const char *action, const json_t	      *detail,
    int (*ref)(void *arg, const char *kind, int64_t id), void *arg);

/*
 * The sentence that tells a record of action: a string the caller frees,
 * or NULL when out of memory. An action the table does not know still
 * gets a sentence naming it.
 */
char *auditlog_sentence(const char *action, const struct auditlog_words *);

/*
 * The record's details as lines: a new JSON array of {label, text}
 * objects, with "when" as well on a line that holds a date or a time (a
 * day "2026-12-08", a deadline as typed "2026-12-08T17:00", or an instant
 * in Unix seconds) for the page to write in its one format. NULL when out
 * of memory.
 */
json_t *auditlog_lines(const char *action, const struct auditlog_words *);

/* Returns 1 when action is in the table (for tests). */
int auditlog_known(const char *action);

#endif
