"""The OpenAPI 3 schema validates, and its docs page loads nothing from outside the app."""

import re

import yaml
from openapi_spec_validator import validate

from tests.api.conftest import api_client


def test_the_schema_is_valid_openapi_3(viewer):
    response = api_client(viewer).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = (
        response.json()
        if response["Content-Type"].startswith("application/json")
        else (yaml.safe_load(response.content))
    )
    assert schema["openapi"].startswith("3.")
    validate(schema)
    paths = set(schema["paths"])
    for path in [
        "/api/v1/regions/",
        "/api/v1/regions/{code}/",
        "/api/v1/sectors/",
        "/api/v1/actors/",
        "/api/v1/programmes/",
        "/api/v1/rounds/",
        "/api/v1/rounds/{id}/matrix/",
        "/api/v1/pair-assessments/",
        "/api/v1/pair-assessments/{id}/",
        "/api/v1/imports/{kind}/",
        "/api/v1/exports/{kind}/",
        "/api/v1/documents/",
        "/api/v1/documents/{id}/",
        "/api/v1/documents/{id}/file/",
    ]:
        assert path in paths
    upload = schema["paths"]["/api/v1/documents/"]["post"]["requestBody"]["content"]
    assert list(upload) == ["multipart/form-data"]


def test_the_schema_documents_the_error_responses(viewer):
    schema = yaml.safe_load(api_client(viewer).get("/api/v1/schema/").content)
    create = schema["paths"]["/api/v1/pair-assessments/"]["post"]["responses"]
    assert {"200", "201", "400", "401", "403", "404"} <= set(create)


def test_the_docs_page_and_its_assets_are_served_by_the_app(viewer):
    client = api_client(viewer)
    html = client.get("/api/v1/docs/").content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "an external asset"
    assert "https://" not in html and "http://" not in html
    assets = re.findall(r"(?:src|href)=\"([^\"]+)\"", html)
    assert any("?script" in asset for asset in assets)  # no inline script (CSP)
    assert "<script>" not in html and "<style>" not in html
    for asset in assets:
        assert asset.startswith("/"), asset
        response = client.get(asset.replace("&amp;", "&"))
        assert response.status_code == 200, asset
        if "?script" in asset:
            assert b"http://" not in response.content and b"https://" not in response.content


def test_anonymous_visitors_get_no_schema(db):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/schema/").status_code == 401
    assert APIClient().get("/api/v1/docs/").status_code == 401


def test_an_unknown_api_path_is_a_json_404(viewer):
    response = api_client(viewer).get("/api/v1/rounds/abc/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_an_unknown_api_path_is_a_json_404_for_every_method(admin_user):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(admin_user)
    for method in ("get", "post", "patch", "delete"):
        response = getattr(client, method)("/api/v1/actors/1.5/")
        assert (response.status_code, response["Content-Type"]) == (404, "application/json")
