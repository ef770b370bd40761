import pytest
from django.test import Client

from actors.models import Actor, GovernmentLevel, Region
from tests.factories import ActorFactory, RegionFactory, score


@pytest.fixture
def admin_browser(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def elsewhere(db):
    """A province outside the admin's jurisdiction, with one actor."""
    gorontalo = RegionFactory(code="75", name="Gorontalo", level=GovernmentLevel.PROVINCE)
    ActorFactory(name="Dinas Kesehatan Provinsi Gorontalo", home_region=gorontalo)
    return gorontalo


@pytest.mark.parametrize(
    "url",
    [
        "/admin/actors/region/?q=Sigi",
        "/admin/actors/actor/?q=Dinas&is_active__exact=1",
        "/admin/actors/sector/",
        "/admin/actors/programme/",
        "/admin/assessments/assessmentround/?status__exact=open",
        "/admin/assessments/pairassessment/",
        "/admin/auth/user/",
    ],
)
def test_admin_pages_load_with_search_and_filters(admin_browser, actors, open_round, url):
    assert admin_browser.get(url).status_code == 200


def test_the_admin_sees_only_its_jurisdiction(admin_browser, actors, elsewhere):
    html = admin_browser.get("/admin/actors/actor/").content.decode()
    assert "Dinas Kesehatan Kabupaten Sigi" in html
    assert "Gorontalo" not in html
    other = Actor.objects.get(home_region=elsewhere)
    assert admin_browser.get(f"/admin/actors/actor/{other.pk}/change/").status_code == 302
    assert "Gorontalo" not in admin_browser.get("/admin/actors/region/").content.decode()


def test_an_assessed_actor_is_deactivated_not_deleted(admin_browser, open_round, actors):
    score(open_round, actors[0], actors[1], 2)
    response = admin_browser.post(f"/admin/actors/actor/{actors[0].pk}/delete/", {"post": "yes"})
    # Django's admin lists the protected assessments instead of deleting.
    assert response.status_code == 200
    assert Actor.objects.filter(pk=actors[0].pk).exists()
    admin_browser.post(
        "/admin/actors/actor/",
        {"action": "deactivate", "_selected_action": [actors[0].pk]},
    )
    actors[0].refresh_from_db()
    assert actors[0].is_active is False


def test_a_region_code_that_does_not_start_with_its_parents_is_refused(admin_browser, province):
    response = admin_browser.post(
        "/admin/actors/region/add/",
        {
            "code": "73.01",
            "name": "Salah",
            "level": GovernmentLevel.DISTRICT,
            "parent": province.pk,
        },
    )
    assert response.status_code == 200
    assert "tidak diawali dengan kode induknya 72" in response.content.decode()
    assert not Region.objects.filter(code="73.01").exists()


@pytest.mark.parametrize("persona", ["scorer_client", "planner_client", "viewer_client"])
def test_other_roles_cannot_use_the_admin(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get("/admin/actors/actor/").status_code == 302


def test_a_closed_round_is_reopened_only_with_a_reason_kept_in_history(admin_browser, district):
    from assessments.models import AssessmentRound, RoundStatus
    from tests.factories import RoundFactory

    closed = RoundFactory(region=district, status=RoundStatus.CLOSED, name="Pemetaan 2025")
    url = f"/admin/assessments/assessmentround/{closed.pk}/change/"
    page = admin_browser.get(url).content.decode()
    assert 'name="name"' not in page  # read-only while closed
    response = admin_browser.post(url, {"status": RoundStatus.OPEN, "reopen_reason": ""})
    assert response.status_code == 200
    assert AssessmentRound.objects.get(pk=closed.pk).status == RoundStatus.CLOSED

    response = admin_browser.post(
        url, {"status": RoundStatus.OPEN, "reopen_reason": "Data Puskesmas susulan"}
    )
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.status == RoundStatus.OPEN and closed.name == "Pemetaan 2025"
    latest = closed.history.latest()
    assert (latest.history_change_reason, latest.history_user.username) == (
        "Data Puskesmas susulan",
        "admin",
    )
    assert admin_browser.get(url.replace("/change/", "/history/")).status_code == 200


def test_admin_cannot_change_pair_assessments(admin_browser, open_round, actors):
    pair = score(open_round, actors[0], actors[1], 2)
    url = f"/admin/assessments/pairassessment/{pair.pk}/change/"
    admin_browser.post(url, {"level": 4})
    pair.refresh_from_db()
    assert pair.level == 2
    assert admin_browser.get(f"{url.rsplit('change/', 1)[0]}history/").status_code == 200
