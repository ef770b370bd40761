"""The Django admin is a door like the others: every admin page, tried by every persona.

Columns: a national admin (jurisdiction ID), the admin of province 72 (the demo's
``admin``), the admin of district 72.10, the scorer of 72.10 (no admin role) and an
anonymous visitor. "Inside" objects lie in Kabupaten Sigi (72.10); "outside" ones in
province 73, which only the national admin reaches.

How the admin refuses, as Django does:
- 302 to the admin's login page for anyone without the admin role;
- 302 to the admin index ("doesn't exist") for an object outside the admin's queryset;
- 403 for an action the role may not take (a view-only page posted, an add or a delete
  that is not allowed);
- 404 for the history of an object outside the jurisdiction.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from knox.models import AuthToken

from accounts.models import Jurisdiction, Role
from actors.models import GovernmentLevel, Programme, Region, Sector
from assessments.models import AssessmentRound, PairAssessment
from tests.factories import RegionFactory, make_user, score
from tests.security.conftest import page_client, snapshot

User = get_user_model()

PERSONAS = ["national", "province", "district", "scorer", "anonymous"]


@pytest.fixture
def admins(admin_user, scorer, district, db):
    nation = RegionFactory(code="ID", name="Indonesia", level=GovernmentLevel.NATIONAL)
    return {
        "national": make_user("admin_pusat", role=Role.ADMIN, regions=[nation], is_staff=True),
        "province": admin_user,
        "district": make_user("admin_sigi", role=Role.ADMIN, regions=[district], is_staff=True),
        "scorer": scorer,
        "anonymous": None,
    }


@pytest.fixture
def far(world, far_district):
    """Province 73's user, token and scored pair (the world has its actor and round)."""
    far_user = make_user("penilai_selayar", role=Role.SCORER, regions=[far_district])
    second = world["far_actor"].__class__.objects.create(
        name="Bappeda Selayar",
        short_name="Bappeda",
        kind="government",
        sector=world["far_actor"].sector,
        government_level=GovernmentLevel.DISTRICT,
        home_region=far_district,
    )
    return {
        "user": far_user,
        "pair": score(world["far_round"], world["far_actor"], second, 2),
        "token": AuthToken.objects.create(user=far_user)[0],
    }


def _ids(world, far, admins) -> dict:
    return {
        "user_in": admins["scorer"].pk,
        "user_out": far["user"].pk,
        "group": Group.objects.get(name=Role.SCORER).pk,
        "region_in": world["round"].region.pk,
        "province": Region.objects.get(code="72").pk,
        "region_out": world["far_round"].region.pk,
        "sector": Sector.objects.get(code="health").pk,
        "actor_in": world["actors"][0].pk,
        "actor_out": world["far_actor"].pk,
        "prog_in": world["programme"].pk,
        "prog_out": world["far_programme"].pk,
        "round_in": world["round"].pk,
        "round_out": world["far_round"].pk,
        "pair_in": world["assessment"].pk,
        "pair_out": far["pair"].pk,
        "token_in": AuthToken.objects.create(user=admins["scorer"])[0].pk,
        "token_out": far["token"].pk,
    }


# fmt: off
#            national province district scorer anonymous
ALL       = (200, 200, 200, 302, 302)
INSIDE    = (200, 200, 200, 302, 302)
OUTSIDE   = (200, 302, 302, 302, 302)   # the object is not in a regional admin's queryset
HIST_OUT  = (200, 404, 404, 302, 302)
NATIONAL  = (200, 403, 403, 302, 302)   # reference data: changed nationally only
NOBODY    = (403, 403, 403, 302, 302)
PROVINCE  = (200, 200, 302, 302, 302)   # province 72 itself: seen by its admin, read-only

