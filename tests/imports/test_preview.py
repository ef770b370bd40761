"""Every import is previewed first: what would be created, updated and left unchanged, with
the values, and every bad row; nothing is written until it is confirmed, and the confirmed
import writes what the preview showed (or says that the data changed meanwhile)."""

import pytest
from django.core.management import CommandError, call_command

from actors.models import Actor, ActorKind, GovernmentLevel, Region
from assessments.models import PairAssessment
from imports.plan import CREATE, UNCHANGED, UPDATE, PreviewOutdated
from imports.services import run_import
from imports.tabular import ImportRefused
from tests.api.conftest import api_client
from tests.factories import ActorFactory, score
from tests.imports.conftest import csv_bytes, snapshot, upload

ACTOR_HEADER = ("name", "short_name", "kind", "sector", "government_level", "region_code")


@pytest.fixture
def sigi_actors_file(actors, planning):
    """Dinkes renamed short, Bappeda as it is, a new Dinas Sosial."""
    return csv_bytes(
        (*ACTOR_HEADER, "active"),
        ("Dinas Kesehatan Kabupaten Sigi", "Dinkes Sigi", "government", "health", "district",
         "72.10", "ya"),
        ("Bappeda Kabupaten Sigi", "Bappeda", "government", "planning", "district", "72.10",
         "ya"),
        ("Dinas Sosial Kabupaten Sigi", "Dinsos", "Perangkat daerah / instansi pemerintah (OPD)",
         "Perencanaan", "Kabupaten/kota", "72.10", "ya"),
        delimiter=";",
    )  # fmt: skip


def test_a_preview_says_what_would_happen_and_writes_nothing(admin_user, sigi_actors_file):
    before = snapshot()
    plan = run_import(kind="actors", data=sigi_actors_file, user=admin_user, dry_run=True)
    assert snapshot() == before
    assert plan.as_dict() == {"created": 1, "updated": 1, "unchanged": 1}
    assert not plan.errors and not plan.written
    by_row = {row.number: row for row in plan.rows}
    assert (by_row[2].action, by_row[2].before) == (UPDATE, {"short_name": "Dinkes"})
    assert by_row[2].values["short_name"] == "Dinkes Sigi"
    assert by_row[3].action == UNCHANGED
    assert by_row[4].action == CREATE
    assert by_row[4].values == {
        "name": "Dinas Sosial Kabupaten Sigi",
        "short_name": "Dinsos",
        "kind": ActorKind.GOVERNMENT,
        "sector": "planning",
        "government_level": GovernmentLevel.DISTRICT,
        "region_code": "72.10",
        "active": True,
    }
    assert plan.describe("kind", "government") == "Government agency (OPD)"
    assert plan.describe("sector", "planning") == "Planning"


def test_the_confirmed_import_writes_exactly_what_the_preview_showed(admin_user, sigi_actors_file):
    preview = run_import(kind="actors", data=sigi_actors_file, user=admin_user, dry_run=True)
    done = run_import(
        kind="actors", data=sigi_actors_file, user=admin_user, expected=preview.digest
    )
    assert done.written and done.digest == preview.digest
    stored = {
        actor.name: actor
        for actor in Actor.objects.select_related("sector", "home_region").filter(
            home_region__code="72.10"
        )
    }
    for row in preview.rows:
        actor = stored[row.values["name"]]
        assert {
            "name": actor.name,
            "short_name": actor.short_name,
            "kind": actor.kind,
            "sector": actor.sector.code,
            "government_level": actor.government_level,
            "region_code": actor.home_region.code,
            "active": actor.is_active,
        } == row.values
    assert len(stored) == 5  # the four of Sigi and the new one


def test_a_confirm_after_the_data_changed_rechecks_and_writes_nothing(
    admin_user, sigi_actors_file, actors
):
    preview = run_import(kind="actors", data=sigi_actors_file, user=admin_user, dry_run=True)
    bappeda = actors[2]
    bappeda.short_name = "Bappelitbangda"  # someone edits it in the admin meanwhile
    bappeda.save()
    before = snapshot()
    with pytest.raises(PreviewOutdated) as outdated:
        run_import(kind="actors", data=sigi_actors_file, user=admin_user, expected=preview.digest)
    assert snapshot() == before
    now = outdated.value.plan
    assert now.as_dict() == {"created": 1, "updated": 2, "unchanged": 0}
    assert now.digest != preview.digest


