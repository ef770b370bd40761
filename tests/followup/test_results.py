"""Checked in the next round: each action's pair, sector pair or actor against its target."""

import pytest
from django.urls import reverse

from followup.selectors import action_results

pytestmark = pytest.mark.django_db


def test_each_subject_is_checked_in_the_next_round(checked, last_year, open_round):
    results = action_results(checked.values(), [open_round, last_year])
    found = {
        name: (results[action.pk].level, results[action.pk].reached(action.target_level))
        for name, action in checked.items()
        if action.pk in results
    }
    assert found == {
        "reached": (3.0, True),
        "below": (2.0, False),
        "not_assessed": (None, None),
        "sectors": (3.0, True),
        "actor": (2.5, False),
    }
    # Checked in 2026; this year's action has no next round yet.
    assert {result.round for result in results.values()} == {open_round}


def test_the_list_and_the_action_page_show_the_result(planner_client, district, checked):
    page = planner_client.get(reverse("followup:list", args=[district.code])).content.decode()
    assert page.count("target tercapai") == 2
    assert page.count("di bawah target") == 2
    assert "belum dinilai di Pemetaan Sigi 2026" in page
    detail = planner_client.get(
        reverse("followup:edit", args=[district.code, checked["reached"].pk])
    ).content.decode()
    assert "3 di Pemetaan Sigi 2026" in detail
    assert "target tercapai" in detail


def test_the_api_gives_each_actions_result(admin_user, checked, open_round):
    from tests.api.conftest import api_client

    listed = api_client(admin_user).get("/api/v1/actions/").json()["results"]
    by_id = {item["id"]: item["next_round"] for item in listed}
    assert by_id[checked["reached"].pk] == {"round": open_round.pk, "level": 3.0, "reached": True}
    assert by_id[checked["not_assessed"].pk] == {
        "round": open_round.pk,
        "level": None,
        "reached": None,
    }
    assert by_id[checked["this_year"].pk] is None
    one = api_client(admin_user).get(f"/api/v1/actions/{checked['actor'].pk}/").json()
    assert one["next_round"] == {"round": open_round.pk, "level": 2.5, "reached": False}