TABLE = {
    # users and their roles (jurisdictions are an inline of the user)
    "/admin/auth/user/":                               ALL,
    "/admin/auth/user/add/":                           ALL,
    "/admin/auth/user/{user_in}/change/":              INSIDE,
    "/admin/auth/user/{user_out}/change/":             OUTSIDE,
    "/admin/auth/user/{user_in}/password/":            INSIDE,
    "/admin/auth/user/{user_out}/password/":           (200, 404, 404, 302, 302),
    "/admin/auth/user/{user_in}/history/":             INSIDE,
    "/admin/auth/user/{user_out}/history/":            OUTSIDE,
    "/admin/auth/group/":                              NOBODY,
    "/admin/auth/group/{group}/change/":               NOBODY,
    "/admin/accounts/jurisdiction/":                   (404, 404, 404, 302, 302),
    # regions, sectors
    "/admin/actors/region/":                           ALL,
    "/admin/actors/region/add/":                       ALL,
    "/admin/actors/region/{region_in}/change/":        INSIDE,
    "/admin/actors/region/{province}/change/":         PROVINCE,
    "/admin/actors/region/{region_out}/change/":       OUTSIDE,
    "/admin/actors/region/{region_out}/history/":      OUTSIDE,
    "/admin/actors/sector/":                           ALL,
    "/admin/actors/sector/add/":                       NATIONAL,
    "/admin/actors/sector/{sector}/change/":           ALL,   # view-only below national
    "/admin/actors/sector/{sector}/delete/":           NATIONAL,
    # actors, programmes (participants are an inline of the programme)
    "/admin/actors/actor/":                            ALL,
    "/admin/actors/actor/add/":                        ALL,
    "/admin/actors/actor/{actor_in}/change/":          INSIDE,
    "/admin/actors/actor/{actor_out}/change/":         OUTSIDE,
    "/admin/actors/actor/{actor_in}/history/":         INSIDE,
    "/admin/actors/actor/{actor_out}/history/":        HIST_OUT,
    "/admin/actors/actor/{actor_out}/delete/":         OUTSIDE,
    "/admin/actors/programme/":                        ALL,
    "/admin/actors/programme/add/":                    ALL,
    "/admin/actors/programme/{prog_in}/change/":       INSIDE,
    "/admin/actors/programme/{prog_out}/change/":      OUTSIDE,
    "/admin/actors/programme/{prog_in}/history/":      INSIDE,
    "/admin/actors/programme/{prog_out}/history/":     HIST_OUT,
    "/admin/actors/programmeparticipant/":             (404, 404, 404, 302, 302),
    # rounds and pairs
    "/admin/assessments/assessmentround/":             ALL,
    "/admin/assessments/assessmentround/add/":         ALL,
    "/admin/assessments/assessmentround/{round_in}/change/":  INSIDE,
    "/admin/assessments/assessmentround/{round_out}/change/": OUTSIDE,
    "/admin/assessments/assessmentround/{round_in}/history/": INSIDE,
    "/admin/assessments/assessmentround/{round_out}/history/": HIST_OUT,
    # a round that holds scored pairs is closed, never deleted
    "/admin/assessments/assessmentround/{round_in}/delete/":  NOBODY,
    "/admin/assessments/pairassessment/":              ALL,
    "/admin/assessments/pairassessment/add/":          NOBODY,
    "/admin/assessments/pairassessment/{pair_in}/change/":   INSIDE,
    "/admin/assessments/pairassessment/{pair_out}/change/":  OUTSIDE,
    "/admin/assessments/pairassessment/{pair_in}/history/":  INSIDE,
    "/admin/assessments/pairassessment/{pair_out}/history/": HIST_OUT,
    # API tokens
    "/admin/knox/authtoken/":                          ALL,
    "/admin/knox/authtoken/add/":                      NOBODY,
    "/admin/knox/authtoken/{token_in}/change/":        INSIDE,
    "/admin/knox/authtoken/{token_out}/change/":       OUTSIDE,
}
# fmt: on

