"""A property-based run over the OpenAPI schema (schemathesis): no request, however odd,
gets a server error or a response the schema does not describe.

It runs as a province admin (token), so that every operation is reached, with a few
examples per operation to stay well under a minute.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import ProgrammeFactory, score

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app(settings):
    """Django's WSGI app, inside the test's transaction: like Django's test client, it must
    not close the connection at the end of each request."""
    settings.ALLOWED_HOSTS = ["localhost"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(admin_user, open_round, actors, other_actors, district):
    programme = ProgrammeFactory(region=district, lead_actor=actors[0])
    programme.participants.create(actor=actors[1], role="implementer")
    score(open_round, actors[0], actors[1], 2)
    return AuthToken.objects.create(user=admin_user)[1]


def _openapi_schema() -> dict:
    """The schema that /api/v1/schema/ serves, generated at collection (no database needed).

    (schemathesis's ``from_fixture`` would load it per test, but its lazy loader does not
    work with pytest 9 yet.)
    """
    generator = SchemaGenerator()
    return json.loads(json.dumps(generator.get_schema(request=None, public=True), default=str))


schema = schemathesis.openapi.from_dict(_openapi_schema())


@schema.parametrize()
@hypothesis_settings(
    max_examples=10,
    # The same examples on every run: CI answers for the code, not for the draw.
    derandomize=True,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, wsgi_app, admin_token):
    headers = {
        "Authorization": f"Token {admin_token}",
        # The WSGI test transport does not inflate a gzipped body (GZipMiddleware).
        "Accept-Encoding": "identity",
    }
    case.call_and_validate(app=wsgi_app, headers=headers, checks=CHECKS)
