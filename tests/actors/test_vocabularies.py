"""The vocabularies of mechanisms and factors are data: seeded with the entries that were
fixed in code and every entry of Kim et al. (2017) Table 2, managed by national admins,
labelled in the user's language everywhere, and listed by the API."""

import importlib

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role
from actors.models import GovernmentLevel, Vocabulary, VocabularyTerm
from actors.selectors import read_vocabularies
from tests.api.conftest import api_client
from tests.factories import RegionFactory, make_user, score

MECHANISM = Vocabulary.MECHANISM
FACILITATING = Vocabulary.FACILITATING_FACTOR
HINDERING = Vocabulary.HINDERING_FACTOR

# What the code held before issue 12: the same codes keep the same English labels and
# their Indonesian translations (locale/id/LC_MESSAGES/django.po at that time).
FORMER = {
    (MECHANISM, "joint_planning_meeting"): ("Joint planning meeting", "Rapat perencanaan bersama"),
    (MECHANISM, "review_meeting"): ("Review meeting", "Rapat kaji ulang (review)"),
    (MECHANISM, "data_sharing"): ("Data sharing", "Berbagi data"),
    (MECHANISM, "joint_training"): ("Joint training", "Pelatihan bersama"),
    (MECHANISM, "joint_supervision"): ("Joint supervision", "Supervisi bersama"),
    (MECHANISM, "joint_service_delivery"): ("Joint service delivery", "Pelayanan bersama"),
    (MECHANISM, "pooled_budget"): ("Pooled budget", "Anggaran gabungan"),
    (MECHANISM, "shared_staff_or_facilities"): (
        "Shared staff or facilities",
        "Berbagi tenaga atau sarana",
    ),
    (MECHANISM, "joint_guideline_or_sop"): ("Joint guideline or SOP", "Pedoman atau SOP bersama"),
    (MECHANISM, "mou_or_decree_team"): ("MoU or decree-based team", "MoU atau tim berdasarkan SK"),
    (FACILITATING, "leadership_commitment"): (
        "Commitment of the regional leadership",
        "Komitmen pimpinan daerah",
    ),
    (FACILITATING, "regulation"): (
        "A regulation or decree that assigns roles",
        "Peraturan atau SK yang menetapkan peran",
    ),
    (FACILITATING, "regular_forum"): ("A regular coordination forum", "Forum koordinasi rutin"),
    (FACILITATING, "shared_data_system"): ("A shared data system", "Sistem data bersama"),
    (FACILITATING, "budget_available"): (
        "Budget available for joint work",
        "Tersedia anggaran untuk kegiatan bersama",
    ),
    (FACILITATING, "working_relations"): (
        "Good working relations between staff",
        "Hubungan kerja yang baik antarpetugas",
    ),
    (FACILITATING, "partner_support"): (
        "Support from development partners",
        "Dukungan mitra pembangunan",
    ),
    (HINDERING, "sectoral_ego"): (
        "Sectoral ego, working in silos",
        "Ego sektoral, bekerja sendiri-sendiri",
    ),
    (HINDERING, "unclear_roles"): (
        "Roles and responsibilities unclear",
        "Peran dan tanggung jawab tidak jelas",
    ),
    (HINDERING, "budget_constraints"): (
        "Budget limited or not aligned",
        "Anggaran terbatas atau tidak selaras",
    ),
    (HINDERING, "data_not_integrated"): (
        "Sector data not integrated",
        "Data antarsektor tidak terintegrasi",
    ),
    (HINDERING, "staff_turnover"): ("Staff turnover and rotation", "Pergantian dan mutasi petugas"),
    (HINDERING, "overlapping_programmes"): (
        "Overlapping programmes (tumpang tindih)",
        "Program yang tumpang tindih",
    ),
    (HINDERING, "mechanism_not_understood"): (
        "Coordination mechanism not understood",
        "Mekanisme koordinasi tidak dipahami",
    ),
    (HINDERING, "distance_and_access"): ("Distance and access", "Jarak dan akses"),
}

