"""Bad input on every write path is refused with a 4xx and a message, and writes nothing.

Write paths: the scoring form (plain and htmx), the API (pair assessments, actors,
programmes, rounds, regions), and the imports (the admin page and the API endpoints).
Each case is named; ``snapshot`` compares the count and every row of the main tables.
"""

import pytest

from tests.security.conftest import api_client, assert_unchanged, page_client, snapshot

LONG = "x" * 10_000
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
DROP = "'; DROP TABLE actors_actor; --"
OR_TRUE = "1 OR 1=1"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _ids(world):
    a, b, c, d = world["actors"]
    return {
        "a": a.pk,
        "b": b.pk,
        "c": c.pk,
        "d": d.pk,
        "palu": world["other_actors"][0].pk,
        "far": world["far_actor"].pk,
        "inactive": world["inactive"].pk,
        "round": world["round"].pk,
        "closed": world["closed"].pk,
        "draft": world["draft"].pk,
        "other_round": world["other_round"].pk,
        "assessment": world["assessment"].pk,
        "closed_assessment": world["closed_assessment"].pk,
        "other_assessment": world["other_assessment"].pk,
        "prog": world["programme"].pk,
        "far_prog": world["far_programme"].pk,
        "far_round": world["far_round"].pk,
    }


def _fill(value, ids):
    """``value`` with every "{name}" string in it replaced by that id."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**ids) if "{" in value and "}" in value and " " not in value else value
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


# The scoring form ------------------------------------------------------------------------

PAIR = "/rounds/{round}/pairs/{c}-{d}/"

# name, persona, url, form data, status, message shown
FORM_CASES = [
    ("level 5", "scorer", PAIR, {"level": "5"}, 400, "Select a valid choice"),
    ("level -1", "scorer", PAIR, {"level": "-1"}, 400, "Select a valid choice"),
    ("level abc", "scorer", PAIR, {"level": "abc"}, 400, "Select a valid choice"),
    ("level 2.5", "scorer", PAIR, {"level": "2.5"}, 400, "Select a valid choice"),
    ("level true", "scorer", PAIR, {"level": "true"}, 400, "Select a valid choice"),
    ("level SQL", "scorer", PAIR, {"level": DROP}, 400, "Select a valid choice"),
    ("level 1 OR 1=1", "scorer", PAIR, {"level": OR_TRUE}, 400, "Select a valid choice"),
    ("no level", "scorer", PAIR, {"level": ""}, 400, "Choose a level"),
    ("note 10,000 chars", "scorer", PAIR, {"level": "2", "note": LONG}, 400, "at most 4000"),
    ("unknown mechanism", "scorer", PAIR, {"level": "2", "mechanisms": "telepathy"}, 400,
     "Select a valid choice"),
    ("mechanism SQL", "scorer", PAIR, {"level": "2", "mechanisms": DROP}, 400,
     "Select a valid choice"),
    ("evidence maybe", "scorer", PAIR, {"shares_information": "maybe"}, 400,
     "Select a valid choice"),
    ("version abc", "scorer", PAIR, {"level": "2", "version": "abc"}, 400, "whole number"),
    ("version -1", "scorer", PAIR, {"level": "2", "version": "-1"}, 400,
     "greater than or equal to 0"),
    ("stale version", "scorer", "/rounds/{round}/pairs/{a}-{b}/", {"level": "3", "version": "0"},
     400, "Someone else saved this pair"),
    # The panel exists only for two actors of the round: anything else is a 404 that names
    # no one (tests/assessments/test_scoring_page.py).
    ("same actor twice", "scorer", "/rounds/{round}/pairs/{c}-{c}/", {"level": "2"}, 404, ""),
    ("actor of Palu", "scorer", "/rounds/{round}/pairs/{c}-{palu}/", {"level": "2"}, 404, ""),
    ("actor of province 73", "scorer", "/rounds/{round}/pairs/{c}-{far}/", {"level": "2"}, 404,
     ""),
    ("inactive actor", "scorer", "/rounds/{round}/pairs/{c}-{inactive}/", {"level": "2"}, 404,
     ""),
    ("unknown actor", "scorer", "/rounds/{round}/pairs/{c}-999999/", {"level": "2"}, 404, ""),
    ("closed round", "scorer", "/rounds/{closed}/pairs/{a}-{c}/", {"level": "4"}, 400,
     "This round is closed"),
    ("draft round", "scorer", "/rounds/{draft}/pairs/{c}-{d}/", {"level": "2"}, 404, ""),
    ("unknown round", "scorer", "/rounds/999999/pairs/{c}-{d}/", {"level": "2"}, 404, ""),
    ("round of Palu", "scorer", "/rounds/{other_round}/pairs/{c}-{d}/", {"level": "2"}, 403,
     "outside your jurisdiction"),
    ("Palu's scorer in Sigi", "other_scorer", PAIR, {"level": "2"}, 403,
     "outside your jurisdiction"),
    ("planner scores", "planner", PAIR, {"level": "2"}, 403, "may not score pairs"),
    ("viewer scores", "viewer", PAIR, {"level": "2"}, 403, "may not score pairs"),
    ("no role scores", "no_role", PAIR, {"level": "2"}, 403, "outside your jurisdiction"),
    ("anonymous scores", "anonymous", PAIR, {"level": "2"}, 302, ""),
]  # fmt: skip


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    ("persona", "url", "data", "status", "message"),
    [pytest.param(*values, id=name) for name, *values in FORM_CASES],
)
def test_the_scoring_form_refuses(world, users, persona, url, data, status, message, htmx):
    ids = _ids(world)
    before = snapshot()
    response = page_client(users[persona]).post(url.format(**ids), data, **(HTMX if htmx else {}))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/?next=")
    assert message in response.content.decode()
    assert_unchanged(before)


# The API -----------------------------------------------------------------------------------

PAIRS = "/api/v1/pair-assessments/"
ONE_PAIR = "/api/v1/pair-assessments/{assessment}/"


def _pair(**extra):
    return {"round": "{round}", "actor_a": "{c}", "actor_b": "{d}", "level": 2, **extra}


def _actor(**extra):
    return {
        "name": "Dinas Sosial Kabupaten Sigi",
        "short_name": "Dinsos",
        "kind": "government",
        "sector": "health",
        "government_level": 2,
        "home_region": "72.10",
        **extra,
    }


def _programme(**extra):
    return {
        "name": "Gizi Sekolah Sigi",
        "region": "72.10",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        **extra,
    }


def _round(**extra):
    return {
        "name": "Pemetaan Sigi 2027",
        "region": "72.10",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "status": "open",
        **extra,
    }


# name, persona, method, url, body, status, the field (or key) of the message
API_CASES = [
    # pair assessments: create
    ("pair level 5", "scorer", "post", PAIRS, _pair(level=5), 400, "level"),
    ("pair level -1", "scorer", "post", PAIRS, _pair(level=-1), 400, "level"),
    ("pair level abc", "scorer", "post", PAIRS, _pair(level="abc"), 400, "level"),
    ("pair level 2.5", "scorer", "post", PAIRS, _pair(level=2.5), 400, "level"),
    ("pair level true", "scorer", "post", PAIRS, _pair(level=True), 400, "level"),
    ("pair level SQL", "scorer", "post", PAIRS, _pair(level=DROP), 400, "level"),
    ("pair level list", "scorer", "post", PAIRS, _pair(level=[2]), 400, "level"),
    ("pair note 10,000", "scorer", "post", PAIRS, _pair(note=LONG), 400, "note"),
    ("pair note number", "scorer", "post", PAIRS, _pair(note={"a": 1}), 400, "note"),
    ("pair mechanism unknown", "scorer", "post", PAIRS, _pair(mechanisms=["telepathy"]), 400,
     "mechanisms"),
    ("pair mechanism SQL", "scorer", "post", PAIRS, _pair(mechanisms=[DROP]), 400, "mechanisms"),
    ("pair mechanisms a string", "scorer", "post", PAIRS, _pair(mechanisms="data_sharing"), 400,
     "mechanisms"),
    ("pair evidence maybe", "scorer", "post", PAIRS, _pair(shares_information="maybe"), 400,
     "shares_information"),
    ("pair version -1", "scorer", "post", PAIRS, _pair(expected_version=-1), 400,
     "expected_version"),
    ("pair same actor", "scorer", "post", PAIRS, _pair(actor_b="{c}"), 400, "non_field_errors"),
    ("pair actor of Palu", "scorer", "post", PAIRS, _pair(actor_b="{palu}"), 400, "actor_b"),
    ("pair actor of province 73", "admin", "post", PAIRS, _pair(actor_b="{far}"), 400, "actor_b"),
    ("pair inactive actor", "scorer", "post", PAIRS, _pair(actor_b="{inactive}"), 400,
     "non_field_errors"),
    ("pair actor abc", "scorer", "post", PAIRS, _pair(actor_a="abc"), 400, "actor_a"),
    ("pair actor SQL", "scorer", "post", PAIRS, _pair(actor_a=OR_TRUE), 400, "actor_a"),
    ("pair unknown round", "scorer", "post", PAIRS, _pair(round=999999), 400, "round"),
    ("pair round of Palu", "scorer", "post", PAIRS, _pair(round="{other_round}"), 400, "round"),
    ("pair draft round", "scorer", "post", PAIRS, _pair(round="{draft}"), 400, "round"),
    ("pair closed round", "scorer", "post", PAIRS,
     _pair(round="{closed}", actor_a="{a}", actor_b="{c}"), 400, "non_field_errors"),
    ("pair by planner", "planner", "post", PAIRS, _pair(), 403, "detail"),
    ("pair by viewer", "viewer", "post", PAIRS, _pair(), 403, "detail"),
    ("pair by no role", "no_role", "post", PAIRS, _pair(), 403, "detail"),
    ("pair by anonymous", "anonymous", "post", PAIRS, _pair(), 401, "detail"),
    # pair assessments: update
    ("put level 5", "scorer", "put", ONE_PAIR, {"level": 5}, 400, "level"),
    ("patch level abc", "scorer", "patch", ONE_PAIR, {"level": "abc"}, 400, "level"),
    ("patch level true", "scorer", "patch", ONE_PAIR, {"level": True}, 400, "level"),
    ("patch note 10,000", "scorer", "patch", ONE_PAIR, {"note": LONG}, 400, "note"),
    ("patch stale version", "scorer", "patch", ONE_PAIR, {"level": 3, "expected_version": 7},
     409, "detail"),
    ("patch closed round", "scorer", "patch", "/api/v1/pair-assessments/{closed_assessment}/",
     {"level": 3}, 400, "non_field_errors"),
    ("patch Palu's pair", "scorer", "patch", "/api/v1/pair-assessments/{other_assessment}/",
     {"level": 3}, 404, "detail"),
    ("patch by planner", "planner", "patch", ONE_PAIR, {"level": 3}, 403, "detail"),
    # actors
    ("actor name 10,000", "admin", "post", "/api/v1/actors/", _actor(name=LONG), 400, "name"),
    ("actor short name 10,000", "admin", "post", "/api/v1/actors/", _actor(short_name=LONG), 400,
     "short_name"),
    ("actor no name", "admin", "post", "/api/v1/actors/", _actor(name=""), 400, "name"),
    ("actor unknown kind", "admin", "post", "/api/v1/actors/", _actor(kind="wizard"), 400,
     "kind"),
    ("actor unknown sector", "admin", "post", "/api/v1/actors/", _actor(sector="magic"), 400,
     "sector"),
    ("actor sector SQL", "admin", "post", "/api/v1/actors/", _actor(sector=DROP), 400, "sector"),
    ("actor level 9", "admin", "post", "/api/v1/actors/", _actor(government_level=9), 400,
     "government_level"),
    ("actor level abc", "admin", "post", "/api/v1/actors/", _actor(government_level="abc"), 400,
     "government_level"),
    ("actor region of province 73", "admin", "post", "/api/v1/actors/",
     _actor(home_region="73.01"), 400, "home_region"),
    ("actor unknown region", "admin", "post", "/api/v1/actors/", _actor(home_region="72.99"), 400,
     "home_region"),
    ("actor region SQL", "admin", "post", "/api/v1/actors/", _actor(home_region=OR_TRUE), 400,
     "home_region"),
    ("actor duplicate name", "admin", "post", "/api/v1/actors/",
     _actor(name="Bappeda Kabupaten Sigi"), 400, "non_field_errors"),
    ("actor active abc", "admin", "post", "/api/v1/actors/", _actor(is_active="abc"), 400,
     "is_active"),
    ("actor by scorer", "scorer", "post", "/api/v1/actors/", _actor(), 403, "detail"),
    ("actor rename 10,000", "admin", "patch", "/api/v1/actors/{a}/", {"name": LONG}, 400, "name"),
    ("actor move to province 73", "admin", "patch", "/api/v1/actors/{a}/",
     {"home_region": "73.01"}, 400, "home_region"),
    ("actor of province 73", "admin", "patch", "/api/v1/actors/{far}/", {"name": "X"}, 404,
     "detail"),
    ("actor delete", "admin", "delete", "/api/v1/actors/{a}/", None, 405, "detail"),
    # programmes
    ("programme name 10,000", "admin", "post", "/api/v1/programmes/", _programme(name=LONG), 400,
     "name"),
    ("programme region of province 73", "admin", "post", "/api/v1/programmes/",
     _programme(region="73.01"), 400, "region"),
    ("programme lead of province 73", "admin", "post", "/api/v1/programmes/",
     _programme(lead_actor="{far}"), 400, "lead_actor"),
    ("programme date abc", "admin", "post", "/api/v1/programmes/",
     _programme(period_start="abc"), 400, "period_start"),
    ("programme target unknown", "admin", "post", "/api/v1/programmes/",
     _programme(target_groups=["robots"]), 400, "target_groups"),
    ("programme participant of province 73", "admin", "post", "/api/v1/programmes/",
     _programme(participants=[{"actor": "{far}", "role": "lead"}]), 400, "participants"),
    ("programme participant role unknown", "admin", "post", "/api/v1/programmes/",
     _programme(participants=[{"actor": "{a}", "role": "boss"}]), 400, "participants"),
    ("programme participant stage SQL", "admin", "post", "/api/v1/programmes/",
     _programme(participants=[{"actor": "{a}", "role": "lead", "stages": [DROP]}]), 400,
     "participants"),
    ("programme participant twice", "admin", "post", "/api/v1/programmes/",
     _programme(participants=[{"actor": "{a}", "role": "lead"},
                              {"actor": "{a}", "role": "funder"}]),
     400, "participants"),
    ("programme of province 73", "admin", "patch", "/api/v1/programmes/{far_prog}/",
     {"name": "X"}, 404, "detail"),
    ("programme by planner", "planner", "patch", "/api/v1/programmes/{prog}/", {"name": "X"}, 403,
     "detail"),
    # rounds
    ("round name 10,000", "admin", "post", "/api/v1/rounds/", _round(name=LONG), 400, "name"),
    ("round region of province 73", "admin", "post", "/api/v1/rounds/", _round(region="73.01"),
     400, "region"),
    ("round status unknown", "admin", "post", "/api/v1/rounds/", _round(status="finished"), 400,
     "status"),
    ("round programme of province 73", "admin", "post", "/api/v1/rounds/",
     _round(programme="{far_prog}"), 400, "programme"),
    ("round programme abc", "admin", "post", "/api/v1/rounds/", _round(programme="abc"), 400,
     "programme"),
    ("round region SQL", "admin", "post", "/api/v1/rounds/", _round(region=DROP), 400, "region"),
    ("round closed renamed", "admin", "patch", "/api/v1/rounds/{closed}/", {"name": "Baru"}, 400,
     "non_field_errors"),
    ("round closed reopened", "admin", "patch", "/api/v1/rounds/{closed}/", {"status": "open"},
     400, "reopen_reason"),
    ("round moved to Palu", "admin", "patch", "/api/v1/rounds/{round}/", {"region": "72.71"}, 400,
     "region"),
    ("round of province 73", "admin", "patch", "/api/v1/rounds/{far_round}/", {"name": "X"}, 404,
     "detail"),
    ("round by scorer", "scorer", "patch", "/api/v1/rounds/{round}/", {"status": "closed"}, 403,
     "detail"),
    # regions
    ("region code abc", "admin", "post", "/api/v1/regions/", {"code": "abc", "name": "X"}, 400,
     "code"),
    ("region code SQL", "admin", "post", "/api/v1/regions/", {"code": DROP, "name": "X"}, 400,
     "code"),
    ("region code 1 OR 1=1", "admin", "post", "/api/v1/regions/", {"code": OR_TRUE, "name": "X"},
     400, "code"),
    ("region code taken", "admin", "post", "/api/v1/regions/", {"code": "72.10", "name": "X"},
     400, "code"),
    ("region of province 73", "admin", "post", "/api/v1/regions/",
     {"code": "73.02", "name": "X"}, 400, "code"),
    ("region unknown parent", "admin", "post", "/api/v1/regions/",
     {"code": "72.05.01", "name": "X"}, 400, "code"),
    ("region name 10,000", "admin", "post", "/api/v1/regions/", {"code": "72.05", "name": LONG},
     400, "name"),
    ("region rename 10,000", "admin", "patch", "/api/v1/regions/72.10/", {"name": LONG}, 400,
     "name"),
    ("region rename province 73", "admin", "patch", "/api/v1/regions/73.01/", {"name": "X"}, 404,
     "detail"),
    ("region by planner", "planner", "post", "/api/v1/regions/", {"code": "72.05", "name": "X"},
     403, "detail"),
    # sectors are shared by every region: a provincial admin may not change them
    ("sector by province admin", "admin", "post", "/api/v1/sectors/",
     {"code": "sport", "name_id": "Olahraga", "name_en": "Sport"}, 403, "detail"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "method", "url", "body", "status", "key"),
    [case[1:] for case in API_CASES],
    ids=[case[0] for case in API_CASES],
)
def test_the_api_refuses(world, users, persona, method, url, body, status, key):
    ids = _ids(world)
    before = snapshot()
    client = api_client(users[persona])
    response = getattr(client, method)(url.format(**ids), _fill(body, ids), format="json")
    assert response.status_code == status, response.content[:500]
    errors = response.json()
    assert key in errors, errors
    assert errors[key], errors
    assert_unchanged(before)


# Query strings: bad filter values are refused, never run ---------------------------------

# name, persona, url, status
QUERY_CASES = [
    ("matrix sector SQL", "scorer", f"/regions/72.10/matrix/?sector={DROP}", 400),
    ("matrix sector 1 OR 1=1", "scorer", f"/regions/72.10/matrix/?sector={OR_TRUE}", 400),
    ("matrix level abc", "scorer", "/regions/72.10/matrix/?government_level=abc", 400),
    ("matrix programme SQL", "scorer", f"/regions/72.10/matrix/?programme={DROP}", 400),
    ("matrix programme of province 73", "admin", "/regions/72.10/matrix/?programme={far_prog}",
     400),
    ("matrix as_of abc", "scorer", "/regions/72.10/matrix/?as_of=abc", 400),
    ("matrix round SQL", "scorer", f"/regions/72.10/matrix/?round={OR_TRUE}", 404),
    ("matrix round of Palu", "admin", "/regions/72.10/matrix/?round={other_round}", 404),
    ("dashboard round SQL", "scorer", f"/regions/72.10/?round={DROP}", 404),
    ("levels programme SQL", "scorer", f"/regions/72.10/levels/?programme={DROP}", 404),
    ("compare previous SQL", "scorer", f"/regions/72.10/compare/?previous={OR_TRUE}", 404),
    ("compare sector abc", "scorer", "/regions/72.10/compare/?sector=abc", 400),
    ("who-how round SQL", "scorer", "/programmes/{prog}/who-how/?round=" + OR_TRUE, 404),
    ("who-how programme of province 73", "admin", "/programmes/{far_prog}/who-how/", 403),
    ("report target SQL", "planner", f"/regions/72.10/report.csv?target={DROP}", 400),
    ("report target 9", "planner", "/regions/72.10/report.csv?target=9", 400),
    ("region code SQL", "scorer", "/regions/72.10'%20OR%201=1/", 404),
    ("api actors region SQL", "scorer", f"/api/v1/actors/?region={DROP}", 400),
    ("api actors region of Palu", "scorer", "/api/v1/actors/?region=72.71", 400),
    ("api actors sector 1 OR 1=1", "scorer", f"/api/v1/actors/?sector={OR_TRUE}", 400),
    ("api actors level abc", "scorer", "/api/v1/actors/?government_level=abc", 400),
    ("api pairs level 5", "scorer", "/api/v1/pair-assessments/?level=5", 400),
    ("api pairs round SQL", "scorer", f"/api/v1/pair-assessments/?round={DROP}", 400),
    ("api pairs changed_since abc", "scorer", "/api/v1/pair-assessments/?changed_since=abc", 400),
    ("api rounds status SQL", "scorer", f"/api/v1/rounds/?status={OR_TRUE}", 400),
    ("api matrix sector SQL", "scorer", "/api/v1/rounds/{round}/matrix/?sector=" + DROP, 400),
    ("api matrix level 9", "scorer", "/api/v1/rounds/{round}/matrix/?government_level=9", 400),
    ("api export file_type SQL", "scorer", f"/api/v1/exports/actors/?file_type={DROP}", 400),
    ("api export region SQL", "scorer", f"/api/v1/exports/actors/?region={OR_TRUE}", 400),
    ("api round export shape SQL", "scorer", "/api/v1/rounds/{round}/export/?shape=" + DROP, 400),
]  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [case[1:] for case in QUERY_CASES],
    ids=[case[0] for case in QUERY_CASES],
)
def test_bad_query_parameters_are_refused(world, users, persona, url, status):
    ids = _ids(world)
    before = snapshot()
    url = url.replace("{round}", str(ids["round"])).replace("{prog}", str(ids["prog"]))
    url = url.replace("{far_prog}", str(ids["far_prog"])).replace(
        "{other_round}", str(ids["other_round"])
    )
    client = api_client(users[persona]) if url.startswith("/api/") else page_client(users[persona])
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response.content.strip(), "a refusal says why"
    assert_unchanged(before)
