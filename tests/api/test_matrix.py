"""The who × who matrix of a round, from assessments.selectors.matrix_for_round."""

import pytest

from actors.models import GovernmentLevel
from assessments.models import RoundStatus
from tests.api.conftest import api_client
from tests.conftest import SITE_TODAY
from tests.factories import ProgrammeFactory, RoundFactory, score


def matrix(client, round_, query=""):
    response = client.get(f"/api/v1/rounds/{round_.pk}/matrix/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_not_assessed_pairs_are_absent_and_level_0_is_kept(viewer, open_round, actors):
    score(open_round, actors[0], actors[1], 0)
    score(open_round, actors[2], actors[0], 3)
    data = matrix(api_client(viewer), open_round)
    assert [actor["id"] for actor in data["actors"]] == [actor.pk for actor in actors]
    assert data["pairs"] == [
        {"actor_a": actors[0].pk, "actor_b": actors[1].pk, "level": 0},
        {"actor_a": actors[0].pk, "actor_b": actors[2].pk, "level": 3},
    ]
    assert (data["assessed"], data["possible"]) == (2, 6)
    assert data["actors"][0]["is_health"] is True


def test_the_matrix_filters_are_the_pages(viewer, open_round, actors, planning, district):
    programme = ProgrammeFactory(region=district)
    programme.participants.create(actor=actors[0], role="lead")
    programme.participants.create(actor=actors[2], role="funder")
    score(open_round, actors[0], actors[2], 2)
    score(open_round, actors[0], actors[1], 4)
    client = api_client(viewer)
    by_sector = matrix(client, open_round, f"?sector={planning.pk}")
    assert [actor["name"] for actor in by_sector["actors"]] == ["Bappeda Kabupaten Sigi"]
    assert by_sector["pairs"] == []
    by_programme = matrix(client, open_round, f"?programme={programme.pk}")
    assert len(by_programme["actors"]) == 2
    assert [pair["level"] for pair in by_programme["pairs"]] == [2]
    assert (
        matrix(client, open_round, f"?government_level={GovernmentLevel.VILLAGE}")["actors"] == []
    )

    bad = client.get(f"/api/v1/rounds/{open_round.pk}/matrix/?sector=9999&government_level=x")
    assert bad.status_code == 400
    assert set(bad.json()) == {"sector", "government_level"}


def test_the_matrix_of_a_round_outside_the_jurisdiction_is_not_found(
    other_scorer, viewer, open_round, district
):
    draft = RoundFactory(region=district, status=RoundStatus.DRAFT)
    assert (
        api_client(other_scorer).get(f"/api/v1/rounds/{open_round.pk}/matrix/").status_code == 404
    )
    assert api_client(viewer).get(f"/api/v1/rounds/{draft.pk}/matrix/").status_code == 404


def test_the_matrix_costs_a_fixed_number_of_queries(
    viewer, open_round, actors, django_assert_num_queries
):
    for other in actors[1:]:
        score(open_round, actors[0], other, 1)
    client = api_client(viewer)
    client.get("/api/v1/")  # warm the session
    # session, user, groups (roles), jurisdiction regions, the round, the actors, the levels
    with django_assert_num_queries(7):
        client.get(f"/api/v1/rounds/{open_round.pk}/matrix/")


@pytest.mark.dates
def test_the_matrix_as_of_a_date_reads_the_history(viewer, scorer, open_round, actors):
    from datetime import timedelta

    from django.utils import timezone

    client = api_client(scorer)
    client.post(
        "/api/v1/pair-assessments/",
        {"round": open_round.pk, "actor_a": actors[0].pk, "actor_b": actors[1].pk, "level": 2},
        format="json",
    )
    today = timezone.localdate()  # the site's day, as the page reads it
    yesterday = (today - timedelta(days=1)).isoformat()
    reader = api_client(viewer)
    assert matrix(reader, open_round, f"?as_of={yesterday}")["pairs"] == []
    now = matrix(reader, open_round, f"?as_of={today.isoformat()}")
    assert [pair["level"] for pair in now["pairs"]] == [2]
    # The site's days (WITA), not UTC's: at 23:30 UTC on the 29th it is the 30th in Sigi.
    assert today == SITE_TODAY
    assert matrix(reader, open_round, "?as_of=2026-11-29")["pairs"] == []
    bad = reader.get(f"/api/v1/rounds/{open_round.pk}/matrix/?as_of=kemarin")
    assert (bad.status_code, list(bad.json())) == (400, ["as_of"])