# Kim et al. (2017), Table 2: each of its 19 factors (by level) and its mechanisms, and the
# code that holds it.
KIM_FACTORS = {
    # state
    "(+) Shared motivation/goals": (FACILITATING, "shared_motivation"),
    "(+) Recognized leadership for coordination": (FACILITATING, "recognised_leadership"),
    "(−) Different priority actions": (HINDERING, "different_priorities"),
    "(−) Little data sharing": (HINDERING, "little_data_sharing"),
    "(−) Lack of accountability and feedback mechanisms": (HINDERING, "no_accountability"),
    # district
    "(+) Clear leadership": (FACILITATING, "clear_leadership"),
    "(+) Mutual understanding of roles": (FACILITATING, "mutual_understanding_of_roles"),
    "(−) Narrow priority topics related to health and disease": (
        HINDERING,
        "narrow_priority_topics",
    ),
    "(−) Low participation/poor attendance": (HINDERING, "low_participation"),
    "(−) Limited supervision": (HINDERING, "limited_supervision"),
    # block
    "(+) Shared motivation (block)": (FACILITATING, "shared_motivation"),
    "(−) Lack of direction or guidelines": (HINDERING, "lack_of_guidelines"),
    "(−) Heavy workload": (HINDERING, "heavy_workload"),
    "(−) Inadequate resources": (HINDERING, "inadequate_resources"),
    "(−) Poor communication": (HINDERING, "poor_communication"),
    # village / frontline
    "(+) Shared motivation (village)": (FACILITATING, "shared_motivation"),
    "(+) Close inter-personal communication and vicinity": (FACILITATING, "close_communication"),
    "(+) Understanding of roles and responsibilities": (
        FACILITATING,
        "mutual_understanding_of_roles",
    ),
    "(−) Unbalanced incentives": (HINDERING, "unbalanced_incentives"),
}
KIM_MECHANISMS = {
    "Developing guidelines": "joint_guideline_or_sop",
    "Meetings to plan and review programs": "joint_planning_meeting",
    "Planning and review meetings": "review_meeting",
    "Data sharing": "data_sharing",
    "Joint training sessions": "joint_training",
    "Planning and supervision": "joint_supervision",
    "Delivery of services through VHND": "village_health_nutrition_day",
    "Home visits": "joint_home_visits",
    # named in its text
    "Convergence meetings at block and village level": "convergence_meeting",
    "Joint monitoring": "joint_monitoring",
    "Shared registers and reports": "shared_registers",
}


def terms() -> dict[tuple[str, str], VocabularyTerm]:
    return {(term.vocabulary, term.code): term for term in VocabularyTerm.objects.all()}


def test_the_former_entries_keep_their_codes_and_labels(db):
    seeded = terms()
    for key, (label_en, label_id) in FORMER.items():
        assert (seeded[key].label_en, seeded[key].label_id) == (label_en, label_id), key
        assert seeded[key].is_active


def test_every_factor_and_mechanism_of_kim_table_2_is_seeded(db):
    seeded = terms()
    assert len(KIM_FACTORS) == 19
    missing = [name for name, key in KIM_FACTORS.items() if key not in seeded]
    missing += [name for name, code in KIM_MECHANISMS.items() if (MECHANISM, code) not in seeded]
    assert missing == []
    # The 13 factors issue 12 found missing each have an entry of their own now.
    new_factors = {key for key in KIM_FACTORS.values() if key not in FORMER}
    assert len(new_factors) == 16
    for key in new_factors | {(MECHANISM, code) for code in KIM_MECHANISMS.values()}:
        term = seeded[key]
        assert term.label_en and term.label_id and term.label_en != term.label_id, key
    assert seeded[(HINDERING, "heavy_workload")].label_id == "Beban kerja berat"
    assert seeded[(MECHANISM, "joint_home_visits")].label_id == "Kunjungan rumah bersama"


def test_each_list_is_in_order_and_every_code_is_unique_in_its_list(db):
    vocabularies = read_vocabularies()
    assert [len(vocabularies.of(name).terms) for name in Vocabulary.values] == [15, 12, 19]
    for name in Vocabulary.values:
        orders = [term.sort_order for term in vocabularies.of(name).terms]
        assert orders == sorted(orders) and len(set(orders)) == len(orders)
    # The former order is kept: the tallies break ties by it.
    mechanisms = vocabularies.mechanisms
    assert mechanisms.position("joint_planning_meeting") < mechanisms.position("joint_supervision")


