"""Bad files are refused by the admin's import page and the API's import endpoints alike:
a 400 that lists the problem, and nothing written."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.conftest import api_client, assert_unchanged, page_client, snapshot

LONG = "x" * 10_000
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
DROP = "'; DROP TABLE actors_actor; --"
ACTOR_HEADER = ("name", "short_name", "kind", "sector", "government_level", "region_code")


def _csv(*rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


def _actor_row(**extra):
    row = {
        "name": "Dinas Sosial Kabupaten Sigi",
        "short_name": "Dinsos",
        "kind": "government",
        "sector": "health",
        "government_level": "district",
        "region_code": "72.10",
        **extra,
    }
    return _csv(ACTOR_HEADER, tuple(row[name] for name in ACTOR_HEADER))


def _edges(level, actor_a="Bappeda", actor_b="Disdik"):
    return _csv(("actor_a", "actor_b", "level"), (actor_a, actor_b, level))


# name, kind, file, what the message says
CASES = [
    ("region code abc", "regions", _csv(("code", "name"), ("abc", "Baru")), "Kemendagri code"),
    ("region code SQL", "regions", _csv(("code", "name"), (DROP, "Baru")), "Kemendagri code"),
    ("region name script", "regions", _csv(("code", "name"), ("72.05", SCRIPT)), "HTML"),
    ("region name img", "regions", _csv(("code", "name"), ("72.05", IMG)), "HTML"),
    ("region name formula", "regions", _csv(("code", "name"), ("72.05", "=1+1")), "formula"),
    ("region name 10,000", "regions", _csv(("code", "name"), ("72.05", LONG)), "at most"),
    ("region of province 73", "regions", _csv(("code", "name"), ("73.02", "Baru")),
     "outside your jurisdiction"),
    ("actor name script", "actors", _actor_row(name=SCRIPT), "HTML"),
    ("actor short name img", "actors", _actor_row(short_name=IMG), "HTML"),
    ("actor name 10,000", "actors", _actor_row(name=LONG), "at most"),
    ("actor name SQL", "actors", _actor_row(name=DROP + " <"), "HTML"),
    ("actor unknown sector", "actors", _actor_row(sector="magic"), "Unknown sector"),
    ("actor unknown kind", "actors", _actor_row(kind="wizard"), "Unknown kind"),
    ("actor level 9", "actors", _actor_row(government_level="9"), "Unknown government level"),
    ("actor unknown region", "actors", _actor_row(region_code="72.99"), "No region"),
    ("actor region SQL", "actors", _actor_row(region_code="1 OR 1=1"), "No region"),
    ("actor region of province 73", "actors", _actor_row(region_code="73.01"),
     "outside your jurisdiction"),
    ("edge level 5", "edges", _edges("5"), "whole number from 0 to 4"),
    ("edge level -1", "edges", _edges("-1"), "whole number from 0 to 4"),
    ("edge level abc", "edges", _edges("abc"), "whole number from 0 to 4"),
    ("edge level 2.5", "edges", _edges("2.5"), "whole number from 0 to 4"),
    ("edge level true", "edges", _edges("true"), "whole number from 0 to 4"),
    ("edge level SQL", "edges", _edges(DROP), "whole number from 0 to 4"),
    ("edge unknown actor", "edges", _edges("2", actor_b="Dinas Rahasia"), "No actor named"),
    ("edge actor SQL", "edges", _edges("2", actor_b=DROP), "No actor named"),
    ("edge actor script", "edges", _edges("2", actor_b=SCRIPT), "HTML"),
    ("edge actor of Palu", "edges", _edges("2", actor_b="Dinkes Palu"), "No actor named"),
    ("edge same actor", "edges", _edges("2", actor_b="Bappeda"), "itself"),
    ("not a table", "actors", b"\x00\x01\x02binary", "not a CSV or XLSX"),
    ("empty file", "actors", b"", "empty"),
]  # fmt: skip
PARAMS = [pytest.param(*case[1:], id=case[0]) for case in CASES]


@pytest.mark.parametrize(("kind", "data", "message"), PARAMS)
def test_the_import_page_refuses(world, users, kind, data, message):
    before = snapshot()
    body = {"kind": kind, "file": SimpleUploadedFile("data.csv", data, content_type="text/csv")}
    if kind == "edges":
        body["round"] = world["round"].pk
    response = page_client(users["admin"]).post("/imports/", body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SCRIPT not in response.content.decode()
    assert_unchanged(before)


@pytest.mark.parametrize(("kind", "data", "message"), PARAMS)
def test_the_api_import_refuses(world, users, kind, data, message):
    before = snapshot()
    upload = SimpleUploadedFile("data.csv", data, content_type="text/csv")
    if kind == "edges":
        url, body = f"/api/v1/rounds/{world['round'].pk}/import/", {"shape": "edges"}
    else:
        url, body = f"/api/v1/imports/{kind}/", {}
    response = api_client(users["admin"]).post(url, {**body, "file": upload}, format="multipart")
    assert response.status_code == 400, response.content[:500]
    assert message in str(response.json())
    assert_unchanged(before)


# name, persona, url or page form, status
ROUND_CASES = [
    ("page: closed round", "admin", "page", "closed", 400),
    ("page: draft round", "admin", "page", "draft", 400),
    ("page: round of province 73", "admin", "page", "far_round", 400),
    ("page: unknown kind", "admin", "page", None, 400),
    ("page: scorer", "scorer", "page", "round", 403),
    ("page: planner", "planner", "page", "round", 403),
    ("page: anonymous", "anonymous", "page", "round", 302),
    ("api: closed round", "admin", "api", "closed", 400),
    ("api: round of province 73", "admin", "api", "far_round", 404),
    ("api: scorer", "scorer", "api", "round", 403),
    ("api: viewer", "viewer", "api", "round", 403),
    ("api: anonymous", "anonymous", "api", "round", 401),
]  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "path", "round_key", "status"),
    [pytest.param(*case[1:], id=case[0]) for case in ROUND_CASES],
)
def test_pairs_go_to_an_open_round_of_an_admin_only(world, users, persona, path, round_key, status):
    before = snapshot()
    upload = SimpleUploadedFile("pairs.csv", _edges("3"), content_type="text/csv")
    user = users[persona]
    if path == "page":
        body = {"kind": "edges" if round_key else "bogus", "file": upload}
        if round_key:
            body["round"] = world[round_key].pk
        response = page_client(user).post("/imports/", body)
    else:
        response = api_client(user).post(
            f"/api/v1/rounds/{world[round_key].pk}/import/",
            {"shape": "edges", "file": upload},
            format="multipart",
        )
    assert response.status_code == status, response.content[:500]
    assert response.content.strip() or status == 302
    assert_unchanged(before)
