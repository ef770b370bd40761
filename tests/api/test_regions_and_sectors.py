import pytest

from actors.models import GovernmentLevel, Region, Sector
from tests.api.conftest import api_client, snapshot
from tests.factories import RegionFactory


@pytest.fixture
def subdistrict(district):
    return RegionFactory(
        code="72.10.01", name="Sigi Biromaru", level=GovernmentLevel.SUBDISTRICT, parent=district
    )


def codes(response):
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["results"]]


def test_a_district_scorer_lists_only_their_district_and_below(scorer, other_district, subdistrict):
    assert codes(api_client(scorer).get("/api/v1/regions/")) == ["72.10", "72.10.01"]


def test_the_region_filter_takes_undotted_codes_and_includes_the_regions_below(
    admin_user, other_district, subdistrict
):
    client = api_client(admin_user)
    assert codes(client.get("/api/v1/regions/?region=7210")) == ["72.10", "72.10.01"]
    assert codes(client.get("/api/v1/regions/?level=2")) == ["72.10", "72.71"]


def test_a_region_filter_outside_the_jurisdiction_is_refused_like_an_unknown_code(
    scorer, other_district
):
    client = api_client(scorer)
    for code in ("72.71", "99.99", "garbage"):
        response = client.get(f"/api/v1/regions/?region={code}")
        assert response.status_code == 400
        assert "region" in response.json()


def test_an_admin_creates_a_region_whose_level_and_parent_come_from_the_code(admin_user, province):
    response = api_client(admin_user).post(
        "/api/v1/regions/", {"code": "721301", "name": "Kecamatan Contoh"}, format="json"
    )
    assert response.status_code == 400  # 72.13 does not exist yet: no parent
    assert "72.13" in response.json()["code"][0]

    response = api_client(admin_user).post(
        "/api/v1/regions/", {"code": "7213", "name": "Kabupaten Baru"}, format="json"
    )
    assert response.status_code == 201
    assert response.json() == {
        "code": "72.13",
        "name": "Kabupaten Baru",
        "level": GovernmentLevel.DISTRICT,
        "parent": "72",
    }
    assert Region.objects.get(code="72.13").parent == province


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("73.01", "73"),  # another province: its parent is unknown here
        ("72-13", "72.03.01.2001"),  # not a code
        ("72.10", "72.10"),  # exists
    ],
)
def test_bad_region_codes_are_refused_per_field(admin_user, district, code, message):
    before = snapshot()
    response = api_client(admin_user).post(
        "/api/v1/regions/", {"code": code, "name": "X"}, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()["code"][0]
    assert snapshot() == before


def test_a_district_admin_cannot_create_a_region_in_another_district(district, other_district):
    from accounts.models import Role
    from tests.factories import make_user

    admin = make_user("admin_sigi", role=Role.ADMIN, regions=[district])
    response = api_client(admin).post(
        "/api/v1/regions/", {"code": "72.71.01", "name": "Palu Barat"}, format="json"
    )
    assert response.status_code == 400
    assert "outside your jurisdiction" in response.json()["code"][0]
    assert not Region.objects.filter(code="72.71.01").exists()


def test_a_region_is_renamed_but_its_code_stays(admin_user, district):
    response = api_client(admin_user).patch(
        "/api/v1/regions/72.10/", {"name": "Kab. Sigi", "code": "72.11"}, format="json"
    )
    assert response.status_code == 200
    district.refresh_from_db()
    assert (district.code, district.name) == ("72.10", "Kab. Sigi")


def test_only_a_national_admin_changes_sectors(admin_user, national_admin, health):
    body = {"code": "social", "name_id": "Sosial", "name_en": "Social"}
    refused = api_client(admin_user).post("/api/v1/sectors/", body, format="json")
    assert refused.status_code == 403
    assert "national admin" in refused.json()["detail"]
    created = api_client(national_admin).post("/api/v1/sectors/", body, format="json")
    assert created.status_code == 201
    assert Sector.objects.filter(code="social", is_health=False).exists()


def test_sectors_filter_on_health(viewer, health, planning):
    response = api_client(viewer).get("/api/v1/sectors/?is_health=true")
    assert codes(response) == ["health"]
