"""Scoring from evidence: the four questions, the derived level, mechanisms and factors."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from assessments.models import Level, PairAssessment
from assessments.services import EvidenceResult, derive_level, pair_assessment_save
from tests.factories import score

Y, N, U = True, False, None  # yes, no, not answered

# --- derive_level: hand-worked expectations ------------------------------------------


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ((N, N, N, N), 0),
        ((Y, N, N, N), 1),
        ((Y, Y, N, N), 2),
        ((Y, Y, Y, N), 3),
        ((Y, Y, Y, Y), 4),
    ],
)
def test_consistent_answers_give_the_highest_yes(answers, level):
    assert derive_level(answers) == EvidenceResult(level=Level(level), highest_yes=level)
    assert not derive_level(answers).inconsistent


@pytest.mark.parametrize(
    ("answers", "level", "skipped"),
    [
        # Yes to 4 above a no to 3: the steps up to 2 still hold.
        ((Y, Y, N, Y), 2, (3,)),
        # Yes to 3 above a no to 1: nothing holds from the bottom.
        ((N, Y, Y, N), 0, (1,)),
        ((N, Y, N, N), 0, (1,)),
        ((N, N, N, Y), 0, (1, 2, 3)),
        ((Y, N, Y, Y), 1, (2,)),
    ],
)
def test_a_yes_above_a_no_is_inconsistent(answers, level, skipped):
    result = derive_level(answers)
    assert result.inconsistent
    assert (result.level, result.skipped) == (level, skipped)


def test_no_answer_at_all_is_no_evidence():
    result = derive_level((U, U, U, U))
    assert result.level is None
    assert not result.has_evidence and not result.inconsistent


@pytest.mark.parametrize(
    ("answers", "level", "skipped"),
    [
        # An unanswered question counts as "not yes": the level stops below it ...
        ((Y, U, U, U), 1, ()),
        ((Y, Y, U, U), 2, ()),
        ((Y, Y, Y, U), 3, ()),
        ((N, U, U, U), 0, ()),
        ((U, U, U, N), 0, ()),
        # ... and a yes above it skips a step, as a yes above a no does.
        ((U, Y, U, U), 0, (1,)),
        ((Y, U, Y, U), 1, (2,)),
        ((U, Y, Y, Y), 0, (1,)),
    ],
)
def test_partial_answers_treat_unanswered_as_not_yes(answers, level, skipped):
    result = derive_level(answers)
    assert result.has_evidence
    assert (result.level, result.skipped, result.inconsistent) == (level, skipped, bool(skipped))


def test_derive_level_needs_four_answers():
    with pytest.raises(ValueError):
        derive_level((Y, Y, Y))


# --- pair_assessment_save with evidence ------------------------------------------------


def save(round_, actors, user, **kwargs):
    kwargs.setdefault("level", None)
    return pair_assessment_save(
        round=round_, actor_a=actors[0], actor_b=actors[1], user=user, **kwargs
    )


def stored(assessment):
    """Everything a save writes, to compare before and after a refusal."""
    return PairAssessment.objects.filter(pk=assessment.pk).values().get()


def test_the_level_is_derived_when_the_scorer_leaves_it_to_the_answers(open_round, actors, scorer):
    saved = save(open_round, actors, scorer, evidence=(Y, Y, N, N))
    saved.refresh_from_db()
    assert saved.level == 2
    assert (
        saved.shares_information,
        saved.joint_activities,
        saved.shared_roles_and_resources,
        saved.formal_structure,
    ) == (True, True, False, False)
    assert saved.evidence_inconsistency_confirmed is False


def test_a_chosen_level_equal_to_the_derived_one_is_kept(open_round, actors, scorer):
    save(open_round, actors, scorer, level=4, evidence=(Y, Y, Y, Y))
    assert PairAssessment.objects.get().level == 4


def test_all_no_derives_level_0(open_round, actors, scorer):
    save(open_round, actors, scorer, evidence=(N, N, N, N))
    assert PairAssessment.objects.get().level == 0


def test_partial_answers_derive_up_to_the_first_question_not_yes(open_round, actors, scorer):
    saved = save(open_round, actors, scorer, evidence=(Y, Y, U, U))
    saved.refresh_from_db()
    assert saved.level == 2
    assert (saved.shared_roles_and_resources, saved.formal_structure) == (None, None)


def test_no_evidence_stores_the_chosen_level_and_clears_earlier_answers(open_round, actors, scorer):
    save(open_round, actors, scorer, evidence=(Y, Y, Y, N))
    saved = save(open_round, actors, scorer, level=1, evidence=None)
    saved.refresh_from_db()
    assert saved.level == 1
    assert saved.shares_information is None and saved.shared_roles_and_resources is None


def test_all_unanswered_is_no_evidence_and_needs_a_level(open_round, actors, scorer):
    with pytest.raises(ValidationError) as error:
        save(open_round, actors, scorer, evidence=(U, U, U, U))
    assert error.value.error_dict["level"][0].code == "level_required"
    assert not PairAssessment.objects.exists()


def test_a_level_contradicting_the_answers_is_refused_naming_both(open_round, actors, scorer):
    existing = save(open_round, actors, scorer, level=1)
    before = stored(existing)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        save(
            open_round, actors, scorer, level=3, evidence=(Y, Y, N, N), mechanisms=["data_sharing"]
        )
    [message] = error.value.error_dict["level"]
    assert message.code == "level_contradicts_evidence"
    assert "level 2 (Coordination)" in message.message
    assert "level 3 (Collaboration)" in message.message
    assert stored(existing) == before


def test_inconsistent_answers_without_confirmation_are_refused(open_round, actors, scorer):
    existing = save(open_round, actors, scorer, level=1, note="lama")
    before = stored(existing)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        save(open_round, actors, scorer, level=3, evidence=(N, Y, Y, N), note="baru")
    assert error.value.code == "inconsistent_evidence"
    assert "question 3 is yes but question 1" in error.value.message
    assert "confirm" in error.value.message
    assert stored(existing) == before


def test_inconsistent_answers_are_refused_even_without_a_chosen_level(open_round, actors, scorer):
    with pytest.raises(ValidationError) as error:
        save(open_round, actors, scorer, evidence=(Y, Y, N, Y))
    assert error.value.code == "inconsistent_evidence"
    assert not PairAssessment.objects.exists()


def test_confirmed_inconsistent_answers_keep_the_chosen_level_and_the_flag(
    open_round, actors, scorer
):
    saved = save(
        open_round, actors, scorer, level=3, evidence=(N, Y, Y, N), confirm_inconsistent=True
    )
    saved.refresh_from_db()
    # Not coerced to the derived 0: the scorer's level stands, with the confirmation.
    assert saved.level == 3
    assert saved.evidence_inconsistency_confirmed is True
    assert (saved.shares_information, saved.joint_activities) == (False, True)


def test_confirmed_inconsistent_answers_still_need_a_chosen_level(open_round, actors, scorer):
    with pytest.raises(ValidationError) as error:
        save(open_round, actors, scorer, evidence=(N, Y, Y, N), confirm_inconsistent=True)
    assert error.value.error_dict["level"][0].code == "level_required"
    assert not PairAssessment.objects.exists()


def test_a_confirmation_of_consistent_answers_is_not_stored(open_round, actors, scorer):
    save(open_round, actors, scorer, evidence=(Y, N, N, N), confirm_inconsistent=True)
    assert PairAssessment.objects.get().evidence_inconsistency_confirmed is False


@pytest.mark.parametrize(
    "evidence",
    [
        (1, 0, 0, 0),  # truthy is not yes
        ("yes", "no", None, None),
        (True, True, True),
        (True, True, True, True, True),
        "yyyy",
        {"shares_information": True},
    ],
)
def test_evidence_that_is_not_four_yes_no_answers_is_refused(open_round, actors, scorer, evidence):
    with pytest.raises(ValidationError) as error:
        save(open_round, actors, scorer, level=1, evidence=evidence)
    assert error.value.error_dict["evidence"][0].code == "invalid_evidence"
    assert not PairAssessment.objects.exists()


def test_mechanisms_and_factors_are_stored_deduplicated_in_vocabulary_order(
    open_round, actors, scorer
):
    saved = save(
        open_round,
        actors,
        scorer,
        level=2,
        mechanisms=["joint_training", "data_sharing", "joint_training"],
        facilitating_factors=("regular_forum", "leadership_commitment"),
        hindering_factors={"staff_turnover"},
    )
    saved.refresh_from_db()
    assert saved.mechanisms == ["data_sharing", "joint_training"]
    assert saved.facilitating_factors == ["leadership_commitment", "regular_forum"]
    assert saved.hindering_factors == ["staff_turnover"]


def test_an_unknown_mechanism_is_refused_and_nothing_saved(open_round, actors, scorer):
    existing = save(open_round, actors, scorer, level=2, mechanisms=["data_sharing"])
    before = stored(existing)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            save(open_round, actors, scorer, level=3, mechanisms=["data_sharing", "bribery"])
        assert error.value.message_dict == {"mechanisms": ["Not in the list of choices: bribery."]}
    assert stored(existing) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("facilitating_factors", ["friendship"]),
        ("hindering_factors", ["sectoral_ego", "weather"]),
        ("hindering_factors", ["data_sharing"]),  # a mechanism is not a factor
        ("mechanisms", [3]),
        ("mechanisms", [["data_sharing"]]),
        ("mechanisms", "data_sharing"),  # a string is not a list of choices
    ],
)
def test_an_unknown_factor_is_refused_and_nothing_saved(open_round, actors, scorer, field, value):
    existing = save(open_round, actors, scorer, level=2)
    before = stored(existing)
    with pytest.raises(ValidationError) as error:
        save(open_round, actors, scorer, level=2, **{field: value})
    assert list(error.value.error_dict) == [field]
    assert stored(existing) == before


def test_each_bad_list_gets_its_own_message(open_round, actors, scorer):
    with pytest.raises(ValidationError) as error:
        save(
            open_round,
            actors,
            scorer,
            level=2,
            mechanisms=["bribery"],
            facilitating_factors=["luck"],
            note="x" * 4001,
        )
    assert set(error.value.error_dict) == {"mechanisms", "facilitating_factors", "note"}
    assert not PairAssessment.objects.exists()


# --- the page -----------------------------------------------------------------------


def pair_url(round_, actor_x, actor_y):
    return f"/rounds/{round_.pk}/pairs/{actor_x.pk}-{actor_y.pk}/"


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def english(scorer_client):
    """The scorer's client with English chosen (pages ignore Accept-Language)."""
    scorer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return scorer_client


