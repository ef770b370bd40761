from accounts.models import Role
from accounts.scoping import access_for
from actors.models import GovernmentLevel
from tests.factories import RegionFactory, make_user


def test_a_national_jurisdiction_reaches_every_region(province, district, other_district):
    nation = RegionFactory(code="ID", name="Indonesia", level=GovernmentLevel.NATIONAL)
    user = make_user("kemenkes", role=Role.PLANNER, regions=[nation])
    access = access_for(user)
    assert access.is_national
    assert all(access.covers(region) for region in (province, district, other_district))


def test_a_district_jurisdiction_reaches_only_its_district(district, other_district, province):
    access = access_for(make_user("sigi", role=Role.VIEWER, regions=[district]))
    assert access.covers(district)
    assert not access.covers(other_district) and not access.covers(province)
