"""Importing the pair assessments of a round: an edge list or a matrix, checked by the
scoring service's rules, written in bulk, idempotent, and read back from an export."""

import pytest
from django.core.exceptions import PermissionDenied

from actors.models import GovernmentLevel
from assessments.models import PairAssessment, RoundStatus
from imports.pairs import export_edges, export_matrix, import_pairs
from imports.tabular import ImportRefused, write_table
from tests.factories import ActorFactory, RegionFactory, RoundFactory, score
from tests.imports.conftest import csv_bytes, messages, snapshot, xlsx_bytes

EDGE_HEADER = ("actor_a", "actor_b", "level")


def levels(round_):
    return {
        (pair.actor_a.short_name, pair.actor_b.short_name): pair.level
        for pair in PairAssessment.objects.filter(round=round_).select_related("actor_a", "actor_b")
    }


def test_an_edge_list_names_actors_by_name_or_short_name(admin_user, open_round, actors):
    data = csv_bytes(
        EDGE_HEADER,
        ("Dinkes", "bappeda", "3"),
        ("Dinas Pendidikan Kabupaten Sigi", "Dinkes", "0"),
        ("PKM  Biromaru", "Disdik", "2.0"),
    )
    result = import_pairs(data=data, round=open_round, user=admin_user, shape="edges")
    assert result.as_dict() == {"created": 3, "updated": 0, "unchanged": 0}
    assert levels(open_round) == {
        ("Dinkes", "Bappeda"): 3,
        ("Dinkes", "Disdik"): 0,
        ("PKM Biromaru", "Disdik"): 2,
    }
    stored = PairAssessment.objects.first()
    assert stored.scored_by == admin_user
    assert stored.scored_at is not None

    again = import_pairs(data=data, round=open_round, user=admin_user, shape="edges")
    assert again.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}


def test_a_changed_level_replaces_the_assessment_as_a_save_does(admin_user, open_round, actors):
    existing = score(
        open_round, actors[0], actors[2], 3, note="SK TPPS", shares_information=True,
        mechanisms=["data_sharing"],
    )  # fmt: skip
    unchanged = score(open_round, actors[0], actors[1], 2, note="tetap")
    data = csv_bytes(EDGE_HEADER, ("Dinkes", "Bappeda", "1"), ("Dinkes", "PKM Biromaru", "2"))
    result = import_pairs(data=data, round=open_round, user=admin_user, shape="edges")
    assert result.as_dict() == {"created": 0, "updated": 1, "unchanged": 1}
    existing.refresh_from_db()
    assert (existing.level, existing.note, existing.shares_information) == (1, "", None)
    assert existing.mechanisms == []
    assert existing.version == 2
    unchanged.refresh_from_db()
    assert (unchanged.note, unchanged.version) == ("tetap", 1)


def test_imports_keep_the_change_history(admin_user, open_round, actors):
    data = csv_bytes(EDGE_HEADER, ("Dinkes", "Bappeda", "1"))
    import_pairs(data=data, round=open_round, user=admin_user, shape="edges")
    import_pairs(
        data=csv_bytes(EDGE_HEADER, ("Dinkes", "Bappeda", "4")),
        round=open_round,
        user=admin_user,
        shape="edges",
    )
    history = PairAssessment.objects.get().history.order_by("history_date")
    assert [(record.level, record.history_user) for record in history] == [
        (1, admin_user),
        (4, admin_user),
    ]


