/*
 * Letter operations, each one transaction with its audit record. Audit
 * records name the writer and the file's hash, never anything of its
 * content.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/calendar.h"
#include "core/mail.h"
#include "core/mailcap.h"
#include "core/text.h"
#include "core/token.h"
#include "ops/access.h"
#include "ops/common.h"
#include "ops/letters.h"

static const char *const no_letter = "There is no such letter.";
static const char *const no_request = "There is no such letter request.";
static const char *const link_gone =
    "This link is not valid any more: the letter was uploaded already, the "
    "request was cancelled, or the link has expired. The applicant can "
    "send a new one.";

/* Loads the applicant's own application; OPS_NOT_FOUND otherwise (also
 * for anyone but an applicant). */
static int
own_application(struct db *db, struct ops_actor actor, int64_t application,
    struct db_application *a, struct ops_error *e)
{
	int rc;

	a->fields = NULL;
	if (actor.role != ROLE_APPLICANT)
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such application."));
	if ((rc = db_application_by_id(db, application, a)) < 0)
		return (rc);
	db_application_clear(a);
	if (rc == 0 || a->applicant_id != actor.id)
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such application."));
	if (strcmp(a->status, "withdrawn") == 0)
		return (ops_refuse(
		    e, OPS_FORBIDDEN, NULL, "This application is withdrawn."));
	return (OPS_OK);
}

/* Issues a link for letter and mails it to its writer. */
static int
send_link(struct db *db, const struct settings *set, enum mail_kind kind,
    const struct db_letter *l, int64_t applicant, int64_t now, int first,
    int64_t *id)
{
	char	       token[TOKEN_LEN + 1], link[SETTINGS_PATH_MAX + 128];
	unsigned char  hash[TOKEN_HASH_LEN];
	char	       subject[MAIL_SUBJECT_MAX], *body;
	struct db_user u;
	struct db_application a = { 0 };
	struct db_cycle	      c;
	struct mail_vars      mv;
	int		      rc;

	if ((rc = db_user_by_id(db, applicant, &u)) != 1 ||
	    (rc = db_application_by_id(db, l->application_id, &a)) != 1 ||
	    (rc = db_cycle_by_id(db, a.cycle_id, &c)) != 1) {
		db_application_clear(&a);
		return (rc < 0 ? rc : DB_ERROR);
	}
	db_application_clear(&a);
	token_new(token);
	if (token_hash(token, hash) != 0)
		return (DB_ERROR);
	if (first)
		rc = db_letter_insert(db, l, hash, id);
	else
		rc = db_letter_set_token(
			 db, l->id, hash, now + OPS_LETTER_SECONDS) == 1
		    ? 0
		    : DB_ERROR;
	if (rc != 0)
		return (rc);
	(void)snprintf(
	    link, sizeof(link), "%s/#/letter/%s", set->public_url, token);
	sodium_memzero(token, sizeof(token));
	mv.name = l->writer_name;
	mv.role = "";
	mv.link = link;
	mv.applicant = u.name;
	mv.program = c.name;
	if ((body = mail_render(kind, &mv, subject)) == NULL) {
		sodium_memzero(link, sizeof(link));
		return (OPS_ENOMEM);
	}
	rc = db_outbox_insert(
	    db, c.program_id, l->writer_email, subject, body, now, NULL);
	sodium_memzero(body, strlen(body));
	free(body);
	sodium_memzero(link, sizeof(link));
	return (rc);
}

/*
 * The caps on letter mail (core/mailcap.h), in the transaction that would
 * send one more from applicant, for application, to address: OPS_OK, or
 * OPS_THROTTLED with the sentence naming the limit and when one more may
 * go (in the time zone of the application's cycle) and retry_after.
 */
static int
mail_allowed(struct db *db, int64_t applicant, int64_t application,
    const char *address, int64_t now, struct ops_error *e)
{
	struct mailcap_seen   by, to;
	struct db_application a = { 0 };
	struct db_cycle	      c;
	struct cal_zone	      z;
	enum limit	      l;
	char		      when[160], msg[sizeof(e->message)];
	char		      key[MAILCAP_ADDRESS_MAX];
	int64_t		      since = now - MAILCAP_WINDOW, resets;
	int		      rc, zoned = 0;

	mailcap_address(address, key);
	if ((rc = db_letter_mails_by_applicant(db, applicant, since,
		 limit_max(LIMIT_LETTER_MAILS_APPLICANT), &by.count,
		 &by.cap_th_sent_at)) != 0 ||
	    (rc = db_letter_mails_to(db, key, since,
		 limit_max(LIMIT_LETTER_MAILS_ADDRESS), &to.count,
		 &to.cap_th_sent_at)) != 0)
		return (rc);
	if ((l = mailcap_check(&by, &to, now, &resets)) == LIMIT__MAX)
		return (OPS_OK);
	/* The moment in the program's zone; in UTC if it cannot be had. */
	if ((rc = db_application_by_id(db, application, &a)) < 0 ||
	    (rc == 1 && (rc = db_cycle_by_id(db, a.cycle_id, &c)) < 0)) {
		db_application_clear(&a);
		return (rc);
	}
	db_application_clear(&a);
	if (rc == 1 && strcmp(c.timezone, "UTC") != 0)
		zoned = cal_zone_load(c.timezone, now, resets, &z) == 0;
	cal_when(zoned ? &z : NULL, resets, when, sizeof(when));
	(void)mailcap_message(l, now, resets, when, msg, sizeof(msg));
	if (e != NULL)
		e->retry_after = resets - now;
	return (ops_refuse(e, OPS_THROTTLED, NULL, msg));
}

