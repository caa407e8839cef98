/*
 * What the staff read about the program's own workings, and the health
 * check: the audit log and the mail outbox, a page at a time, newest
 * first, and whether the database answers.
 *
 * Results as every operation's (ops/common.h); views are new references
 * the caller owns.
 */
#ifndef FELLOW_OPS_SYSTEM_H
#define FELLOW_OPS_SYSTEM_H

#include <stdint.h>

#include <jansson.h>

#include "core/settings.h"
#include "ops/common.h"

/* Pages of the audit log and of the outbox. */
#define OPS_LOG_PAGE_DEFAULT 50
#define OPS_LOG_PAGE_MAX     200

/*
 * GET /api/health: {status:"ok"} into *out when the database answers;
 * OPS_EBUSY when it does not (whatever the reason: the check exists to
 * tell a balancer to wait), or OPS_ENOMEM.
 */
int ops_health(struct db *, json_t **out);

/*
 * GET /api/audit: up to limit (1..OPS_LOG_PAGE_MAX) records with ids below
 * before, newest first, as {entries:[{id,at,actor,action,object,detail,
 * text,lines,object_name,timezone}], next_before} (null on the last page;
 * actor null for the operator or the system). text is the record in words
 * with names ("Dr. Lund submitted the interview sheet for Amara Dvořák"),
 * lines its details as [{label,text[,when]}] (core/auditlog.h), timezone
 * the zone of the object's cycle (null when it has none). Staff only
 * (OPS_FORBIDDEN); OPS_INVALID for a page out of range.
 */
int ops_audit_list(struct db *, struct ops_actor, int64_t before, int64_t limit,
    json_t **out, struct ops_error *);

/*
 * GET /api/outbox: as ops_audit_list() for the mail, {messages:[{id,to,
 * subject,status,attempts,created_at,sent_at,last_error[,body,calendar]}],
 * next_before, held, bodies, public_url}. held: mail is kept in the outbox
 * (set's SENDMAIL=none); bodies, and body and calendar (the iCalendar text
 * attached, or null) in each message, only where core/access.c
 * access_mail_bodies() allows it; public_url the installation's address
 * (PUBLIC_URL), the only links the page follows.
 */
int ops_outbox_list(struct db *, const struct settings *, struct ops_actor,
    int64_t before, int64_t limit, json_t **out, struct ops_error *);

#endif
