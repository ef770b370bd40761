"""A page per actor: its ties sorted by level, their change since the previous round, its
programmes and roles, its gaps below the target and its history."""

from datetime import date

import pytest

from actors.models import ParticipantRole
from assessments.models import RoundStatus
from tests.factories import ActorFactory, ProgrammeFactory, RoundFactory, score


@pytest.fixture
def two_rounds(district, actors):
    dinkes, pkm, bappeda, disdik = actors
    last_year = RoundFactory(
        region=district,
        name="Pemetaan 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    score(last_year, dinkes, pkm, 2)
    score(last_year, dinkes, bappeda, 3)
    this_year = RoundFactory(region=district, name="Pemetaan 2026")
    score(this_year, dinkes, pkm, 3)  # +1
    score(this_year, dinkes, bappeda, 1)  # -2
    score(this_year, dinkes, disdik, 0)  # newly scored
    score(this_year, pkm, bappeda, 4)  # not Dinkes's
    return last_year, this_year


def page(client, region, actor, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return client.get(f"/regions/{region.code}/actors/{actor.pk}/?{query}")


def test_the_page_shows_ties_by_level_with_their_change(viewer_client, two_rounds, actors):
    _last_year, this_year = two_rounds
    response = page(viewer_client, this_year.region, actors[0], round=this_year.pk)
    assert response.status_code == 200
    profile = response.context["profile"]
    assert [(tie.other.name, tie.level, tie.change) for tie in profile.ties] == [
        ("Puskesmas Biromaru", 3, 1),
        ("Bappeda Kabupaten Sigi", 1, -2),
        ("Dinas Pendidikan Kabupaten Sigi", 0, None),
    ]
    # Like for like: on the two ties scored in both rounds.
    assert (len(profile.compared), profile.mean_change) == (2, -0.5)
    # Below the default target (3, collaboration): the two weak ties, weakest first.
    assert [tie.other.name for tie in profile.gaps] == [
        "Dinas Pendidikan Kabupaten Sigi",
        "Bappeda Kabupaten Sigi",
    ]
    html = response.content.decode()
    assert "pada 2 hubungan yang dinilai di kedua putaran: rata-rata perubahan -0,50" in html


def test_its_programmes_and_roles(viewer_client, two_rounds, actors, district):
    programme = ProgrammeFactory(region=district, name="Percepatan Penurunan Stunting")
    programme.participants.create(
        actor=actors[0], role=ParticipantRole.LEAD, stages=["planning", "monitoring"]
    )
    html = page(viewer_client, district, actors[0], round=two_rounds[1].pk).content.decode()
    assert "Percepatan Penurunan Stunting" in html
    assert "Perencanaan" in html


def test_a_target_outside_0_to_4_is_refused(viewer_client, two_rounds, actors, district):
    assert page(viewer_client, district, actors[0], target=7).status_code == 404
    assert page(viewer_client, district, actors[0], target=2).status_code == 200


def test_an_actor_off_the_roster_or_outside_the_jurisdiction_is_not_found(
    viewer_client, other_scorer_client, two_rounds, actors, other_actors, district
):
    assert page(viewer_client, district, other_actors[0]).status_code == 404
    assert page(other_scorer_client, district, actors[0]).status_code == 403


def test_the_page_costs_a_fixed_number_of_queries(
    viewer_client, two_rounds, district, health, django_assert_num_queries
):
    _last_year, this_year = two_rounds
    extra = [ActorFactory(sector=health, home_region=district) for _ in range(30)]
    for actor in extra:
        score(this_year, extra[0], actor, 2) if actor is not extra[0] else None
    page(viewer_client, district, extra[0], round=this_year.pk)  # warm the session
    # session, user, groups, jurisdictions, region, rounds (with summaries), roster,
    # levels this round, levels the previous round, programmes, actor history,
    # pair history
    with django_assert_num_queries(12):
        response = page(viewer_client, district, extra[0], round=this_year.pk)
    assert response.status_code == 200
