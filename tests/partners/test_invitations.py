import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from assessments.models import RoundStatus
from partners.models import Invitation, InvitationStatus
from partners.selectors import invitations_for_round
from partners.services import answer_save, invite, renew, revoke
from tests.partners.conftest import link_url, snapshot


def test_a_link_is_stored_hashed_expires_in_30_days_and_has_a_history(
    open_round, actors, scorer, clock
):
    [(invitation, token)] = invite(round=open_round, actors=[actors[0]], user=scorer)
    assert len(token) >= 43
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values_list().get())
    assert (
        timedelta(days=29, hours=23) < invitation.expires_at - clock < timedelta(days=30, hours=1)
    )
    assert invitation.created_by == scorer
    assert invitation.history.count() == 1
    assert "token_hash" not in [field.name for field in Invitation.history.model._meta.fields]


def test_the_ttl_is_a_setting(open_round, actors, scorer, settings, clock):
    settings.INVITATION_TTL_DAYS = 3
    [(invitation, _token)] = invite(round=open_round, actors=[actors[0]], user=scorer)
    assert invitation.expires_at - clock < timedelta(days=3, hours=1)


def test_inviting_twice_makes_no_second_link(open_round, actors, scorer):
    invite(round=open_round, actors=actors[:2], user=scorer)
    made = invite(round=open_round, actors=actors[:3], user=scorer)
    assert [invitation.actor for invitation, _token in made] == [actors[2]]
    assert Invitation.objects.count() == 3


def test_only_members_of_an_open_round_are_invited_by_its_scorers(
    open_round, actors, other_actors, scorer, other_scorer, planner, viewer, admin_user
):
    before = snapshot()
    with pytest.raises(ValidationError, match="daftar anggota"):
        invite(round=open_round, actors=[actors[0], other_actors[0]], user=scorer)
    for user in (other_scorer, planner, viewer):
        with pytest.raises(PermissionDenied):
            invite(round=open_round, actors=[actors[0]], user=user)
    open_round.status = RoundStatus.CLOSED
    open_round.save()
    with pytest.raises(ValidationError, match="dibuka"):
        invite(round=open_round, actors=[actors[0]], user=admin_user)
    assert snapshot() == before


