"""The admin's import page: upload, preview (nothing written), confirm (written as shown).

The upload waits in the default storage for its confirmation, bound to the admin who sent
it, to the kind of import and the round, for an hour; it is deleted once imported."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from accounts.models import Role
from actors.models import Actor
from assessments.models import PairAssessment
from tests.factories import make_user
from tests.imports.conftest import csv_bytes, snapshot, upload, waiting_uploads

ACTORS = csv_bytes(
    ("Nama", "Nama singkat", "Jenis", "Sektor", "Tingkat pemerintahan", "Kode wilayah"),
    ("Dinas Sosial Kabupaten Sigi", "Dinsos", "Pemerintah (OPD)", "Kesehatan", "Kabupaten/kota",
     "72.10"),
    ("Dinas PMD Kabupaten Sigi", "DPMD", "OPD", "health", "district", "72.10"),
    delimiter=";",
)  # fmt: skip


@pytest.fixture
def admin_page(admin_client_):
    """The province admin's browser, in English (messages are asserted in English)."""
    admin_client_.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_client_


def token_of(response) -> str:
    found = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert found, "no confirm form"
    return found.group(1)


def preview(client, data=ACTORS, kind="actors", **extra):
    return client.post("/imports/", {"kind": kind, "file": upload(data), **extra})


def confirm(client, token, kind="actors", follow=False, **extra):
    return client.post("/imports/confirm/", {"token": token, "kind": kind, **extra}, follow=follow)


def test_upload_previews_and_writes_nothing_then_confirm_writes_it(
    admin_page, district, health, _media
):
    before = snapshot()
    response = preview(admin_page)
    assert response.status_code == 200
    assert snapshot() == before
    html = response.content.decode()
    assert "2 to be created, 0 to be changed, 0 left unchanged" in html
    assert "Dinas Sosial Kabupaten Sigi" in html and "Government agency (OPD)" in html
    assert "Confirm import" in html
    assert len(waiting_uploads(_media)) == 1

    done = confirm(admin_page, token_of(response), follow=True)
    assert done.redirect_chain == [("/imports/", 302)]
    assert "Imported: 2 new, 0 changed, 0 unchanged." in done.content.decode()
    assert sorted(Actor.objects.values_list("short_name", flat=True)) == ["DPMD", "Dinsos"]
    assert waiting_uploads(_media) == []


def test_a_preview_confirms_once(admin_page, district, health):
    token = token_of(preview(admin_page))
    assert confirm(admin_page, token).status_code == 302
    before = snapshot()
    again = confirm(admin_page, token)
    assert again.status_code == 410
    assert "Upload the file again" in again.content.decode()
    assert snapshot() == before


def test_another_admin_cannot_confirm_someone_elses_preview(
    admin_page, client, district, health, _media
):
    token = token_of(preview(admin_page))
    other = make_user("admin_lain", role=Role.ADMIN, regions=[district])
    client.force_login(other)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = snapshot()
    response = confirm(client, token)
    assert response.status_code == 410
    assert snapshot() == before
    assert len(waiting_uploads(_media)) == 1  # still the first admin's to confirm
    assert confirm(admin_page, token).status_code == 302


def test_an_expired_preview_is_refused_and_deleted(admin_page, district, health, clock, _media):
    token = token_of(preview(admin_page))
    before = snapshot()
    with time_machine.travel(clock + timedelta(minutes=61), tick=True):
        response = confirm(admin_page, token)
    assert response.status_code == 410
    assert "60 minutes" in response.content.decode()
    assert snapshot() == before
    assert waiting_uploads(_media) == []


def test_a_preview_within_the_hour_still_confirms(admin_page, district, health, clock):
    token = token_of(preview(admin_page))
    with time_machine.travel(clock + timedelta(minutes=55), tick=True):
        assert confirm(admin_page, token).status_code == 302
    assert Actor.objects.count() == 2


def test_expired_uploads_are_purged_by_the_next_upload(admin_page, district, health, clock, _media):
    preview(admin_page)
    with time_machine.travel(clock + timedelta(hours=2), tick=True):
        preview(admin_page)
    assert len(waiting_uploads(_media)) == 1


@pytest.mark.parametrize(
    "tamper",
    [
        {"kind": "regions"},
        {"token": "x" * 43},
        {"token": "../../settings"},
        {"token": ""},
    ],
    ids=["another kind", "unknown token", "a path", "no token"],
)
def test_a_forged_confirmation_is_refused(admin_page, district, health, tamper):
    token = token_of(preview(admin_page))
    before = snapshot()
    response = admin_page.post("/imports/confirm/", {"token": token, "kind": "actors", **tamper})
    assert response.status_code == 410
    assert snapshot() == before