/* Records a letter mail sent (kind "request" or "reminder"), as the
 * caps count it. */
static int
mail_counted(struct db *db, int64_t applicant, int64_t letter,
    const char *address, const char *kind, int64_t now)
{
	char key[MAILCAP_ADDRESS_MAX];

	mailcap_address(address, key);
	return (db_letter_mail_add(db, applicant, letter, key, kind, now));
}

/*
 * A letter as the API shows it. The applicant's view (full 0) has the
 * status and dates only; staff and faculty also see a received letter's
 * size. Nobody's view carries its hash.
 */
static json_t *
letter_json(const struct db_letter *l, int full)
{
	json_t *o;

	o = json_pack("{s:I,s:s,s:s,s:b,s:s,s:s,s:s?,s:s?}", "id",
	    (json_int_t)l->id, "writer_name", l->writer_name, "writer_email",
	    l->writer_email, "waived", l->waived, "status", l->status,
	    "requested_at", l->requested_at, "reminded_at",
	    l->reminded_at[0] ? l->reminded_at : NULL, "received_at",
	    l->received_at[0] ? l->received_at : NULL);
	if (o != NULL && full && strcmp(l->status, "received") == 0 &&
	    json_object_set_new(o, "size", json_integer(l->size)) != 0) {
		json_decref(o);
		o = NULL;
	}
	return (o);
}

static int
count_active(void *arg, const struct db_letter *l)
{
	if (strcmp(l->status, "cancelled") != 0)
		(*(int *)arg)++;
	return (0);
}

int
ops_letter_request(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t application,
    const struct ops_letter_ask *in, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_application a;
	struct db_letter      l = { 0 };
	json_t		     *detail;
	int64_t		      id = 0;
	int		      rc, n = 0;

	*out = NULL;
	if (actor.role != ROLE_APPLICANT)
		return (ops_refuse(
		    e, OPS_NOT_FOUND, NULL, "There is no such application."));
	if (!text_person_name_valid(in->writer_name))
		return (ops_refuse(e, OPS_INVALID, "writer_name",
		    "Enter the writer's name: letters, spaces and the "
		    "punctuation of names, at most 100 characters, with no "
		    "web or e-mail address."));
	if (!text_email_valid(in->writer_email))
		return (ops_refuse(e, OPS_INVALID, "writer_email",
		    "Enter the writer's e-mail address."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = own_application(db, actor, application, &a, e)) != OPS_OK)
		goto out;
	if ((rc = db_letter_list(db, application, count_active, &n)) != 0)
		goto out;
	if (n >= OPS_LETTERS_MAX) {
		rc = ops_refuse(e, OPS_CONFLICT, NULL,
		    "You have asked for six letters already; cancel one "
		    "first.");
		goto out;
	}
	l.application_id = application;
	(void)snprintf(
	    l.writer_name, sizeof(l.writer_name), "%s", in->writer_name);
	(void)snprintf(
	    l.writer_email, sizeof(l.writer_email), "%s", in->writer_email);
	l.waived = in->waived != 0;
	l.token_expires_at = now + OPS_LETTER_SECONDS;
	if ((rc = mail_allowed(
		 db, actor.id, application, l.writer_email, now, e)) != OPS_OK)
		goto out;
	if ((rc = send_link(db, set, MAIL_LETTER, &l, actor.id, now, 1, &id)) !=
		OPS_OK ||
	    (rc = mail_counted(
		 db, actor.id, id, l.writer_email, "request", now)) != 0)
		goto out;
	if ((detail = json_pack("{s:I,s:s,s:b}", "letter", (json_int_t)id,
		 "writer_email", l.writer_email, "waived", l.waived)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = ops_audit(db, actor.id, "letter.request", "application",
		 application, detail)) != 0)
		goto out;
	if ((rc = db_letter_by_id(db, id, &l)) != 1) {
		rc = rc < 0 ? rc : DB_ERROR;
		goto out;
	}
	rc = (*out = json_pack("{s:o}", "letter", letter_json(&l, 0))) != NULL
	    ? OPS_OK
	    : OPS_ENOMEM;
out:
	if ((rc = ops_finish(db, rc)) != OPS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return (rc);
}

/* Loads a letter of the applicant's that is still requested. */
static int
own_request(struct db *db, struct ops_actor actor, int64_t letter,
    struct db_letter *l, struct ops_error *e)
{
	struct db_application a;
	int		      rc;

	if ((rc = db_letter_by_id(db, letter, l)) < 0)
		return (rc);
	if (rc == 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, no_request));
	if ((rc = own_application(db, actor, l->application_id, &a, e)) !=
	    OPS_OK)
		return (rc == OPS_NOT_FOUND
			? ops_refuse(e, OPS_NOT_FOUND, NULL, no_request)
			: rc);
	if (strcmp(l->status, "requested") != 0)
		return (ops_refuse(e, OPS_CONFLICT, NULL,
		    "This letter has arrived already or the request was "
		    "cancelled."));
	return (OPS_OK);
}

