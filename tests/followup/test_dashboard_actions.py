"""The dashboard's follow-up figures: the share of actions done and overdue, and the share
of pairs that improved with an action and without one (issue 14)."""

from datetime import date

import pytest
from django.conf import settings

from followup.selectors import (
    ActionProgress,
    ImprovementSplit,
    action_progress,
    improvement_with_actions,
)
from followup.services import action_create
from insights.selectors.trends import round_changes
from tests.factories import ActorFactory, RoundFactory, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(admin_user, district, actors, health, planning, other_round, last_year):
    """Sigi, 4 actors a, b, c, d.

    2025: a–b 1, a–c 1, a–d 2, b–c 0, b–d 1.
    2026: a–b 3 (up), a–c 1 (held), a–d 1 (down), b–c 2 (up), c–d 2 (new); b–d not rescored.
    Scored in both rounds: a–b, a–c, a–d, b–c (4 pairs).
    Actions of 2025: a–b done, a–c in progress (due 2025-10-01), b–c dropped, the sector
    pair health × planning planned (due 2027), actor d planned (due 2026-03-01), c–d planned
    (due 2026-12-31; not scored in 2025, so not like for like).
    By hand:
    - with an action (not dropped): a–b (improved), a–c (held): 1 of 2;
    - without: a–d (down), b–c (up; its action was dropped): 1 of 2;
    - actions: 6, done 1, dropped 1, overdue on 2026-11-30: a–c and actor d, 2.
    """
    a, b, c, d = actors
    old = last_year
    new = RoundFactory(region=district, name="Pemetaan Sigi 2026")
    for first, second, before, now in [
        (a, b, 1, 3),
        (a, c, 1, 1),
        (a, d, 2, 1),
        (b, c, 0, 2),
        (b, d, 1, None),
        (c, d, None, 2),
    ]:
        if before is not None:
            score(old, first, second, before)
        if now is not None:
            score(new, first, second, now)

    def make(status, due, **subject):
        return action_create(
            user=admin_user,
            round=old,
            target_level=3,
            mechanism="joint_planning_meeting",
            owner=a,
            aksi=2,
            due_date=due,
            status=status,
            **subject,
        )

    make("done", date(2025, 9, 1), actor_a=a, actor_b=b)
    make("in_progress", date(2025, 10, 1), actor_a=c, actor_b=a)
    make("dropped", date(2025, 10, 1), actor_a=b, actor_b=c)
    make("planned", date(2027, 1, 31), sector_a=health, sector_b=planning)
    make("planned", date(2026, 3, 1), actor_a=d)
    make("planned", date(2026, 12, 31), actor_a=c, actor_b=d)
    # Another region's action counts nowhere in Sigi.
    palu = other_round.region
    palu_actor = ActorFactory(name="Bappeda Palu", sector=planning, home_region=palu)
    action_create(
        user=admin_user,
        round=other_round,
        actor_a=palu_actor,
        target_level=3,
        mechanism="joint_planning_meeting",
        owner=palu_actor,
        aksi=2,
        due_date=date(2026, 1, 31),
    )
    return old, new


def test_pairs_improved_with_and_without_an_action(scenario):
    old, new = scenario
    split = improvement_with_actions(round=new, previous=old)
    assert split == ImprovementSplit(
        with_action=2, with_action_improved=1, without_action=2, without_action_improved=1
    )
    assert (split.with_action_percent, split.without_action_percent) == (50.0, 50.0)
    # The same pairs as the dashboard's change like for like.
    change = round_changes(links=[(new, old)])[new.pk]
    assert split.paired == change.paired == 4
    assert split.with_action_improved + split.without_action_improved == change.improved


def test_share_of_actions_done_and_overdue(scenario, district):
    old, new = scenario
    progress = action_progress(region=district, rounds=[new, old], today=date(2026, 11, 30))
    assert progress == ActionProgress(total=6, done=1, overdue=2, dropped=1)
    assert round(progress.done_percent, 2) == 16.67
    assert round(progress.overdue_percent, 2) == 33.33
    # Before the actor's action fell due, only a–c was overdue.
    early = action_progress(region=district, rounds=[new, old], today=date(2026, 3, 1))
    assert early.overdue == 1
    # Actions of a round the reader does not see are not counted.
    assert action_progress(region=district, rounds=[new], today=date(2026, 11, 30)).total == 0


def test_the_dashboard_shows_both_figures_and_what_they_are_computed_on(
    viewer_client, district, scenario
):
    old, new = scenario
    viewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = viewer_client.get(f"/regions/{district.code}/?round={new.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="actions-progress"' in html
    assert "1 of 6 actions done" in html
    assert "Overdue: 2 (33 %)" in html
    assert 'id="actions-effect"' in html
    assert html.count("1 of 2 pairs improved") == 2
    assert "Computed on the 4 pairs scored both in this round and in Pemetaan Sigi 2025" in html


def test_the_first_round_has_no_comparison_of_pairs(viewer_client, district, scenario):
    old, _new = scenario
    viewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = viewer_client.get(f"/regions/{district.code}/?round={old.pk}").content.decode()
    assert 'id="actions-progress"' in html
    assert 'id="actions-effect"' not in html