def checked(html, name):
    return re.findall(
        rf'<input type="(?:radio|checkbox)" name="{name}" value="([^"]*)"[^>]*checked', html
    )


def test_the_form_asks_the_four_questions_and_offers_the_lists(english, open_round, actors):
    html = english.get(pair_url(open_round, actors[0], actors[1]), **HTMX).content.decode()
    assert "Do they share information or data with each other?" in html
    for name in ("shares_information", "joint_activities", "shared_roles_and_resources"):
        assert checked(html, name) == [""]  # "Not answered" until the scorer answers
    assert checked(html, "level") == [""]  # a new pair: the level is left to the answers
    assert 'value="joint_planning_meeting"' in html
    assert 'value="leadership_commitment"' in html
    assert 'value="sectoral_ego"' in html
    # The confirmation is offered only with the warning.
    assert 'name="confirm_inconsistent"' not in html
    # No inline script or handler: a Content Security Policy comes later.
    assert "<script" not in html and not re.search(r"\son[a-z]+=", html)


def test_the_form_is_prefilled_from_the_stored_assessment(scorer_client, open_round, actors):
    score(
        open_round,
        actors[0],
        actors[1],
        2,
        shares_information=True,
        joint_activities=True,
        shared_roles_and_resources=False,
        mechanisms=["review_meeting", "data_sharing"],
        hindering_factors=["unclear_roles"],
        note="Rapat evaluasi",
    )
    html = scorer_client.get(pair_url(open_round, actors[1], actors[0])).content.decode()
    assert checked(html, "shares_information") == ["yes"]
    assert checked(html, "joint_activities") == ["yes"]
    assert checked(html, "shared_roles_and_resources") == ["no"]
    assert checked(html, "formal_structure") == [""]
    # The level came from the answers, so changing an answer changes it.
    assert checked(html, "level") == [""]
    assert checked(html, "mechanisms") == ["review_meeting", "data_sharing"]
    assert checked(html, "hindering_factors") == ["unclear_roles"]
    assert "Rapat evaluasi" in html