def test_a_pair_preview_is_bound_to_its_round(admin_page, open_round, actors, district):
    from tests.factories import RoundFactory

    other = RoundFactory(region=district, name="Pemetaan lain")
    edges = csv_bytes(("Aktor A", "Aktor B", "Tingkat"), ("Dinkes", "Bappeda", "3 – Kolaborasi"))
    response = preview(admin_page, edges, kind="edges", round=open_round.pk)
    assert response.status_code == 200
    assert "3 – Collaboration" in response.content.decode()
    token = token_of(response)
    assert confirm(admin_page, token, kind="edges", round=other.pk).status_code == 410
    assert confirm(admin_page, token, kind="edges").status_code == 410
    assert not PairAssessment.objects.exists()
    assert confirm(admin_page, token, kind="edges", round=open_round.pk).status_code == 302
    assert PairAssessment.objects.get().level == 3


def test_data_changed_since_the_preview_is_checked_again_and_shown(
    admin_page, district, health, actors
):
    data = csv_bytes(
        ("name", "short_name", "kind", "sector", "government_level", "region_code"),
        ("Bappeda Kabupaten Sigi", "Bappelitbangda", "government", "planning", "2", "72.10"),
    )
    first = preview(admin_page, data)
    assert "0 to be created, 1 to be changed" in first.content.decode()
    bappeda = actors[2]
    bappeda.short_name = "Bappelitbangda"  # changed in the admin meanwhile
    bappeda.save()
    before = snapshot()
    response = confirm(admin_page, token_of(first))
    assert response.status_code == 409
    html = response.content.decode()
    assert "The data changed after the preview was made" in html
    assert "0 to be created, 0 to be changed, 1 left unchanged" in html
    assert snapshot() == before
    assert "Importing this file would change nothing." in html


def test_data_changed_then_confirmed_again_writes_the_new_plan(
    admin_page, district, health, actors
):
    data = csv_bytes(
        ("name", "short_name", "kind", "sector", "government_level", "region_code"),
        ("Bappeda Kabupaten Sigi", "Bappelitbangda", "government", "planning", "2", "72.10"),
        ("Dinas Sosial Kabupaten Sigi", "Dinsos", "government", "health", "2", "72.10"),
    )
    first = preview(admin_page, data)
    actors[2].short_name = "Bappelitbangda"
    actors[2].save()
    second = confirm(admin_page, token_of(first))
    assert second.status_code == 409
    assert "1 to be created, 0 to be changed, 1 left unchanged" in second.content.decode()
    assert confirm(admin_page, token_of(second)).status_code == 302
    assert Actor.objects.filter(short_name="Dinsos").exists()


def test_a_file_with_bad_rows_previews_its_problems_and_cannot_be_confirmed(
    admin_page, district, health, _media
):
    data = csv_bytes(
        ("name", "short_name", "kind", "sector", "government_level", "region_code"),
        ("Dinas Sosial Kabupaten Sigi", "Dinsos", "OPD", "health", "2", "72.10"),
        ("Dinas PU", "PU", "wizard", "health", "2", "72.99"),
    )
    before = snapshot()
    response = preview(admin_page, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing can be imported: the file has 2 problems" in html
    assert "<td>3</td><td>kind</td>" in html and "<td>3</td><td>region_code</td>" in html
    assert "1 to be created" in html  # the good row is shown too
    assert "1 row with a problem." in html
    assert 'name="token"' not in html
    assert waiting_uploads(_media) == []
    assert snapshot() == before


def test_the_page_has_the_sites_navigation_and_the_header_links_to_it(
    admin_page, scorer_client, district
):
    html = admin_page.get("/imports/").content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert 'href="/"' in nav and 'aria-current="page"' in nav and 'href="/admin/"' in nav
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert 'href="/imports/"' in header
    home = scorer_client.get("/").content.decode()
    assert 'href="/imports/"' not in home


# fmt: off
PERSONAS = [("scorer_client", 403), ("other_scorer_client", 403), ("planner_client", 403),
            ("viewer_client", 403), ("client", 302)]
# fmt: on


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_only_admins_preview_or_confirm(request, admin_page, district, health, persona, status):
    token = token_of(preview(admin_page))
    client = request.getfixturevalue(persona)
    before = snapshot()
    assert client.get("/imports/").status_code == status
    assert preview(client).status_code == status
    assert confirm(client, token).status_code == status
    assert client.get("/imports/confirm/").status_code in (status, 405)
    assert snapshot() == before


def test_a_round_chosen_for_an_actor_file_is_not_bound_to_it(admin_page, open_round, health):
    response = preview(admin_page, round=open_round.pk)
    assert response.status_code == 200
    assert 'name="round"' not in response.content.decode().split("confirm-import")[1]
    assert confirm(admin_page, token_of(response)).status_code == 302
    assert Actor.objects.filter(short_name="Dinsos").exists()