/* {status: status}, a new reference, into *out. */
static int
status_view(const char *status, json_t **out)
{
	return ((*out = json_pack("{s:s}", "status", status)) != NULL
		? OPS_OK
		: OPS_ENOMEM);
}

int
ops_letter_remind(struct db *db, const struct settings *set,
    struct ops_actor actor, int64_t letter, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_letter l;
	int64_t		 since;
	json_t		*detail;
	int		 rc;

	*out = NULL;
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = own_request(db, actor, letter, &l, e)) != OPS_OK)
		goto out;
	/* The link was last issued at expiry - lifetime. */
	since = now - (l.token_expires_at - OPS_LETTER_SECONDS);
	if (since < OPS_REMIND_INTERVAL) {
		if (e != NULL)
			e->retry_after = OPS_REMIND_INTERVAL - since;
		rc = ops_refuse(e, OPS_THROTTLED, NULL,
		    "The writer was written to less than a day ago; wait "
		    "before sending a reminder.");
		goto out;
	}
	if ((rc = mail_allowed(db, actor.id, l.application_id, l.writer_email,
		 now, e)) != OPS_OK)
		goto out;
	if ((rc = send_link(db, set, MAIL_LETTER_REMINDER, &l, actor.id, now, 0,
		 NULL)) != OPS_OK ||
	    (rc = mail_counted(
		 db, actor.id, letter, l.writer_email, "reminder", now)) != 0)
		goto out;
	if ((detail = json_pack("{s:I}", "letter", (json_int_t)letter)) ==
	    NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = ops_audit(db, actor.id, "letter.remind", "application",
		 l.application_id, detail)) != 0)
		goto out;
	rc = status_view("sent", out);
out:
	if ((rc = ops_finish(db, rc)) != OPS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return (rc);
}

int
ops_letter_cancel(struct db *db, struct ops_actor actor, int64_t letter,
    json_t **out, struct ops_error *e)
{
	struct db_letter l;
	json_t		*detail;
	int		 rc;

	*out = NULL;
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = own_request(db, actor, letter, &l, e)) != OPS_OK)
		goto out;
	if ((rc = db_letter_cancel(db, letter)) < 0)
		goto out;
	if (rc == 0) {
		rc = DB_ERROR; /* it was requested a moment ago */
		goto out;
	}
	if ((detail = json_pack("{s:I}", "letter", (json_int_t)letter)) ==
	    NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = ops_audit(db, actor.id, "letter.cancel", "application",
		 l.application_id, detail)) != 0)
		goto out;
	rc = status_view("cancelled", out);
out:
	if ((rc = ops_finish(db, rc)) != OPS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return (rc);
}

struct letter_list {
	json_t *rows;
	int	full;
};

static int
add_letter(void *arg, const struct db_letter *l)
{
	struct letter_list *ll = arg;

	return (json_array_append_new(ll->rows, letter_json(l, ll->full)) == 0
		? 0
		: OPS_ENOMEM);
}

int
ops_letter_mails_purge(struct db *db, int64_t now)
{
	int purged, rc;

	if ((rc = db_letter_mails_purge(db, now - MAILCAP_WINDOW, &purged)) !=
	    0)
		return (rc);
	return (purged);
}

int
ops_letters_list(struct db *db, struct ops_actor actor, int64_t application,
    json_t **out, struct ops_error *e)
{
	struct db_application a;
	struct letter_list    ll;
	int		      rc;

	*out = NULL;
	if ((rc = ops_reach_application(db, actor, application, &a, e)) !=
	    OPS_OK)
		return (rc);
	db_application_clear(&a);
	ll.full = actor.role != ROLE_APPLICANT;
	if ((ll.rows = json_array()) == NULL)
		return (OPS_ENOMEM);
	if ((rc = db_letter_list(db, application, add_letter, &ll)) != 0) {
		json_decref(ll.rows);
		return (rc);
	}
	if ((*out = json_pack("{s:o}", "letters", ll.rows)) == NULL)
		return (OPS_ENOMEM);
	return (OPS_OK);
}

