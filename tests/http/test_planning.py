"""The director's planning tools against the real server, on the demo
cycle at the interview stage (cycle 1, two positions): how deep to rank
(GET .../ranking/depth) and how the positions move with the weights
(GET .../ranking/sensitivity)."""
import pytest

from server import Client, Server

CYCLE = 1
DEPTH = "/api/cycles/%d/ranking/depth" % CYCLE
SENS = "/api/cycles/%d/ranking/sensitivity" % CYCLE


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    srv.director = Client(srv.url)
    assert srv.director.login("director@demo.test")[0] == 200
    srv.coord = Client(srv.url)
    assert srv.coord.login("coordinator@demo.test")[0] == 200
    yield srv
    _stop_and_check(srv)


def get(client, path):
    status, _, body = client.call("GET", path)
    assert status == 200, body
    return body


# How deep to rank ---------------------------------------------------------

def test_depth_answers_the_model_with_its_assumptions(demo):
    body = get(demo.director, DEPTH)
    assert body["cycle_id"] == CYCLE and body["positions"] == 2
    assert "not a prediction" in body["model"]
    assert "deferred acceptance" in body["assumptions"]
    assert "NRMP" in body["sources"] and "conservative" in body["sources"]
    ranking = get(demo.director, "/api/cycles/%d/ranking" % CYCLE)
    pool = sum(1 for c in ranking["candidates"] if c["in_list"])
    assert body["pool"] == pool > 0
    # No list saved yet: the computed one ranks the whole pool.
    assert body["current_length"] == pool == body["list_length"]
    p = body["parameters"]
    assert p == body["defaults"]
    assert (p["p_first"], p["p_elsewhere_top"], p["p_elsewhere_bottom"],
            p["target"], p["trials"], p["seed"]) == (
                0.2, 0.85, 0.5, 0.95, 20000, 1)
    assert p["span"] == pool and p["max_length"] == max(pool, 6)
    rows = body["rows"]
    assert [r["length"] for r in rows] == list(range(2, p["max_length"] + 1))
    fills = [r["p_fill"] for r in rows]
    assert fills == sorted(fills) and 0 <= fills[0] < fills[-1] <= 1
    assert all(0 <= r["expected_filled"] <= 2 for r in rows)
    best = body["recommended_length"]
    assert best is not None
    i = best - 2
    assert rows[i]["p_fill"] >= 0.95 and (i == 0 or rows[i - 1]["p_fill"] < 0.95)
    assert body["at_list_length"]["length"] == pool
    assert body["at_list_length"]["p_fill"] == rows[pool - 2]["p_fill"]
    assert str(best) in body["summary"]


def test_depth_takes_the_directors_assumptions(demo):
    body = get(demo.coord, DEPTH + "?p_first=1&p_elsewhere_top=1"
               "&p_elsewhere_bottom=1&target=0.99&trials=500&seed=3"
               "&list_length=4")
    p = body["parameters"]
    assert (p["p_first"], p["target"], p["trials"], p["seed"]) == (
        1.0, 0.99, 500, 3)
    assert body["defaults"]["p_first"] == 0.2
    # Everyone ranks the program first: two fill two positions.
    assert body["rows"][0] == {"length": 2, "p_fill": 1.0,
                               "expected_filled": 2.0}
    assert body["recommended_length"] == 2
    assert body["list_length"] == 4
    assert body["at_list_length"]["p_fill"] == 1.0
    # Nobody available: no length reaches the target.
    body = get(demo.coord, DEPTH + "?p_first=0&p_elsewhere_top=1"
               "&p_elsewhere_bottom=1&trials=100")
    assert body["recommended_length"] is None
    assert all(r["p_fill"] == 0 for r in body["rows"])
    # A list shorter than the positions cannot fill them.
    body = get(demo.coord, DEPTH + "?list_length=1&trials=100")
    assert body["at_list_length"] is None
    # A long list asked about is simulated too.
    body = get(demo.coord, DEPTH + "?list_length=80&trials=100")
    assert body["parameters"]["max_length"] == 80
    assert body["rows"][-1]["length"] == 80


def test_depth_is_the_same_for_the_same_data(demo):
    a = get(demo.director, DEPTH + "?trials=2000")
    b = get(demo.coord, DEPTH + "?trials=2000")
    assert a == b
    c = get(demo.director, DEPTH + "?trials=2000&seed=2")
    assert [r["p_fill"] for r in c["rows"]] != [r["p_fill"] for r in a["rows"]]


@pytest.mark.parametrize("query,field", [
    ("p_first=1.5", "p_first"),
    ("p_first=-0.1", "p_first"),
    ("p_first=abc", "p_first"),
    ("p_first=nan", "p_first"),
    ("p_elsewhere_top=2", "p_elsewhere_top"),
    ("p_elsewhere_bottom=0x", "p_elsewhere_bottom"),
    ("target=0.3", "target"),
    ("target=1", "target"),
    ("trials=99", "trials"),
    ("trials=50001", "trials"),
    ("trials=1.5", "trials"),
    ("seed=-1", "seed"),
    ("seed=99999999999", "seed"),
    ("list_length=501", "list_length"),
    ("list_length=ten", "list_length"),
    # Given but empty, bare, or longer than the route's validator keeps:
    # refused, not taken as the default.
    ("trials=", "trials"),
    ("p_first=", "p_first"),
    ("list_length", "list_length"),
    ("seed=" + "1" * 41, "seed"),
    ("target=0." + "9" * 40, "target"),
])
def test_depth_refuses_bad_arguments_with_a_sentence(demo, query, field):
    status, _, body = demo.director.call("GET", DEPTH + "?" + query)
    assert status == 422, (query, body)
    assert body["error"]["field"] == field
    assert body["error"]["message"].endswith(".")


