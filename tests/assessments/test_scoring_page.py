import re

import pytest

from actors.models import GovernmentLevel
from assessments.models import PairAssessment, RoundStatus
from tests.factories import ActorFactory, RegionFactory, RoundFactory, score


def pair_url(round_, actor_x, actor_y):
    return f"/rounds/{round_.pk}/pairs/{actor_x.pk}-{actor_y.pk}/"


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_form_shows_the_pair_and_its_current_level(scorer_client, open_round, actors):
    score(open_round, actors[0], actors[2], 3, note="Rapat TPPS bulanan")
    html = scorer_client.get(pair_url(open_round, actors[2], actors[0])).content.decode()
    assert "Dinas Kesehatan Kabupaten Sigi ↔ Bappeda Kabupaten Sigi" in html
    checked = re.findall(r'<input type="radio" name="level" value="(\d)"[^>]*checked', html)
    assert checked == ["3"]
    assert "Rapat TPPS bulanan" in html


def test_an_htmx_save_returns_the_form_and_both_cells_in_place(scorer_client, open_round, actors):
    response = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]), {"level": "2", "note": "Berbagi data"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    first, second = actors[0].pk, actors[1].pk
    assert f'<td hx-swap-oob="true" id="c{first}-{second}" class="l2">' in html
    assert f'<td hx-swap-oob="true" id="c{second}-{first}" class="l2">' in html
    assert "Tersimpan: Koordinasi." in html
    saved = PairAssessment.objects.get()
    assert (saved.level, saved.note) == (2, "Berbagi data")


def test_a_plain_post_without_javascript_saves_and_returns_to_the_matrix(
    scorer_client, open_round, actors
):
    response = scorer_client.post(pair_url(open_round, actors[1], actors[0]), {"level": "4"})
    assert response.status_code == 302
    assert response["Location"] == f"/regions/72.10/matrix/?round={open_round.pk}"
    assert PairAssessment.objects.get().level == 4
    html = scorer_client.get(response["Location"]).content.decode()
    assert "Tersimpan" in html


def test_saving_twice_updates_the_one_row(scorer_client, open_round, actors):
    scorer_client.post(pair_url(open_round, actors[0], actors[1]), {"level": "1"})
    scorer_client.post(pair_url(open_round, actors[1], actors[0]), {"level": "3"})
    assert list(PairAssessment.objects.values_list("level", flat=True)) == [3]


@pytest.mark.parametrize("level", ["5", "-1", "abc", ""])
def test_a_bad_level_is_a_400_with_a_message_and_nothing_saved(
    scorer_client, open_round, actors, level
):
    response = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]), {"level": level}, **HTMX
    )
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert not PairAssessment.objects.exists()


def test_a_too_long_note_is_refused(scorer_client, open_round, actors):
    response = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]), {"level": "2", "note": "x" * 4001}
    )
    assert response.status_code == 400
    assert "4000" in response.content.decode()
    assert not PairAssessment.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("other", ["same actor", "actor of Palu", "actor of province 73"])
def test_the_panel_of_a_pair_outside_the_round_is_404_and_names_no_one(
    scorer_client, open_round, actors, other_actors, method, other
):
    far_province = RegionFactory(code="73", name="Sulawesi Selatan", level=GovernmentLevel.PROVINCE)
    far_actor = ActorFactory(
        name="Dinas Kesehatan Provinsi Sulawesi Selatan",
        short_name="Dinkes Sulsel",
        sector=actors[0].sector,
        home_region=far_province,
    )
    stranger = {"same actor": actors[0], "actor of Palu": other_actors[0]}.get(other, far_actor)
    for first, second in ((actors[0], stranger), (stranger, actors[0])):
        url = pair_url(open_round, first, second)
        if method == "get":
            response = scorer_client.get(url)
        else:
            response = scorer_client.post(url, {"level": "2"}, **HTMX)
        assert response.status_code == 404
        body = response.content.decode()
        for name in (stranger.name, stranger.short_name, stranger.sector.name_id):
            assert name not in body
    assert not PairAssessment.objects.exists()


def test_a_closed_round_is_not_written(scorer_client, district, actors):
    closed = RoundFactory(region=district, status=RoundStatus.CLOSED)
    score(closed, actors[0], actors[1], 1)
    response = scorer_client.post(pair_url(closed, actors[0], actors[1]), {"level": "4"})
    assert response.status_code == 400
    assert "sudah ditutup" in response.content.decode()
    assert PairAssessment.objects.get().level == 1


def test_a_scorer_of_another_district_gets_403_and_sees_nothing(
    other_scorer_client, open_round, actors
):
    url = pair_url(open_round, actors[0], actors[1])
    for response in (other_scorer_client.get(url), other_scorer_client.post(url, {"level": "2"})):
        assert response.status_code == 403
        body = response.content.decode()
        assert "Sigi" not in body and "Dinas Kesehatan" not in body
    assert not PairAssessment.objects.exists()


@pytest.mark.parametrize("persona", ["planner_client", "viewer_client"])
def test_readers_may_not_score(request, persona, open_round, actors):
    client = request.getfixturevalue(persona)
    response = client.post(pair_url(open_round, actors[0], actors[1]), {"level": "2"})
    assert response.status_code == 403
    assert not PairAssessment.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, open_round, actors):
    response = client.post(pair_url(open_round, actors[0], actors[1]), {"level": "2"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not PairAssessment.objects.exists()


def test_an_unknown_round_or_actor_is_404(scorer_client, open_round, actors):
    assert (
        scorer_client.get(f"/rounds/999999/pairs/{actors[0].pk}-{actors[1].pk}/").status_code == 404
    )
    for url in (
        f"/rounds/{open_round.pk}/pairs/{actors[0].pk}-999999/",
        f"/rounds/{open_round.pk}/pairs/999999-{actors[0].pk}/",
    ):
        assert scorer_client.get(url).status_code == 404
        assert scorer_client.post(url, {"level": "2"}).status_code == 404
    assert not PairAssessment.objects.exists()


def test_an_inactive_actor_scored_in_the_round_keeps_its_panel(scorer_client, open_round, actors):
    score(open_round, actors[0], actors[1], 2, note="Rapat TPPS")
    actors[1].is_active = False
    actors[1].save()
    response = scorer_client.get(pair_url(open_round, actors[0], actors[1]))
    assert response.status_code == 200
    assert "Rapat TPPS" in response.content.decode()


def test_a_post_without_the_csrf_token_is_refused(scorer, open_round, actors):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(scorer)
    response = client.post(pair_url(open_round, actors[0], actors[1]), {"level": "2"})
    assert response.status_code == 403
    assert not PairAssessment.objects.exists()
