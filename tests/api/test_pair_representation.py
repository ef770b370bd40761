"""The pair list's serializer writes each pair by hand (issue 16: a page of 500 pairs spent
most of its time in DRF's work per field); what it writes is what ``ModelSerializer`` does."""

import pytest
from rest_framework import serializers as drf

from api.serializers import PairAssessmentSerializer
from assessments.models import PairAssessment
from assessments.services import pair_assessment_save
from tests.api.conftest import api_client
from tests.factories import score

URL = "/api/v1/pair-assessments/"


def generic(instance):
    """What the declared fields give through ``ModelSerializer``'s own representation."""
    return dict(drf.ModelSerializer.to_representation(PairAssessmentSerializer(), instance))


@pytest.mark.dates
def test_each_pair_is_written_as_the_model_serializer_writes_it(scorer, open_round, actors):
    pair_assessment_save(
        round=open_round,
        actor_a=actors[0],
        actor_b=actors[1],
        level=None,
        evidence=[True, True, False, None],
        note="rapat bulanan",
        mechanisms=["data_sharing"],
        user=scorer,
    )
    score(open_round, actors[2], actors[3], 0)  # scored by nobody, no evidence
    pairs = list(PairAssessment.objects.select_related("scored_by").order_by("pk"))
    assert [PairAssessmentSerializer(pair).data for pair in pairs] == [
        generic(pair) for pair in pairs
    ]
    listed = api_client(scorer).get(f"{URL}?round={open_round.pk}").json()["results"]
    assert [list(item) for item in listed] == [list(generic(pair)) for pair in pairs]
    assert listed[0]["scored_by"] == "penilai_sigi"
    assert listed[1]["scored_by"] is None