def test_a_confirmed_inconsistent_assessment_shows_its_level_and_confirmation(
    scorer_client, open_round, actors
):
    score(
        open_round,
        actors[0],
        actors[1],
        3,
        shares_information=False,
        joint_activities=True,
        shared_roles_and_resources=True,
        evidence_inconsistency_confirmed=True,
    )
    html = scorer_client.get(pair_url(open_round, actors[0], actors[1])).content.decode()
    assert checked(html, "level") == ["3"]
    assert re.search(r'<input type="checkbox" name="confirm_inconsistent"[^>]*checked', html)


def evidence_post(*answers, **extra):
    names = ("shares_information", "joint_activities", "shared_roles_and_resources")
    data = dict(zip((*names, "formal_structure"), answers, strict=True))
    return {"level": "", **data, **extra}


def test_an_htmx_save_from_the_answers_stores_the_derived_level(scorer_client, open_round, actors):
    response = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]),
        evidence_post("yes", "yes", "yes", "no", mechanisms=["pooled_budget", "data_sharing"]),
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    first, second = actors[0].pk, actors[1].pk
    assert f'<td hx-swap-oob="true" id="c{first}-{second}" class="l3">' in html
    assert "Tersimpan: Kolaborasi." in html
    saved = PairAssessment.objects.get()
    assert (saved.level, saved.mechanisms) == (3, ["data_sharing", "pooled_budget"])
    assert saved.formal_structure is False


