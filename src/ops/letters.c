/*
 * Letter operations, each one transaction with its audit record. Audit
 * records name the writer and the file's hash, never anything of its
 * content.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/mail.h"
#include "core/text.h"
#include "core/token.h"
#include "ops/common.h"
#include "ops/letters.h"

static const char *const link_gone =
    "This link is not valid any more: the letter was uploaded already, the "
    "request was cancelled, or the link has expired. The applicant can "
    "send a new one.";

/* Loads the applicant's own application; OPS_NOT_FOUND otherwise. */
static int
own_application(struct db *db, int64_t application, int64_t applicant,
    struct db_application *a, struct ops_error *e)
{
	int rc;

	a->fields = NULL;
	if ((rc = db_application_by_id(db, application, a)) < 0)
		return (rc);
	db_application_clear(a);
	if (rc == 0 || a->applicant_id != applicant)
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
	if ((body = mail_render(kind, &mv, subject)) == NULL)
		return (DB_ERROR);
	rc = db_outbox_insert(db, l->writer_email, subject, body, now, NULL);
	sodium_memzero(body, strlen(body));
	free(body);
	sodium_memzero(link, sizeof(link));
	return (rc);
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
    int64_t application, int64_t applicant, const char *writer_name,
    const char *writer_email, int waived, int64_t now, int64_t *id,
    struct ops_error *e)
{
	struct db_application a;
	struct db_letter      l = { 0 };
	int		      rc, n = 0;

	if (!text_name_valid(writer_name))
		return (ops_refuse(
		    e, OPS_INVALID, "writer_name", "Enter the writer's name."));
	if (!text_email_valid(writer_email))
		return (ops_refuse(e, OPS_INVALID, "writer_email",
		    "Enter the writer's e-mail address."));
	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = own_application(db, application, applicant, &a, e)) != OPS_OK)
		return (ops_finish(db, rc));
	if ((rc = db_letter_list(db, application, count_active, &n)) != 0)
		return (ops_finish(db, rc));
	if (n >= OPS_LETTERS_MAX)
		return (ops_finish(db,
		    ops_refuse(e, OPS_CONFLICT, NULL,
			"You have asked for six letters already; cancel one "
			"first.")));
	l.application_id = application;
	(void)snprintf(l.writer_name, sizeof(l.writer_name), "%s", writer_name);
	(void)snprintf(
	    l.writer_email, sizeof(l.writer_email), "%s", writer_email);
	l.waived = waived != 0;
	l.token_expires_at = now + OPS_LETTER_SECONDS;
	rc = send_link(db, set, MAIL_LETTER, &l, applicant, now, 1, id);
	if (rc == OPS_OK)
		rc = ops_audit(db, applicant, "letter.request", "application",
		    application,
		    json_pack("{s:I,s:s,s:b}", "letter", (json_int_t)*id,
			"writer_email", writer_email, "waived", l.waived));
	return (ops_finish(db, rc));
}

/* Loads a letter of the applicant's that is still requested. */
static int
own_request(struct db *db, int64_t letter, int64_t applicant,
    struct db_letter *l, struct ops_error *e)
{
	struct db_application a;
	int		      rc;

	if ((rc = db_letter_by_id(db, letter, l)) < 0)
		return (rc);
	if (rc == 0)
		return (ops_refuse(e, OPS_NOT_FOUND, NULL,
		    "There is no such letter request."));
	if ((rc = own_application(db, l->application_id, applicant, &a, e)) !=
	    OPS_OK)
		return (rc == OPS_FORBIDDEN ? rc
					    : ops_refuse(e, OPS_NOT_FOUND, NULL,
						  "There is no such letter "
						  "request."));
	if (strcmp(l->status, "requested") != 0)
		return (ops_refuse(e, OPS_CONFLICT, NULL,
		    "This letter has arrived already or the request was "
		    "cancelled."));
	return (OPS_OK);
}