def test_every_bad_edge_is_reported_and_nothing_is_written(
    admin_user, open_round, actors, other_actors, health
):
    actors[3].is_active = False
    actors[3].save()
    ActorFactory(name="Puskesmas Kalukubula", short_name="PKM Biromaru", sector=health,
                 home_region=actors[0].home_region)  # fmt: skip
    score(open_round, actors[0], actors[1], 2)
    before = snapshot()
    data = csv_bytes(
        EDGE_HEADER,
        ("Dinkes", "Bappeda", "3"),  # 2: fine, but not written
        ("Dinkes", "Bappeda", "3"),  # 3: the same pair again
        ("Bappeda", "Dinkes", "2"),  # 4: the same pair, the other way round
        ("Dinkes", "Dinkes", "1"),  # 5
        ("Dinkes", "Dinkes Palu", "1"),  # 6: another district
        ("Dinkes", "Disdik", "1"),  # 7: inactive
        ("Dinkes", "Dinas Sosial", "1"),  # 8: unknown
        ("Dinkes", "PKM Biromaru", "1"),  # 9: two actors have that short name
        ("Dinkes", "Puskesmas Biromaru", "5"),  # 10
        ("Dinkes", "Puskesmas Biromaru", "-1"),  # 11
        ("Dinkes", "Puskesmas Biromaru", "tinggi"),  # 12
        ("Dinkes", "Puskesmas Biromaru", "2.5"),  # 13
        ("Dinkes", "Puskesmas Biromaru", ""),  # 14
        ("=cmd|'/c calc'!A1", "Dinkes", "1"),  # 15
    )
    with pytest.raises(ImportRefused) as refused:
        import_pairs(data=data, round=open_round, user=admin_user, shape="edges")
    found = {row: message for row, _column, message in messages(refused.value)}
    assert sorted(found) == list(range(3, 16))
    assert "already in row 2" in found[3] and "already in row 2" in found[4]
    assert "itself" in found[5]
    assert "No actor named Dinkes Palu in Kabupaten Sigi" in found[6]
    assert "no longer active" in found[7]
    assert "No actor named Dinas Sosial" in found[8]
    assert "names 2 actors" in found[9]
    for row in (10, 11, 12, 13, 14):
        assert "whole number from 0 to 4" in found[row]
    assert "formula" in found[15]
    assert snapshot() == before


def test_a_province_round_takes_the_provinces_own_actors_only(admin_user, province, actors):
    provincial = [
        ActorFactory(name=f"Dinas Provinsi {n}", short_name=f"Prov {n}", home_region=province,
                     government_level=GovernmentLevel.PROVINCE)
        for n in (1, 2)
    ]  # fmt: skip
    round_ = RoundFactory(region=province)
    data = csv_bytes(EDGE_HEADER, ("Prov 1", "Prov 2", "4"), ("Prov 1", "Dinkes", "1"))
    with pytest.raises(ImportRefused) as refused:
        import_pairs(data=data, round=round_, user=admin_user, shape="edges")
    assert messages(refused.value) == [
        (3, "", "Dinas Kesehatan Kabupaten Sigi is not on the roster of this round.")
    ]
    import_pairs(data=data[: data.index(b"Prov 1,Dinkes")], round=round_, user=admin_user,
                 shape="edges")  # fmt: skip
    assert PairAssessment.objects.get().actor_a in provincial


def test_a_matrix_is_read_with_empty_cells_as_not_assessed(admin_user, open_round, actors):
    names = ["Dinkes", "PKM Biromaru", "Bappeda", "Disdik"]
    data = xlsx_bytes(
        ("", *names),
        ("Dinkes", None, 2, 3, None),
        ("PKM Biromaru", 2, None, None, 0),
        ("Bappeda", 3, None, None, None),
        ("Disdik", None, 0, None, None),
    )
    result = import_pairs(data=data, round=open_round, user=admin_user, shape="matrix")
    assert result.created == 3
    assert levels(open_round) == {
        ("Dinkes", "PKM Biromaru"): 2,
        ("Dinkes", "Bappeda"): 3,
        ("PKM Biromaru", "Disdik"): 0,
    }


