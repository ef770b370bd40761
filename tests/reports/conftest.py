"""A scored round of Sigi with evidence, notes and a previous round, for the reports.

Actors (matrix order: health first, then planning, then education):
a Dinkes, b Puskesmas Biromaru (health), c Bappeda (planning), d Disdik and
e "@Forum Anak Sigi" (education; a name a spreadsheet would read as a formula).

2026 (open): a–b 3, a–c 4, b–c 1, a–d 0, b–d 2, c–e 2; 6 of 10 pairs assessed.
2025 (closed): a–b 2, a–c 4, b–c 2.
"""

import pytest
from django.conf import settings

from tests.factories import ActorFactory, score


def english(client, url):
    """Reports follow the user's language; the new strings are not translated yet, so
    wording is asserted in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url)


def report_url(region, fmt, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/report.{fmt}" + (f"?{query}" if query else "")


@pytest.fixture
def forum(district, education):
    return ActorFactory(
        name="@Forum Anak Sigi", short_name="Forum Anak", sector=education, home_region=district
    )


@pytest.fixture
def previous_round(last_year, actors):
    a, b, c, _d = actors
    old = last_year
    score(old, a, b, 2)
    score(old, a, c, 4)
    score(old, b, c, 2)
    return old


@pytest.fixture
def scored_round(open_round, previous_round, actors, forum, scorer):
    a, b, c, d = actors
    score(
        open_round,
        a,
        b,
        3,
        shares_information=True,
        joint_activities=True,
        shared_roles_and_resources=True,
        formal_structure=False,
        mechanisms=["joint_planning_meeting", "data_sharing"],
        facilitating_factors=["regulation"],
        hindering_factors=["budget_constraints"],
        note="=SUM(A1:A9)",
        scored_by=scorer,
    )
    score(
        open_round,
        a,
        c,
        4,
        shares_information=True,
        joint_activities=True,
        shared_roles_and_resources=True,
        formal_structure=True,
        mechanisms=["mou_or_decree_team"],
        scored_by=scorer,
    )
    score(open_round, b, c, 1, shares_information=True, joint_activities=False)
    score(open_round, a, d, 0)
    score(open_round, b, d, 2, note='Rapat "bulanan", notulen dibagi\nbaris kedua')
    score(open_round, c, forum, 2)
    return open_round


@pytest.fixture
def rescored(district, health, planning, education):
    """Issue 12, item 3: 10 weak pairs re-scored one level higher, nothing else."""
    from tests.insights.scenarios import rescored_weak_pairs

    return rescored_weak_pairs(district, [health, planning, education])


@pytest.fixture
def partner_answers(scored_round, actors, scorer):
    """The partners' views of Sigi's 2026 pairs: Dinkes says 4 about Puskesmas Biromaru,
    which says they do not work together; Disdik does not know Puskesmas Biromaru. Bappeda
    answered through a link revoked since (left out)."""
    from partners.services import answer_save, invite, revoke

    a, b, c, d = actors
    made = {
        invitation.actor_id: invitation
        for invitation, _token in invite(round=scored_round, actors=actors, user=scorer)
    }
    evidence = (True, True, True, True)
    answer_save(invitation=made[a.pk], other_actor=b, answers={"evidence": evidence})
    answer_save(invitation=made[b.pk], other_actor=a, answers={"kind": "none"})
    answer_save(invitation=made[d.pk], other_actor=b, answers={"kind": "unknown"})
    answer_save(invitation=made[c.pk], other_actor=a, answers={"evidence": evidence})
    revoke(invitation=made[c.pk], user=scorer)
    return scored_round


def run_task_worker():
    """Run the queued tasks with the real worker (``manage.py db_worker --batch``: it stops
    when the queue is empty), then give back the signal handlers it installs."""
    import signal

    from django.core.management import call_command

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
