"""Scoring through the API: the rules of the scoring page, from the same service."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import PairAssessment, RoundStatus
from tests.api.conftest import api_client, snapshot
from tests.conftest import SITE_TODAY
from tests.factories import RoundFactory, score

URL = "/api/v1/pair-assessments/"


def body(round_, actor_a, actor_b, **values):
    return {"round": round_.pk, "actor_a": actor_a.pk, "actor_b": actor_b.pk, **values}


def test_a_scorer_scores_a_pair_and_scoring_it_again_replaces_it(scorer, open_round, actors):
    client = api_client(scorer)
    first = client.post(
        URL,
        body(open_round, actors[1], actors[0], level=2, note="rapat", mechanisms=["data_sharing"]),
        format="json",
    )
    assert first.status_code == 201, first.content
    data = first.json()
    assert (data["actor_a"], data["actor_b"], data["level"]) == (actors[0].pk, actors[1].pk, 2)
    assert data["mechanisms"] == ["data_sharing"]
    assert data["scored_by"] == "penilai_sigi"

    again = client.post(URL, body(open_round, actors[0], actors[1], level=4), format="json")
    assert again.status_code == 200
    stored = PairAssessment.objects.get()
    assert (stored.level, stored.note, stored.mechanisms) == (4, "", [])


@pytest.mark.dates
def test_the_moment_of_scoring_is_given_in_the_sites_time(scorer, open_round, actors):
    client = api_client(scorer)
    client.post(URL, body(open_round, actors[0], actors[1], level=2), format="json")
    [item] = api_client(scorer).get(f"{URL}?round={open_round.pk}").json()["results"]
    assert item["scored_at"].startswith(f"{SITE_TODAY.isoformat()}T")
    assert item["scored_at"].endswith("+08:00")


def test_the_level_is_derived_from_the_evidence(scorer, open_round, actors):
    response = api_client(scorer).post(
        URL,
        body(
            open_round,
            actors[0],
            actors[2],
            shares_information=True,
            joint_activities=True,
            shared_roles_and_resources=False,
            formal_structure=None,
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["level"] == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"level": 5}, "level"),
        ({"level": -1}, "level"),
        ({"level": "tinggi"}, "level"),
        ({}, "level"),  # neither a level nor evidence
        ({"level": 2, "mechanisms": ["telepathy"]}, "mechanisms"),
        ({"level": 2, "note": "x" * 4001}, "note"),
        ({"level": 3, "shares_information": True, "joint_activities": True}, "level"),
    ],
)
def test_bad_values_are_refused_per_field_and_nothing_is_written(
    scorer, open_round, actors, values, field
):
    before = snapshot()
    response = api_client(scorer).post(
        URL, body(open_round, actors[0], actors[1], **values), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


def test_answers_that_skip_a_step_need_a_confirmation(scorer, open_round, actors):
    client = api_client(scorer)
    skipping = {"shares_information": False, "shared_roles_and_resources": True}
    refused = client.post(
        URL, body(open_round, actors[0], actors[1], level=3, **skipping), format="json"
    )
    assert refused.status_code == 400
    assert "skip" in refused.json()["non_field_errors"][0]
    confirmed = client.post(
        URL,
        body(open_round, actors[0], actors[1], level=3, confirm_inconsistent=True, **skipping),
        format="json",
    )
    assert confirmed.status_code == 201
    assert confirmed.json()["evidence_inconsistency_confirmed"] is True


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("same actor", "itself"),
        ("other region", "not on the roster"),
        ("inactive", "no longer active"),
    ],
)
def test_pairs_the_scoring_page_refuses_are_refused(
    scorer, open_round, actors, other_actors, admin_user, case, message
):
    a, b = actors[0], actors[1]
    client = api_client(scorer)
    if case == "same actor":
        b = a
    elif case == "other region":
        client, b = api_client(admin_user), other_actors[0]  # the admin sees both districts
    else:
        score(open_round, b, actors[2], 1)  # scored, so it stays on the roster
        b.is_active = False
        b.save()
    before = snapshot()
    response = client.post(URL, body(open_round, a, b, level=1), format="json")
    assert response.status_code == 400
    assert message in response.json()["non_field_errors"][0]
    assert snapshot() == before


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.DRAFT])
def test_only_open_rounds_are_scored(admin_user, district, actors, status):
    round_ = RoundFactory(region=district, status=status)
    before = snapshot()
    response = api_client(admin_user).post(
        URL, body(round_, actors[0], actors[1], level=1), format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert snapshot() == before


def test_another_districts_scorer_cannot_reach_the_round_or_its_pairs(
    other_scorer, open_round, actors
):
    assessment = score(open_round, actors[0], actors[1], 2)
    client = api_client(other_scorer)
    before = snapshot()
    created = client.post(URL, body(open_round, actors[0], actors[2], level=1), format="json")
    assert created.status_code == 400
    assert set(created.json()) == {"round", "actor_a", "actor_b"}
    assert client.patch(f"{URL}{assessment.pk}/", {"level": 4}, format="json").status_code == 404
    assert client.get(URL).json()["results"] == []
    assert snapshot() == before


def test_patch_keeps_what_it_does_not_give(scorer, open_round, actors):
    client = api_client(scorer)
    created = client.post(
        URL,
        body(
            open_round, actors[0], actors[1], level=1, note="data gizi", mechanisms=["data_sharing"]
        ),
        format="json",
    ).json()
    patched = client.patch(f"{URL}{created['id']}/", {"level": 2}, format="json")
    assert patched.status_code == 200, patched.content
    assert (patched.json()["level"], patched.json()["note"]) == (2, "data gizi")
    assert patched.json()["mechanisms"] == ["data_sharing"]

    replaced = client.put(f"{URL}{created['id']}/", {"level": 3}, format="json")
    assert replaced.status_code == 200
    assert (replaced.json()["level"], replaced.json()["note"]) == (3, "")


def test_patching_evidence_derives_the_level_again(scorer, open_round, actors):
    client = api_client(scorer)
    created = client.post(URL, body(open_round, actors[0], actors[1], level=4), format="json")
    patched = client.patch(
        f"{URL}{created.json()['id']}/", {"shares_information": True}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["level"] == 1


def test_a_closed_rounds_pairs_are_read_only(scorer, district, actors):
    round_ = RoundFactory(region=district, status=RoundStatus.CLOSED)
    assessment = score(round_, actors[0], actors[1], 2)
    before = snapshot()
    response = api_client(scorer).patch(f"{URL}{assessment.pk}/", {"level": 4}, format="json")
    assert response.status_code == 400
    assert "closed" in response.json()["non_field_errors"][0]
    assert snapshot() == before


@pytest.mark.dates
def test_assessment_filters(planner, open_round, district, actors):
    old_round = RoundFactory(region=district, status=RoundStatus.CLOSED)
    old = score(old_round, actors[0], actors[1], 1)
    PairAssessment.objects.filter(pk=old.pk).update(scored_at=timezone.now() - timedelta(days=30))
    score(open_round, actors[0], actors[1], 3)
    score(open_round, actors[0], actors[2], 0)
    client = api_client(planner)

    def levels(query):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return sorted(item["level"] for item in response.json()["results"])

    assert levels(f"round={open_round.pk}") == [0, 3]
    assert levels("level=0") == [0]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert levels("changed_since=" + since.replace("+", "%2B")) == [0, 3]
    assert levels("region=72.10") == [0, 1, 3]
    # A moment without an offset is the site's time: midnight starting 30 November in WITA
    # (16:00 UTC on the 29th) is before this morning's scores, whatever the UTC date.
    assert levels(f"changed_since={SITE_TODAY.isoformat()}T00:00:00") == [0, 3]
    assert client.get(f"{URL}?changed_since=yesterday").status_code == 400
    assert client.get(f"{URL}?level=7").status_code == 400


def test_a_save_over_a_newer_version_is_a_conflict(scorer, admin_user, open_round, actors):
    client = api_client(scorer)
    created = client.post(
        URL, body(open_round, actors[0], actors[1], level=1, expected_version=0), format="json"
    ).json()
    assert created["version"] == 1
    # The admin saves in between.
    api_client(admin_user).patch(
        f"{URL}{created['id']}/", {"level": 3, "expected_version": 1}, format="json"
    )
    before = snapshot()
    stale = client.patch(
        f"{URL}{created['id']}/", {"level": 2, "expected_version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["level"] == 3
    assert stale.json()["current"]["version"] == 2
    assert "Someone else saved this pair" in stale.json()["detail"]
    again = client.post(
        URL, body(open_round, actors[0], actors[1], level=2, expected_version=0), format="json"
    )
    assert again.status_code == 409
    assert snapshot() == before
    fresh = client.patch(
        f"{URL}{created['id']}/", {"level": 2, "expected_version": 2}, format="json"
    )
    assert (fresh.status_code, fresh.json()["version"]) == (200, 3)
