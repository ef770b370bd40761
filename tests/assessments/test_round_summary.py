"""The per-round summary is current after every kind of write, and its check catches a
summary that drifted from the pairs."""

import io

import pytest
from django.core.management import CommandError, call_command

from assessments.models import RoundSummary
from assessments.rounds import roster_set, round_close
from assessments.services import pair_assessment_save
from assessments.summaries import check_summaries, counted
from tests.security.conftest import api_client, page_client


def stored(round_):
    summary = RoundSummary.objects.get(round=round_)
    return {field: getattr(summary, field) for field in counted(round_.pk)}, summary.version


def assert_current(round_):
    values, _version = stored(round_)
    assert values == counted(round_.pk)


def test_every_write_keeps_the_summary_current(
    admin_user, scorer, open_round, actors, district, health
):
    _values, version = stored(open_round)
    pair_assessment_save(
        round=open_round, actor_a=actors[0], actor_b=actors[1], level=3, user=scorer
    )
    assert_current(open_round)
    assert stored(open_round)[0]["level_3"] == 1

    # The scoring page and the API are the same service; a roster change counts members.
    response = page_client(scorer).post(
        f"/rounds/{open_round.pk}/pairs/{actors[0].pk}-{actors[2].pk}/",
        {"version": 0, "level": "2"},
    )
    assert response.status_code == 302
    response = api_client(scorer).post(
        "/api/v1/pair-assessments/",
        {"round": open_round.pk, "actor_a": actors[1].pk, "actor_b": actors[2].pk, "level": 0},
        format="json",
    )
    assert response.status_code == 201
    roster_set(user=admin_user, round=open_round, actors=actors[:3])
    values, later = stored(open_round)
    assert values == counted(open_round.pk)
    assert (values["members"], values["assessed"], values["level_total"]) == (3, 3, 5)
    assert later > version

    # Closing moves the version on: what was built from the open round is stale.
    round_close(user=admin_user, round=open_round)
    assert stored(open_round)[1] > later


def test_an_admin_deletion_of_a_pair_is_counted(admin_user, open_round, actors):
    pair = pair_assessment_save(
        round=open_round, actor_a=actors[0], actor_b=actors[1], level=3, user=admin_user
    )
    page_client(admin_user).post(
        f"/admin/assessments/pairassessment/{pair.pk}/delete/", {"post": "yes"}
    )
    assert stored(open_round)[0]["assessed"] == 0


def test_the_check_finds_a_drifted_summary_and_the_rebuild_mends_it(open_round, actors):
    from tests.factories import score

    score(open_round, actors[0], actors[1], 2)
    assert check_summaries() == []
    RoundSummary.objects.filter(round=open_round).update(level_2=7, assessed=7)
    output = io.StringIO()
    with pytest.raises(CommandError):
        call_command("round_summaries", "--check", stdout=output)
    assert f"round {open_round.pk}" in output.getvalue()
    call_command("round_summaries", stdout=io.StringIO())
    assert check_summaries() == []


def test_an_import_keeps_the_summary_current(admin_user, open_round, actors):
    from imports.services import run_import

    data = b"actor_a,actor_b,level\nDinkes,Bappeda,3\nDinkes,Disdik,1\n"
    run_import(kind="edges", data=data, user=admin_user, round=open_round)
    assert_current(open_round)
    assert stored(open_round)[0]["assessed"] == 2
