"""Importing regions and actors: every row checked, one bad row writes nothing, a second
import of the same file changes nothing, and an export reads back unchanged."""

import pytest
from django.core.exceptions import PermissionDenied

from actors.models import Actor, GovernmentLevel, Region
from imports.actors import export_actors, import_actors
from imports.regions import export_regions, import_regions
from imports.tabular import ImportRefused, write_table
from tests.factories import ActorFactory, RegionFactory
from tests.imports.conftest import csv_bytes, messages, snapshot, xlsx_bytes

# Regions ---------------------------------------------------------------------------------


def test_regions_are_created_with_parents_from_their_codes(admin_user, province):
    data = csv_bytes(
        ("code", "name"),
        ("7210012001", "Desa Ngatabaru"),  # its parents come later in the file
        ("721001", "Sigi Biromaru"),
        ("72.10", "Kabupaten Sigi"),
    )
    result = import_regions(data=data, user=admin_user)
    assert result.as_dict() == {"created": 3, "updated": 0, "unchanged": 0}
    village = Region.objects.get(code="72.10.01.2001")
    assert village.level == GovernmentLevel.VILLAGE
    assert village.parent.code == "72.10.01"
    assert village.parent.parent.code == "72.10"
    assert village.parent.parent.parent == province

    again = import_regions(data=data, user=admin_user)
    assert again.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}


def test_a_kemendagri_list_without_a_header_is_read(admin_user, province):
    result = import_regions(data=csv_bytes(("72.10", "Sigi"), ("72.71", "Palu")), user=admin_user)
    assert result.created == 2


def test_a_new_name_renames_the_region(admin_user, district):
    result = import_regions(
        data=csv_bytes(("code", "name"), ("7210", "Kab. Sigi")), user=admin_user
    )
    assert result.as_dict() == {"created": 0, "updated": 1, "unchanged": 0}
    district.refresh_from_db()
    assert district.name == "Kab. Sigi"


def test_every_bad_region_row_is_reported_and_nothing_is_written(admin_user, province):
    RegionFactory(code="73", name="Sulawesi Selatan", level=GovernmentLevel.PROVINCE)
    before = snapshot()
    data = csv_bytes(
        ("code", "name"),
        ("72.10", "Kabupaten Sigi"),  # fine, but not written
        ("72-11", "Banggai Laut"),
        ("72.10", "Sigi again"),
        ("72.12.01", "Kecamatan"),
        ("73.01", "Kepulauan Selayar"),
        ("72.71", "=HYPERLINK()"),
        ("72.13", "<b>Baru</b>"),
        ("72.14", ""),
    )
    with pytest.raises(ImportRefused) as refused:
        import_regions(data=data, user=admin_user)
    found = messages(refused.value)
    assert [(row, column) for row, column, _message in found] == [
        (3, "code"),
        (4, "code"),
        (5, "code"),
        (6, "code"),
        (7, "name"),
        (8, "name"),
        (9, "name"),
    ]
    text = " | ".join(message for *_where, message in found)
    for expected in [
        "72-11 is not a Kemendagri code",
        "already in row 2",
        "parent region 72.12 is neither in the file nor known",
        "73.01 is outside your jurisdiction",
        "spreadsheet formula",
        "HTML",
        "empty",
    ]:
        assert expected in text
    assert snapshot() == before


def test_only_admins_import_regions(scorer, province):
    with pytest.raises(PermissionDenied):
        import_regions(data=csv_bytes(("code", "name"), ("72.13", "Baru")), user=scorer)
    assert not Region.objects.filter(code="72.13").exists()


def test_regions_round_trip(admin_user, province, district, other_district):
    header, rows = export_regions(Region.objects.all())
    for file_type in ("csv", "xlsx"):
        data, _content_type = write_table(header, rows, file_type)
        result = import_regions(data=data, user=admin_user)
        assert result.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}
    assert export_regions(Region.objects.all()) == (header, rows)


# Actors ----------------------------------------------------------------------------------

ACTOR_HEADER = ("name", "short_name", "kind", "sector", "government_level", "region_code")


