"""Which mechanisms and factors a pair may hold: codes of the active terms of each list.

A term made inactive is no longer offered and cannot be chosen anew, on any door (the
scoring page, the API, a restore); a pair that already holds it keeps it when it is saved
again, and may drop it. A code no term has is refused with the list's message."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from actors.models import VocabularyTerm
from assessments.models import AssessmentRound, PairAssessment
from assessments.services import clean_pair_values, pair_assessment_save
from tests.api.conftest import api_client
from tests.factories import score

API = "/api/v1/pair-assessments/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def retired(db):
    """ "Distance and access" is no longer offered."""
    VocabularyTerm.objects.filter(code="distance_and_access").update(is_active=False)
    return "distance_and_access"


def stored():
    return list(PairAssessment.objects.order_by("pk").values())


def save(round_, actors, user, **kwargs):
    return pair_assessment_save(
        round=round_, actor_a=actors[0], actor_b=actors[1], user=user, **kwargs
    )


# The scoring service ---------------------------------------------------------------------


def test_codes_of_active_terms_are_stored_once_in_the_lists_order(open_round, actors, scorer):
    saved = save(
        open_round,
        actors,
        scorer,
        level=2,
        mechanisms=["joint_home_visits", "data_sharing", "joint_home_visits"],
        facilitating_factors=["shared_motivation"],
        hindering_factors=["unbalanced_incentives", "heavy_workload"],
    )
    saved.refresh_from_db()
    assert saved.mechanisms == ["data_sharing", "joint_home_visits"]
    assert saved.facilitating_factors == ["shared_motivation"]
    assert saved.hindering_factors == ["heavy_workload", "unbalanced_incentives"]


def test_an_unknown_code_is_refused_by_its_list(open_round, actors, scorer):
    score(open_round, actors[0], actors[1], 1, mechanisms=["data_sharing"])
    before = stored()
    with pytest.raises(ValidationError) as error:
        save(
            open_round,
            actors,
            scorer,
            level=2,
            mechanisms=["data_sharing", "bribery"],
            # A code of another list is no code of this one.
            hindering_factors=["pooled_budget"],
        )
    errors = error.value.error_dict
    assert set(errors) == {"mechanisms", "hindering_factors"}
    assert errors["mechanisms"][0].code == "invalid_choice"
    assert "bribery" in errors["mechanisms"][0].messages[0]
    assert "pooled_budget" in errors["hindering_factors"][0].messages[0]
    assert stored() == before


def test_an_inactive_term_cannot_be_newly_chosen(open_round, actors, scorer, retired):
    score(open_round, actors[0], actors[1], 1)
    before = stored()
    with pytest.raises(ValidationError) as error:
        save(open_round, actors, scorer, level=2, hindering_factors=[retired, "heavy_workload"])
    [refusal] = error.value.error_dict["hindering_factors"]
    assert refusal.code == "inactive_choice"
    assert "Jarak dan akses (distance_and_access)" in refusal.messages[0]
    assert stored() == before


def test_a_pair_that_holds_an_inactive_term_keeps_it_when_saved_again(
    open_round, actors, scorer, retired
):
    pair = score(open_round, actors[0], actors[1], 1, hindering_factors=[retired])
    saved = save(
        open_round,
        actors,
        scorer,
        level=3,
        hindering_factors=["heavy_workload", retired],
        expected_version=pair.version,
    )
    saved.refresh_from_db()
    assert (saved.level, saved.hindering_factors) == (3, ["heavy_workload", retired])
    # It may drop it, and then cannot take it back.
    save(open_round, actors, scorer, level=3, hindering_factors=["heavy_workload"])
    with pytest.raises(ValidationError):
        save(open_round, actors, scorer, level=3, hindering_factors=[retired])
    assert PairAssessment.objects.get().hindering_factors == ["heavy_workload"]


def test_another_pairs_inactive_term_does_not_count(open_round, actors, scorer, retired):
    score(open_round, actors[0], actors[2], 1, hindering_factors=[retired])
    with pytest.raises(ValidationError):
        save(open_round, actors, scorer, level=1, hindering_factors=[retired])
    assert not PairAssessment.objects.filter(actor_b=actors[1]).exists()


def test_the_check_reads_the_terms_once_and_only_when_a_list_has_codes(
    django_assert_num_queries, db
):
    with django_assert_num_queries(0):
        clean_pair_values(level=2)
    with django_assert_num_queries(1):
        clean_pair_values(
            level=2, mechanisms=["data_sharing"], hindering_factors=["heavy_workload"]
        )


# The scoring page ------------------------------------------------------------------------


def pair_url(round_, a, b):
    return f"/rounds/{round_.pk}/pairs/{a.pk}-{b.pk}/"


def checkboxes(html, name):
    return re.findall(rf'name="{name}" value="([a-z_]+)"', html)


def test_the_form_offers_the_active_terms_only(scorer_client, open_round, actors, retired):
    html = scorer_client.get(pair_url(open_round, actors[0], actors[1])).content.decode()
    offered = checkboxes(html, "hindering_factors")
    assert retired not in offered
    assert offered[:3] == ["sectoral_ego", "different_priorities", "narrow_priority_topics"]
    assert "unbalanced_incentives" in offered and len(offered) == 18
    assert "Jarak dan akses" not in html


def test_the_form_keeps_an_inactive_term_the_pair_holds(scorer_client, open_round, actors, retired):
    pair = score(open_round, actors[0], actors[1], 1, hindering_factors=[retired])
    url = pair_url(open_round, actors[0], actors[1])
    scorer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = scorer_client.get(url).content.decode()
    assert retired in checkboxes(html, "hindering_factors")
    assert "Distance and access (no longer offered)" in html
    response = scorer_client.post(
        url,
        {"level": "2", "hindering_factors": [retired], "version": pair.version},
        **HTMX,
    )
    assert response.status_code == 200
    assert PairAssessment.objects.get().hindering_factors == [retired]


def test_the_page_refuses_an_inactive_term_for_a_new_pair(
    scorer_client, open_round, actors, retired
):
    scorer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]),
        {"level": "2", "hindering_factors": [retired], "version": 0},
        **HTMX,
    )
    assert response.status_code == 400
    assert f"{retired} is not one of the available choices" in response.content.decode()
    assert not PairAssessment.objects.exists()


def test_the_pair_history_names_the_terms(scorer_client, open_round, actors, scorer):
    save(open_round, actors, scorer, level=1, mechanisms=["joint_home_visits"])
    save(open_round, actors, scorer, level=2, mechanisms=["joint_home_visits", "data_sharing"])
    html = scorer_client.get(pair_url(open_round, actors[0], actors[1])).content.decode()
    history = html[html.index('class="pair-history"') :]
    assert history.count("Kunjungan rumah bersama") == 2
    assert "Berbagi data; Kunjungan rumah bersama" in history


# The API -----------------------------------------------------------------------------------


def test_the_api_refuses_unknown_and_inactive_codes(scorer, open_round, actors, retired):
    client = api_client(scorer)
    before = stored()
    response = client.post(
        API,
        {
            "round": open_round.pk,
            "actor_a": actors[0].pk,
            "actor_b": actors[1].pk,
            "level": 2,
            "mechanisms": ["bribery"],
            "hindering_factors": [retired],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "mechanisms": ["Not in the list of choices: bribery."],
        "hindering_factors": [
            "No longer offered, so it cannot be newly chosen: "
            "Distance and access (distance_and_access)."
        ],
    }
    assert stored() == before


def test_the_api_keeps_an_inactive_term_on_a_patch_of_the_note(scorer, open_round, actors, retired):
    pair = score(open_round, actors[0], actors[1], 2, hindering_factors=[retired])
    response = api_client(scorer).patch(
        f"{API}{pair.pk}/", {"note": "Rapat bulanan"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["hindering_factors"] == [retired]
    pair.refresh_from_db()
    assert (pair.note, pair.hindering_factors) == ("Rapat bulanan", [retired])


# A restore ---------------------------------------------------------------------------------


def test_a_restored_round_keeps_a_term_made_inactive_since(
    open_round, actors, scorer, tmp_path, retired
):
    restorer = get_user_model().objects.create_superuser("pemulih", password="x")
    score(open_round, actors[0], actors[1], 2, hindering_factors=[retired, "heavy_workload"])
    path = tmp_path / "round.json"
    call_command("export_round", str(open_round.pk), output=str(path))
    open_round.name = "Pemetaan Sigi 2026 (lama)"
    open_round.save()
    call_command("restore_round", str(path), "--user", restorer.username)
    restored = AssessmentRound.objects.get(name="Pemetaan Sigi 2026")
    assert restored.assessments.get().hindering_factors == ["heavy_workload", retired]


def test_a_restore_refuses_a_code_no_term_has(open_round, actors, tmp_path):
    get_user_model().objects.create_superuser("pemulih", password="x")
    score(open_round, actors[0], actors[1], 2, hindering_factors=["heavy_workload"])
    path = tmp_path / "round.json"
    call_command("export_round", str(open_round.pk), output=str(path))
    path.write_text(path.read_text().replace('"heavy_workload"', '"bribery"'))
    open_round.name = "Pemetaan Sigi 2026 (lama)"
    open_round.save()
    rounds = AssessmentRound.objects.count()
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("restore_round", str(path), "--user", "pemulih", stderr=errors)
    assert "bribery" in errors.getvalue()
    assert AssessmentRound.objects.count() == rounds
