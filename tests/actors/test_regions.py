import pytest
from django.core.exceptions import ValidationError

from actors.models import GovernmentLevel, Region, normalize_region_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("72", "72"),
        ("7210", "72.10"),
        ("721001", "72.10.01"),
        ("7210012001", "72.10.01.2001"),
        (" 72.10 ", "72.10"),
        ("id", "ID"),
    ],
)
def test_undotted_codes_are_normalised(raw, expected):
    assert normalize_region_code(raw) == expected


def test_a_child_code_must_start_with_its_parents(province):
    other = Region(
        code="73.01",
        name="Kabupaten Kepulauan Selayar",
        level=GovernmentLevel.DISTRICT,
        parent=province,
    )
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "tidak diawali dengan kode induknya 72" in str(error.value.message_dict["code"])


def test_a_code_must_match_the_level(province):
    region = Region(
        code="72.10.01", name="Sigi Biromaru", level=GovernmentLevel.DISTRICT, parent=province
    )
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "level" in error.value.message_dict


def test_a_malformed_code_is_refused(province):
    region = Region(code="72-10", name="Sigi", level=GovernmentLevel.DISTRICT, parent=province)
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "72.03.01.2001" in str(error.value.message_dict["code"])


def test_the_parent_must_be_one_level_up(province, district):
    village = Region(
        code="72.10.01.2001", name="Desa Contoh", level=GovernmentLevel.VILLAGE, parent=district
    )
    with pytest.raises(ValidationError) as error:
        village.full_clean()
    assert "parent" in error.value.message_dict


def test_a_valid_child_passes_and_undotted_input_is_stored_dotted(district):
    region = Region(
        code="721001", name="Sigi Biromaru", level=GovernmentLevel.SUBDISTRICT, parent=district
    )
    region.full_clean()
    assert region.code == "72.10.01"


def test_subtree_is_the_region_and_everything_below(province, district, other_district):
    subdistrict = Region.objects.create(
        code="72.10.01", name="Sigi Biromaru", level=GovernmentLevel.SUBDISTRICT, parent=district
    )
    assert set(Region.objects.within(district)) == {district, subdistrict}
    assert set(Region.objects.within(province)) == {province, district, other_district, subdistrict}
    # "72.1" is not a parent of "72.10": the match is on whole code segments.
    assert province.contains(subdistrict) and not district.contains(other_district)


def test_a_province_may_stand_without_a_parent_but_a_district_may_not(db):
    Region(code="72", name="Sulawesi Tengah", level=GovernmentLevel.PROVINCE).full_clean()
    with pytest.raises(ValidationError) as error:
        Region(code="72.10", name="Sigi", level=GovernmentLevel.DISTRICT).full_clean()
    assert "parent" in error.value.message_dict
