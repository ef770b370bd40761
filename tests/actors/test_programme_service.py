"""A programme and its participants are saved by one service, for the admin and the API:
a district's programme may include the provincial offices; a refusal writes nothing."""

import pytest

from actors.models import GovernmentLevel, ParticipantRole
from actors.services import ParticipantsRefused, participants_set, programme_save
from tests.factories import ActorFactory, ProgrammeFactory
from tests.security.conftest import snapshot


@pytest.fixture
def provincial_office(province, health):
    return ActorFactory(
        name="Dinas Kesehatan Provinsi",
        sector=health,
        home_region=province,
        government_level=GovernmentLevel.PROVINCE,
    )


def test_a_district_programme_includes_a_provincial_office(district, actors, provincial_office):
    programme = ProgrammeFactory.build(region=district, lead_actor=provincial_office)
    programme_save(
        programme=programme,
        participants=[
            {"actor": provincial_office, "role": ParticipantRole.LEAD, "stages": ["planning"]},
            {"actor": actors[0], "role": ParticipantRole.IMPLEMENTER},
        ],
    )
    assert sorted(p.actor.name for p in programme.participants.all()) == sorted(
        [provincial_office.name, actors[0].name]
    )


def test_participants_of_another_district_or_twice_are_refused_with_nothing_written(
    district, actors, other_actors
):
    programme = ProgrammeFactory(region=district)
    participants_set(programme=programme, participants=[{"actor": actors[0], "role": "lead"}])
    before = snapshot()
    with pytest.raises(ParticipantsRefused) as refused:
        participants_set(
            programme=programme,
            participants=[
                {"actor": actors[1], "role": "implementer"},
                {"actor": other_actors[0], "role": "funder"},
                {"actor": actors[1], "role": "funder"},
            ],
        )
    assert refused.value.rows[0] == {}
    assert "actor" in refused.value.rows[1] and "actor" in refused.value.rows[2]
    assert snapshot() == before
