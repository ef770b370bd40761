"""The region dashboard shows the partners' response to their links (answered / invited)."""

import re

from django.conf import settings

from partners.services import answer_save, invite
from tests.partners.test_pair_views import level_answer


def dashboard(client, region):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/regions/{region.code}/")
    assert response.status_code == 200
    return response.content.decode()


def card(html) -> str:
    match = re.search(r'<div class="kpi card" id="partner-response">(.*?)</div>', html, re.S)
    return " ".join(match.group(1).split()) if match else ""


def test_the_dashboard_shows_the_response_rate(viewer_client, district, open_round, actors, links):
    answer_save(invitation=links[0][0], other_actor=actors[1], answers=level_answer(2))
    answer_save(invitation=links[2][0], other_actor=actors[3], answers={"kind": "none"})
    shown = card(dashboard(viewer_client, district))
    assert "Partners&#x27; response" in shown or "Partners' response" in shown
    assert "50 %" in shown
    assert "2 of 4 invited partners answered" in shown


def test_an_answer_about_a_member_gone_from_the_roster_is_not_counted(
    viewer_client, district, open_round, actors, scorer
):
    made = invite(round=open_round, actors=actors[:3], user=scorer)
    answer_save(invitation=made[0][0], other_actor=actors[3], answers=level_answer(1))
    assert "1 of 3 invited partners answered" in card(dashboard(viewer_client, district))
    open_round.members.filter(actor=actors[3]).delete()
    assert "0 of 3 invited partners answered" in card(dashboard(viewer_client, district))


def test_without_invitations_there_is_no_response_card(viewer_client, district, open_round):
    html = dashboard(viewer_client, district)
    assert 'id="coverage"' in html
    assert card(html) == "" and "partner-response" not in html
