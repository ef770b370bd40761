"""A partner's link: the form, its refusals (each compared with the database before and
after), what it reveals, and that it never changes an official level."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from assessments.models import PairAssessment, RoundStatus
from partners.models import Invitation, PartnerAnswer
from tests.factories import score
from tests.partners.conftest import identified, link_url, member_url, snapshot

YES_YES_NO = {
    "shares_information": "yes",
    "joint_activities": "yes",
    "shared_roles_and_resources": "no",
    "formal_structure": "",
}


def answer_of(invitation, actor):
    return PartnerAnswer.objects.get(invitation=invitation, other_actor=actor)


def test_a_partner_answers_leaves_comes_back_and_submits(links, actors, open_round):
    invitation, token = links[0]
    client = Client()
    first = client.get(link_url(token))
    assert first.status_code == 200
    assert 'name="respondent_name"' in first.content.decode()
    assert first["Cache-Control"].startswith("max-age=0") or "no-store" in first["Cache-Control"]
    assert first["Referrer-Policy"] == "same-origin"
    assert first["X-Robots-Tag"] == "noindex, nofollow"
    identified(client, token)

    html = client.get(link_url(token)).content.decode()
    assert 'name="respondent_name"' not in html  # asked once
    # The other members, grouped by sector; never the holder itself.
    for actor in actors[1:]:
        assert actor.name in html
    assert f'id="m{actors[0].pk}"' not in html
    assert html.index("Kesehatan") < html.index("Perencanaan") < html.index("Pendidikan")
    assert "0 dari 3" in html

    # Answers from the evidence: the level is derived by the scorer's rules.
    response = client.post(member_url(token, actors[1]), {"kind": "answers", **YES_YES_NO})
    assert response.status_code == 302
    assert response["Location"] == link_url(token) + f"#m{actors[1].pk}"
    saved = answer_of(invitation, actors[1])
    assert (saved.level, saved.shares_information, saved.formal_structure) == (2, True, None)
    # "We do not work together", one tap.
    assert client.post(member_url(token, actors[2]), {"kind": "none"}).status_code == 302
    assert answer_of(invitation, actors[2]).level == 0
    assert answer_of(invitation, actors[2]).not_working_together

    # Leaves; comes back later on another phone with the same link.
    again = Client()
    html = again.get(link_url(token)).content.decode()
    assert "2 dari 3" in html and "Kami tidak bekerja sama" in html
    form = again.get(member_url(token, actors[1])).content.decode()
    checked = dict(re.findall(r'<input type="radio" name="(\w+)" value="(\w*)"[^>]*checked', form))
    assert checked == {
        "shares_information": "yes",
        "joint_activities": "yes",
        "shared_roles_and_resources": "no",
        "formal_structure": "",
    }
    # "I don't know", then a change of mind about it: the answer is replaced.
    again.post(member_url(token, actors[3]), {"kind": "unknown"})
    assert answer_of(invitation, actors[3]).level is None
    again.post(member_url(token, actors[3]), {"kind": "answers", "shares_information": "yes"})
    assert answer_of(invitation, actors[3]).level == 1
    assert not answer_of(invitation, actors[3]).dont_know

    response = again.post(link_url(token, "submit"))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None
    assert (invitation.respondent_name, invitation.respondent_position) == (
        "Ibu Rahma",
        "Kepala Bidang",
    )
    # Changes are still allowed while the link works.
    again.post(member_url(token, actors[2]), {"kind": "answers", **YES_YES_NO})
    assert answer_of(invitation, actors[2]).level == 2


def test_answers_that_skip_a_step_are_confirmed_and_the_level_chosen(links, actors):
    invitation, token = links[0]
    client = identified(Client(), token)
    skipping = {"kind": "answers", "shares_information": "no", "joint_activities": "yes"}
    before = snapshot()
    refused = client.post(member_url(token, actors[1]), skipping)
    assert refused.status_code == 400
    assert "melompati" in refused.content.decode()  # the scorer's own message
    assert 'name="confirm_inconsistent"' in refused.content.decode()
    assert snapshot() == before
    no_level = client.post(member_url(token, actors[1]), {**skipping, "confirm_inconsistent": "on"})
    assert no_level.status_code == 400
    assert snapshot() == before
    saved = client.post(
        member_url(token, actors[1]), {**skipping, "confirm_inconsistent": "on", "level": "2"}
    )
    assert saved.status_code == 302
    answer = answer_of(invitation, actors[1])
    assert (answer.level, answer.evidence_inconsistency_confirmed) == (2, True)


def test_nothing_answered_is_refused(links, actors):
    _invitation, token = links[0]
    client = identified(Client(), token)
    before = snapshot()
    response = client.post(member_url(token, actors[1]), {"kind": "answers"})
    assert response.status_code == 400
    assert snapshot() == before
    response = client.post(link_url(token, "submit"))
    assert response.status_code == 400  # nothing to send yet
    assert snapshot() == before


def test_the_respondent_must_give_a_name_and_a_position(links):
    _invitation, token = links[0]
    before = snapshot()
    response = Client().post(link_url(token), {"respondent_name": "  ", "respondent_position": ""})
    assert response.status_code == 400
    assert snapshot() == before


# Refusals ----------------------------------------------------------------------------------


def _gone_everywhere(client, token, actor, expect):
    for method, url, data in (
        ("get", link_url(token), {}),
        ("get", member_url(token, actor), {}),
        ("post", member_url(token, actor), {"kind": "none"}),
        ("post", link_url(token), {"respondent_name": "X", "respondent_position": "Y"}),
        ("post", link_url(token, "submit"), {}),
    ):
        response = getattr(client, method)(url, data)
        assert response.status_code == expect, (method, url)


def test_a_revoked_link_is_410_and_stores_nothing(links, actors, scorer):
    invitation, token = links[0]
    client = identified(Client(), token)
    from partners.services import revoke

    revoke(invitation=invitation, user=scorer)
    before = snapshot()
    _gone_everywhere(client, token, actors[1], 410)
    page = client.get(link_url(token)).content.decode()
    assert "ditarik" in page and "Tidak ada yang disimpan" in page
    assert snapshot() == before


def test_an_expired_link_is_410_and_stores_nothing(links, actors):
    invitation, token = links[0]
    client = identified(Client(), token)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    before = snapshot()
    _gone_everywhere(client, token, actors[1], 410)
    assert "kedaluwarsa" in client.get(link_url(token)).content.decode()
    assert snapshot() == before


def test_a_link_of_a_closed_round_is_410_and_stores_nothing(links, actors, open_round):
    _invitation, token = links[0]
    client = identified(Client(), token)
    open_round.status = RoundStatus.CLOSED
    open_round.save()
    before = snapshot()
    _gone_everywhere(client, token, actors[1], 410)
    assert snapshot() == before


@pytest.mark.parametrize(
    "tampered",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:20],
        lambda token: token + "x",
        lambda token: "x" * 43,
    ],
)
def test_a_tampered_token_is_404_and_stores_nothing(links, actors, tampered):
    _invitation, token = links[0]
    bad = tampered(token)
    before = snapshot()
    _gone_everywhere(Client(), bad, actors[1], 404)
    assert actors[1].name not in Client().get(link_url(bad)).content.decode()
    assert snapshot() == before


def test_a_link_cannot_write_another_actors_answers(links, actors, other_actors):
    invitation, token = links[0]
    other_invitation, _other_token = links[1]
    client = identified(Client(), token)
    before = snapshot()
    # About itself, about an actor of another round, about an unknown id: 404.
    for actor_id in (actors[0].pk, other_actors[0].pk, 999999):
        response = client.post(link_url(token, "m", actor_id), {"kind": "none"})
        assert response.status_code == 404
    assert snapshot() == before
    # Fields naming another invitation or author are not part of the form: the answer is
    # the holder's own, never B's.
    client.post(
        member_url(token, actors[2]),
        {
            "kind": "none",
            "invitation": other_invitation.pk,
            "invitation_id": other_invitation.pk,
            "actor": actors[1].pk,
            "author": actors[1].pk,
        },
    )
    assert list(PartnerAnswer.objects.values_list("invitation_id", "other_actor_id")) == [
        (invitation.pk, actors[2].pk)
    ]
    assert not other_invitation.answers.exists()


def test_an_actor_not_on_the_roster_cannot_be_answered_about(links, actors, open_round):
    from assessments.models import RoundMember

    invitation, token = links[0]
    client = identified(Client(), token)
    RoundMember.objects.filter(round=open_round, actor=actors[3]).delete()
    before = snapshot()
    assert client.get(member_url(token, actors[3])).status_code == 404
    assert client.post(member_url(token, actors[3]), {"kind": "none"}).status_code == 404
    assert actors[3].name not in client.get(link_url(token)).content.decode()
    assert snapshot() == before


def test_a_link_reveals_only_the_roster_names_and_the_holders_own_answers(
    links, actors, other_actors, open_round, other_round, scorer
):
    invitation, token = links[0]
    other_invitation, other_token = links[1]
    score(open_round, actors[0], actors[1], 3, note="Catatan rahasia penilai")
    identified(Client(), other_token, name="Pak Budi", position="Sekretaris")
    Client().post(
        member_url(other_token, actors[0]), {"kind": "answers", "note": "Catatan B", **YES_YES_NO}
    )
    client = identified(Client(), token)
    pages = (
        client.get(link_url(token)).content.decode()
        + client.get(member_url(token, actors[1])).content.decode()
    )
    for hidden in ("Catatan rahasia penilai", "Catatan B", "Pak Budi", "Sekretaris", "Kota Palu"):
        assert hidden not in pages
    for actor in other_actors:
        assert actor.name not in pages
    assert other_round.name not in pages


def test_partner_answers_never_change_an_official_level(links, actors, open_round):
    official = score(open_round, actors[0], actors[1], 2, note="Penilai")
    history = official.history.count()
    for index, other in ((0, actors[1]), (1, actors[0])):
        _invitation, token = links[index]
        client = identified(Client(), token)
        client.post(
            member_url(token, other),
            {
                "kind": "answers",
                "shares_information": "yes",
                "joint_activities": "yes",
                "shared_roles_and_resources": "yes",
                "formal_structure": "yes",
            },
        )
    assert PartnerAnswer.objects.filter(level=4).count() == 2
    official.refresh_from_db()
    assert (official.level, official.note, official.version) == (2, "Penilai", 1)
    assert official.history.count() == history
    assert PairAssessment.objects.count() == 1


def test_the_form_switches_to_english(links, actors):
    _invitation, token = links[0]
    client = identified(Client(), token)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(member_url(token, actors[1])).content.decode()
    assert "We do not work together" in html and "Do we share information" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert "Kami tidak bekerja sama" in client.get(member_url(token, actors[1])).content.decode()


def test_requests_to_links_are_rate_limited(links, actors, settings):
    settings.PARTNER_REQUESTS_PER_MINUTE = 5
    _invitation, token = links[0]
    client = Client()
    codes = [client.get(link_url(token)).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert client.get(link_url(token))["Retry-After"] == "60"


def test_guessing_tokens_is_slowed_sooner(links, settings):
    settings.PARTNER_REQUESTS_PER_MINUTE = 30
    client = Client()
    codes = [client.get(link_url("y" * 43)).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    # The limit is per address: the same address is refused on a good link too.
    _invitation, token = links[0]
    assert client.get(link_url(token)).status_code == 429


def test_a_link_of_an_actor_taken_off_the_roster_is_410(links, actors, open_round):
    from assessments.models import RoundMember

    _invitation, token = links[0]
    client = identified(Client(), token)
    RoundMember.objects.filter(round=open_round, actor=actors[0]).delete()
    before = snapshot()
    _gone_everywhere(client, token, actors[1], 410)
    assert snapshot() == before


def test_one_link_is_limited_whatever_the_address(links, settings):
    settings.PARTNER_REQUESTS_PER_MINUTE = 3
    _invitation, token = links[0]
    codes = [
        Client(REMOTE_ADDR=f"10.0.0.{number}").get(link_url(token)).status_code
        for number in range(1, 5)
    ]
    assert codes == [200, 200, 200, 429]
    # Another link from a fresh address is not held back by it.
    _other, other_token = links[1]
    assert Client(REMOTE_ADDR="10.0.1.1").get(link_url(other_token)).status_code == 200