# What a regional admin must not read anywhere in the admin.
FAR_DATA = ["Dinas Kesehatan Selayar", "penilai_selayar", "Sulawesi Selatan", "Pemetaan Selayar"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_admin_page_answers_each_persona_as_the_table_says(world, far, admins, persona):
    client = page_client(admins[persona])
    ids = _ids(world, far, admins)
    got, expected = {}, {}
    for template, statuses in TABLE.items():
        response = client.get(template.format(**ids))
        got[template] = response.status_code
        expected[template] = statuses[PERSONAS.index(persona)]
        if response.status_code == 302 and persona in ("scorer", "anonymous"):
            # Anonymous visitors meet LoginRequiredMiddleware first (the site's login).
            logins = ("/admin/login/", "/accounts/login/")
            assert response["Location"].startswith(logins), template
    assert got == expected


@pytest.mark.parametrize("persona", ["province", "district"])
def test_a_regional_admin_reads_nothing_of_another_province(world, far, admins, persona):
    client = page_client(admins[persona])
    for url in [
        "/admin/auth/user/",
        "/admin/auth/user/?q=penilai",
        "/admin/actors/region/?q=73",
        "/admin/actors/actor/?q=Dinas",
        "/admin/actors/programme/",
        "/admin/assessments/assessmentround/",
        "/admin/assessments/pairassessment/",
        "/admin/knox/authtoken/",
        "/admin/autocomplete/?app_label=actors&model_name=actor&field_name=home_region&term=73",
        "/admin/autocomplete/?app_label=assessments&model_name=assessmentround"
        "&field_name=region&term=Kab",
    ]:
        body = client.get(url).content.decode()
        for secret in FAR_DATA:
            assert secret not in body, (url, secret)


# Escalations: each is refused and leaves the database as it was, row by row. ------------


def _user_tables():
    """The rows that say who someone is and what they may do."""
    tables = snapshot()
    for model in (
        User,
        User.groups.through,
        User.user_permissions.through,
        Jurisdiction,
        Group.permissions.through,
    ):
        fields = [field.attname for field in model._meta.concrete_fields]
        tables[model._meta.db_table] = sorted(model.objects.values_list(*fields), key=repr)
    return tables


def _assert_same(before):
    after = _user_tables()
    assert [table for table in before if before[table] != after[table]] == []


def _own_change_form(admin_user, **overrides):
    """What the admin's own change page posts, with ``overrides``."""
    data = {
        "username": admin_user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "groups": [Group.objects.get(name=Role.ADMIN).pk],
        "jurisdictions-TOTAL_FORMS": "1",
        "jurisdictions-INITIAL_FORMS": "1",
        "jurisdictions-MIN_NUM_FORMS": "1",
        "jurisdictions-MAX_NUM_FORMS": "1000",
        "jurisdictions-0-id": admin_user.jurisdictions.get().pk,
        "jurisdictions-0-user": admin_user.pk,
        "jurisdictions-0-region": admin_user.jurisdictions.get().region_id,
    }
    data.update(overrides)
    return data


def test_a_province_admin_cannot_make_itself_superuser(world, far, admins):
    admin_user = admins["province"]
    client = page_client(admin_user)
    page = client.get(f"/admin/auth/user/{admin_user.pk}/change/").content.decode()
    for field in ("is_superuser", "is_staff", "user_permissions"):
        assert f'name="{field}"' not in page
    permission = Permission.objects.get(codename="change_group")
    before = _user_tables()
    client.post(
        f"/admin/auth/user/{admin_user.pk}/change/",
        _own_change_form(
            admin_user, is_superuser="on", is_staff="on", user_permissions=[permission.pk]
        ),
    )
    _assert_same(before)
    assert client.get("/regions/73.01/").status_code == 403


def test_a_province_admin_cannot_give_itself_another_province(world, far, admins, far_province):
    admin_user = admins["province"]
    client = page_client(admin_user)
    before = _user_tables()
    response = client.post(
        f"/admin/auth/user/{admin_user.pk}/change/",
        _own_change_form(
            admin_user,
            **{
                "jurisdictions-TOTAL_FORMS": "2",
                "jurisdictions-1-user": admin_user.pk,
                "jurisdictions-1-region": far_province.pk,
            },
        ),
    )
    assert response.status_code == 200  # the form again, with the error
    _assert_same(before)


def test_a_province_admin_gives_only_the_four_roles(world, far, admins):
    admin_user = admins["province"]
    powerful = Group.objects.create(name="superpowers")
    powerful.permissions.set(Permission.objects.all())
    client = page_client(admin_user)
    before = _user_tables()
    client.post(
        f"/admin/auth/user/{admin_user.pk}/change/",
        _own_change_form(admin_user, groups=[powerful.pk]),
    )
    _assert_same(before)


def test_a_province_admin_cannot_take_over_a_user_of_another_province(world, far, admins):
    client = page_client(admins["province"])
    target = far["user"]
    before = _user_tables()
    url = f"/admin/auth/user/{target.pk}/password/"
    client.post(url, {"password1": "Rahasia-Baru-2026", "password2": "Rahasia-Baru-2026"})
    client.post(
        f"/admin/auth/user/{target.pk}/change/",
        {"username": target.username, "is_active": "", "groups": []},
    )
    _assert_same(before)
    login = page_client().post(
        "/accounts/login/", {"username": target.username, "password": "Rahasia-Baru-2026"}
    )
    assert login.status_code == 200  # the login form again: the password did not change


def test_a_province_admin_creates_users_only_inside_its_province(world, far, admins, far_district):
    client = page_client(admins["province"])
    form = {
        "username": "penilai_baru",
        "usable_password": "true",
        "password1": "Rahasia-Baru-2026",
        "password2": "Rahasia-Baru-2026",
        "groups": [Group.objects.get(name=Role.ADMIN).pk],
        "jurisdictions-TOTAL_FORMS": "1",
        "jurisdictions-INITIAL_FORMS": "0",
        "jurisdictions-MIN_NUM_FORMS": "1",
        "jurisdictions-MAX_NUM_FORMS": "1000",
        "jurisdictions-0-region": far_district.pk,
    }
    before = _user_tables()
    assert client.post("/admin/auth/user/add/", form).status_code == 200
    _assert_same(before)
    # Without a region, the user would belong to nobody: refused too.
    assert (
        client.post("/admin/auth/user/add/", {**form, "jurisdictions-0-region": ""}).status_code
        == 200
    )
    _assert_same(before)

    form["jurisdictions-0-region"] = world["round"].region.pk
    assert client.post("/admin/auth/user/add/", form).status_code == 302
    created = User.objects.get(username="penilai_baru")
    # Staff status follows the admin role; nothing else is granted.
    assert (created.is_staff, created.is_superuser) == (True, False)
    assert list(created.user_permissions.all()) == []
    assert [j.region.code for j in created.jurisdictions.all()] == ["72.10"]


def test_shared_reference_data_is_changed_nationally_only(world, far, admins):
    health = Sector.objects.get(code="health")
    client = page_client(admins["province"])
    before = _user_tables()
    response = client.post(
        f"/admin/actors/sector/{health.pk}/change/",
        {"code": "health", "name_id": "Sehat", "name_en": "Health", "sort_order": 0},
    )
    assert response.status_code == 403
    response = client.post(
        "/admin/actors/region/add/",
        {"code": "74", "name": "Sulawesi Tenggara", "level": GovernmentLevel.PROVINCE},
    )
    assert response.status_code == 200
    assert "national admin" in response.content.decode()
    response = client.post(
        "/admin/actors/region/add/",
        {
            "code": "73.99",
            "name": "Kabupaten Palsu",
            "level": GovernmentLevel.DISTRICT,
            "parent": Region.objects.get(code="73").pk,
        },
    )
    assert response.status_code == 200
    _assert_same(before)

    # The national admin does it.
    national = page_client(admins["national"])
    response = national.post(
        f"/admin/actors/sector/{health.pk}/change/",
        {"code": "health", "name_id": "Kesehatan", "name_en": "Health", "sort_order": 5},
    )
    assert response.status_code == 302
    assert Sector.objects.get(pk=health.pk).sort_order == 5


def test_a_region_code_never_changes(world, admins):
    region = world["round"].region
    client = page_client(admins["province"])
    client.post(
        f"/admin/actors/region/{region.pk}/change/",
        {"code": "73.10", "name": "Kabupaten Sigi Baru", "level": 2},
    )
    region.refresh_from_db()
    assert (region.code, region.name) == ("72.10", "Kabupaten Sigi Baru")


def test_an_old_version_is_shown_never_restored(world, admins):
    actor = world["actors"][0]
    actor.name = "Dinas Kesehatan Sigi (baru)"
    actor.save()
    first = actor.history.earliest()
    client = page_client(admins["province"])
    url = f"/admin/actors/actor/{actor.pk}/history/{first.history_id}/"
    assert client.get(url).status_code == 200
    before = _user_tables()
    assert client.post(url, {"name": first.name}).status_code == 403
    _assert_same(before)


def test_a_round_that_holds_scored_pairs_is_never_deleted(world, admins):
    round_ = world["round"]
    client = page_client(admins["national"])
    before = _user_tables()
    assert (
        client.post(
            f"/admin/assessments/assessmentround/{round_.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    response = client.post(
        "/admin/assessments/assessmentround/",
        {"action": "delete_selected", "_selected_action": [round_.pk], "post": "yes"},
    )
    assert response.status_code == 200  # Django lists the protected pairs instead
    _assert_same(before)
    assert AssessmentRound.objects.filter(pk=round_.pk).exists()
    assert PairAssessment.objects.filter(round=round_).count() == 1


def test_an_admin_revokes_tokens_of_its_users_only(world, far, admins):
    own = AuthToken.objects.create(user=admins["scorer"])[0]
    client = page_client(admins["province"])
    client.post(
        "/admin/knox/authtoken/",
        {"action": "revoke", "_selected_action": [own.pk, far["token"].pk]},
    )
    assert not AuthToken.objects.filter(pk=own.pk).exists()
    assert AuthToken.objects.filter(pk=far["token"].pk).exists()


def test_every_admin_add_and_change_page_opens_and_saves(world, admins):
    """Each page renders, and saving it unchanged succeeds (the programme page and its
    participant inline answered 500 before)."""
    client = page_client(admins["province"])
    pages = [
        "/admin/auth/user/{}/change/".format(admins["scorer"].pk),
        "/admin/actors/region/{}/change/".format(world["round"].region.pk),
        "/admin/actors/actor/{}/change/".format(world["actors"][0].pk),
        "/admin/actors/programme/{}/change/".format(world["programme"].pk),
        "/admin/assessments/assessmentround/{}/change/".format(world["round"].pk),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        saved = client.post(url, _unchanged_post_data(response))
        assert saved.status_code == 302, (url, _form_errors(saved))
    for url in [
        "/admin/auth/user/add/",
        "/admin/actors/region/add/",
        "/admin/actors/actor/add/",
        "/admin/actors/programme/add/",
        "/admin/assessments/assessmentround/add/",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_programme_with_participants_is_added_in_the_admin(world, admins):
    client = page_client(admins["province"])
    a, b = world["actors"][:2]
    response = client.post(
        "/admin/actors/programme/add/",
        {
            "name": "Program Gizi Sekolah",
            "region": world["round"].region.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "lead_actor": a.pk,
            "target_groups": ["school_children"],
            "description": "",
            "participants-TOTAL_FORMS": "1",
            "participants-INITIAL_FORMS": "0",
            "participants-MIN_NUM_FORMS": "0",
            "participants-MAX_NUM_FORMS": "1000",
            "participants-0-actor": b.pk,
            "participants-0-role": "implementer",
            "participants-0-stages": ["implementation"],
            "participants-0-contributions": ["staff"],
            "participants-0-contribution_note": "",
            "participants-0-intervention_type": "",
        },
    )
    assert response.status_code == 302, _form_errors(response)
    programme = Programme.objects.get(name="Program Gizi Sekolah")
    assert [p.actor for p in programme.participants.all()] == [b]


def _unchanged_post_data(response) -> dict:
    """The POST a browser sends when the page is saved without a change."""
    data = {}

    def add_form(form):
        for name, _field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [getattr(item, "pk", item) for item in value]
            else:
                data[key] = getattr(value, "pk", value)

    add_form(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add_form(formset.management_form)
        for form in formset.initial_forms:
            add_form(form)
        data[formset.management_form.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)
    return data


def _form_errors(response):
    context = getattr(response, "context", None)
    if not context or "adminform" not in context:
        return response.status_code
    errors = [context["adminform"].form.errors]
    errors += [inline.formset.errors for inline in context.get("inline_admin_formsets", [])]
    return errors