def test_inconsistent_answers_come_back_with_the_warning_and_the_confirmation(
    english, open_round, actors
):
    url = pair_url(open_round, actors[0], actors[1])
    response = english.post(url, evidence_post("no", "yes", "yes", "", level="3"), **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert "These answers skip a step: question 3 is yes but question 1" in html
    assert 'name="confirm_inconsistent"' in html
    # What the scorer entered is still there to correct or confirm.
    assert checked(html, "shares_information") == ["no"]
    assert checked(html, "level") == ["3"]
    assert not PairAssessment.objects.exists()

    response = english.post(
        url, evidence_post("no", "yes", "yes", "", level="3", confirm_inconsistent="on"), **HTMX
    )
    assert response.status_code == 200
    saved = PairAssessment.objects.get()
    assert (saved.level, saved.evidence_inconsistency_confirmed) == (3, True)


def test_a_plain_post_with_inconsistent_answers_is_a_400_page(english, open_round, actors):
    response = english.post(
        pair_url(open_round, actors[0], actors[1]), evidence_post("yes", "yes", "no", "yes")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html and "question 4 is yes but question 3" in html
    assert not PairAssessment.objects.exists()


def test_a_plain_post_of_consistent_answers_redirects_to_the_matrix(
    scorer_client, open_round, actors
):
    response = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]),
        evidence_post("yes", "no", "no", "no", facilitating_factors=["regular_forum"]),
    )
    assert response.status_code == 302
    saved = PairAssessment.objects.get()
    assert (saved.level, saved.facilitating_factors) == (1, ["regular_forum"])


def test_a_level_contradicting_the_answers_is_a_400_naming_both(english, open_round, actors):
    score(open_round, actors[0], actors[1], 1)
    response = english.post(
        pair_url(open_round, actors[0], actors[1]),
        evidence_post("yes", "yes", "no", "no", level="4"),
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The answers support level 2 (Coordination), but level 4 (Integration)" in html
    assert PairAssessment.objects.get().level == 1


def test_an_unknown_mechanism_is_a_400_and_nothing_saved(english, open_round, actors):
    response = english.post(
        pair_url(open_round, actors[0], actors[1]),
        {"level": "2", "mechanisms": ["data_sharing", "bribery"]},
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "bribery is not one of the available choices" in html
    assert re.search(r"<details open>\s*<summary>Mechanisms", html)
    assert not PairAssessment.objects.exists()


def test_an_unknown_answer_is_a_400(english, open_round, actors):
    response = english.post(
        pair_url(open_round, actors[0], actors[1]), evidence_post("maybe", "", "", ""), **HTMX
    )
    assert response.status_code == 400
    assert "maybe is not one of the available choices" in response.content.decode()
    assert not PairAssessment.objects.exists()


def test_no_level_and_no_answers_is_a_400_with_a_message(english, open_round, actors):
    response = english.post(pair_url(open_round, actors[0], actors[1]), {"level": ""}, **HTMX)
    assert response.status_code == 400
    assert "Choose a level, or answer the evidence questions" in response.content.decode()
    assert not PairAssessment.objects.exists()


def test_the_messages_follow_the_users_language(scorer_client, open_round, actors):
    """Indonesian by default: the message comes back, not a crash, whatever its wording."""
    response = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]), evidence_post("no", "yes", "", ""), **HTMX
    )
    assert response.status_code == 400
    assert 'class="message error" role="alert"' in response.content.decode()
    assert response["Content-Language"] == "id"


def test_readers_may_not_score_from_evidence_either(viewer_client, open_round, actors):
    response = viewer_client.post(
        pair_url(open_round, actors[0], actors[1]), evidence_post("yes", "no", "no", "no")
    )
    assert response.status_code == 403
    assert not PairAssessment.objects.exists()