def test_the_seed_adds_only_what_is_missing(db):
    seed = importlib.import_module("actors.migrations.0006_seed_vocabularies")
    VocabularyTerm.objects.filter(code="heavy_workload").update(label_en="Too much work")
    VocabularyTerm.objects.filter(code="joint_home_visits").delete()
    assert seed.seed_terms(VocabularyTerm) == 1
    assert VocabularyTerm.objects.get(code="heavy_workload").label_en == "Too much work"
    assert VocabularyTerm.objects.filter(code="joint_home_visits").exists()


def test_labels_follow_the_language(db):
    term = VocabularyTerm.objects.get(vocabulary=HINDERING, code="little_data_sharing")
    from django.utils import translation

    with translation.override("en"):
        assert term.label == "Little data sharing"
    with translation.override("id"):
        assert term.label == "Data jarang dibagikan"


# The admin: every admin reads the lists, national admins change them -------------------


@pytest.fixture
def nation(db):
    return RegionFactory(code="ID", name="Indonesia", level=GovernmentLevel.NATIONAL)


@pytest.fixture
def national_admin(nation):
    return make_user("admin_pusat", role=Role.ADMIN, regions=[nation], is_staff=True)


def browser(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def term_rows():
    return list(VocabularyTerm.objects.order_by("pk").values())


NEW_TERM = {
    "vocabulary": HINDERING,
    "code": "political_turnover",
    "label_id": "Pergantian pimpinan daerah",
    "label_en": "Change of regional leadership",
    "is_active": "on",
    "sort_order": 200,
}


def test_a_national_admin_adds_renames_and_retires_terms(national_admin):
    client = browser(national_admin)
    assert client.post("/admin/actors/vocabularyterm/add/", NEW_TERM).status_code == 302
    added = VocabularyTerm.objects.get(code="political_turnover")
    assert (added.vocabulary, added.label_id, added.is_active) == (
        HINDERING,
        NEW_TERM["label_id"],
        True,
    )

    term = VocabularyTerm.objects.get(vocabulary=MECHANISM, code="data_sharing")
    response = client.post(
        f"/admin/actors/vocabularyterm/{term.pk}/change/",
        {
            # A code and its vocabulary never change: pairs store the code.
            "vocabulary": HINDERING,
            "code": "sharing_data",
            "label_id": "Berbagi data dan informasi",
            "label_en": "Data and information sharing",
            "sort_order": term.sort_order,
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.vocabulary, term.code) == (MECHANISM, "data_sharing")
    assert (term.label_id, term.is_active) == ("Berbagi data dan informasi", False)


def test_a_code_is_unique_in_its_list_and_well_formed(national_admin):
    client = browser(national_admin)
    before = term_rows()
    for code in ("data_sharing", "Data Sharing", "1st", "berbagi-data"):
        response = client.post(
            "/admin/actors/vocabularyterm/add/", NEW_TERM | {"vocabulary": MECHANISM, "code": code}
        )
        assert response.status_code == 200, code
    assert term_rows() == before
    body = response.content.decode()
    assert "lower-case letters, digits and underscores" in body


def test_a_term_is_never_deleted(national_admin):
    term = VocabularyTerm.objects.get(code="pooled_budget")
    client = browser(national_admin)
    response = client.post(f"/admin/actors/vocabularyterm/{term.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert VocabularyTerm.objects.filter(pk=term.pk).exists()


@pytest.mark.parametrize("persona", ["province", "district"])
def test_a_regional_admin_reads_the_lists_but_changes_nothing(
    request, admin_user, district, persona
):
    user = (
        admin_user
        if persona == "province"
        else make_user("admin_sigi", role=Role.ADMIN, regions=[district], is_staff=True)
    )
    client = browser(user)
    term = VocabularyTerm.objects.get(code="data_sharing")
    listing = client.get("/admin/actors/vocabularyterm/")
    assert listing.status_code == 200 and "Data sharing" in listing.content.decode()
    before = term_rows()
    assert client.get("/admin/actors/vocabularyterm/add/").status_code == 403
    assert client.post("/admin/actors/vocabularyterm/add/", NEW_TERM).status_code == 403
    response = client.post(
        f"/admin/actors/vocabularyterm/{term.pk}/change/",
        {"label_id": "Diubah", "label_en": "Changed", "sort_order": 1},
    )
    assert response.status_code == 403
    # Nor through the list's editable columns.
    client.post(
        "/admin/actors/vocabularyterm/",
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": term.pk,
            "form-0-sort_order": 1,
            "_save": "Save",
        },
    )
    assert term_rows() == before


@pytest.mark.parametrize("persona", ["scorer_client", "planner_client", "viewer_client"])
def test_other_roles_cannot_open_the_lists_in_the_admin(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get("/admin/actors/vocabularyterm/").status_code == 302


# Labels come from the data ------------------------------------------------------------------


def test_a_renamed_label_shows_on_the_scoring_form_and_the_by_level_page(
    scorer_client, open_round, actors
):
    VocabularyTerm.objects.filter(code="data_sharing").update(
        label_id="Berbagi data lewat grup", label_en="Data shared through the group"
    )
    score(open_round, actors[0], actors[2], 2, mechanisms=["data_sharing"])
    pair_url = f"/rounds/{open_round.pk}/pairs/{actors[0].pk}-{actors[2].pk}/"
    form = scorer_client.get(pair_url).content.decode()
    assert "Berbagi data lewat grup" in form
    scorer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Data shared through the group" in scorer_client.get(pair_url).content.decode()
    page = scorer_client.get(f"/regions/{open_round.region.code}/levels/").content.decode()
    assert "Data shared through the group" in page


# The API lists the vocabularies --------------------------------------------------------------


def test_the_api_lists_the_vocabularies_with_their_terms(viewer):
    VocabularyTerm.objects.filter(code="distance_and_access").update(is_active=False)
    response = api_client(viewer).get("/api/v1/vocabularies/")
    assert response.status_code == 200
    body = response.json()
    assert [(item["vocabulary"], item["field"]) for item in body] == [
        ("mechanism", "mechanisms"),
        ("facilitating_factor", "facilitating_factors"),
        ("hindering_factor", "hindering_factors"),
    ]
    hindering = {term["code"]: term for term in body[2]["terms"]}
    assert hindering["heavy_workload"] == {
        "code": "heavy_workload",
        "label": "Heavy workload",
        "label_id": "Beban kerja berat",
        "label_en": "Heavy workload",
        "is_active": True,
        "sort_order": hindering["heavy_workload"]["sort_order"],
    }
    # Inactive terms are listed (old pairs hold them), marked so.
    assert hindering["distance_and_access"]["is_active"] is False
    codes = [term["code"] for term in body[0]["terms"]]
    assert codes[:2] == ["joint_planning_meeting", "review_meeting"]


def test_the_api_labels_in_the_requests_language(viewer):
    client = api_client(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    body = client.get("/api/v1/vocabularies/").json()
    assert body[0]["name"] == "Mekanisme"
    assert body[0]["terms"][0]["label"] == "Rapat perencanaan bersama"


def test_the_vocabularies_are_for_signed_in_users_with_a_role(db, district):
    assert api_client().get("/api/v1/vocabularies/").status_code == 401
    nobody = make_user("tanpa_peran", regions=[district])
    assert api_client(nobody).get("/api/v1/vocabularies/").status_code == 403


def test_the_api_does_not_change_the_lists(national_admin):
    before = term_rows()
    response = api_client(national_admin).post(
        "/api/v1/vocabularies/", {"code": "x"}, format="json"
    )
    assert response.status_code == 405
    assert term_rows() == before


def test_the_schema_gives_no_fixed_list_of_codes(admin_user):
    schema = api_client(admin_user).get("/api/v1/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert not {"MechanismEnum", "FacilitatingFactorEnum", "HinderingFactorEnum"} & set(components)
    mechanisms = components["PairAssessment"]["properties"]["mechanisms"]
    assert mechanisms["type"] == "array" and mechanisms["items"] == {"type": "string"}
    assert "/api/v1/vocabularies/" in mechanisms["description"]
    assert "/api/v1/vocabularies/" in schema["paths"]