def test_actors_are_created_then_updated_and_a_second_import_changes_nothing(
    admin_user, district, health, planning
):
    data = csv_bytes(
        ACTOR_HEADER,
        ("Dinas Kesehatan Kabupaten Sigi", "Dinkes", "government", "health", "2", "7210"),
        ("Bappeda Kabupaten Sigi", "Bappeda", "government", "Perencanaan", "kabupaten", "72.10"),
        delimiter=";",
    )
    assert import_actors(data=data, user=admin_user).as_dict() == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert import_actors(data=data, user=admin_user).unchanged == 2
    bappeda = Actor.objects.get(short_name="Bappeda")
    assert (bappeda.sector, bappeda.government_level) == (planning, GovernmentLevel.DISTRICT)

    changed = csv_bytes(
        (*ACTOR_HEADER, "active"),
        ("Bappeda Kabupaten Sigi", "Bappelitbangda", "government", "planning", "district", "7210",
         "no"),
    )  # fmt: skip
    assert import_actors(data=changed, user=admin_user).updated == 1
    bappeda.refresh_from_db()
    assert (bappeda.short_name, bappeda.is_active) == ("Bappelitbangda", False)


def test_every_bad_actor_row_is_reported_and_nothing_is_written(
    admin_user, district, other_district, health
):
    RegionFactory(code="73", name="Sulawesi Selatan", level=GovernmentLevel.PROVINCE)
    before = snapshot()
    data = xlsx_bytes(
        ACTOR_HEADER,
        ("Dinas Kesehatan", "Dinkes", "government", "health", "district", "72.10"),
        ("Dinas Kesehatan", "Dinkes", "government", "health", "district", "72.10"),
        ("Puskesmas", "PKM", "hospital", "health", "district", "72.10"),
        ("Dinas Sosial", "Dinsos", "government", "social", "district", "72.10"),
        ("Dinas PU", "PU", "government", "health", "regency", "72.10"),
        ("Dinas Pangan", "Pangan", "government", "health", "district", "72.99"),
        ("Dinas Pangan", "Pangan", "government", "health", "province", "73"),
        ("@Dinas", "+62", "government", "health", "district", "72.10"),
        ("X" * 201, "X", "government", "health", "district", "72.10"),
    )
    with pytest.raises(ImportRefused) as refused:
        import_actors(data=data, user=admin_user)
    found = {(row, column): message for row, column, message in messages(refused.value)}
    assert "already in row 2" in found[(3, "name")]
    assert "Unknown kind hospital" in found[(4, "kind")]
    assert "Unknown sector social" in found[(5, "sector")]
    assert "Unknown government level regency" in found[(6, "government_level")]
    assert "No region with the code 72.99" in found[(7, "region_code")]
    assert "outside your jurisdiction" in found[(8, "region_code")]
    assert "formula" in found[(9, "name")] and "formula" in found[(9, "short_name")]
    assert "200" in found[(10, "name")]
    assert snapshot() == before


def test_missing_columns_are_named(admin_user, district):
    with pytest.raises(ImportRefused) as refused:
        import_actors(data=csv_bytes(("name", "sector"), ("Dinkes", "health")), user=admin_user)
    message = refused.value.errors[0].message
    assert "short_name" in message and "region_code" in message


def test_a_district_admin_imports_actors_into_their_district_only(district, other_district, health):
    from accounts.models import Role
    from tests.factories import make_user

    admin = make_user("admin_sigi", role=Role.ADMIN, regions=[district])
    data = csv_bytes(
        ACTOR_HEADER,
        ("Dinas Kesehatan Kabupaten Sigi", "Dinkes", "government", "health", "2", "72.10"),
        ("Dinas Kesehatan Kota Palu", "Dinkes", "government", "health", "2", "72.71"),
    )
    with pytest.raises(ImportRefused) as refused:
        import_actors(data=data, user=admin)
    assert messages(refused.value) == [
        (3, "region_code", "The region 72.71 is outside your jurisdiction.")
    ]
    assert not Actor.objects.exists()


def test_actors_round_trip(admin_user, actors, other_actors):
    ActorFactory(
        name="Posyandu Mawar",
        short_name="Posyandu",
        kind="community",
        sector=actors[0].sector,
        government_level=GovernmentLevel.VILLAGE,
        home_region=actors[0].home_region,
        is_active=False,
    )
    header, rows = export_actors(Actor.objects.all())
    for file_type in ("csv", "xlsx"):
        data, _content_type = write_table(header, rows, file_type)
        assert import_actors(data=data, user=admin_user).as_dict() == {
            "created": 0,
            "updated": 0,
            "unchanged": 7,
        }
    assert export_actors(Actor.objects.all()) == (header, rows)


def test_an_exported_actor_file_recreates_the_actors(admin_user, actors):
    header, rows = export_actors(Actor.objects.all())
    data, _content_type = write_table(header, rows, "csv")
    Actor.objects.all().delete()
    assert import_actors(data=data, user=admin_user).created == 4
    assert export_actors(Actor.objects.all()) == (header, rows)