# Weight sensitivity -------------------------------------------------------

def test_sensitivity_moves_the_weights_from_one_end_to_the_other(demo):
    body = get(demo.director, SENS)
    assert body["cycle_id"] == CYCLE and body["positions"] == 2
    assert body["step"] == 5 and body["current"] == {"screening": 30,
                                                    "interview": 70}
    ranking = get(demo.director, "/api/cycles/%d/ranking" % CYCLE)
    pool = [c for c in ranking["candidates"] if c["in_list"]]
    assert body["pool"] == len(pool)
    assert body["top_n"] == min(10, len(pool))
    shares = [w["screening"] for w in body["weights"]]
    assert shares == [float(s) for s in range(0, 101, 5)]
    assert all(w["interview"] == 100 - w["screening"]
               for w in body["weights"])
    assert [w["screening"] for w in body["weights"] if w["current"]] == [30]
    # At the program's weights the order is the ranking's (one build, no
    # refit): the pool in composite order.
    cur = next(w for w in body["weights"] if w["current"])
    ranked = [c["application_id"] for c in pool if c["rank"]]
    assert cur["top"] == ranked[:body["top_n"]]
    assert cur["positions"] == ranked[:2]
    for w in body["weights"]:
        assert len(w["top"]) <= body["top_n"]
        assert w["positions"] == w["top"][:2]
    # Every candidate shown has a place at each weight.
    shown = {i for w in body["weights"] for i in w["top"]}
    assert {c["application_id"] for c in body["candidates"]} == shown
    for c in body["candidates"]:
        assert len(c["ranks"]) == len(body["weights"])
    # The changes follow from the positions at neighbouring weights.
    ws = body["weights"]
    expected = []
    for a, b in zip(ws, ws[1:]):
        entered = [i for i in b["positions"] if i not in a["positions"]]
        left = [i for i in a["positions"] if i not in b["positions"]]
        if entered or left:
            expected.append((a["screening"], b["screening"],
                             sorted(entered), sorted(left)))
    got = [(c["from"]["screening"], c["to"]["screening"],
            sorted(x["application_id"] for x in c["entered"]),
            sorted(x["application_id"] for x in c["left"]))
           for c in body["changes"]]
    assert got == expected
    stable = [i for i in ws[0]["positions"]
              if all(i in w["positions"] for w in ws)]
    assert sorted(x["application_id"] for x in body["stable"]) == \
        sorted(stable)
    assert body["summary"].endswith(".")


def test_sensitivity_in_steps_of_ten_and_the_same_for_the_same_data(demo):
    a = get(demo.director, SENS + "?step=10")
    assert [w["screening"] for w in a["weights"]] == \
        [float(s) for s in range(0, 101, 10)]
    assert get(demo.coord, SENS + "?step=10") == a


def test_off_grid_weights_are_shown_in_their_place(demo):
    status, _, body = demo.director.call(
        "PATCH", "/api/cycles/%d/phases/screening" % CYCLE, {"weight": 33})
    assert status == 200, body
    try:
        body = get(demo.director, SENS + "?step=10")
        shares = [w["screening"] for w in body["weights"]]
        cur = [w for w in body["weights"] if w["current"]]
        assert len(cur) == 1 and len(shares) == 12
        assert cur[0]["screening"] == round(100 * 33 / 103, 1)
        assert shares == sorted(shares)
    finally:
        status, _, body = demo.director.call(
            "PATCH", "/api/cycles/%d/phases/screening" % CYCLE,
            {"weight": 30})
        assert status == 200, body


@pytest.mark.parametrize("query", ["step=7", "step=0", "step=x", "step=-5",
                                   "step=", "step=" + "5" * 41])
def test_sensitivity_refuses_other_steps(demo, query):
    status, _, body = demo.director.call("GET", SENS + "?" + query)
    assert status == 422, body
    assert body["error"]["field"] == "step"


# Roles and objects ------------------------------------------------------

def test_only_staff_plan(demo):
    for email in ("faculty1@demo.test", "applicant01@demo.test"):
        c = Client(demo.url)
        assert c.login(email)[0] == 200
        for p in (DEPTH, SENS):
            status, _, body = c.call("GET", p)
            assert status == 403, (email, p)
            assert "candidates" not in body and "rows" not in body
    for p in (DEPTH, SENS):
        assert Client(demo.url).call("GET", p)[0] == 401


def test_an_unknown_cycle_is_not_found(demo):
    for p in ("/api/cycles/999999/ranking/depth",
              "/api/cycles/999999/ranking/sensitivity"):
        assert demo.director.call("GET", p)[0] == 404


def test_arguments_are_checked_before_anything_is_built(demo):
    # Refused on the arguments alone: the cycle is not even looked up.
    for p in ("/api/cycles/999999/ranking/depth?p_first=2",
              "/api/cycles/999999/ranking/depth?trials=",
              "/api/cycles/999999/ranking/sensitivity?step=7"):
        status, _, body = demo.director.call("GET", p)
        assert status == 422, (p, body)


def test_planning_changes_nothing(demo):
    before = demo.db().execute(
        "SELECT count(*) FROM audit_log").fetchone()[0]
    get(demo.director, DEPTH + "?trials=100")
    get(demo.director, SENS)
    after = demo.db().execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert before == after
    assert demo.director.call("POST", DEPTH)[0] == 405
