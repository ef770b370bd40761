"""A name is plain text on every write path: no markup, nothing a spreadsheet runs."""

import pytest
from django.core.exceptions import ValidationError

from actors.models import Actor, GovernmentLevel
from tests.factories import ActorFactory


@pytest.mark.parametrize("name", ["<b>Dinkes</b>", '=HYPERLINK("x")', "+62 Dinas", "@Bappeda"])
def test_the_model_refuses_markup_and_formulas(district, health, name):
    actor = ActorFactory.build(name=name, short_name="X", sector=health, home_region=district)
    with pytest.raises(ValidationError) as error:
        actor.full_clean()
    assert "name" in error.value.message_dict


def test_the_admin_refuses_markup_in_an_actor_name(admin_client_, district, health):
    response = admin_client_.post(
        "/admin/actors/actor/add/",
        {
            "name": "<script>alert(1)</script>",
            "short_name": "X",
            "kind": "government",
            "sector": health.pk,
            "government_level": GovernmentLevel.DISTRICT,
            "home_region": district.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "HTML" in response.content.decode()
    assert not Actor.objects.exists()


def test_the_api_refuses_markup_in_an_actor_name(admin_user, district, health):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(admin_user)
    response = client.post(
        "/api/v1/actors/",
        {
            "name": "<img src=x onerror=alert(1)>",
            "short_name": "X",
            "kind": "government",
            "sector": health.code,
            "government_level": GovernmentLevel.DISTRICT,
            "home_region": district.code,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "name" in response.json()
    assert not Actor.objects.exists()
