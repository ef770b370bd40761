"""Invitations of Sigi's open round and a snapshot of every table a partner's link could
write, to prove that a refusal wrote nothing."""

import pytest
from django.core.cache import cache

from assessments.models import PairAssessment
from partners.models import Invitation, PartnerAnswer
from partners.services import invite

SNAPSHOT_MODELS = [
    Invitation,
    Invitation.history.model,
    PartnerAnswer,
    PartnerAnswer.history.model,
    PairAssessment,
    PairAssessment.history.model,
]


def snapshot() -> dict:
    tables = {}
    for model in SNAPSHOT_MODELS:
        fields = [field.attname for field in model._meta.concrete_fields]
        tables[model._meta.db_table] = sorted(model.objects.values_list(*fields), key=repr)
    return tables


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limit counts in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def links(open_round, actors, scorer):
    """A link for each of Sigi's four actors: {actor index: (invitation, token)}."""
    made = invite(round=open_round, actors=actors, user=scorer)
    by_actor = {invitation.actor_id: (invitation, token) for invitation, token in made}
    return {index: by_actor[actor.pk] for index, actor in enumerate(actors)}


def link_url(token, *rest) -> str:
    return "/p/" + token + "/" + "".join(f"{part}/" for part in rest)


def member_url(token, actor) -> str:
    return link_url(token, "m", actor.pk)


def identified(client, token, name="Ibu Rahma", position="Kepala Bidang"):
    response = client.post(
        link_url(token), {"respondent_name": name, "respondent_position": position}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client
