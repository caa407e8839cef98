/*
 * Tests for src/ops/mailer.c: delivery through a real command. A message
 * with a calendar invitation reaches sendmail as a multipart/mixed
 * message whose calendar part decodes to the stored text byte for byte
 * (CRLF included); a plain message stays plain; a message whose header
 * would break is never handed over, calendar or not.
 */
#include <sodium.h>

#include "ops/fixture.h"
#include "ops/mailer.h"

#define CAL                                                                    \
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\n"  \
	"UID:interview-1@example.org\r\nSEQUENCE:2\r\n"                        \
	"SUMMARY:Interview\\, panel\r\n END OF A FOLDED LINE\r\n"              \
	"END:VEVENT\r\nEND:VCALENDAR\r\n"

/* The file the test's sendmail appends every message to. */
static void
sink(struct fx *f, char *path, size_t len)
{
	(void)snprintf(path, len, "%s/mail.out", f->t.dir);
}

/* Points the settings' sendmail at the sink. */
static void
capture(struct fx *f)
{
	char path[256];

	sink(f, path, sizeof(path));
	(void)snprintf(
	    f->set.sendmail, sizeof(f->set.sendmail), "cat >> '%s'", path);
}

/* What the sink holds (the caller frees it), or "" when nothing. */
static char *
delivered(struct fx *f)
{
	char   path[256], *buf;
	FILE  *fp;
	long   n;
	size_t got;

	sink(f, path, sizeof(path));
	if ((fp = fopen(path, "r")) == NULL)
		return (strdup(""));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	got = fread(buf, 1, (size_t)n, fp);
	assert_int_equal(got, (size_t)n);
	fclose(fp);
	return (buf);
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char	   path[256];

	sink(f, path, sizeof(path));
	(void)unlink(path);
	return (fx_teardown(state));
}

/* The status of message id in the outbox, into status (and its error). */
struct status_of {
	int64_t id;
	char	status[16];
	char	error[256];
};

static int
find_status(void *arg, const struct db_mail_row *m)
{
	struct status_of *s = arg;

	if (m->id == s->id) {
		(void)snprintf(s->status, sizeof(s->status), "%s", m->status);
		(void)snprintf(s->error, sizeof(s->error), "%s", m->last_error);
	}
	return (0);
}

static struct status_of
status_of(struct fx *f, int64_t id)
{
	struct status_of s = { id, "", "" };

	assert_int_equal(
	    db_outbox_list(f->db, 0, INT64_MAX, 1000, find_status, &s), 0);
	return (s);
}

static void
test_a_calendar_message_is_delivered_whole(void **state)
{
	struct fx    *f = *state;
	unsigned char bin[1024];
	size_t	      binlen;
	char	     *out, *b64, *end, boundary[64];
	int64_t	      id;

	capture(f);
	assert_int_equal(db_outbox_insert_calendar(f->db, 0, "ada@example.org",
			     "Interview cancelled", "Dear Ada,\n\nCancelled.\n",
			     CAL, f->now, &id),
	    0);
	assert_int_equal(mailer_deliver_due(f->db, &f->set, f->now), 1);
	assert_string_equal(status_of(f, id).status, "sent");
	out = delivered(f);
	assert_non_null(strstr(out, "To: <ada@example.org>\n"));
	assert_non_null(strstr(out, "Subject: Interview cancelled\n"));
	(void)snprintf(boundary, sizeof(boundary),
	    "boundary=\"=_fellowship-%lld-0\"", (long long)id);
	assert_non_null(strstr(out, boundary));
	assert_non_null(strstr(out, "\n\nDear Ada,\n\nCancelled.\n\n--"));
	assert_non_null(strstr(out,
	    "Content-Type: text/calendar; charset=utf-8; method=CANCEL\n"));
	/* The calendar part, decoded, is the stored text exactly. */
	b64 = strstr(out, "filename=\"interview.ics\"\n\n");
	assert_non_null(b64);
	b64 += strlen("filename=\"interview.ics\"\n\n");
	end = strstr(b64, "--=_fellowship-");
	assert_non_null(end);
	assert_int_equal(
	    sodium_base642bin(bin, sizeof(bin), b64, (size_t)(end - b64), "\n",
		&binlen, NULL, sodium_base64_VARIANT_ORIGINAL),
	    0);
	assert_int_equal(binlen, strlen(CAL));
	assert_memory_equal(bin, CAL, binlen);
	/* No CR outside the encoded part: sendmail reads LF line ends. */
	*b64 = '\0';
	assert_null(strchr(out, '\r'));
	free(out);
}

static void
test_plain_mail_stays_plain_and_broken_headers_never_go(void **state)
{
	struct fx *f = *state;
	char	  *out;
	int64_t	   plain, bad, bad_cal;

	capture(f);
	assert_int_equal(
	    db_outbox_insert(f->db, 0, "bob@example.org",
		"Application received", "Dear Bob,\n", f->now, &plain),
	    0);
	assert_int_equal(
	    db_outbox_insert_calendar(f->db, 0,
		"eve@example.org\nBcc: all@example.org", "Interview booked",
		"Body\n", CAL, f->now, &bad_cal),
	    0);
	assert_int_equal(
	    db_outbox_insert(f->db, 0, "eve@example.org",
		"Subject\r\nBcc: all@example.org", "Body\n", f->now, &bad),
	    0);
	assert_int_equal(mailer_deliver_due(f->db, &f->set, f->now), 1);
	out = delivered(f);
	assert_non_null(strstr(out, "To: <bob@example.org>\n"));
	assert_non_null(
	    strstr(out, "Content-Type: text/plain; charset=utf-8\n"));
	assert_null(strstr(out, "multipart"));
	assert_null(strstr(out, "Bcc"));
	assert_null(strstr(out, "eve@"));
	free(out);
	assert_string_equal(status_of(f, plain).status, "sent");
	assert_string_equal(status_of(f, bad_cal).status, "pending");
	assert_non_null(strstr(status_of(f, bad_cal).error, "formatted"));
	assert_string_equal(status_of(f, bad).status, "pending");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_a_calendar_message_is_delivered_whole, fx_setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_plain_mail_stays_plain_and_broken_headers_never_go,
		    fx_setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