def test_revoke_and_renew(open_round, actors, scorer, other_scorer):
    [(invitation, token)] = invite(round=open_round, actors=[actors[0]], user=scorer)
    client = Client()
    assert client.get(link_url(token)).status_code == 200
    with pytest.raises(PermissionDenied):
        revoke(invitation=invitation, user=other_scorer)
    revoke(invitation=invitation, user=scorer)
    assert client.get(link_url(token)).status_code == 410
    new_token = renew(invitation=invitation, user=scorer)
    assert new_token != token
    assert client.get(link_url(token)).status_code == 404  # the old link is gone for good
    assert client.get(link_url(new_token)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_statuses_of_the_response_table(open_round, actors, scorer, district, health):
    made = dict(
        (invitation.actor_id, invitation)
        for invitation, _t in invite(round=open_round, actors=actors[:3], user=scorer)
    )
    # actors[0] answered about all three others and submitted; actors[1] partly;
    # actors[2] revoked; actors[3] not sent.
    for other in actors[1:]:
        answer_save(invitation=made[actors[0].pk], other_actor=other, answers={"kind": "none"})
    made[actors[0].pk].submitted_at = timezone.now()
    made[actors[0].pk].save()
    answer_save(invitation=made[actors[1].pk], other_actor=actors[0], answers={"kind": "none"})
    revoke(invitation=made[actors[2].pk], user=scorer)
    summary = invitations_for_round(open_round)
    status = {row.actor.pk: row.status for row in summary.rows}
    assert status == {
        actors[0].pk: InvitationStatus.ANSWERED,
        actors[1].pk: InvitationStatus.PARTLY,
        actors[2].pk: InvitationStatus.REVOKED,
        actors[3].pk: InvitationStatus.NOT_SENT,
    }
    rate = {row.actor.pk: row.rate for row in summary.rows}
    assert rate[actors[0].pk] == 100 and rate[actors[1].pk] == 33
    assert summary.response_rate == 50  # 2 of 4 members
    assert summary.answer_rate == 33  # 4 of 12 possible answers
    assert [row.actor for row in summary.not_answered] == [actors[2], actors[3]] or {
        row.actor.pk for row in summary.not_answered
    } == {actors[2].pk, actors[3].pk}


def test_an_expired_link_shows_as_expired(open_round, actors, scorer):
    [(invitation, _t)] = invite(round=open_round, actors=[actors[0]], user=scorer)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    statuses = {row.actor.pk: row.status for row in invitations_for_round(open_round).rows}
    assert statuses[actors[0].pk] == InvitationStatus.EXPIRED
    assert statuses[actors[1].pk] == InvitationStatus.NOT_SENT


# The staff's pages ---------------------------------------------------------------------


def invitations_url(round_):
    return f"/rounds/{round_.pk}/invitations/"


def test_the_scorer_makes_links_and_gets_printable_sheets(scorer_client, open_round, actors):
    page = scorer_client.get(invitations_url(open_round))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Belum dikirim" in html and "Puskesmas Biromaru" in html
    response = scorer_client.post(
        invitations_url(open_round) + "invite/", {"actor": [actors[0].pk, actors[2].pk]}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert html.count('src="data:image/svg+xml') == 2  # one QR code per sheet
    assert "https://wa.me/?text=" in html
    links = sorted(set(__import__("re").findall(r"http://testserver/p/([A-Za-z0-9_-]{43})/", html)))
    assert len(links) == 2
    for token in links:
        assert Client().get(link_url(token)).status_code == 200
    assert Invitation.objects.count() == 2


def test_renewing_on_the_page_shows_the_new_sheet(scorer_client, open_round, actors, scorer):
    [(invitation, token)] = invite(round=open_round, actors=[actors[0]], user=scorer)
    response = scorer_client.post(invitations_url(open_round) + f"{invitation.pk}/renew/")
    assert response.status_code == 200
    assert token not in response.content.decode()
    assert Client().get(link_url(token)).status_code == 404


def test_a_bad_choice_is_a_400_and_nothing_is_made(scorer_client, open_round, actors, other_actors):
    before = snapshot()
    for value in ("abc", str(other_actors[0].pk), "999999"):
        response = scorer_client.post(invitations_url(open_round) + "invite/", {"actor": value})
        assert response.status_code == 400
        assert 'class="message error"' in response.content.decode()
    assert snapshot() == before


def test_a_scorer_of_another_district_cannot_list_or_manage_invitations(
    open_round, actors, scorer, other_scorer_client, planner_client, viewer_client, other_round
):
    [(invitation, _t)] = invite(round=open_round, actors=[actors[0]], user=scorer)
    before = snapshot()
    base = invitations_url(open_round)
    for client in (other_scorer_client, planner_client, viewer_client):
        assert client.get(base).status_code == 403
        assert client.post(base + "invite/", {"actor": actors[1].pk}).status_code == 403
        assert client.post(base + f"{invitation.pk}/revoke/").status_code == 403
        assert client.post(base + f"{invitation.pk}/renew/").status_code == 403
    # Through a round of their own: the invitation is not in it.
    other = invitations_url(other_round)
    assert other_scorer_client.post(other + f"{invitation.pk}/revoke/").status_code == 404
    assert other_scorer_client.post(other + f"{invitation.pk}/renew/").status_code == 404
    assert Client().get(base).status_code == 302  # to the login page
    assert snapshot() == before


def test_the_admin_reads_invitations_and_answers_and_changes_nothing(
    admin_client_, open_round, actors, scorer
):
    [(invitation, token)] = invite(round=open_round, actors=[actors[0]], user=scorer)
    answer_save(invitation=invitation, other_actor=actors[1], answers={"kind": "none"})
    listing = admin_client_.get("/admin/partners/invitation/")
    assert listing.status_code == 200
    assert actors[0].name in listing.content.decode()
    detail = admin_client_.get(f"/admin/partners/invitation/{invitation.pk}/change/")
    assert detail.status_code == 200
    assert invitation.token_hash not in detail.content.decode()
    assert admin_client_.get("/admin/partners/partneranswer/").status_code == 200
    assert admin_client_.get("/admin/partners/invitation/add/").status_code == 403
    before = snapshot()
    admin_client_.post(f"/admin/partners/invitation/{invitation.pk}/delete/", {"post": "yes"})
    assert snapshot() == before


def test_an_admin_of_another_district_sees_none_of_them_in_the_admin(
    open_round, actors, scorer, other_district
):
    from accounts.models import Role
    from tests.factories import make_user

    [(invitation, _token)] = invite(round=open_round, actors=[actors[0]], user=scorer)
    answer = answer_save(invitation=invitation, other_actor=actors[1], answers={"kind": "none"})
    client = Client()
    client.force_login(
        make_user("admin_palu", role=Role.ADMIN, regions=[other_district], is_staff=True)
    )
    listing = client.get("/admin/partners/invitation/")
    assert listing.status_code == 200
    assert actors[0].name not in listing.content.decode()
    assert client.get(f"/admin/partners/invitation/{invitation.pk}/change/").status_code in (
        302,
        404,
    )
    assert client.get(f"/admin/partners/partneranswer/{answer.pk}/change/").status_code in (
        302,
        404,
    )
