"""The per-round summary is current after every kind of write, and its check catches a
summary that drifted from the pairs."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from assessments.models import RoundStatus, RoundSummary
from assessments.rounds import roster_set, round_close, round_open
from assessments.services import pair_assessment_save
from assessments.summaries import check_summaries, counted, paired_level_counts
from tests.factories import RoundFactory, score
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


# The change like for like since the round before, stored with the summary (issue 16) ----


def stored_change(round_):
    summary = RoundSummary.objects.get(round=round_)
    return (
        summary.previous_round_id,
        sorted(map(tuple, summary.paired_levels)),
        summary.newly_scored,
        summary.not_rescored,
    )


def live_change(later, earlier):
    transitions, newly, not_rescored = paired_level_counts([(later.pk, earlier.pk)])[later.pk]
    return earlier.pk, sorted((b, n, c) for (b, n), c in transitions.items()), newly, not_rescored


def test_a_write_to_either_round_recounts_the_change_between_them(
    admin_user, scorer, district, actors
):
    earlier = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    later = RoundFactory(region=district)
    score(earlier, actors[0], actors[1], 1)
    score(earlier, actors[0], actors[2], 3)
    pair_assessment_save(round=later, actor_a=actors[0], actor_b=actors[1], level=3, user=scorer)
    pair_assessment_save(round=later, actor_a=actors[1], actor_b=actors[2], level=2, user=scorer)
    # One pair scored in both (1 → 3), one in the later round only, one in the earlier only.
    assert stored_change(later) == (earlier.pk, [(1, 3, 1)], 1, 1) == live_change(later, earlier)

    # A write to the earlier round recounts the later round's change.
    score(earlier, actors[1], actors[2], 4)
    assert stored_change(later) == (earlier.pk, [(1, 3, 1), (4, 2, 1)], 0, 1)
    assert stored_change(later) == live_change(later, earlier)
    assert check_summaries() == []


def test_a_draft_is_no_previous_round_until_it_opens(admin_user, district, actors):
    first = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
    )
    draft = RoundFactory(
        region=district,
        status=RoundStatus.DRAFT,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    latest = RoundFactory(region=district, status=RoundStatus.CLOSED)
    score(first, actors[0], actors[1], 1)
    score(draft, actors[0], actors[1], 2)
    score(latest, actors[0], actors[1], 4)
    assert stored_change(latest) == (first.pk, [(1, 4, 1)], 0, 0)
    assert stored_change(draft) == (first.pk, [(1, 2, 1)], 0, 0)

    round_open(user=admin_user, round=draft)
    assert stored_change(latest) == (draft.pk, [(2, 4, 1)], 0, 0)
    assert check_summaries() == []


def test_the_check_finds_a_drifted_change_and_the_rebuild_mends_it(district, actors):
    earlier = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    later = RoundFactory(region=district)
    score(earlier, actors[0], actors[1], 1)
    score(later, actors[0], actors[1], 2)
    assert check_summaries() == []
    RoundSummary.objects.filter(round=later).update(paired_levels=[[1, 2, 5]])
    output = io.StringIO()
    with pytest.raises(CommandError):
        call_command("round_summaries", "--check", stdout=output)
    assert f"round {later.pk}" in output.getvalue()
    call_command("round_summaries", stdout=io.StringIO())
    assert check_summaries() == []
    assert stored_change(later) == (earlier.pk, [(1, 2, 1)], 0, 0)


def test_scoring_in_the_earlier_round_moves_the_later_rounds_change(scorer, district, actors):
    """An earlier round reopened while a later one is closed: a score in it moves the later
    round's stored change by that pair (as a recount from both rounds' pairs would)."""
    earlier = RoundFactory(
        region=district, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )
    later = RoundFactory(region=district, status=RoundStatus.CLOSED)
    score(later, actors[0], actors[1], 2)
    score(later, actors[0], actors[2], 3)
    pair_assessment_save(round=earlier, actor_a=actors[0], actor_b=actors[1], level=1, user=scorer)
    assert stored_change(later) == (earlier.pk, [(1, 2, 1)], 1, 0)
    pair_assessment_save(round=earlier, actor_a=actors[0], actor_b=actors[1], level=4, user=scorer)
    pair_assessment_save(round=earlier, actor_a=actors[2], actor_b=actors[3], level=0, user=scorer)
    assert stored_change(later) == (earlier.pk, [(4, 2, 1)], 1, 1) == live_change(later, earlier)
    assert check_summaries() == []
