import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import PairAssessment, RoundStatus
from assessments.services import pair_assessment_save
from tests.factories import ActorFactory, RoundFactory


def test_a_scorer_saves_a_pair_in_canonical_order(open_round, actors, scorer):
    high, low = sorted(actors[:2], key=lambda actor: -actor.pk)
    saved = pair_assessment_save(
        round=open_round, actor_a=high, actor_b=low, level=3, note=" rapat TPPS ", user=scorer
    )
    assert (saved.actor_a, saved.actor_b) == (low, high)
    assert saved.level == 3
    assert saved.note == "rapat TPPS"
    assert saved.scored_by == scorer


def test_a_second_save_updates_the_one_row(open_round, actors, scorer):
    pair_assessment_save(
        round=open_round, actor_a=actors[0], actor_b=actors[1], level=1, user=scorer
    )
    pair_assessment_save(
        round=open_round, actor_a=actors[1], actor_b=actors[0], level=4, user=scorer
    )
    assert list(PairAssessment.objects.values_list("level", flat=True)) == [4]


@pytest.mark.parametrize("level", [-1, 5, 99, "3", 2.0, True])
def test_a_level_outside_0_to_4_is_refused(open_round, actors, scorer, level):
    with pytest.raises(ValidationError) as error:
        pair_assessment_save(
            round=open_round, actor_a=actors[0], actor_b=actors[1], level=level, user=scorer
        )
    assert "dari 0 sampai 4" in str(error.value)
    assert not PairAssessment.objects.exists()


def test_without_evidence_a_level_must_be_chosen(open_round, actors, scorer):
    with pytest.raises(ValidationError) as error:
        pair_assessment_save(
            round=open_round, actor_a=actors[0], actor_b=actors[1], level=None, user=scorer
        )
    assert error.value.error_dict["level"][0].code == "level_required"
    assert not PairAssessment.objects.exists()


def test_an_actor_paired_with_itself_is_refused(open_round, actors, scorer):
    with pytest.raises(ValidationError) as error:
        pair_assessment_save(
            round=open_round, actor_a=actors[0], actor_b=actors[0], level=2, user=scorer
        )
    assert "dirinya sendiri" in str(error.value)
    assert not PairAssessment.objects.exists()


def test_an_actor_outside_the_rounds_region_is_refused(open_round, actors, other_actors, scorer):
    with pytest.raises(ValidationError) as error:
        pair_assessment_save(
            round=open_round, actor_a=actors[0], actor_b=other_actors[0], level=2, user=scorer
        )
    assert "Dinas Kesehatan Kota Palu" in str(error.value)
    assert not PairAssessment.objects.exists()


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.DRAFT])
def test_a_round_that_is_not_open_is_not_written(district, actors, scorer, status):
    round_ = RoundFactory(region=district, status=status)
    with pytest.raises(ValidationError):
        pair_assessment_save(
            round=round_, actor_a=actors[0], actor_b=actors[1], level=2, user=scorer
        )
    assert not PairAssessment.objects.exists()


def test_a_closed_round_keeps_its_existing_levels(district, actors, scorer):
    round_ = RoundFactory(region=district, status=RoundStatus.OPEN)
    pair_assessment_save(round=round_, actor_a=actors[0], actor_b=actors[1], level=2, user=scorer)
    round_.status = RoundStatus.CLOSED
    round_.save()
    with pytest.raises(ValidationError) as error:
        pair_assessment_save(
            round=round_, actor_a=actors[0], actor_b=actors[1], level=4, user=scorer
        )
    assert "sudah ditutup" in str(error.value)
    assert PairAssessment.objects.get().level == 2


def test_a_scorer_outside_the_jurisdiction_is_refused(open_round, actors, other_scorer):
    with pytest.raises(PermissionDenied):
        pair_assessment_save(
            round=open_round, actor_a=actors[0], actor_b=actors[1], level=2, user=other_scorer
        )
    assert not PairAssessment.objects.exists()


@pytest.mark.parametrize("persona", ["planner", "viewer"])
def test_readers_cannot_score(open_round, actors, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        pair_assessment_save(
            round=open_round, actor_a=actors[0], actor_b=actors[1], level=2, user=user
        )


def test_an_inactive_actor_is_not_scored(open_round, actors, scorer):
    actors[1].is_active = False
    actors[1].save()
    with pytest.raises(ValidationError) as error:
        pair_assessment_save(
            round=open_round, actor_a=actors[0], actor_b=actors[1], level=2, user=scorer
        )
    assert "tidak aktif" in str(error.value)


def test_a_scorer_of_the_province_may_score_in_its_districts(open_round, actors, province):
    from accounts.models import Role
    from tests.factories import make_user

    province_scorer = make_user("penilai_prov", role=Role.SCORER, regions=[province])
    pair_assessment_save(
        round=open_round, actor_a=actors[0], actor_b=actors[1], level=2, user=province_scorer
    )
    assert PairAssessment.objects.count() == 1


def test_a_subdistrict_actor_belongs_to_its_districts_round(open_round, actors, district, scorer):
    from actors.models import GovernmentLevel, Region

    kecamatan = Region.objects.create(
        code="72.10.01", name="Sigi Biromaru", level=GovernmentLevel.SUBDISTRICT, parent=district
    )
    camat = ActorFactory(
        name="Kantor Camat Sigi Biromaru", home_region=kecamatan, sector=actors[0].sector
    )
    pair_assessment_save(round=open_round, actor_a=actors[0], actor_b=camat, level=1, user=scorer)
    assert PairAssessment.objects.count() == 1
