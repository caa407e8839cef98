"""Many clients at once against one demo server.

- Rank-list edits that start from the same version (base_version): one
  wins, the others get 409 conflict and store nothing; stale and future
  base versions are refused the same way.
- Everything together, released by one barrier: raters saving their own
  sheets (all persist), two sessions of one rater saving the same sheet
  from the same version (one wins, no lost update), candidates booking
  more than the seats there are (never overbooked, never twice), and
  staff editing the rank list from the same version (one wins).

The per-feature races (two raters on one candidate, booking the last
seats) are in test_review.py and test_interviews.py.
"""
import json

import pytest

from reliability import at_once, open_sheets, rows, signed_in

CYCLE = 1
CANDIDATES = 9      # applicants competing for SEATS interview seats
SEATS = 4


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check, demo_with_open_cycle
    srv = demo_with_open_cycle(tmp_path_factory, "Concurrency cycle")
    try:
        srv.director = signed_in(srv.url, "director@demo.test")
        srv.coord = signed_in(srv.url, "coordinator@demo.test")
        # Several sessions per staff account, as several open tabs.
        srv.staff = [srv.director, srv.coord] + [
            signed_in(srv.url, e) for e in ("director@demo.test",
                                            "coordinator@demo.test")]
        srv.fac = {k: signed_in(srv.url, "faculty%d@demo.test" % k)
                   for k in range(1, 7)}
        srv.fac1_again = signed_in(srv.url, "faculty1@demo.test")
        # One after another: sign-ins are throttled per address.
        srv.pool = [signed_in(srv.url, "applicant%02d@demo.test" % (k + 1))
                    for k in range(CANDIDATES)]
    except BaseException:
        _stop_and_check(srv)
        raise
    yield srv
    _stop_and_check(srv)


def ranklist(srv):
    status, _, body = srv.coord.call("GET", "/api/cycles/%d/ranklist" % CYCLE)
    assert status == 200, body
    return body


def versions(srv):
    return rows(srv, "SELECT version, entries FROM ranklist_versions "
                "WHERE cycle_id = ? ORDER BY version", (CYCLE,))


def edit(view, k):
    """The list of view with candidates k and k+1 swapped, each entry
    with a reason naming the edit."""
    e = [{"application_id": x["application_id"],
          "do_not_rank": x["do_not_rank"]} for x in view["entries"]]
    i = k % (len(e) - 1)
    e[i], e[i + 1] = e[i + 1], e[i]
    return [dict(x, reason="Edit %d." % k) for x in e]


def put_list(client, entries, base):
    body = {"entries": entries}
    if base is not None:
        body["base_version"] = base
    return client.call("PUT", "/api/cycles/%d/ranklist" % CYCLE, body)


def check_one_list_won(srv, results, edits, base):
    """Exactly one 200 (version base + 1, stored as sent), the others
    409 conflict; returns the winner's body."""
    codes = sorted(r[0] for r in results)
    assert codes == [200] + [409] * (len(results) - 1), results
    for status, _, body in results:
        if status == 409:
            assert body["error"]["code"] == "conflict", body
    [(k, won)] = [(k, r[2]) for k, r in enumerate(results) if r[0] == 200]
    assert won["version"] == base + 1
    stored = versions(srv)
    assert [v for v, _ in stored] == list(range(1, base + 2))
    assert [(e["application_id"], e["reason"])
            for e in json.loads(stored[-1][1])] == [
        (e["application_id"], e["reason"]) for e in edits[k]]
    saves = rows(srv, "SELECT count(*) FROM audit_log WHERE action "
                 "= 'ranklist.save'")[0][0]
    assert saves == base + 1
    return won


def test_rank_list_edits_from_one_version_one_wins(demo):
    for rnd in range(3):
        view = ranklist(demo)
        base = view["version"]
        assert base == len(versions(demo))
        edits = [edit(view, rnd * 10 + k) for k in range(len(demo.staff))]
        results = at_once([
            (lambda c=c, e=e: put_list(c, e, base))
            for c, e in zip(demo.staff, edits)])
        check_one_list_won(demo, results, edits, base)
    # A base that is not the latest, older or newer, stores nothing.
    view = ranklist(demo)
    for base in (view["version"] - 1, view["version"] + 1, 0):
        status, _, body = put_list(demo.director, edit(view, 1), base)
        assert status == 409 and body["error"]["code"] == "conflict", body
        assert str(view["version"]) in body["error"]["message"]
    for bad in (-1, "3", 1.5):
        status, _, body = put_list(demo.director, edit(view, 1), bad)
        assert status in (400, 422), (bad, body)
    assert len(versions(demo)) == view["version"]
    # Without base_version the edit still applies (older clients).
    status, _, body = put_list(demo.director, edit(view, 2), None)
    assert status == 200 and body["version"] == view["version"] + 1


