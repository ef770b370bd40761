"""Programme overlap check (tumpang tindih): overlapping programmes whose leads do not
coordinate."""

import re
from datetime import date

import pytest
from django.conf import settings

from actors.models import TargetGroup
from insights.selectors.trends import OverlapStatus, programme_overlaps
from tests.factories import ActorFactory, ProgrammeFactory, score

T = TargetGroup


def english(client, url):
    """Pages are in Bahasa Indonesia unless the user switches; the new strings are not
    translated yet, so wording is asserted in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def overlaps_url(region):
    return f"/regions/{region.code}/overlaps/"


def programme(region, name, start, end, groups, lead):
    return ProgrammeFactory(
        region=region,
        name=name,
        period_start=date(*start),
        period_end=date(*end),
        target_groups=list(groups),
        lead_actor=lead,
    )


@pytest.fixture
def programmes(district, other_district, open_round, actors, other_actors):
    """Leads a = Dinkes, b = Puskesmas, c = Bappeda, d = Disdik; in the round a–b is at 1
    (cooperation), a–c at 3 (collaboration), a–d not assessed.

    P1 Jan–Jun 2026, pregnant women + children 0–59, lead a
    P2 30 Jun–Dec 2026, children 0–59, lead b   → with P1: one shared day, a–b 1: RISK
    P3 Mar–Apr 2026, children 0–59, lead c      → with P1: a–c 3, coordinated; with P2 no
                                                   shared day
    P4 2026, adolescent girls, lead d           → no shared target group with any
    P5 Jul–Dec 2026, pregnant women, lead d     → with P1: adjacent (1 Jul after 30 Jun), no
    P6 2026, pregnant women + brides-to-be, d   → with P1: a–d not assessed: RISK;
                                                   with P5: same lead
    P7 2026, children 0–59, no lead             → with P1, P2, P3: no lead
    Palu 2026, children 0–59 (another region)   → not read
    """
    a, b, c, d = actors
    year = ((2026, 1, 1), (2026, 12, 31))
    made = {
        "P1": programme(
            district, "P1", (2026, 1, 1), (2026, 6, 30), [T.PREGNANT_WOMEN, T.CHILDREN_0_59], a
        ),
        "P2": programme(district, "P2", (2026, 6, 30), (2026, 12, 31), [T.CHILDREN_0_59], b),
        "P3": programme(district, "P3", (2026, 3, 1), (2026, 4, 30), [T.CHILDREN_0_59], c),
        "P4": programme(district, "P4", *year, [T.ADOLESCENT_GIRLS], d),
        "P5": programme(district, "P5", (2026, 7, 1), (2026, 12, 31), [T.PREGNANT_WOMEN], d),
        "P6": programme(district, "P6", *year, [T.PREGNANT_WOMEN, T.BRIDES_TO_BE], d),
        "P7": programme(district, "P7", *year, [T.CHILDREN_0_59], None),
    }
    programme(other_district, "Palu", *year, [T.CHILDREN_0_59], other_actors[0])
    score(open_round, a, b, 1)
    score(open_round, a, c, 3)
    return made


def found(report):
    return {
        frozenset({item.first.name, item.second.name}): (item.status, item.level)
        for item in report.overlaps
    }


def test_overlaps_by_period_and_target_group_with_the_leads_level(district, open_round, programmes):
    report = programme_overlaps(region=district, round=open_round)
    assert found(report) == {
        frozenset({"P1", "P2"}): (OverlapStatus.BELOW_COORDINATION, 1),
        frozenset({"P1", "P3"}): (OverlapStatus.COORDINATED, 3),
        frozenset({"P1", "P6"}): (OverlapStatus.NOT_ASSESSED, None),
        frozenset({"P5", "P6"}): (OverlapStatus.SAME_LEAD, None),
        frozenset({"P1", "P7"}): (OverlapStatus.NO_LEAD, None),
        frozenset({"P2", "P7"}): (OverlapStatus.NO_LEAD, None),
        frozenset({"P3", "P7"}): (OverlapStatus.NO_LEAD, None),
    }
    assert {frozenset({item.first.name, item.second.name}) for item in report.risks} == {
        frozenset({"P1", "P2"}),
        frozenset({"P1", "P6"}),
    }
    p1_p2 = next(item for item in report.risks if item.level == 1)
    assert (p1_p2.period_start, p1_p2.period_end) == (date(2026, 6, 30), date(2026, 6, 30))
    assert p1_p2.target_groups == [T.CHILDREN_0_59]
    assert [item.name for item in report.without_lead] == ["P7"]
    assert "Palu" not in {item.name for item in report.programmes}


def test_without_a_round_every_lead_pair_is_not_assessed(district, programmes):
    report = programme_overlaps(region=district, round=None)
    assert found(report)[frozenset({"P1", "P3"})] == (OverlapStatus.NOT_ASSESSED, None)
    assert len(report.risks) == 3


def test_the_page_lists_risks_and_says_why(viewer_client, district, programmes):
    html = english(viewer_client, overlaps_url(district)).content.decode()
    risks = re.search(r'id="risks-title".*?</section>', html, re.S)[0]
    assert "Overlap risks (2)" in risks
    rows = re.findall(r"<tr class=\"risk (\w+)\">\s*<td>(\w+)</td>\s*<td>(\w+)</td>", risks)
    assert sorted(rows) == [("below_coordination", "P1", "P2"), ("not_assessed", "P1", "P6")]
    assert "Level 1: below coordination." in risks
    assert "Not assessed: the pair of lead actors has no score in this round." in risks
    assert "Children 0–59 months" in risks
    no_lead = re.search(r'id="no-lead-title".*?</section>', html, re.S)[0]
    assert "<li>P7" in no_lead and no_lead.count('<tr class="no-lead">') == 3
    coordinated = re.search(r'id="coordinated-title".*?</section>', html, re.S)[0]
    assert "same lead actor" in coordinated and "P3" in coordinated
    assert "Palu" not in html


def test_no_programme_says_how_to_add_one(viewer_client, district, open_round):
    html = english(viewer_client, overlaps_url(district)).content.decode()
    assert "No programme is recorded for this region" in html
    assert "An admin adds programmes" in html


def test_programmes_that_do_not_overlap(viewer_client, district, open_round, actors):
    programme(district, "A", (2026, 1, 1), (2026, 6, 30), [T.PREGNANT_WOMEN], actors[0])
    programme(district, "B", (2026, 7, 1), (2026, 12, 31), [T.PREGNANT_WOMEN], actors[1])
    assert programme_overlaps(region=district, round=open_round).overlaps == []
    html = english(viewer_client, overlaps_url(district)).content.decode()
    assert "No two programmes of this region overlap" in html


def test_an_outsider_gets_403_and_nothing_of_the_region(other_scorer_client, district, programmes):
    response = other_scorer_client.get(overlaps_url(district))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sigi" not in body and "P1" not in body and "Dinas Kesehatan" not in body


def test_anonymous_visitors_get_the_login_page(client, district, programmes):
    response = client.get(overlaps_url(district))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_round_of_another_region_is_404(viewer_client, district, programmes, other_round):
    url = f"{overlaps_url(district)}?round={other_round.pk}"
    assert viewer_client.get(url).status_code == 404


@pytest.mark.parametrize("count", [10, 60])
def test_the_overlaps_page_issues_a_fixed_number_of_queries(
    django_assert_num_queries, scorer_client, district, open_round, health, count
):
    """The same number of queries for 10 and for 60 actors."""
    actors = ActorFactory.create_batch(count, sector=health, home_region=district)
    for index in range(count - 1):
        score(open_round, actors[index], actors[index + 1], index % 5)
    for index, actor in enumerate(actors[::10]):
        programme(
            district, f"Program {index}", (2026, 1, 1), (2026, 12, 31), [T.CHILDREN_0_59], actor
        )
    scorer_client.get(overlaps_url(district))  # warm the session
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes,
    # 7 programmes with their leads, 8 actors and 9 levels of the round
    with django_assert_num_queries(9):
        response = scorer_client.get(overlaps_url(district))
    assert response.status_code == 200
    assert (
        response.content.decode().count('<tr class="risk ') == count // 10 * (count // 10 - 1) // 2
    )
