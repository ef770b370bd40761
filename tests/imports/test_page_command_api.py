"""The three ways in — the admin page, the commands and the API — over one import service."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from actors.models import Actor, Region
from assessments.models import PairAssessment
from tests.api.conftest import api_client
from tests.factories import score
from tests.imports.conftest import csv_bytes, snapshot, upload

ACTORS_CSV = csv_bytes(
    ("name", "short_name", "kind", "sector", "government_level", "region_code"),
    ("Dinas Sosial Kabupaten Sigi", "Dinsos", "government", "health", "district", "72.10"),
    ("Dinas PMD Kabupaten Sigi", "DPMD", "government", "health", "district", "72.10"),
)
BAD_ACTORS_CSV = csv_bytes(
    ("name", "short_name", "kind", "sector", "government_level", "region_code"),
    ("Dinas Sosial Kabupaten Sigi", "Dinsos", "government", "health", "district", "72.10"),
    ("Dinas PMD Kabupaten Sigi", "DPMD", "government", "nope", "district", "72.99"),
)


# The admin page (preview and confirmation in detail: test_page.py) --------------------


def confirmed(client, body):
    """Upload, then confirm the preview, as a user does."""
    preview = client.post("/imports/", body)
    assert preview.status_code == 200, preview.content[:500]
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    fields = {"token": token, "kind": body["kind"]}
    if "round" in body:
        fields["round"] = body["round"]
    return client.post("/imports/confirm/", fields, follow=True)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("scorer_client", 403), ("other_scorer_client", 403), ("planner_client", 403),
     ("viewer_client", 403), ("admin_client_", 200)],
)  # fmt: skip
def test_the_import_page_is_for_admins(request, district, health, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get("/imports/").status_code == status
    before = snapshot()
    response = client.post("/imports/", {"kind": "actors", "file": upload(ACTORS_CSV)})
    assert response.status_code == status  # admins: the preview
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get("/imports/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_imports_and_says_how_many(admin_client_, district, health):
    response = confirmed(admin_client_, {"kind": "actors", "file": upload(ACTORS_CSV)})
    assert response.status_code == 200
    assert Actor.objects.count() == 2
    assert "2" in response.content.decode()


def test_the_page_lists_every_bad_row_and_writes_nothing(admin_client_, district, health):
    before = snapshot()
    response = admin_client_.post("/imports/", {"kind": "actors", "file": upload(BAD_ACTORS_CSV)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>3</td><td>sector</td>" in html
    assert "<td>3</td><td>region_code</td>" in html
    assert "72.99" in html
    assert snapshot() == before


def test_the_page_imports_pairs_into_an_open_round(admin_client_, open_round, actors):
    edges = csv_bytes(("actor_a", "actor_b", "level"), ("Dinkes", "Bappeda", "2"))
    missing_round = admin_client_.post("/imports/", {"kind": "edges", "file": upload(edges)})
    assert missing_round.status_code == 400
    assert not PairAssessment.objects.exists()
    confirmed(admin_client_, {"kind": "edges", "round": open_round.pk, "file": upload(edges)})
    assert PairAssessment.objects.get().level == 2


def test_the_page_offers_exports_of_every_shape(admin_client_, open_round):
    html = admin_client_.get("/imports/").content.decode()
    assert "/api/v1/exports/regions/?file_type=csv" in html
    assert "/api/v1/exports/actors/?file_type=xlsx" in html
    assert f"/api/v1/rounds/{open_round.pk}/export/?shape=matrix&amp;file_type=csv" in html


# The commands ----------------------------------------------------------------------------


def test_import_data_imports_and_a_second_run_changes_nothing(
    tmp_path, admin_user, district, health, capsys
):
    path = tmp_path / "actors.csv"
    path.write_bytes(ACTORS_CSV)
    call_command("import_data", "actors", str(path), "--user", "admin")
    call_command("import_data", "actors", str(path), "--user", "admin")
    out = capsys.readouterr().out
    assert "2 created" in out and "2 unchanged" in out
    assert Actor.objects.count() == 2


def test_import_data_lists_the_bad_rows_and_fails(tmp_path, admin_user, district, health, capsys):
    path = tmp_path / "actors.csv"
    path.write_bytes(BAD_ACTORS_CSV)
    with pytest.raises(CommandError, match="Nothing was imported: 2 problem"):
        call_command("import_data", "actors", str(path), "--user", "admin")
    err = capsys.readouterr().err
    assert "row 3" in err and "72.99" in err
    assert not Actor.objects.exists()


def test_import_data_applies_the_users_rights(tmp_path, scorer, open_round, actors):
    path = tmp_path / "regions.csv"
    path.write_bytes(csv_bytes(("code", "name"), ("72.10.01", "Sigi Biromaru")))
    with pytest.raises(CommandError, match="admin"):
        call_command("import_data", "regions", str(path), "--user", "penilai_sigi")
    assert not Region.objects.filter(code="72.10.01").exists()
    with pytest.raises(CommandError, match="round"):
        call_command("import_data", "edges", str(path), "--user", "penilai_sigi")


def test_export_data_writes_what_import_data_reads_back(
    tmp_path, admin_user, open_round, actors, capsys
):
    score(open_round, actors[0], actors[1], 3)
    for kind, extra in [
        ("actors", []),
        ("regions", []),
        ("matrix", ["--round", str(open_round.pk)]),
    ]:
        path = tmp_path / f"{kind}.xlsx"
        call_command("export_data", kind, str(path), "--user", "admin", *extra)
        before = snapshot()
        call_command("import_data", kind, str(path), "--user", "admin", *extra)
        assert snapshot() == before
        assert "0 created, 0 updated" in capsys.readouterr().out


# The API ---------------------------------------------------------------------------------


def test_a_refused_api_import_lists_rows_as_json(admin_user, district, health):
    before = snapshot()
    response = api_client(admin_user).post(
        "/api/v1/imports/actors/", {"file": upload(BAD_ACTORS_CSV)}, format="multipart"
    )
    assert response.status_code == 400
    data = response.json()
    assert data["error_count"] == 2
    assert {(error["row"], error["column"]) for error in data["errors"]} == {
        (3, "sector"),
        (3, "region_code"),
    }
    assert snapshot() == before


def test_an_oversized_upload_is_refused(admin_user, district, settings):
    settings.IMPORT_MAX_BYTES = 64
    response = api_client(admin_user).post(
        "/api/v1/imports/actors/", {"file": upload(ACTORS_CSV)}, format="multipart"
    )
    assert response.status_code == 400
    assert "larger than" in response.json()["errors"][0]["message"]
    assert not Actor.objects.exists()


def test_an_import_without_a_file_names_the_field(admin_user, open_round):
    response = api_client(admin_user).post(
        f"/api/v1/rounds/{open_round.pk}/import/", {"shape": "edges"}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_api_exports_round_trip(admin_user, scorer, viewer, open_round, actors, other_actors):
    score(open_round, actors[0], actors[1], 1)
    # Files are not for viewers (README, roles table).
    assert api_client(viewer).get("/api/v1/exports/actors/").status_code == 403
    reader = api_client(scorer)
    actors_csv = reader.get("/api/v1/exports/actors/?file_type=csv")
    assert actors_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert b"Dinas Kesehatan Kota Palu" not in actors_csv.content  # outside the scorer's reach
    matrix = reader.get(f"/api/v1/rounds/{open_round.pk}/export/?shape=matrix&file_type=xlsx")
    assert matrix["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(matrix.content)).active
    assert sheet["B2"].value is None and sheet["C2"].value == 1

    response = api_client(admin_user).post(
        f"/api/v1/rounds/{open_round.pk}/import/",
        {"file": upload(matrix.content, "matrix.xlsx"), "shape": "matrix"},
        format="multipart",
    )
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 1}
    assert reader.get("/api/v1/exports/actors/?region=72.71").status_code == 400
    assert reader.get("/api/v1/exports/regions/?file_type=pdf").status_code == 400
    assert reader.get(f"/api/v1/rounds/{open_round.pk}/export/?shape=list").status_code == 400