int
ops_letter_remind(struct db *db, const struct settings *set, int64_t letter,
    int64_t applicant, int64_t now, struct ops_error *e)
{
	struct db_letter l;
	int		 rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = own_request(db, letter, applicant, &l, e)) != OPS_OK)
		return (ops_finish(db, rc));
	/* The link was last issued at expiry - lifetime. */
	if (now - (l.token_expires_at - OPS_LETTER_SECONDS) <
	    OPS_REMIND_INTERVAL) {
		e->retry_after = OPS_REMIND_INTERVAL -
		    (now - (l.token_expires_at - OPS_LETTER_SECONDS));
		return (ops_finish(db,
		    ops_refuse(e, OPS_THROTTLED, NULL,
			"The writer was written to less than a day ago; wait "
			"before sending a reminder.")));
	}
	rc = send_link(
	    db, set, MAIL_LETTER_REMINDER, &l, applicant, now, 0, NULL);
	if (rc == OPS_OK)
		rc = ops_audit(db, applicant, "letter.remind", "application",
		    l.application_id,
		    json_pack("{s:I}", "letter", (json_int_t)letter));
	return (ops_finish(db, rc));
}

int
ops_letter_cancel(
    struct db *db, int64_t letter, int64_t applicant, struct ops_error *e)
{
	struct db_letter l;
	int		 rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = own_request(db, letter, applicant, &l, e)) != OPS_OK)
		return (ops_finish(db, rc));
	if ((rc = db_letter_cancel(db, letter)) == 1)
		rc = ops_audit(db, applicant, "letter.cancel", "application",
		    l.application_id,
		    json_pack("{s:I}", "letter", (json_int_t)letter));
	return (ops_finish(db, rc));
}

/* Finds a live link's letter; OPS_TOKEN_INVALID otherwise. */
static int
by_token(struct db *db, const char *token, int64_t now, struct db_letter *l)
{
	unsigned char hash[TOKEN_HASH_LEN];
	int	      rc;

	if (token_hash(token, hash) != 0)
		return (OPS_TOKEN_INVALID);
	if ((rc = db_letter_by_token(db, hash, l)) < 0)
		return (rc);
	if (rc == 0 || strcmp(l->status, "requested") != 0 ||
	    now >= l->token_expires_at)
		return (OPS_TOKEN_INVALID);
	return (OPS_OK);
}

int
ops_letter_open(
    struct db *db, const char *token, int64_t now, struct ops_letter_request *r)
{
	struct db_letter      l;
	struct db_application a = { 0 };
	struct db_cycle	      c;
	struct db_user	      u;
	int		      rc;

	if ((rc = by_token(db, token, now, &l)) != OPS_OK)
		return (rc);
	if ((rc = db_application_by_id(db, l.application_id, &a)) != 1 ||
	    (rc = db_cycle_by_id(db, a.cycle_id, &c)) != 1 ||
	    (rc = db_user_by_id(db, a.applicant_id, &u)) != 1) {
		db_application_clear(&a);
		return (rc < 0 ? rc : DB_ERROR);
	}
	db_application_clear(&a);
	r->letter_id = l.id;
	(void)snprintf(
	    r->writer_name, sizeof(r->writer_name), "%s", l.writer_name);
	(void)snprintf(r->applicant, sizeof(r->applicant), "%s", u.name);
	(void)snprintf(r->program, sizeof(r->program), "%s", c.name);
	return (OPS_OK);
}

int
ops_letter_receive(struct db *db, const char *token, const char *sha256,
    int64_t size, int64_t now, struct ops_error *e)
{
	struct db_letter l;
	int		 rc;

	if ((rc = db_begin(db)) != 0)
		return (rc);
	if ((rc = by_token(db, token, now, &l)) != OPS_OK)
		return (ops_finish(db,
		    rc == OPS_TOKEN_INVALID
			? ops_refuse(e, rc, "token", link_gone)
			: rc));
	if ((rc = db_letter_receive(db, l.id, sha256, size)) != 1)
		return (ops_finish(db,
		    rc < 0 ? rc
			   : ops_refuse(
				 e, OPS_TOKEN_INVALID, "token", link_gone)));
	rc = ops_audit(db, 0, "letter.receive", "application", l.application_id,
	    json_pack("{s:I,s:s,s:s,s:I}", "letter", (json_int_t)l.id,
		"writer_email", l.writer_email, "sha256", sha256, "size",
		(json_int_t)size));
	return (ops_finish(db, rc));
}
