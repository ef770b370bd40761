from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Role
from actors.models import Actor, GovernmentLevel, Programme, Region
from assessments.models import AssessmentRound, PairAssessment, RoundStatus


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def table_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Region, Actor, Programme, AssessmentRound, PairAssessment)
    }


@pytest.mark.django_db
def test_the_demo_loads_sulawesi_tengah_and_is_idempotent():
    first_output = seed()
    counts = table_counts()
    second_output = seed()
    assert table_counts() == counts

    assert Region.objects.get(code="72").name == "Sulawesi Tengah"
    districts = Region.objects.filter(level=GovernmentLevel.DISTRICT)
    assert districts.count() == 13
    assert districts.get(code="72.71").name == "Kota Palu"
    assert all(region.code.startswith("72.") for region in districts)

    for code in ("72.10", "72.71"):
        names = set(
            Actor.objects.filter(home_region__code=code).values_list("short_name", flat=True)
        )
        assert len(names) >= 30
        assert {
            "Dinkes",
            "Bappeda",
            "DPMD",
            "Dinsos",
            "DP3A",
            "DP2KB",
            "Dinas PUPR",
            "DKP",
            "Kemenag",
            "TP PKK",
        } <= names
        rounds = AssessmentRound.objects.filter(region__code=code)
        assert set(rounds.values_list("status", flat=True)) == {
            RoundStatus.OPEN,
            RoundStatus.CLOSED,
        }
        closed, open_ = rounds.get(status=RoundStatus.CLOSED), rounds.get(status=RoundStatus.OPEN)
        before = dict(
            ((a, b), level)
            for a, b, level in closed.assessments.values_list("actor_a", "actor_b", "level")
        )
        after = dict(
            ((a, b), level)
            for a, b, level in open_.assessments.values_list("actor_a", "actor_b", "level")
        )
        common = before.keys() & after.keys()
        assert any(after[pair] > before[pair] for pair in common)
        assert Programme.objects.get(region__code=code).participants.count() >= 10

    # Every run prints fresh credentials that work, and they exist nowhere else.
    for role in Role.values:
        assert f"  {role}" in first_output
    line = next(row for row in second_output.splitlines() if row.strip().startswith("scorer"))
    _role, username, password = line.split()[:3]
    assert get_user_model().objects.get(username=username).check_password(password)
    assert password not in first_output
