"""The main role or action of each government level in a round (Kim et al. 2017, Table 2,
first column): recorded by the round region's admins and scorers while the round is not
closed, on the by-level page and through the API, by one service."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from actors.models import GovernmentLevel
from assessments.levels import level_role_set
from assessments.models import LevelRole, RoundStatus
from tests.api.conftest import api_client
from tests.factories import RoundFactory, make_user

D, K = GovernmentLevel.DISTRICT, GovernmentLevel.SUBDISTRICT
API = "/api/v1/level-roles/"


def roles():
    return list(LevelRole.objects.order_by("pk").values("round", "government_level", "main_role"))


def history_count():
    return LevelRole.history.count()


# The service -------------------------------------------------------------------------------


def test_a_scorer_records_changes_and_removes_a_main_role(open_round, scorer):
    saved = level_role_set(
        round=open_round,
        government_level=D,
        main_role="  Merencanakan dan menganggarkan\r\nMelatih kader  ",
        user=scorer,
    )
    assert saved.main_role == "Merencanakan dan menganggarkan\nMelatih kader"
    assert saved.updated_by == scorer
    changed = level_role_set(
        round=open_round, government_level=D, main_role="Memantau data", user=scorer
    )
    assert changed.pk == saved.pk and LevelRole.objects.get().main_role == "Memantau data"
    assert level_role_set(round=open_round, government_level=D, main_role=" ", user=scorer) is None
    assert not LevelRole.objects.exists()
    assert history_count() == 3  # created, changed, removed


def test_the_provinces_admin_records_it_for_a_district_round(open_round, admin_user):
    level_role_set(round=open_round, government_level=K, main_role="Supervisi", user=admin_user)
    assert roles() == [{"round": open_round.pk, "government_level": K, "main_role": "Supervisi"}]


def test_a_draft_round_takes_main_roles(district, scorer):
    draft = RoundFactory(region=district, status=RoundStatus.DRAFT)
    level_role_set(round=draft, government_level=D, main_role="Perencanaan", user=scorer)
    assert LevelRole.objects.filter(round=draft).exists()


@pytest.mark.parametrize("persona", ["planner", "viewer", "other_scorer"])
def test_readers_and_other_regions_may_not(request, open_round, scorer, persona):
    level_role_set(round=open_round, government_level=D, main_role="Perencanaan", user=scorer)
    before = (roles(), history_count())
    with pytest.raises(PermissionDenied):
        level_role_set(
            round=open_round,
            government_level=D,
            main_role="Diubah",
            user=request.getfixturevalue(persona),
        )
    assert (roles(), history_count()) == before


def test_a_closed_round_keeps_its_main_roles(open_round, scorer):
    level_role_set(round=open_round, government_level=D, main_role="Perencanaan", user=scorer)
    open_round.status = RoundStatus.CLOSED
    open_round.save()
    before = (roles(), history_count())
    for text in ("Diubah", ""):
        with pytest.raises(ValidationError) as error:
            level_role_set(round=open_round, government_level=D, main_role=text, user=scorer)
        assert error.value.code == "round_closed"
    assert (roles(), history_count()) == before


@pytest.mark.parametrize(
    "level, text, field, code",
    [
        (7, "Perencanaan", "government_level", "invalid_level"),
        ("2", "Perencanaan", "government_level", "invalid_level"),
        (True, "Perencanaan", "government_level", "invalid_level"),
        (D, "Rapat\x00 bulanan", "main_role", "unsafe_text"),
        (D, "x" * 1001, "main_role", "too_long"),
        (D, None, "main_role", "invalid"),
    ],
)
def test_bad_input_is_refused_by_field(open_round, scorer, level, text, field, code):
    with pytest.raises(ValidationError) as error:
        level_role_set(round=open_round, government_level=level, main_role=text, user=scorer)
    assert [item.code for item in error.value.error_dict[field]] == [code]
    assert not LevelRole.objects.exists()


# The by-level page ---------------------------------------------------------------------------


def levels_url(round_):
    return f"/regions/{round_.region.code}/levels/?round={round_.pk}"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_scorer_records_a_main_role_on_the_page(scorer_client, open_round, actors):
    url = levels_url(open_round)
    page = english(scorer_client).get(url).content.decode()
    assert 'name="main_role"' in page and "Record the main role" in page
    response = scorer_client.post(
        url, {"government_level": D, "main_role": "Merencanakan dan menganggarkan"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}#level-{D}"
    page = scorer_client.get(url).content.decode()
    assert "Merencanakan dan menganggarkan" in page
    assert "The main role of the level was saved." in page


def test_bad_text_is_shown_with_its_message_and_nothing_is_saved(scorer_client, open_round, actors):
    response = english(scorer_client).post(
        levels_url(open_round), {"government_level": D, "main_role": "Rapat\x01 bulanan"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "invisible control character" in html
    assert "<details open>" in html  # the level's form, open, with what was typed
    assert not LevelRole.objects.exists()


@pytest.mark.parametrize("persona", ["viewer_client", "planner_client", "other_scorer_client"])
def test_other_personas_are_refused_on_the_page(request, open_round, actors, persona):
    client = request.getfixturevalue(persona)
    if persona != "other_scorer_client":
        assert 'name="main_role"' not in client.get(levels_url(open_round)).content.decode()
    response = client.post(levels_url(open_round), {"government_level": D, "main_role": "X"})
    assert response.status_code == 403
    assert not LevelRole.objects.exists()


def test_a_closed_rounds_page_offers_no_form_and_refuses_a_post(scorer_client, district, actors):
    closed = RoundFactory(region=district, status=RoundStatus.CLOSED)
    LevelRole.objects.create(round=closed, government_level=D, main_role="Perencanaan")
    url = levels_url(closed)
    page = english(scorer_client).get(url).content.decode()
    assert "Perencanaan" in page and 'name="main_role"' not in page
    response = scorer_client.post(url, {"government_level": D, "main_role": "Diubah"})
    assert response.status_code == 400
    assert "This round is closed" in response.content.decode()
    assert LevelRole.objects.get().main_role == "Perencanaan"


def test_an_unknown_level_is_refused_with_a_message(scorer_client, open_round, actors):
    response = english(scorer_client).post(
        levels_url(open_round), {"government_level": "9x", "main_role": "X"}
    )
    assert response.status_code == 400
    assert "Choose a government level" in response.content.decode()
    assert not LevelRole.objects.exists()


# The API -----------------------------------------------------------------------------------


def test_the_api_records_changes_and_removes_a_main_role(scorer, viewer, open_round):
    client = api_client(scorer)
    body = {"round": open_round.pk, "government_level": D, "main_role": "Perencanaan"}
    created = client.post(API, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["main_role"] == "Perencanaan"
    assert created.json()["updated_by"] == "penilai_sigi"
    changed = client.post(API, body | {"main_role": "Supervisi"}, format="json")
    assert changed.status_code == 200 and changed.json()["id"] == created.json()["id"]

    listed = api_client(viewer).get(f"{API}?round={open_round.pk}").json()["results"]
    assert [(item["government_level"], item["main_role"]) for item in listed] == [(D, "Supervisi")]

    assert client.post(API, body | {"main_role": ""}, format="json").status_code == 204
    assert not LevelRole.objects.exists()


def test_the_api_refuses_as_the_page_does(viewer, other_scorer, scorer, open_round, district):
    body = {"round": open_round.pk, "government_level": D, "main_role": "Perencanaan"}
    assert api_client(viewer).post(API, body, format="json").status_code == 403
    # The other district's scorer does not see the round at all.
    response = api_client(other_scorer).post(API, body, format="json")
    assert response.status_code == 400 and "round" in response.json()
    assert api_client(other_scorer).get(f"{API}?round={open_round.pk}").status_code == 400
    bad = api_client(scorer).post(API, body | {"main_role": "a\x02b"}, format="json")
    assert bad.status_code == 400 and "main_role" in bad.json()
    closed = RoundFactory(region=district, status=RoundStatus.CLOSED)
    refused = api_client(scorer).post(API, body | {"round": closed.pk}, format="json")
    assert refused.status_code == 400
    assert "closed" in refused.json()["non_field_errors"][0]
    assert not LevelRole.objects.exists()


def test_main_roles_of_other_regions_are_not_listed(other_scorer, scorer, open_round):
    level_role_set(round=open_round, government_level=D, main_role="Perencanaan", user=scorer)
    assert api_client(other_scorer).get(API).json()["results"] == []
    nobody = make_user("tanpa_peran", role=None, regions=[open_round.region])
    assert api_client(nobody).get(API).status_code == 403
    assert len(api_client(scorer).get(API).json()["results"]) == 1