int
ops_letter_file(struct db *db, struct ops_actor actor, int64_t letter,
    const char *dir, struct ops_file *f, struct ops_error *e)
{
	struct db_application a;
	struct db_letter      l;
	int		      rc;

	/* The applicant never reads a letter, whether or not they waived
	 * the right to: the writer was promised as much either way. */
	if (actor.role == ROLE_APPLICANT)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, no_letter));
	if ((rc = db_letter_by_id(db, letter, &l)) < 0)
		return (rc);
	if (rc == 0 || strcmp(l.status, "received") != 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL, no_letter));
	if ((rc = ops_reach_application(db, actor, l.application_id, &a, e)) !=
	    OPS_OK)
		return (rc == OPS_NOT_FOUND ? ops_refuse(e, rc, NULL, no_letter)
					    : rc);
	db_application_clear(&a);
	if (db_file_path(dir, l.sha256, f->path, sizeof(f->path)) != 0)
		return (ops_refuse(e, OPS_EDB, NULL, "bad stored file name"));
	(void)snprintf(
	    f->name, sizeof(f->name), "letter-%lld.pdf", (long long)l.id);
	return (OPS_OK);
}

/* Finds a live link's letter; OPS_TOKEN_INVALID otherwise. */
static int
by_token(struct db *db, const char *token, int64_t now, struct db_letter *l,
    struct ops_error *e)
{
	unsigned char hash[TOKEN_HASH_LEN];
	int	      rc;

	if (token_hash(token, hash) != 0 ||
	    (rc = db_letter_by_token(db, hash, l)) == 0 ||
	    (rc == 1 &&
		(strcmp(l->status, "requested") != 0 ||
		    now >= l->token_expires_at))) {
		(void)ops_refuse(e, OPS_TOKEN_INVALID, "token", link_gone);
		return (OPS_TOKEN_INVALID);
	}
	return (rc < 0 ? rc : OPS_OK);
}

int
ops_letter_open(struct db *db, const char *token, int64_t now, json_t **out,
    struct ops_error *e)
{
	struct db_letter      l;
	struct db_application a = { 0 };
	struct db_cycle	      c;
	struct db_user	      u;
	int		      rc;

	*out = NULL;
	if ((rc = by_token(db, token, now, &l, e)) != OPS_OK)
		return (rc);
	if ((rc = db_application_by_id(db, l.application_id, &a)) != 1 ||
	    (rc = db_cycle_by_id(db, a.cycle_id, &c)) != 1 ||
	    (rc = db_user_by_id(db, a.applicant_id, &u)) != 1) {
		db_application_clear(&a);
		return (rc < 0 ? rc : DB_ERROR);
	}
	db_application_clear(&a);
	if ((*out = json_pack("{s:s,s:s,s:s}", "writer_name", l.writer_name,
		 "applicant", u.name, "program", c.name)) == NULL)
		return (OPS_ENOMEM);
	return (OPS_OK);
}

int
ops_letter_receive(struct db *db, const char *token, struct ops_upload *up,
    int64_t now, json_t **out, struct ops_error *e)
{
	struct db_letter l;
	json_t		*detail;
	int		 rc;

	*out = NULL;
	if ((rc = ops_upload_ready(up, e)) != OPS_OK ||
	    (rc = db_begin(db)) != 0) {
		ops_upload_discard(up);
		return (rc);
	}
	if ((rc = by_token(db, token, now, &l, e)) != OPS_OK)
		goto out;
	/* The file is in place before the row that names it. */
	if ((rc = ops_upload_commit(up, e)) != OPS_OK)
		goto out;
	if ((rc = db_letter_receive(db, l.id, up->file.sha256, up->file.size)) <
	    0)
		goto out;
	if (rc == 0) {
		rc = ops_refuse(e, OPS_TOKEN_INVALID, "token", link_gone);
		goto out;
	}
	if ((detail = json_pack("{s:I,s:s,s:s,s:I}", "letter", (json_int_t)l.id,
		 "writer_email", l.writer_email, "sha256", up->file.sha256,
		 "size", (json_int_t)up->file.size)) == NULL) {
		rc = OPS_ENOMEM;
		goto out;
	}
	if ((rc = ops_audit(db, 0, "letter.receive", "application",
		 l.application_id, detail)) != 0)
		goto out;
	rc = status_view("received", out);
out:
	ops_upload_discard(up);
	if ((rc = ops_finish(db, rc)) != OPS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return (rc);
}
