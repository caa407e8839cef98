"""Object-level access: for every route of conf/routes.conf that takes an
id, each role tries the ids of objects it must not reach — another
applicant's application, documents and letters, a waived letter, a
candidate its faculty member is conflicted with, another rater's draft,
unassigned candidates, other users' accounts, ids that do not exist and
cycles the caller may not see — and gets nothing: the status the route
documents (404 for objects, 403 for a role refused by its gate) and no
distinctive text of the object in the body. Writes must change nothing:
the staff's view of the object and the database are compared before and
after. A route with an id that has no row in CASES fails the test
(test_every_id_route_has_cases), so a new route must be given its cases.

The demo data (src/ops/demo.c, demo_review.c): applicants 01-55 hold the
submitted applications 1-55 of cycle 1; faculty2 has a conflict with the
3rd (application 3); a few screening sheets are drafts."""
import json

import pytest

from conftest import _stop_and_check
from reliability import rows
from server import Client, Server
from test_authz import route_table

NOT_FOUND = {404}
GATE = {403}
MISSING = 999999

# (route as in routes.conf, method) -> [(actor, path, body, expected
# statuses, texts the body must not contain, staff GET compared before and
# after)]. Paths and texts are format strings over the ids of the demo
# (see the demo fixture): {a_app} is applicant01's application, {b_app}
# applicant02's, {c_app} the candidate faculty2 has a conflict with,
# {d_app} a candidate whose draft sheet by {drafter} another rater
# ({peer}) has submitted next to, {u_app} a candidate faculty1 is not
# assigned to.
CASES = {
    # Only an administrator (none of these accounts is one).
    ("^/api/admin/people/[0-9]{1,18}$", "PATCH"): [
        ("director", "/api/admin/people/{b_user}", {"disabled": True}, GATE,
         [], "/api/users"),
        ("a", "/api/admin/people/{b_user}", {"disabled": True}, GATE, [],
         "/api/users"),
    ],
    ("^/api/users/[0-9]{1,18}$", "PATCH"): [
        ("coordinator", "/api/users/{director_id}", {"disabled": True},
         GATE, [], "/api/users"),
        ("coordinator", "/api/users/{coordinator_id}", {"role": "director"},
         GATE, [], "/api/users"),
        ("faculty1", "/api/users/{b_user}", {"disabled": True}, GATE, [],
         "/api/users"),
        ("a", "/api/users/{b_user}", {"disabled": True}, GATE, [],
         "/api/users"),
        ("director", "/api/users/%d" % MISSING, {"disabled": True},
         NOT_FOUND, [], "/api/users"),
    ],
    ("^/api/users/[0-9]{1,18}/invite$", "POST"): [
        ("coordinator", "/api/users/{director_id}/invite", None,
         GATE | NOT_FOUND | {409, 422}, [], "/api/outbox"),
        ("a", "/api/users/{b_user}/invite", None, GATE, [], "/api/outbox"),
        ("faculty1", "/api/users/{b_user}/invite", None, GATE, [],
         "/api/outbox"),
    ],
    ("^/api/cycles/[0-9]{1,18}$", "GET"): [
        ("a", "/api/cycles/{setup_cycle}", None, NOT_FOUND, ["{setup_name}"],
         None),
        ("faculty1", "/api/cycles/{setup_cycle}", None, NOT_FOUND,
         ["{setup_name}"], None),
        ("a", "/api/cycles/%d" % MISSING, None, NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}$", "PATCH"): [
        ("a", "/api/cycles/1", {"positions": 9}, GATE, [], "/api/cycles/1"),
        ("faculty1", "/api/cycles/1", {"positions": 9}, GATE, [],
         "/api/cycles/1"),
        ("coordinator", "/api/cycles/1", {"positions": 9}, GATE | {422},
         [], "/api/cycles/1"),
        ("director", "/api/cycles/%d" % MISSING, {"positions": 9},
         NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/application$", "GET"): [
        # applicant02 asks for the application in a cycle it has none in:
        # a new draft of its own, never applicant01's.
        ("b", "/api/cycles/{setup_cycle}/application", None, NOT_FOUND,
         ["{a_email}"], None),
        ("faculty1", "/api/cycles/1/application", None, GATE,
         ["{a_email}"], None),
        ("a", "/api/cycles/%d/application" % MISSING, None, NOT_FOUND, [],
         None),
    ],
    ("^/api/cycles/[0-9]{1,18}/application$", "PUT"): [
        ("b", "/api/cycles/{setup_cycle}/application",
         {"fields": {"first_name": "Mallory"}}, NOT_FOUND, [], None),
        ("faculty1", "/api/cycles/1/application",
         {"fields": {"first_name": "Mallory"}},
         GATE, [], "/api/applications/{a_app}"),
    ],
    # The applicant's own other applications only: applicant02's list
    # never holds applicant01's, and a copy from it is refused.
    ("^/api/cycles/[0-9]{1,18}/application/copy$", "GET"): [
        ("b", "/api/cycles/2/application/copy", None, {200},
         ["{a_email}"], None),
        ("faculty1", "/api/cycles/1/application/copy", None, GATE, [],
         None),
    ],
    ("^/api/cycles/[0-9]{1,18}/application/copy$", "POST"): [
        ("b", "/api/cycles/2/application/copy",
         {"from_application": "{a_app}"}, NOT_FOUND, ["{a_email}"], None),
        ("faculty1", "/api/cycles/2/application/copy",
         {"from_application": "{a_app}"}, GATE, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/application/submit$", "POST"): [
        ("b", "/api/cycles/{setup_cycle}/application/submit", None,
         NOT_FOUND, [], None),
        ("faculty1", "/api/cycles/1/application/submit", None, GATE, [],
         None),
    ],
    ("^/api/cycles/[0-9]{1,18}/applications$", "GET"): [
        ("a", "/api/cycles/1/applications", None, GATE, ["{b_email}"], None),
        ("faculty2", "/api/cycles/1/applications", None, {200},
         ["{c_name}"], None),
        ("faculty1", "/api/cycles/1/applications", None, {200},
         ["{u_name}"], None),
        ("faculty1", "/api/cycles/{setup_cycle}/applications", None,
         NOT_FOUND, [], None),
    ],
    ("^/api/applications/[0-9]{1,18}$", "GET"): [
        ("b", "/api/applications/{a_app}", None, NOT_FOUND,
         ["{a_email}", "{a_research}"], None),
        ("applicant", "/api/applications/{a_app}", None, NOT_FOUND,
         ["{a_email}"], None),
        ("faculty2", "/api/applications/{c_app}", None, NOT_FOUND,
         ["{c_email}"], None),
        ("faculty1", "/api/applications/{u_app}", None, NOT_FOUND,
         ["{u_email}"], None),
        ("faculty1", "/api/applications/{draft_app}", None, NOT_FOUND,
         ["{draft_email}"], None),
    ],
    ("^/api/applications/[0-9]{1,18}/documents$", "GET"): [
        ("b", "/api/applications/{a_app}/documents", None, NOT_FOUND,
         ["{a_doc_sha}"], None),
        ("faculty2", "/api/applications/{c_app}/documents", None, NOT_FOUND,
         ["{c_doc_sha}"], None),
        ("faculty1", "/api/applications/{u_app}/documents", None, NOT_FOUND,
         ["{u_doc_sha}"], None),
    ],
    ("^/api/applications/[0-9]{1,18}/documents$", "POST"): [
        ("b", "/api/applications/{a_app}/documents?kind=other", None,
         NOT_FOUND, [], "/api/applications/{a_app}/documents"),
        ("faculty1", "/api/applications/{a_app}/documents?kind=other", None,
         NOT_FOUND | GATE, [], "/api/applications/{a_app}/documents"),
    ],
    ("^/api/documents/[0-9]{1,18}$", "GET"): [
        ("b", "/api/documents/{a_doc}", None, NOT_FOUND, ["%PDF"], None),
        ("faculty2", "/api/documents/{c_doc}", None, NOT_FOUND, ["%PDF"],
         None),
        ("faculty1", "/api/documents/{u_doc}", None, NOT_FOUND, ["%PDF"],
         None),
    ],
    ("^/api/documents/[0-9]{1,18}$", "DELETE"): [
        ("b", "/api/documents/{a_doc}", None, NOT_FOUND, [],
         "/api/applications/{a_app}/documents"),
        ("faculty1", "/api/documents/{a_doc}", None, NOT_FOUND | GATE, [],
         "/api/applications/{a_app}/documents"),
        ("coordinator", "/api/documents/%d" % MISSING, None, NOT_FOUND, [],
         None),
    ],
    ("^/api/applications/[0-9]{1,18}/letters$", "GET"): [
        ("b", "/api/applications/{a_app}/letters", None, NOT_FOUND,
         ["{a_writer_email}"], None),
        ("faculty2", "/api/applications/{c_app}/letters", None, NOT_FOUND,
         ["{c_writer_email}"], None),
        ("faculty1", "/api/applications/{u_app}/letters", None, NOT_FOUND,
         ["{u_writer_email}"], None),
    ],
    ("^/api/applications/[0-9]{1,18}/letters$", "POST"): [
        ("b", "/api/applications/{a_app}/letters",
         {"writer_name": "Dr. Mallory", "writer_email": "m@example.org",
          "waived": False}, NOT_FOUND, [],
         "/api/applications/{a_app}/letters"),
        ("faculty1", "/api/applications/{a_app}/letters",
         {"writer_name": "Dr. Mallory", "writer_email": "m@example.org",
          "waived": False}, NOT_FOUND | GATE, [],
         "/api/applications/{a_app}/letters"),
    ],
    ("^/api/letters/[0-9]{1,18}/(remind|cancel)$", "POST"): [
        ("b", "/api/letters/{a_letter_open}/cancel", None, NOT_FOUND, [],
         "/api/applications/{a_app}/letters"),
        ("b", "/api/letters/{a_letter_open}/remind", None, NOT_FOUND, [],
         "/api/outbox"),
        ("faculty1", "/api/letters/{a_letter_open}/cancel", None,
         NOT_FOUND | GATE, [], "/api/applications/{a_app}/letters"),
    ],
    ("^/api/letters/[0-9]{1,18}/file$", "GET"): [
        # Waived or not, the applicant never reads a letter's content.
        ("a", "/api/letters/{a_letter_waived}/file", None, NOT_FOUND,
         ["%PDF"], None),
        ("a", "/api/letters/{a_letter_open_received}/file", None,
         NOT_FOUND, ["%PDF"], None),
        ("b", "/api/letters/{a_letter_waived}/file", None, NOT_FOUND,
         ["%PDF"], None),
        ("faculty2", "/api/letters/{c_letter}/file", None, NOT_FOUND,
         ["%PDF"], None),
        ("faculty1", "/api/letters/{u_letter}/file", None, NOT_FOUND,
         ["%PDF"], None),
    ],
    ("^/api/applications/[0-9]{1,18}/withdraw$", "POST"): [
        ("b", "/api/applications/{a_app}/withdraw", None, NOT_FOUND, [],
         "/api/applications/{a_app}"),
        ("faculty1", "/api/applications/{a_app}/withdraw", None,
         NOT_FOUND | GATE, [], "/api/applications/{a_app}"),
    ],
    ("^/api/applications/[0-9]{1,18}/reopen$", "POST"): [
        ("a", "/api/applications/{a_app}/reopen", None, GATE, [],
         "/api/applications/{a_app}"),
        ("faculty1", "/api/applications/{a_app}/reopen", None, GATE, [],
         "/api/applications/{a_app}"),
    ],
    ("^/api/cycles/[0-9]{1,18}/rubrics/(screening|interview)$", "GET"): [
        ("a", "/api/cycles/1/rubrics/screening", None, GATE, [], None),
        ("faculty1", "/api/cycles/{setup_cycle}/rubrics/screening", None,
         NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/rubrics/(screening|interview)$", "PUT"): [
        ("faculty1", "/api/cycles/{setup_cycle}/rubrics/screening",
         {"criteria": []}, GATE | NOT_FOUND | {400}, [], None),
        ("coordinator", "/api/cycles/1/rubrics/screening", {"criteria": []},
         GATE | {400}, [], "/api/cycles/1/rubrics/screening"),
    ],
    ("^/api/cycles/[0-9]{1,18}/phases$", "GET"): [
        ("a", "/api/cycles/1/phases", None, GATE, [], None),
        ("faculty1", "/api/cycles/{setup_cycle}/phases", None, NOT_FOUND,
         [], None),
        ("faculty1", "/api/cycles/%d/phases" % MISSING, None, NOT_FOUND, [],
         None),
    ],
    ("^/api/cycles/[0-9]{1,18}/phases/(screening|interview)$", "PATCH"): [
        ("faculty1", "/api/cycles/1/phases/screening", {"open": False},
         GATE, [], "/api/cycles/1/phases"),
        ("director", "/api/cycles/%d/phases/screening" % MISSING,
         {"open": False}, NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/conflicts$", "GET"): [
        ("a", "/api/cycles/1/conflicts", None, GATE, ["{c_name}"], None),
        # faculty2 sees its own declaration, not the candidate among the
        # others (checked in test_conflicted_candidate_is_hidden_everywhere).
        ("faculty1", "/api/cycles/{setup_cycle}/conflicts", None, NOT_FOUND,
         [], None),
    ],
    ("^/api/applications/[0-9]{1,18}/conflicts$", "POST"): [
        ("a", "/api/applications/{b_app}/conflicts", {"reason": "x"}, GATE,
         [], "/api/cycles/1/conflicts"),
        ("faculty1", "/api/applications/%d/conflicts" % MISSING,
         {"reason": "x"}, NOT_FOUND | {422}, [], "/api/cycles/1/conflicts"),
        ("faculty1", "/api/applications/{draft_app}/conflicts",
         {"reason": "x"}, NOT_FOUND | {422}, [], "/api/cycles/1/conflicts"),
    ],
    ("^/api/conflicts/[0-9]{1,18}$", "DELETE"): [
        ("faculty2", "/api/conflicts/{c_conflict}", None, GATE, [],
         "/api/cycles/1/conflicts"),
        ("a", "/api/conflicts/{c_conflict}", None, GATE, [],
         "/api/cycles/1/conflicts"),
    ],
    # A conflict declared after scoring closed: only staff decide it
    # (the rater who declared it included; test_late_conflicts.py has
    # the real ones), and a request that does not exist is not found.
    ("^/api/conflict-requests/[0-9]{1,18}$", "POST"): [
        ("faculty2", "/api/conflict-requests/1", {"decision": "accept"},
         GATE, [], "/api/cycles/1/conflicts"),
        ("a", "/api/conflict-requests/1", {"decision": "decline"}, GATE,
         [], "/api/cycles/1/conflicts"),
        ("coordinator", "/api/conflict-requests/%d" % MISSING,
         {"decision": "accept"}, NOT_FOUND, [], "/api/cycles/1/conflicts"),
    ],
    ("^/api/cycles/[0-9]{1,18}/assignments$", "GET"): [
        ("faculty2", "/api/cycles/1/assignments", None, {200}, ["{c_name}"],
         None),
        ("faculty1", "/api/cycles/1/assignments?faculty_id={faculty2_id}",
         None, GATE, ["{c_name}"], None),
        ("faculty1", "/api/cycles/{setup_cycle}/assignments", None,
         NOT_FOUND, [], None),
        ("a", "/api/cycles/1/assignments", None, GATE, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/assignments$", "PUT"): [
        ("faculty2", "/api/cycles/1/assignments",
         {"assignments": [{"faculty_id": "{faculty2_id}",
                           "application_id": "{c_app}",
                           "phase": "screening"}]}, GATE, [],
         "/api/cycles/1/assignments"),
    ],
    ("^/api/cycles/[0-9]{1,18}/assignments/auto$", "POST"): [
        ("faculty1", "/api/cycles/1/assignments/auto", {}, GATE, [],
         "/api/cycles/1/assignments"),
    ],
    ("^/api/cycles/[0-9]{1,18}/reminders$", "POST"): [
        ("faculty1", "/api/cycles/1/reminders", {"phase": "screening"},
         GATE, [], "/api/outbox"),
    ],
    ("^/api/applications/[0-9]{1,18}/scores/(screening|interview)$",
     "GET"): [
        ("faculty2", "/api/applications/{c_app}/scores/screening", None,
         NOT_FOUND, ["{c_name}"], None),
        ("faculty1", "/api/applications/{u_app}/scores/screening", None,
         NOT_FOUND, [], None),
        # The peer's own sheet only, never the drafter's.
        ("peer", "/api/applications/{d_app}/scores/screening", None,
         {200}, ["{draft_comment}"], None),
    ],
    ("^/api/applications/[0-9]{1,18}/scores/(screening|interview)$",
     "PUT"): [
        ("faculty2", "/api/applications/{c_app}/scores/screening",
         {"values": {}, "comment": "mallory", "submit": False}, NOT_FOUND,
         [], "/api/applications/{c_app}/scores/screening/all"),
        ("faculty1", "/api/applications/{u_app}/scores/screening",
         {"values": {}, "comment": "mallory", "submit": False}, NOT_FOUND,
         [], "/api/applications/{u_app}/scores/screening/all"),
    ],
    ("^/api/applications/[0-9]{1,18}/scores/(screening|interview)/all$",
     "GET"): [
        ("faculty2", "/api/applications/{c_app}/scores/screening/all", None,
         NOT_FOUND, ["{c_name}"], None),
        ("faculty1", "/api/applications/{u_app}/scores/screening/all", None,
         NOT_FOUND, [], None),
        # The peer has submitted; it sees submitted sheets, not the draft.
        ("peer", "/api/applications/{d_app}/scores/screening/all", None,
         {200}, ["{draft_comment}", "\"rater_id\": {drafter_id},"], None),
        # The drafter has not submitted: nothing of the others.
        ("drafter", "/api/applications/{d_app}/scores/screening/all", None,
         GATE, ["{peer_comment}"], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/interview-days$", "GET"): [
        ("b", "/api/cycles/1/interview-days", None, {200},
         ["{booked_name}"], None),
        ("faculty2", "/api/cycles/1/interview-days", None, {200},
         ["{c_name}"], None),
        ("a", "/api/cycles/{setup_cycle}/interview-days", None, NOT_FOUND,
         [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/interview-days$", "POST"): [
        ("faculty1", "/api/cycles/1/interview-days",
         {"date": "2099-02-02", "slots": []}, GATE, [],
         "/api/cycles/1/interview-days"),
    ],
    ("^/api/interview-days/[0-9]{1,18}$", "DELETE"): [
        ("faculty1", "/api/interview-days/{future_day}", None, GATE, [],
         "/api/cycles/1/interview-days"),
        ("a", "/api/interview-days/{future_day}", None, GATE, [],
         "/api/cycles/1/interview-days"),
    ],
    ("^/api/cycles/[0-9]{1,18}/interview-invitations$", "GET"): [
        ("faculty1", "/api/cycles/1/interview-invitations", None, GATE,
         ["{booked_name}"], None),
        ("a", "/api/cycles/1/interview-invitations", None, GATE,
         ["{booked_name}"], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/interview-invitations$", "POST"): [
        ("faculty1", "/api/cycles/1/interview-invitations",
         {"application_ids": ["{u_app}"]}, GATE, [],
         "/api/cycles/1/interview-invitations"),
    ],
    ("^/api/interview-slots/[0-9]{1,18}/book$", "POST"): [
        # Not invited: no booking, however free the slot.
        ("b", "/api/interview-slots/{future_slot}/book", None, NOT_FOUND,
         [], "/api/cycles/1/interview-invitations"),
        ("faculty1", "/api/interview-slots/{future_slot}/book", None, GATE,
         [], "/api/cycles/1/interview-invitations"),
        ("invited", "/api/interview-slots/%d/book" % MISSING, None,
         NOT_FOUND, [], "/api/cycles/1/interview-invitations"),
    ],
    ("^/api/cycles/[0-9]{1,18}/interview-booking/cancel$", "POST"): [
        # Someone else's booking cannot be named: the route cancels the
        # caller's own, and applicant02 has none.
        ("b", "/api/cycles/1/interview-booking/cancel", None, NOT_FOUND, [],
         "/api/cycles/1/interview-invitations"),
        ("faculty1", "/api/cycles/1/interview-booking/cancel", None, GATE,
         [], "/api/cycles/1/interview-invitations"),
    ],
    ("^/api/cycles/[0-9]{1,18}/interview-waitlist$", "POST"): [
        ("b", "/api/cycles/1/interview-waitlist", None, NOT_FOUND, [],
         "/api/cycles/1/interview-invitations"),
        ("invited", "/api/cycles/{setup_cycle}/interview-waitlist", None,
         NOT_FOUND, [], "/api/cycles/1/interview-invitations"),
    ],
    ("^/api/cycles/[0-9]{1,18}/interview-waitlist$", "DELETE"): [
        ("b", "/api/cycles/1/interview-waitlist", None, NOT_FOUND, [],
         "/api/cycles/1/interview-invitations"),
    ],
    ("^/api/applications/[0-9]{1,18}/interview\\.ics$", "GET"): [
        # Another candidate's booked interview, the caller's own
        # application without a booking, and no application at all.
        ("b", "/api/applications/{booked_app}/interview.ics", None,
         NOT_FOUND, ["{booked_name}", "BEGIN:VCALENDAR"], None),
        ("invited", "/api/applications/{booked_app}/interview.ics", None,
         NOT_FOUND, ["{booked_name}", "BEGIN:VCALENDAR"], None),
        ("b", "/api/applications/{b_app}/interview.ics", None, NOT_FOUND,
         ["BEGIN:VCALENDAR"], None),
        ("a", "/api/applications/%d/interview.ics" % MISSING, None,
         NOT_FOUND, [], None),
        ("faculty1", "/api/applications/{booked_app}/interview.ics", None,
         GATE, ["{booked_name}", "BEGIN:VCALENDAR"], None),
        ("coordinator", "/api/applications/{booked_app}/interview.ics",
         None, GATE, ["BEGIN:VCALENDAR"], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranking$", "GET"): [
        ("faculty1", "/api/cycles/1/ranking", None, GATE, ["{u_name}"],
         None),
        ("a", "/api/cycles/1/ranking", None, GATE, ["{b_name}"], None),
        ("director", "/api/cycles/%d/ranking" % MISSING, None, NOT_FOUND,
         [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranking/depth$", "GET"): [
        ("faculty1", "/api/cycles/1/ranking/depth", None, GATE,
         ["{u_name}"], None),
        ("a", "/api/cycles/1/ranking/depth", None, GATE, ["{b_name}"], None),
        ("director", "/api/cycles/%d/ranking/depth" % MISSING, None,
         NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranking/sensitivity$", "GET"): [
        ("faculty1", "/api/cycles/1/ranking/sensitivity", None, GATE,
         ["{u_name}"], None),
        ("a", "/api/cycles/1/ranking/sensitivity", None, GATE, ["{b_name}"],
         None),
        ("director", "/api/cycles/%d/ranking/sensitivity" % MISSING, None,
         NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranklist$", "GET"): [
        ("faculty1", "/api/cycles/1/ranklist", None, GATE, ["{u_name}"],
         None),
        ("director", "/api/cycles/%d/ranklist" % MISSING, None, NOT_FOUND,
         [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranklist$", "PUT"): [
        ("faculty1", "/api/cycles/1/ranklist", {"entries": []}, GATE, [],
         "/api/cycles/1/ranklist"),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranklist/certify$", "POST"): [
        ("coordinator", "/api/cycles/1/ranklist/certify", None, GATE, [],
         "/api/cycles/1/ranklist"),
        ("faculty1", "/api/cycles/1/ranklist/certify", None, GATE, [],
         "/api/cycles/1/ranklist"),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranklist/reopen$", "POST"): [
        ("coordinator", "/api/cycles/1/ranklist/reopen", {"reason": "x"},
         GATE, [], "/api/cycles/1/ranklist"),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranklist/readiness$", "GET"): [
        ("faculty1", "/api/cycles/1/ranklist/readiness", None, GATE,
         ["{u_name}"], None),
        ("director", "/api/cycles/%d/ranklist/readiness" % MISSING, None,
         NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranklist/versions$", "GET"): [
        ("faculty1", "/api/cycles/1/ranklist/versions", None, GATE, [],
         None),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranklist/diff$", "GET"): [
        ("faculty1", "/api/cycles/1/ranklist/diff?from=1&to=1", None, GATE,
         [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/ranklist\\.csv$", "GET"): [
        ("faculty1", "/api/cycles/1/ranklist.csv?id=aamc", None, GATE,
         ["{b_aamc}"], None),
        ("a", "/api/cycles/1/ranklist.csv?id=aamc", None, GATE,
         ["{b_aamc}"], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/applications/scores$", "GET"): [
        ("faculty1", "/api/cycles/1/applications/scores", None, GATE, [],
         None),
        ("a", "/api/cycles/1/applications/scores", None, GATE, [], None),
        ("director", "/api/cycles/%d/applications/scores" % MISSING, None,
         NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/applications\\.csv$", "GET"): [
        ("faculty1", "/api/cycles/1/applications.csv", None, GATE,
         ["{b_email}"], None),
        ("a", "/api/cycles/1/applications.csv", None, GATE, ["{b_email}"],
         None),
        ("coordinator", "/api/cycles/%d/applications.csv" % MISSING, None,
         NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/export\\.json$", "GET"): [
        ("faculty1", "/api/cycles/1/export.json", None, GATE,
         ["{b_email}"], None),
        ("a", "/api/cycles/1/export.json", None, GATE, ["{b_email}"], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/meeting$", "GET"): [
        ("faculty1", "/api/cycles/1/meeting", None, GATE, [], None),
        ("a", "/api/cycles/1/meeting", None, GATE, [], None),
        ("director", "/api/cycles/%d/meeting" % MISSING, None, NOT_FOUND,
         [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/meeting$", "POST"): [
        ("coordinator", "/api/cycles/1/meeting", None, GATE, [],
         "/api/cycles/1/meeting"),
        ("faculty1", "/api/cycles/1/meeting", None, GATE, [],
         "/api/cycles/1/meeting"),
        ("director", "/api/cycles/%d/meeting" % MISSING, None, NOT_FOUND,
         [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/meeting/end$", "POST"): [
        ("coordinator", "/api/cycles/1/meeting/end", None, GATE, [],
         "/api/cycles/1/meeting"),
        ("director", "/api/cycles/%d/meeting/end" % MISSING, None,
         NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/meeting/items/[0-9]{1,18}$", "POST"): [
        ("coordinator", "/api/cycles/1/meeting/items/1",
         {"discussed": True}, GATE, [], "/api/cycles/1/meeting"),
        ("director", "/api/cycles/%d/meeting/items/1" % MISSING,
         {"discussed": True}, NOT_FOUND, [], None),
    ],
    ("^/api/cycles/[0-9]{1,18}/meetings$", "GET"): [
        ("faculty1", "/api/cycles/1/meetings", None, GATE, [], None),
        ("director", "/api/cycles/%d/meetings" % MISSING, None, NOT_FOUND,
         [], None),
    ],
}


def id_routes():
    """(route, method) of every route in routes.conf that takes an id."""
    return {(r, m) for r, ms in route_table() for m in ms
            if "[0-9]{1,18}" in r}


def test_every_id_route_has_cases():
    declared = id_routes()
    assert declared == set(CASES), (
        "id routes without cases: %s; cases without a route: %s" %
        (declared - set(CASES), set(CASES) - declared))


def snapshot(srv):
    """Every table an id route writes, to compare around the refusals."""
    return {t: rows(srv, "SELECT * FROM %s ORDER BY 1" % t) for t in (
        "users", "cycles", "applications", "documents", "letters",
        "conflicts", "conflict_requests", "assignments", "score_sheets",
        "score_changes",
        "interview_days", "interview_slots", "interview_invitations",
        "ranklist_versions", "outbox", "phases", "rubrics",
        "rank_meetings", "rank_meeting_items", "rank_meeting_changes")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    try:
        yield srv, demo_ids(srv)
    finally:
        _stop_and_check(srv)


def demo_ids(srv):
    """The ids and distinctive texts CASES refers to, with a signed-in
    client per actor in ids["clients"]."""
    one = lambda sql, *a: rows(srv, sql, a)[0][0]  # noqa: E731
    ids = {}
    users = dict(rows(srv, "SELECT email, id FROM users"))
    ids["director_id"] = users["director@demo.test"]
    ids["coordinator_id"] = users["coordinator@demo.test"]
    ids["faculty1_id"] = users["faculty1@demo.test"]
    ids["faculty2_id"] = users["faculty2@demo.test"]
    ids["b_user"] = users["applicant02@demo.test"]

    def app_texts(key, app):
        fields = json.loads(one("SELECT fields FROM applications "
                                "WHERE id = ?", app))
        ids[key + "_app"] = app
        ids[key + "_email"] = fields["email"]
        ids[key + "_name"] = "%s %s" % (fields["first_name"],
                                        fields["last_name"])
        ids[key + "_research"] = fields.get("research_summary", "-")
        ids[key + "_aamc"] = fields.get("aamc_id", "-")
        docs = rows(srv, "SELECT id, sha256 FROM documents "
                 "WHERE application_id = ? ORDER BY id", (app,))
        if docs:
            ids[key + "_doc"], ids[key + "_doc_sha"] = docs[0]
        letters = rows(srv, "SELECT id, writer_email FROM letters WHERE "
                    "application_id = ? AND status = 'received' "
                    "ORDER BY id", (app,))
        if letters:
            ids[key + "_letter"], ids[key + "_writer_email"] = letters[0]

    def app_of(email):
        return one("SELECT a.id FROM applications a JOIN users u ON "
                   "u.id = a.applicant_id WHERE u.email = ? AND "
                   "a.cycle_id = 1", email)

    app_texts("a", app_of("applicant01@demo.test"))
    app_texts("b", app_of("applicant02@demo.test"))
    app_texts("c", one("SELECT application_id FROM conflicts WHERE "
                       "faculty_id = ?", ids["faculty2_id"]))
    ids["c_conflict"] = one("SELECT id FROM conflicts WHERE faculty_id = ?",
                            ids["faculty2_id"])
    # A submitted candidate faculty1 is assigned to in no phase.
    app_texts("u", one(
        "SELECT id FROM applications WHERE cycle_id = 1 AND status = "
        "'submitted' AND id NOT IN (SELECT application_id FROM assignments "
        "WHERE faculty_id = ?) ORDER BY id", ids["faculty1_id"]))
    app_texts("draft", one("SELECT id FROM applications WHERE cycle_id = 1 "
                           "AND status = 'draft' ORDER BY id"))
    ids["a_letter_waived"] = one(
        "SELECT id FROM letters WHERE application_id = ? AND waived = 1 "
        "AND status = 'received'", ids["a_app"])
    ids["a_letter_open_received"] = one(
        "SELECT id FROM letters WHERE application_id = ? AND waived = 0 "
        "AND status = 'received'", ids["a_app"])
    ids["a_letter_open"] = one(
        "SELECT id FROM letters WHERE application_id = ? AND status = "
        "'requested'", ids["a_app"])
    # A draft screening sheet next to a submitted one by another rater;
    # both are given a comment no one else may read.
    d_app, drafter, peer, draft_sheet, peer_sheet = rows(srv, (
        "SELECT d.application_id, d.rater_id, p.rater_id, d.id, p.id "
        "FROM score_sheets d JOIN score_sheets p ON p.application_id = "
        "d.application_id AND p.phase = d.phase AND p.status = 'submitted' "
        "WHERE d.status = 'draft' AND d.phase = 'screening' "
        "ORDER BY d.id LIMIT 1"))[0]
    ids.update(d_app=d_app, drafter_id=drafter, peer_id=peer,
               draft_comment="draft-note-%d" % draft_sheet,
               peer_comment="peer-note-%d" % peer_sheet)
    con = srv.db()
    with con:
        con.execute("UPDATE score_sheets SET comment = ? WHERE id = ?",
                    (ids["draft_comment"], draft_sheet))
        con.execute("UPDATE score_sheets SET comment = ? WHERE id = ?",
                    (ids["peer_comment"], peer_sheet))
    con.close()
    booked = json.loads(one(
        "SELECT a.fields FROM interview_invitations i "
        "JOIN applications a ON a.id = i.application_id "
        "WHERE i.slot_id IS NOT NULL AND a.id != ? ORDER BY a.id",
        ids["b_app"]))
    ids["booked_name"] = "%s %s" % (booked["first_name"],
                                    booked["last_name"])
    ids["booked_app"] = one(
        "SELECT a.id FROM interview_invitations i JOIN applications a ON "
        "a.id = i.application_id WHERE i.slot_id IS NOT NULL AND a.id != ? "
        "ORDER BY a.id", ids["b_app"])
    invited = one("SELECT u.email FROM interview_invitations i JOIN "
                  "applications a ON a.id = i.application_id JOIN users u "
                  "ON u.id = a.applicant_id WHERE i.slot_id IS NULL "
                  "ORDER BY a.id")
    ids["future_day"], ids["future_slot"] = rows(srv, (
        "SELECT d.id, s.id FROM interview_days d JOIN interview_slots s ON "
        "s.day_id = d.id ORDER BY d.day DESC, s.id LIMIT 1"))[0]

    def emails(k):
        return "faculty%d@demo.test" % k
    accounts = {"a": "applicant01@demo.test", "b": "applicant02@demo.test",
                "applicant": "applicant@demo.test", "invited": invited,
                "faculty1": emails(1), "faculty2": emails(2),
                "coordinator": "coordinator@demo.test",
                "director": "director@demo.test"}
    by_id = {v: k for k, v in users.items()}
    accounts["drafter"] = by_id[drafter]
    accounts["peer"] = by_id[peer]
    clients = {}
    for actor, email in accounts.items():
        c = Client(srv.url)
        status, body = c.login(email)
        assert status == 200, (actor, body)
        clients[actor] = c
    # A cycle in setup, which no applicant or faculty member may see.
    ids["setup_name"] = "Hidden setup cycle"
    status, _, body = clients["director"].call("POST", "/api/cycles", {
        "year": 2029, "name": ids["setup_name"],
        "applications_open": "2098-01-01",
        "applications_close": "2098-06-01",
        "interviews_start": "2098-07-01", "interviews_end": "2098-08-01",
        "ranklist_due": "2098-09-01"})
    assert status == 201, body
    ids["setup_cycle"] = body["cycle"]["id"]
    ids["clients"] = clients
    return ids


def fill(value, ids):
    """value with its format strings filled from ids; a string that is
    exactly one "{name}" becomes the id itself (a number in JSON)."""
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and \
                value[1:-1] in ids and value.count("{") == 1:
            return ids[value[1:-1]]
        return value.format(**ids)
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def text_of(payload):
    if isinstance(payload, bytes):
        return payload.decode("latin-1")
    return json.dumps(payload, ensure_ascii=False)


def test_objects_out_of_reach(demo):
    srv, ids = demo
    clients = ids["clients"]
    staff = clients["director"]
    before = snapshot(srv)
    failures = []
    for (route, method), cases in CASES.items():
        for actor, path, body, expected, hidden, watch in cases:
            path = fill(path, ids)
            watched = None
            if watch:
                watch = fill(watch, ids)
                watched = staff.call("GET", watch)
                assert watched[0] == 200, (watch, watched[0])
            status, _, payload = clients[actor].call(
                method, path, fill(body, ids))
            what = "%s %s as %s" % (method, path, actor)
            if status not in expected:
                failures.append("%s: %d, expected %s" %
                                (what, status, sorted(expected)))
            text = text_of(payload)
            for h in hidden:
                h = str(fill(h, ids))
                if h in text:
                    failures.append("%s: the body shows %r" % (what, h))
            if watched is not None:
                after = staff.call("GET", watch)
                if text_of(after[2]) != text_of(watched[2]):
                    failures.append("%s changed %s" % (what, watch))
    after = snapshot(srv)
    for t in before:
        if before[t] != after[t]:
            failures.append("table %s changed" % t)
    assert not failures, "\n".join(failures)


def test_waived_letter_metadata_only(demo):
    """The applicant sees who was asked and whether each letter arrived
    (SPEC: letters), never the letter itself nor its size."""
    srv, ids = demo
    status, _, body = ids["clients"]["a"].call(
        "GET", "/api/applications/%d/letters" % ids["a_app"])
    assert status == 200
    waived = [l for l in body["letters"] if l["id"] == ids["a_letter_waived"]]
    assert waived and waived[0]["status"] == "received"
    assert set(waived[0]) <= {"id", "writer_name", "writer_email", "waived",
                              "status", "requested_at", "reminded_at",
                              "received_at"}


def test_conflicted_candidate_is_hidden_everywhere(demo):
    """faculty2 reads its own declaration, but the conflicted candidate is
    not among the candidates offered, nor in any list it can read."""
    srv, ids = demo
    f2 = ids["clients"]["faculty2"]
    status, _, body = f2.call("GET", "/api/cycles/1/conflicts")
    assert status == 200
    assert ids["c_app"] not in [c["application_id"]
                                for c in body["candidates"]]
    for path in ("/api/cycles/1/applications?q=%s" %
                 ids["c_name"].split()[-1].encode("ascii", "ignore")
                 .decode(),
                 "/api/cycles/1/assignments?phase=interview",
                 "/api/home"):
        status, _, body = f2.call("GET", path)
        assert status in (200, 400), (path, status)
        assert ids["c_name"] not in text_of(body), path
