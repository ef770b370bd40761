"""Every persona on every page and endpoint: the status each one gets, as a table.

Columns: admin (province 72), scorer of Sigi, scorer of Palu (another district), planner
(province 72), viewer (Sigi), a signed-in user with no role (jurisdiction Sigi), anonymous.

How the product refuses, as found:
- pages: 403 outside the jurisdiction or without the role; anonymous visitors are
  redirected (302) to /accounts/login/?next=...;
- the Django admin: 302 to the admin's login page for anyone who is not staff;
- the API: 401 for anonymous requests (token authentication comes first), 403 for a user
  with no role or a write their role does not allow, 404 for an object outside the
  jurisdiction (it does not exist for them).
"""

import pytest

from tests.security.conftest import PERSONAS, api_client, page_client

# fmt: off
#           admin  scorer other planner viewer no-role anonymous
READ_SIGI   = (200, 200, 403, 200, 200, 403, 302)
SCORE_SIGI  = (200, 200, 403, 403, 403, 403, 302)
DRAFT_PAIR  = (200, 404, 403, 404, 404, 403, 302)  # drafts: admins only
EXPORT_SIGI = (200, 200, 403, 200, 403, 403, 302)
ADMIN_SITE  = (200, 302, 302, 302, 302, 302, 302)
IMPORTS     = (200, 403, 403, 403, 403, 403, 302)
API_ANY     = (200, 200, 200, 200, 200, 403, 401)
API_SIGI    = (200, 200, 404, 200, 200, 403, 401)
API_DRAFT   = (200, 404, 404, 404, 404, 403, 401)
API_FAR     = (404, 404, 404, 404, 404, 403, 401)  # province 73
API_DETAILS = (200, 200, 200, 200, 403, 403, 401)  # pair details: not for viewers
API_DETAIL_SIGI = (200, 200, 404, 200, 403, 403, 401)

# URL ({placeholders} are ids from the world) -> status per persona, in PERSONAS order.
TABLE = {
    "/":                                      (200, 200, 200, 200, 200, 200, 302),
    "/regions/72.10/":                        READ_SIGI,
    "/regions/72.10/matrix/":                 READ_SIGI,
    "/regions/72.10/matrix/?view=disagreement": READ_SIGI,
    "/regions/72.10/sectors/":                READ_SIGI,
    "/regions/72.10/levels/":                 READ_SIGI,
    "/regions/72.10/levels/?programme={prog}": READ_SIGI,
    "/regions/72.10/network/":                READ_SIGI,
    "/regions/72.10/network.svg":             READ_SIGI,
    "/regions/72.10/compare/":                READ_SIGI,
    "/regions/72.10/overlaps/":               READ_SIGI,
    "/regions/72.71/matrix/":                 (200, 403, 200, 200, 403, 403, 302),
    "/regions/72/":                           (200, 403, 403, 200, 403, 403, 302),
    "/regions/73.01/":                        (403, 403, 403, 403, 403, 403, 302),
    "/rounds/{round}/pairs/{a}-{b}/":         SCORE_SIGI,
    "/rounds/{closed}/pairs/{a}-{c}/":        SCORE_SIGI,  # shown; a save is refused
    "/rounds/{draft}/pairs/{a}-{b}/":         DRAFT_PAIR,
    "/programmes/{prog}/who-how/":            READ_SIGI,
    "/regions/72.10/report.pdf":              EXPORT_SIGI,
    "/regions/72.10/report.xlsx":             EXPORT_SIGI,
    "/regions/72.10/report.csv":              EXPORT_SIGI,
    "/regions/72.10/report.csv?variant=excel-id": EXPORT_SIGI,
    "/regions/72.10/network.gexf":            EXPORT_SIGI,
    "/regions/72.10/network.graphml":         EXPORT_SIGI,
    "/regions/72.10/network-nodes.csv":       EXPORT_SIGI,
    "/regions/72.10/network-edges.csv":       EXPORT_SIGI,
    "/admin/":                                ADMIN_SITE,
    "/admin/actors/actor/":                   ADMIN_SITE,
    "/admin/assessments/pairassessment/":     ADMIN_SITE,
    "/imports/":                              IMPORTS,
    "/api/v1/regions/":                       API_ANY,
    "/api/v1/regions/72.10/":                 API_SIGI,
    "/api/v1/actors/":                        API_ANY,
    "/api/v1/actors/{a}/":                    API_SIGI,
    "/api/v1/actors/{far_actor}/":            API_FAR,
    "/api/v1/programmes/":                    API_ANY,
    "/api/v1/programmes/{prog}/":             API_SIGI,
    "/api/v1/rounds/":                        API_ANY,
    "/api/v1/rounds/{round}/":                API_SIGI,
    "/api/v1/rounds/{draft}/":                API_DRAFT,
    "/api/v1/rounds/{round}/matrix/":         API_SIGI,
    "/api/v1/pair-assessments/":              API_DETAILS,
    "/api/v1/pair-assessments/{assessment}/":  API_DETAIL_SIGI,
    "/api/v1/rounds/{round}/export/":         API_DETAIL_SIGI,
    "/api/v1/rounds/{round}/partner-views/":  API_DETAIL_SIGI,
    "/api/v1/rounds/{round}/reconciliations/": API_DETAIL_SIGI,
    "/api/v1/exports/actors/":                API_DETAILS,
    "/api/v1/schema/":                        API_ANY,
}
# fmt: on


# What a refused persona must not read in the answer.
SIGI_DATA = ["Pemetaan Sigi 2026", "Dinas Kesehatan Kabupaten Sigi", "Rapat TPPS", "Stunting Sigi"]