def test_a_preview_lists_bad_rows_beside_the_good_ones(admin_user, district, health):
    data = csv_bytes(
        ACTOR_HEADER,
        ("Dinas Sosial Kabupaten Sigi", "Dinsos", "OPD", "Kesehatan", "2", "72.10"),
        ("Dinas PU", "PU", "wizard", "Kesehatan", "2", "72.10"),
    )
    before = snapshot()
    plan = run_import(kind="actors", data=data, user=admin_user, dry_run=True)
    assert [(row.number, row.action) for row in plan.rows] == [(2, CREATE)]
    assert [(error.row, error.column) for error in plan.errors] == [(3, "kind")]
    with pytest.raises(ImportRefused):
        run_import(kind="actors", data=data, user=admin_user)
    assert snapshot() == before


def test_region_and_pair_previews(admin_user, district, open_round, actors):
    regions = csv_bytes(("code", "name"), ("72.10", "Kab. Sigi"), ("72.10.01", "Sigi Biromaru"))
    score(open_round, actors[0], actors[1], 2, note="Rapat TPPS")
    edges = csv_bytes(
        ("actor_a", "actor_b", "level"),
        ("Dinkes", "PKM Biromaru", "Koordinasi"),  # unchanged
        ("Dinkes", "Bappeda", "3"),  # new
        ("PKM Biromaru", "Bappeda", "1"),  # new
    )
    score(open_round, actors[0], actors[2], 4)
    before = snapshot()
    region_plan = run_import(kind="regions", data=regions, user=admin_user, dry_run=True)
    pair_plan = run_import(
        kind="edges", data=edges, user=admin_user, round=open_round, dry_run=True
    )
    assert snapshot() == before
    assert [(row.action, row.before) for row in region_plan.rows] == [
        (UPDATE, {"name": "Kabupaten Sigi"}),
        (CREATE, {}),
    ]
    assert [(row.number, row.action, row.before) for row in pair_plan.rows] == [
        (2, UNCHANGED, {}),
        (3, UPDATE, {"level": 4}),
        (4, CREATE, {}),
    ]
    assert pair_plan.describe("level", 3) == "3 – Collaboration"
    assert any("cleared" in note for note in pair_plan.notes)
    run_import(kind="edges", data=edges, user=admin_user, round=open_round)
    assert PairAssessment.objects.filter(round=open_round).count() == 3
    assert not Region.objects.filter(code="72.10.01").exists()


def test_a_preview_warns_before_actors_are_deactivated(admin_user, actors):
    data = csv_bytes(
        (*ACTOR_HEADER, "active"),
        ("Dinas Kesehatan Kabupaten Sigi", "Dinkes", "government", "health", "district",
         "72.10", "tidak"),
    )  # fmt: skip
    plan = run_import(kind="actors", data=data, user=admin_user, dry_run=True)
    assert plan.rows[0].before == {"active": True}
    assert "1 actor will be deactivated" in plan.notes[0]


def test_a_preview_of_a_closed_round_is_refused(admin_user, open_round, actors):
    open_round.status = "closed"
    open_round.save()
    edges = csv_bytes(("actor_a", "actor_b", "level"), ("Dinkes", "Bappeda", "3"))
    with pytest.raises(ImportRefused, match="closed"):
        run_import(kind="edges", data=edges, user=admin_user, round=open_round, dry_run=True)


# The API --------------------------------------------------------------------------------


