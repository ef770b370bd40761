"""One step from the map to a follow-up action: the "Buat RTL" link of the matrix's pair
panel, the dashboard's gap list, the sector × sector cells and the actor's page.

Each link is shown to those who plan (scorers, planners, admins) and never to viewers; it
opens the form with the subject and the target chosen, and that form saves in one POST.
"""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import GovernmentLevel
from followup.models import FollowUpAction
from tests.factories import ActorFactory, score
from tests.followup.conftest import snapshot

pytestmark = pytest.mark.django_db

NEW_ACTION = re.compile(r'href="(/regions/[^"]+/actions/new/\?[^"]*)"')


def action_links(page: str) -> list[str]:
    """Every link to the new-action form on a page, as a browser would follow it."""
    return [html.unescape(link) for link in NEW_ACTION.findall(page)]


def query_of(link: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in link.split("?", 1)[1].split("&"))


def save_in_one_post(client, link, *, owner, round_):
    """Open the form from ``link``, complete what a link cannot know (mechanism, owner,
    aksi, due date) and post it once: the action it saved."""
    response = client.get(link)
    assert response.status_code == 200
    form = response.context["form"]
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        mechanism="joint_planning_meeting",
        owner=owner.pk,
        aksi=3,
        due_date=(round_.period_start + timedelta(days=200)).isoformat(),
        status="planned",
    )
    before = FollowUpAction.objects.count()
    response = client.post(link, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FollowUpAction.objects.count() == before + 1
    action = FollowUpAction.objects.latest("pk")
    assert response["Location"] == reverse("followup:edit", args=[round_.region.code, action.pk])
    return action


def pair_url(round_, first, second):
    return reverse("assessments:pair", args=[round_.pk, first.pk, second.pk])


# The matrix's pair panel ---------------------------------------------------------------


def test_the_pair_panel_offers_an_action_below_the_target_or_unscored(
    scorer_client, scorer, district, open_round, actors
):
    dinkes, puskesmas, bappeda, disdik = actors
    score(open_round, dinkes, bappeda, 1)
    score(open_round, dinkes, puskesmas, 3)

    below = scorer_client.get(pair_url(open_round, bappeda, dinkes)).content.decode()
    [link] = action_links(below)
    first, second = sorted([dinkes, bappeda], key=lambda actor: actor.pk)
    assert query_of(link) == {
        "round": str(open_round.pk),
        "actor_a": str(first.pk),
        "actor_b": str(second.pk),
        "target": "3",
    }
    assert "Buat RTL" in below
    # Not assessed yet: the link too; at the target: none.
    unscored = scorer_client.get(pair_url(open_round, bappeda, disdik)).content.decode()
    assert len(action_links(unscored)) == 1
    reached = scorer_client.get(pair_url(open_round, dinkes, puskesmas)).content.decode()
    assert action_links(reached) == []
    assert "Buat RTL" not in reached

    action = save_in_one_post(scorer_client, link, owner=bappeda, round_=open_round)
    assert (action.actor_a, action.actor_b) == (first, second)
    assert (action.round, action.target_level, action.created_by) == (open_round, 3, scorer)


def test_the_pair_panel_after_a_save_below_the_target_shows_the_link(
    scorer_client, open_round, actors
):
    dinkes, _, bappeda, _ = actors
    response = scorer_client.post(
        pair_url(open_round, dinkes, bappeda),
        {"level": "2", "version": "0", "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert len(action_links(response.content.decode())) == 1


def test_viewers_cannot_open_the_pair_panel_nor_its_link(viewer_client, open_round, actors):
    dinkes, _, bappeda, _ = actors
    score(open_round, dinkes, bappeda, 1)
    response = viewer_client.get(pair_url(open_round, dinkes, bappeda))
    assert response.status_code == 403
    assert action_links(response.content.decode()) == []


# The dashboard's gap list --------------------------------------------------------------


def dashboard(client, region, round_):
    return client.get(reverse("insights:dashboard", args=[region.code]), {"round": round_.pk})


def test_the_dashboard_lists_the_gaps_with_a_link_for_those_who_plan(
    planner_client, viewer_client, planner, district, open_round, actors
):
    dinkes, puskesmas, bappeda, disdik = actors
    score(open_round, dinkes, bappeda, 1)
    score(open_round, puskesmas, disdik, 2)
    score(open_round, dinkes, puskesmas, 4)

    page = dashboard(planner_client, district, open_round).content.decode()
    gaps = page.split('id="gaps"', 1)[1].split("</section>", 1)[0]
    # Largest shortfall first; the pair at 4 is no gap.
    assert gaps.index("Bappeda Kabupaten Sigi") < gaps.index("Dinas Pendidikan Kabupaten Sigi")
    assert "Puskesmas Biromaru ↔ Dinas Kesehatan" not in gaps
    assert '<strong id="gap-count">2</strong>' in gaps
    links = action_links(gaps)
    assert len(links) == 2
    assert query_of(links[0])["target"] == "3"
    assert {query_of(links[0])["actor_a"], query_of(links[0])["actor_b"]} == {
        str(dinkes.pk),
        str(bappeda.pk),
    }

    # Viewers read the gaps, without the link.
    read = dashboard(viewer_client, district, open_round).content.decode()
    assert '<strong id="gap-count">2</strong>' in read
    assert action_links(read) == []
    assert "Buat RTL" not in read

    action = save_in_one_post(planner_client, links[1], owner=puskesmas, round_=open_round)
    assert {action.actor_a, action.actor_b} == {puskesmas, disdik}
    assert action.created_by == planner


# The sector × sector cells -------------------------------------------------------------


def sectors_page(client, region, round_):
    return client.get(reverse("insights:sectors", args=[region.code]), {"round": round_.pk})


def test_a_sector_cell_below_the_target_opens_an_action_on_the_sector_pair(
    planner_client, viewer_client, district, open_round, actors, health, planning, education
):
    dinkes, puskesmas, bappeda, disdik = actors
    score(open_round, dinkes, bappeda, 1)  # health × planning: mean 1
    score(open_round, puskesmas, bappeda, 2)
    score(open_round, dinkes, disdik, 4)  # health × education: mean 4, at the target
    page = sectors_page(planner_client, district, open_round).content.decode()
    links = action_links(page)
    # The health × planning cell, once in each half of the matrix; no other cell.
    assert len(links) == 2
    pairs = {frozenset((query_of(link)["sector_a"], query_of(link)["sector_b"])) for link in links}
    assert pairs == {frozenset((str(health.pk), str(planning.pk)))}
    assert 'aria-label="Buat RTL: Kesehatan × Perencanaan"' in page
    assert action_links(sectors_page(viewer_client, district, open_round).content.decode()) == []

    action = save_in_one_post(planner_client, links[0], owner=bappeda, round_=open_round)
    assert {action.sector_a, action.sector_b} == {health, planning}
    assert action.actor_a is None and action.target_level == 3


@pytest.mark.parametrize("count", [10, 60])
def test_the_sector_page_with_its_links_keeps_a_fixed_number_of_queries(
    planner_client, open_round, district, health, planning, count
):
    actors = [
        ActorFactory(
            sector=health if index % 2 else planning,
            home_region=district,
            government_level=GovernmentLevel.DISTRICT,
        )
        for index in range(count)
    ]
    for index in range(count - 1):
        score(open_round, actors[index], actors[index + 1], index % 3)
    sectors_page(planner_client, district, open_round)  # warm the session and the cache
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes,
    # 7 actors with sectors (the round's state; its levels were read by the first view and
    # the sector matrix cached): the links add none.
    with CaptureQueriesContext(connection) as captured:
        response = sectors_page(planner_client, district, open_round)
    assert len(captured) == 7
    assert len(action_links(response.content.decode())) >= 1


# The actor's page ----------------------------------------------------------------------


def test_the_actor_page_opens_an_action_on_the_actor_itself(
    scorer_client, viewer_client, scorer, district, open_round, actors
):
    dinkes, _, bappeda, _ = actors
    score(open_round, dinkes, bappeda, 3)  # no gap: the actor's own link stays
    url = reverse("insights:actor", args=[district.code, dinkes.pk])
    page = scorer_client.get(url, {"round": open_round.pk}).content.decode()
    [link] = action_links(page)
    assert query_of(link) == {"round": str(open_round.pk), "actor_a": str(dinkes.pk), "target": "3"}
    assert "Buat RTL tentang aktor ini" in page
    assert action_links(viewer_client.get(url, {"round": open_round.pk}).content.decode()) == []

    action = save_in_one_post(scorer_client, link, owner=dinkes, round_=open_round)
    assert (action.actor_a, action.actor_b, action.sector_a) == (dinkes, None, None)


def test_a_link_does_not_let_a_viewer_in(viewer_client, district, open_round, actors):
    """The form behind every link refuses who may not plan, and writes nothing."""
    dinkes, _, bappeda, _ = actors
    link = (
        reverse("followup:new", args=[district.code])
        + f"?round={open_round.pk}&actor_a={dinkes.pk}&actor_b={bappeda.pk}&target=3"
    )
    before = snapshot()
    assert viewer_client.get(link).status_code == 403
    assert viewer_client.post(link, {"actor_a": dinkes.pk}).status_code == 403
    assert snapshot() == before