def interview_seats(srv):
    """The module's open cycle with CANDIDATES invited applicants and one
    day of two slots (SEATS seats); returns (application ids, slot
    ids)."""
    cid = srv.cycle
    ids = [c.call("GET", "/api/cycles/%d/application" % cid)[2][
        "application"]["id"] for c in srv.pool]
    con = srv.db()
    con.executemany("UPDATE applications SET status = 'submitted', "
                    "submitted_at = ? WHERE id = ?",
                    [(srv.now_text(), i) for i in ids])
    con.commit()
    con.close()
    status, _, body = srv.coord.call(
        "POST", "/api/cycles/%d/interview-days" % cid,
        {"day": "2099-02-12", "location": "Clinic A", "slots": [
            {"start": "09:00", "end": "10:00", "capacity": SEATS - 1},
            {"start": "10:00", "end": "11:00", "capacity": 1}]})
    assert status == 201, body
    slots = [s["id"] for s in body["day"]["slots"]]
    status, _, body = srv.coord.call(
        "POST", "/api/cycles/%d/interview-invitations" % cid,
        {"application_ids": ids})
    assert status == 200, body
    return ids, slots


def test_everything_at_once(demo):
    fac = demo.fac
    sheets = open_sheets(demo, CYCLE, fac, demo.coord, 2)
    crit = demo.director.call(
        "GET", "/api/cycles/%d/rubrics/screening" % CYCLE)[2]["rubric"][
        "criteria"]
    apps, slots = interview_seats(demo)

    def values(k):
        return {c["key"]: c["min"] + (k + i) % (c["max"] - c["min"] + 1)
                for i, c in enumerate(crit)}

    def sheet_put(client, app, body):
        return client.call(
            "PUT", "/api/applications/%d/scores/screening" % app, body)

    # The contested sheet: faculty1's second candidate, saved once first.
    contested = sheets[1][1]
    status, _, body = sheet_put(fac[1], contested, {"values": values(0)})
    assert status == 200, body
    v = body["sheet"]["version"]
    view = ranklist(demo)
    base = view["version"]
    edits = [edit(view, 100 + k) for k in range(len(demo.staff))]

    calls = []
    for k in fac:                                   # own sheets
        calls.append(lambda k=k: ("own", k, sheet_put(
            fac[k], sheets[k][0], {"values": values(k),
                                   "comment": "Own %d." % k})))
    for n, c in enumerate((fac[1], demo.fac1_again)):
        calls.append(lambda n=n, c=c: ("same", n, sheet_put(
            c, contested, {"values": values(10 + n), "version": v,
                           "comment": "Tab %d." % n})))
    for n, c in enumerate(demo.pool):               # bookings
        slot = slots[n % 2]
        calls.append(lambda n=n, c=c, slot=slot: ("book", n, c.call(
            "POST", "/api/interview-slots/%d/book" % slot)))
    for n, c in enumerate(demo.staff):              # rank list
        calls.append(lambda n=n, c=c: ("list", n, put_list(c, edits[n],
                                                           base)))
    out = at_once(calls)
    assert all(o is not None for o in out), "a client did not finish"
    by = {}
    for kind, n, result in out:
        by.setdefault(kind, []).append((n, result))

    # Own sheets: every one saved and stored as sent.
    for k, (status, _, body) in by["own"]:
        assert status == 200, (k, body)
        [(vals, comment)] = rows(
            demo, 'SELECT "values", comment FROM score_sheets WHERE '
            "application_id = ? AND rater_id = ? AND phase = 'screening'",
            (sheets[k][0], fac[k].id))
        assert json.loads(vals) == values(k) and comment == "Own %d." % k
    # The same sheet from one version: one wins, the other is told.
    same = dict(by["same"])
    assert sorted(r[0] for r in same.values()) == [200, 409], same
    [n] = [n for n, r in same.items() if r[0] == 200]
    assert same[1 - n][2]["error"]["code"] == "conflict"
    [(vals, comment, version)] = rows(
        demo, 'SELECT "values", comment, version FROM score_sheets '
        "WHERE application_id = ? AND rater_id = ? AND phase = 'screening'",
        (contested, fac[1].id))
    assert (json.loads(vals), comment, version) == (
        values(10 + n), "Tab %d." % n, v + 1)
    # Bookings: never more than the seats, nobody twice.
    booked = [n for n, r in by["book"] if r[0] == 200]
    refused = [r for n, r in by["book"] if r[0] != 200]
    assert len(booked) == SEATS, by["book"]
    assert all(r[0] in (409, 422) for r in refused), refused
    per_slot = dict(rows(demo, "SELECT slot_id, count(*) FROM "
                         "interview_invitations WHERE slot_id IN (?, ?) "
                         "GROUP BY slot_id", tuple(slots)))
    assert per_slot == {slots[0]: SEATS - 1, slots[1]: 1}
    holders = sorted(a for (a,) in rows(
        demo, "SELECT application_id FROM interview_invitations "
        "WHERE slot_id IN (?, ?)", tuple(slots)))
    assert holders == sorted(apps[n] for n in booked)
    # The rank list: one edit from the shared version won.
    results = [r for _, r in sorted(by["list"])]
    check_one_list_won(demo, results, edits, base)