def _ids(world) -> dict:
    a, b, c, _d = world["actors"]
    return {
        "a": a.pk,
        "b": b.pk,
        "c": c.pk,
        "round": world["round"].pk,
        "closed": world["closed"].pk,
        "draft": world["draft"].pk,
        "prog": world["programme"].pk,
        "assessment": world["assessment"].pk,
        "far_actor": world["far_actor"].pk,
    }


@pytest.fixture
def _no_pdf_layout(monkeypatch):
    """Access is decided before the PDF is laid out: skip WeasyPrint here (one real PDF is
    built in test_escaping)."""
    monkeypatch.setattr("reports.builds.build_pdf", lambda report, **options: b"%PDF-1.7 stub")


@pytest.mark.usefixtures("_no_pdf_layout")
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_each_persona_as_the_table_says(world, users, persona):
    user = users[persona]
    ids = _ids(world)
    pages, api = page_client(user), api_client(user)
    got = {}
    for template in TABLE:
        url = template.format(**ids)
        client = api if url.startswith("/api/") else pages
        response = client.get(url)
        got[template] = response.status_code
        if response.status_code == 302:
            # The admin sends non-staff users to its own login page (anonymous visitors
            # of a changelist meet LoginRequiredMiddleware first, and the site's page).
            logins = ("/accounts/login/?next=", "/admin/login/?next=")
            if not url.startswith("/admin/"):
                logins = logins[:1]
            assert response["Location"].startswith(logins), (url, response["Location"])
        elif response.status_code >= 400:
            # A refusal shows nothing of Sigi's data.
            body = response.content.decode()
            for secret in SIGI_DATA:
                assert secret not in body, (url, secret)
    column = PERSONAS.index(persona)
    expected = {template: row[column] for template, row in TABLE.items()}
    wrong = {url: (got[url], expected[url]) for url in TABLE if got[url] != expected[url]}
    assert not wrong, f"{persona}: url -> (got, expected) {wrong}"


# The partner link: a persona with no account. Its pages show its own round's roster and
# nothing else; any other member (of another round, district or province, or inactive)
# answers 404, as a tampered link does, naming no one.
LINK_PAGES = {
    "/p/{token}/":                   200,
    "/p/{token}/m/{b}/":             200,
    "/p/{token}/m/{a}/":             404,  # itself
    "/p/{token}/m/{closed_only}/":   404,  # on the roster of Sigi's closed round only
    "/p/{token}/m/{palu}/":          404,  # another district's round
    "/p/{token}/m/{far_actor}/":     404,  # another province
    "/p/{token}/m/{inactive}/":      404,
    "/p/{palu_token}/m/{b}/":        404,  # Palu's link about a Sigi member
    "/p/{revoked_token}/":           410,
    "/p/{revoked_token}/m/{b}/":     410,
}  # fmt: skip
# Names from elsewhere that no page of Sigi's link may show.
ELSEWHERE = [
    "Dinas Kesehatan Kota Palu",
    "Bappeda Kota Palu",
    "Pemetaan Palu 2026",
    "Dinas Kesehatan Selayar",
    "Pemetaan Selayar 2026",
    "Pemetaan Sigi 2025",
    "Draf Sigi",
    "Dinas Lama Sigi",
    "Puskesmas Lama Tinggal",
    "Rapat TPPS",  # the official note of a Sigi pair
]


def test_a_partner_link_shows_nothing_of_other_rounds_or_regions(world, users):
    from django.core.cache import cache
    from django.test import Client

    from assessments.models import RoundMember
    from partners.services import identify, invite, revoke
    from tests.factories import ActorFactory

    cache.clear()  # the links' rate limits
    a, b, _c, _d = world["actors"]
    closed_only = ActorFactory(
        name="Puskesmas Lama Tinggal",
        sector=a.sector,
        home_region=a.home_region,
        join_rounds=False,
    )
    RoundMember.objects.create(round=world["closed"], actor=closed_only)
    [(sigi, token)] = invite(round=world["round"], actors=[a], user=users["scorer"])
    identify(invitation=sigi, name="Ibu Rahma", position="Kepala Bidang")
    [(revoked, revoked_token)] = invite(round=world["round"], actors=[b], user=users["scorer"])
    revoke(invitation=revoked, user=users["scorer"])
    palu = world["other_actors"][0]
    [(palu_link, palu_token)] = invite(
        round=world["other_round"], actors=[palu], user=users["other_scorer"]
    )
    identify(invitation=palu_link, name="Pak Andi", position="Sekretaris")
    ids = {
        "token": token,
        "revoked_token": revoked_token,
        "palu_token": palu_token,
        "a": a.pk,
        "b": b.pk,
        "closed_only": closed_only.pk,
        "palu": palu.pk,
        "far_actor": world["far_actor"].pk,
        "inactive": world["inactive"].pk,
    }
    client = Client()
    got = {}
    for template in LINK_PAGES:
        response = client.get(template.format(**ids))
        got[template] = response.status_code
        body = response.content.decode()
        for name in ELSEWHERE:
            assert name not in body, (template, name)
        if template.startswith("/p/{palu_token}/"):
            assert "Kabupaten Sigi" not in body and "Puskesmas Biromaru" not in body
    wrong = {url: (got[url], status) for url, status in LINK_PAGES.items() if got[url] != status}
    assert not wrong, f"url -> (got, expected) {wrong}"
    # The link's own page does show its round's roster (the test would pass on an empty page
    # otherwise).
    home = client.get(f"/p/{token}/").content.decode()
    assert "Puskesmas Biromaru" in home and "Pemetaan Sigi 2026" in home
