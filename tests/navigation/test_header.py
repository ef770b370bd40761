"""The header offers each role what it may use: "Impor" and "Admin" for admins, the region's
pages (with "Siapa × bagaimana") for every reader; the Django admin carries the product's
name; on a phone the menu folds behind one button."""

import re

import pytest
from django.test import Client

from accounts.models import Role
from tests.factories import ProgrammeFactory, make_user


def header(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def tools(html):
    """The links of the header's tools, as (href, text)."""
    part = html[html.index('<div class="site-tools">') :]
    return re.findall(r'<a href="([^"]+)" class="tool-link">([^<]+)</a>', part)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin_client_", [("/imports/", "Impor"), ("/admin/", "Admin")]),
        ("scorer_client", []),
        ("planner_client", []),
        ("viewer_client", []),
    ],
)
def test_each_role_sees_the_links_it_may_use(request, district, persona, expected):
    client = request.getfixturevalue(persona)
    assert tools(header(client)) == expected
    # The same header on a region's pages.
    assert tools(header(client, "/regions/72.10/")) == expected


def test_an_admin_who_is_not_staff_imports_but_is_not_offered_the_admin(district):
    user = make_user("admin_tanpa_staf", role=Role.ADMIN, regions=[district])
    client = Client()
    client.force_login(user)
    assert tools(header(client)) == [("/imports/", "Impor")]
    # The admin itself would turn them away: the header does not offer it.
    assert client.get("/admin/").status_code == 302


def test_a_superuser_sees_both(db):
    user = make_user("root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    assert tools(header(client)) == [("/imports/", "Impor"), ("/admin/", "Admin")]


def test_the_anonymous_login_page_offers_neither(client, db):
    assert tools(header(client, "/accounts/login/")) == []


def test_the_import_page_has_the_sites_header_and_navigation(admin_client_, district):
    html = header(admin_client_, "/imports/")
    assert '<nav class="site-nav"' in html and 'class="menu-toggle"' in html
    assert 'href="/imports/" aria-current="page"' in html


def test_the_menu_folds_behind_one_button_that_names_what_it_opens(viewer_client, district):
    html = header(viewer_client, "/regions/72.10/")
    assert re.search(
        r'<button type="button" class="menu-toggle" aria-expanded="false" '
        r'aria-controls="site-menu">Menu</button>',
        html,
    )
    assert '<div class="site-menu" id="site-menu">' in html
    # No inline script: the Content-Security-Policy forbids it; app.js does the folding.
    assert "<script>" not in viewer_client.get("/regions/72.10/").content.decode()


@pytest.mark.parametrize(
    "persona", ["admin_client_", "scorer_client", "planner_client", "viewer_client"]
)
def test_the_region_navigation_leads_to_who_x_how(request, district, actors, persona):
    client = request.getfixturevalue(persona)
    nav = header(client, "/regions/72.10/")
    assert '<a href="/regions/72.10/who-how/">Siapa × bagaimana</a>' in nav


def test_who_x_how_in_the_navigation_is_the_first_programme_s(viewer_client, district, actors):
    ProgrammeFactory(region=district, lead_actor=actors[2], name="Stunting Sigi")
    first = ProgrammeFactory(region=district, lead_actor=actors[3], name="Gizi Anak Sekolah")
    response = viewer_client.get("/regions/72.10/who-how/", follow=True)
    assert response.redirect_chain == [(f"/programmes/{first.pk}/who-how/", 302)]
    nav = header(viewer_client, f"/programmes/{first.pk}/who-how/")
    assert 'href="/regions/72.10/who-how/" aria-current="page">Siapa × bagaimana' in nav


def test_who_x_how_without_a_programme_says_so_on_the_by_level_page(viewer_client, district):
    response = viewer_client.get("/regions/72.10/who-how/", follow=True)
    assert response.redirect_chain == [("/regions/72.10/levels/", 302)]
    assert "Wilayah ini belum memiliki program" in response.content.decode()


def test_who_x_how_of_a_region_outside_the_jurisdiction_is_refused(other_scorer_client, district):
    assert other_scorer_client.get("/regions/72.10/who-how/").status_code == 403


def test_the_admin_carries_the_product_s_name(admin_client_, client, db):
    for html in (
        admin_client_.get("/admin/").content.decode(),
        client.get("/admin/login/").content.decode(),
    ):
        assert "Peta Konvergensi — Administrasi" in html
        assert "Django" not in re.search(r"<title>.*?</title>", html, re.S)[0]
        assert "Administrasi Django" not in html


def test_who_x_how_of_the_navigation_asks_anonymous_visitors_to_log_in(client, district):
    response = client.get("/regions/72.10/who-how/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