def test_a_matrix_whose_halves_disagree_is_refused(admin_user, open_round, actors):
    data = csv_bytes(
        ("", "Dinkes", "Bappeda", "Bappeda"),
        ("Dinkes", "", "3", ""),
        ("Bappeda", "2", "", ""),
        ("Dinkes", "", "", ""),
        ("Disdik", "", "", "", "4"),
    )
    with pytest.raises(ImportRefused) as refused:
        import_pairs(data=data, round=open_round, user=admin_user, shape="matrix")
    found = messages(refused.value)
    assert (1, "D", "Bappeda Kabupaten Sigi already heads column C.") in found
    assert (3, "B", "Level 2 here, but level 3 for the same pair in row 2, column C.") in found
    assert any(row == 4 and "already heads row 2" in message for row, _c, message in found)
    assert any(row == 5 and "more cells" in message for row, _c, message in found)
    assert not PairAssessment.objects.exists()


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.DRAFT])
def test_only_an_open_round_takes_an_import(admin_user, district, actors, status):
    round_ = RoundFactory(region=district, status=status)
    with pytest.raises(ImportRefused) as refused:
        import_pairs(
            data=csv_bytes(EDGE_HEADER, ("Dinkes", "Bappeda", "1")),
            round=round_,
            user=admin_user,
            shape="edges",
        )
    assert "round" in refused.value.errors[0].message
    assert not PairAssessment.objects.exists()


@pytest.mark.parametrize("who", ["scorer", "planner", "other_district_admin"])
def test_only_admins_who_may_score_there_import(request, open_round, actors, other_district, who):
    from accounts.models import Role
    from tests.factories import make_user

    if who == "other_district_admin":
        user = make_user("admin_palu", role=Role.ADMIN, regions=[other_district])
    else:
        user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        import_pairs(
            data=csv_bytes(EDGE_HEADER, ("Dinkes", "Bappeda", "1")),
            round=open_round,
            user=user,
            shape="edges",
        )
    assert not PairAssessment.objects.exists()


@pytest.mark.parametrize("shape", ["edges", "matrix"])
@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_exports_read_back_unchanged(admin_user, open_round, district, actors, shape, file_type):
    score(open_round, actors[0], actors[1], 0)
    score(open_round, actors[0], actors[2], 4)
    score(open_round, actors[2], actors[3], 2)
    actors[3].is_active = False  # already scored: still exported, and still reads back
    actors[3].save()
    export = export_edges if shape == "edges" else export_matrix
    header, rows = export(open_round)
    data, _content_type = write_table(header, rows, file_type)
    before = snapshot()
    result = import_pairs(data=data, round=open_round, user=admin_user, shape=shape)
    assert result.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}
    assert snapshot() == before

    actors[3].is_active = True
    actors[3].save()
    fresh = RoundFactory(region=district)
    import_pairs(data=data, round=fresh, user=admin_user, shape=shape)
    assert levels(fresh) == levels(open_round)
    assert export(fresh) == export(open_round)


def test_the_matrix_export_leaves_not_assessed_pairs_empty(open_round, actors):
    score(open_round, actors[0], actors[1], 0)
    header, rows = export_matrix(open_round)
    assert header[1:] == [actor.name for actor in actors]
    assert rows[0][1:] == [None, 0, None, None]
    assert rows[1][1:] == [0, None, None, None]


def test_actors_below_the_district_are_found(admin_user, district, health):
    subdistrict = RegionFactory(code="72.10.01", name="Sigi Biromaru",
                                level=GovernmentLevel.SUBDISTRICT, parent=district)  # fmt: skip
    ActorFactory(name="Puskesmas Kecamatan", short_name="PKM Kec", home_region=subdistrict,
                 sector=health, government_level=GovernmentLevel.SUBDISTRICT)  # fmt: skip
    ActorFactory(name="Dinkes Sigi", short_name="Dinkes", home_region=district, sector=health)
    round_ = RoundFactory(region=district)
    result = import_pairs(
        data=csv_bytes(EDGE_HEADER, ("PKM Kec", "Dinkes", "3")),
        round=round_,
        user=admin_user,
        shape="edges",
    )
    assert result.created == 1