def test_the_api_dry_run_answers_the_plan_and_writes_nothing(admin_user, sigi_actors_file):
    before = snapshot()
    client = api_client(admin_user)
    response = client.post(
        "/api/v1/imports/actors/?dry_run=true",
        {"file": upload(sigi_actors_file)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert snapshot() == before
    body = response.json()
    assert body["dry_run"] is True
    assert (body["created"], body["updated"], body["unchanged"]) == (1, 1, 1)
    assert body["rows"][0] == {
        "row": 2,
        "cell": "",
        "action": "update",
        "values": {
            "name": "Dinas Kesehatan Kabupaten Sigi",
            "short_name": "Dinkes Sigi",
            "kind": "government",
            "sector": "health",
            "government_level": 2,
            "region_code": "72.10",
            "active": True,
        },
        "before": {"short_name": "Dinkes"},
    }
    done = client.post(
        "/api/v1/imports/actors/", {"file": upload(sigi_actors_file)}, format="multipart"
    )
    assert done.json() == {"created": 1, "updated": 1, "unchanged": 1}


def test_the_api_dry_run_of_pairs_and_of_a_bad_file(admin_user, open_round, actors):
    client = api_client(admin_user)
    edges = csv_bytes(("actor_a", "actor_b", "level"), ("Dinkes", "Bappeda", "Kolaborasi"))
    response = client.post(
        f"/api/v1/rounds/{open_round.pk}/import/?dry_run=1",
        {"file": upload(edges), "shape": "edges"},
        format="multipart",
    )
    assert response.status_code == 200
    assert response.json()["rows"][0]["values"]["level"] == 3
    assert not PairAssessment.objects.exists()
    bad = csv_bytes(("actor_a", "actor_b", "level"), ("Dinkes", "Bappeda", "tinggi"))
    refused = client.post(
        f"/api/v1/rounds/{open_round.pk}/import/?dry_run=true",
        {"file": upload(bad), "shape": "edges"},
        format="multipart",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["row"] == 2
    wrong = client.post(
        f"/api/v1/rounds/{open_round.pk}/import/?dry_run=maybe",
        {"file": upload(edges), "shape": "edges"},
        format="multipart",
    )
    assert wrong.status_code == 400
    assert "dry_run" in wrong.json()
    assert not PairAssessment.objects.exists()


def test_the_schema_documents_the_dry_run(viewer):
    import yaml

    schema = yaml.safe_load(api_client(viewer).get("/api/v1/schema/").content)
    for path in ("/api/v1/imports/{kind}/", "/api/v1/rounds/{id}/import/"):
        operation = schema["paths"][path]["post"]
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        assert "dry_run" in names, path
        response = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert "ImportOutcome" in response["$ref"]
    outcome = schema["components"]["schemas"]["ImportOutcome"]["properties"]
    assert {"created", "updated", "unchanged", "dry_run", "rows", "notes"} <= set(outcome)


# The command ----------------------------------------------------------------------------


def test_import_data_dry_run_prints_the_plan_and_writes_nothing(
    tmp_path, admin_user, sigi_actors_file, capsys
):
    path = tmp_path / "actors.csv"
    path.write_bytes(sigi_actors_file)
    before = snapshot()
    call_command("import_data", "actors", str(path), "--user", "admin", "--dry-run")
    assert snapshot() == before
    out = capsys.readouterr().out
    assert "dry run" in out and "nothing was written" in out
    assert "1 to create, 1 to update, 1 unchanged" in out
    assert "row 2: update" in out and "Dinkes → Dinkes Sigi" in out
    assert "row 4: create" in out and "Dinas Sosial Kabupaten Sigi" in out


def test_import_data_dry_run_lists_bad_rows(tmp_path, admin_user, district, health, capsys):
    path = tmp_path / "actors.csv"
    path.write_bytes(csv_bytes(ACTOR_HEADER, ("Dinas PU", "PU", "wizard", "health", "2", "72.10")))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_data", "actors", str(path), "--user", "admin", "--dry-run")
    assert "row 2, column kind" in capsys.readouterr().err
    assert not Actor.objects.exists()


def test_an_unchanged_file_previews_as_unchanged(admin_user, actors):
    ActorFactory(name="Posyandu Mawar", short_name="Posyandu", sector=actors[0].sector,
                 home_region=actors[0].home_region)  # fmt: skip
    from imports.actors import export_actors
    from imports.tabular import write_table

    data, _type = write_table(*export_actors(Actor.objects.all()), "xlsx")
    plan = run_import(kind="actors", data=data, user=admin_user, dry_run=True)
    assert plan.as_dict() == {"created": 0, "updated": 0, "unchanged": 5}


def test_a_record_written_meanwhile_refuses_the_whole_import(
    admin_user, sigi_actors_file, monkeypatch
):
    """Two confirmations at once (a double click, two admins): the second one's insert
    meets the first one's row; it is refused whole, not answered with an error page."""
    from imports import actors as actor_import

    real_bulk_create = actor_import.bulk_create

    def racing_bulk_create(model, objs, *, user):
        Actor.objects.create(
            name="Dinas Sosial Kabupaten Sigi",
            short_name="Dinsos",
            kind="government",
            sector=objs[0].sector,
            government_level=2,
            home_region=objs[0].home_region,
        )  # written by the other request, just before this one inserts
        return real_bulk_create(model, objs, user=user)

    monkeypatch.setattr(actor_import, "bulk_create", racing_bulk_create)
    before = snapshot()
    with pytest.raises(ImportRefused, match="written by someone else"):
        run_import(kind="actors", data=sigi_actors_file, user=admin_user)
    assert snapshot() == before
