import re

import pytest

from assessments.models import RoundStatus
from tests.factories import ActorFactory, RoundFactory, score


def matrix_url(region, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/matrix/" + (f"?{query}" if query else "")


def cell(html, row, column):
    match = re.search(
        rf'<td id="c{row.pk}-{column.pk}" class="(\w+)"><a [^>]*title="([^"]+)">([^<]*)</a>', html
    )
    assert match, f"no cell for {row} × {column}"
    return match.groups()


def test_the_matrix_shows_levels_and_not_assessed_apart_from_none(
    scorer_client, open_round, actors
):
    score(open_round, actors[0], actors[1], 0)
    score(open_round, actors[0], actors[2], 3)
    html = scorer_client.get(matrix_url(open_round.region)).content.decode()

    assert cell(html, actors[0], actors[1]) == ("l0", "Tidak ada", "0")
    assert cell(html, actors[1], actors[0]) == ("l0", "Tidak ada", "0")
    assert cell(html, actors[2], actors[0]) == ("l3", "Kolaborasi", "3")
    assert cell(html, actors[0], actors[3]) == ("na", "Belum dinilai", "·")
    assert "2 dari 6 pasangan dinilai" in html


def test_the_legend_defines_the_five_levels(viewer_client, open_round, actors):
    html = viewer_client.get(matrix_url(open_round.region)).content.decode()
    for name in [
        "Tidak ada",
        "Kooperatif",
        "Koordinasi",
        "Kolaborasi",
        "Integrasi",
        "Belum dinilai",
    ]:
        assert name in html
    assert "Informasi dan data dibagikan" in html


def test_actors_are_grouped_by_sector_health_first(viewer_client, open_round, actors):
    html = viewer_client.get(matrix_url(open_round.region)).content.decode()
    heads = re.findall(
        r'<th class="sector-head"[^>]*title="([^"]+)"><abbr title="[^"]+">([^<]+)</abbr></th>',
        html,
    )
    assert heads == [("Kesehatan", "Kes"), ("Perencanaan", "Per"), ("Pendidikan", "Pen")]


def test_readers_see_cells_without_links(viewer_client, open_round, actors):
    score(open_round, actors[0], actors[1], 2)
    html = viewer_client.get(matrix_url(open_round.region)).content.decode()
    assert "/pairs/" not in html
    assert '<td class="l2" title="Koordinasi">2</td>' in html


def test_a_closed_round_shows_no_scoring_links_even_to_scorers(scorer_client, district, actors):
    closed = RoundFactory(region=district, status=RoundStatus.CLOSED)
    html = scorer_client.get(matrix_url(district, round=closed.pk)).content.decode()
    assert "/pairs/" not in html


def test_the_latest_round_is_the_default_and_another_can_be_picked(viewer_client, district, actors):
    from datetime import date

    old = RoundFactory(
        region=district,
        name="Pemetaan 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    new = RoundFactory(region=district, name="Pemetaan 2026")
    score(old, actors[0], actors[1], 1)
    score(new, actors[0], actors[1], 3)
    assert 'title="Kolaborasi">3<' in viewer_client.get(matrix_url(district)).content.decode()
    html = viewer_client.get(matrix_url(district, round=old.pk)).content.decode()
    assert 'title="Kooperatif">1<' in html and "Pemetaan 2025" in html


def test_a_draft_round_is_hidden_from_readers(viewer_client, district, actors):
    draft = RoundFactory(region=district, status=RoundStatus.DRAFT)
    assert viewer_client.get(matrix_url(district, round=draft.pk)).status_code == 404


def test_a_round_of_another_region_is_not_shown(viewer_client, district, other_round):
    RoundFactory(region=district)
    assert viewer_client.get(matrix_url(district, round=other_round.pk)).status_code == 404


def test_filter_by_sector_and_government_level(viewer_client, open_round, actors, health, district):
    from actors.models import GovernmentLevel

    ActorFactory(
        name="Puskesmas Kecamatan",
        sector=health,
        home_region=district,
        government_level=GovernmentLevel.SUBDISTRICT,
    )
    html = viewer_client.get(matrix_url(district, sector=health.pk)).content.decode()
    assert "Dinas Kesehatan Kabupaten Sigi" in html and "Bappeda Kabupaten Sigi" not in html
    html = viewer_client.get(
        matrix_url(district, government_level=GovernmentLevel.SUBDISTRICT)
    ).content.decode()
    assert "Puskesmas Kecamatan" in html and "Dinas Kesehatan Kabupaten Sigi" not in html


def test_an_unknown_filter_value_is_a_clear_400(viewer_client, open_round, actors):
    response = viewer_client.get(matrix_url(open_round.region, sector=999999))
    assert response.status_code == 400
    assert "Masukkan pilihan yang valid" in response.content.decode()


def test_an_inactive_actor_stays_in_rounds_where_it_was_scored(viewer_client, open_round, actors):
    score(open_round, actors[0], actors[1], 2)
    actors[1].is_active = False
    actors[1].save()
    actors[3].is_active = False
    actors[3].save()
    html = viewer_client.get(matrix_url(open_round.region)).content.decode()
    assert "Puskesmas Biromaru" in html
    assert "Dinas Pendidikan Kabupaten Sigi" not in html


def test_a_region_without_rounds_says_what_to_do(viewer_client, district):
    html = viewer_client.get(matrix_url(district)).content.decode()
    assert "belum memiliki putaran penilaian" in html


def test_an_outsider_gets_403_and_nothing_of_the_region(other_scorer_client, open_round, actors):
    response = other_scorer_client.get(matrix_url(open_round.region))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sigi" not in body and "Dinas Kesehatan" not in body


def test_a_user_without_a_role_is_refused(client, district, open_round):
    from tests.factories import make_user

    client.force_login(make_user("tanpa_peran", regions=[district]))
    assert client.get(matrix_url(district)).status_code == 403


def test_anonymous_visitors_get_the_login_page(client, open_round):
    response = client.get(matrix_url(open_round.region))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_unknown_region_is_404(viewer_client, district):
    assert viewer_client.get("/regions/99.99/matrix/").status_code == 404


def test_names_are_escaped(viewer_client, open_round, district, health):
    ActorFactory(
        name='<script>alert("x")</script>',
        short_name="<b>x</b>",
        sector=health,
        home_region=district,
    )
    html = viewer_client.get(matrix_url(district)).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


@pytest.mark.parametrize("count", [10, 60])
def test_the_matrix_issues_a_fixed_number_of_queries(
    django_assert_num_queries, scorer_client, open_round, district, health, count
):
    """The same number of queries for 10 and for 60 actors."""
    actors = ActorFactory.create_batch(count, sector=health, home_region=district)
    for index in range(0, count - 1, 2):
        score(open_round, actors[index], actors[index + 1], index % 5)
    scorer_client.get(matrix_url(district))  # warm the session
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes and
    # their versions, 7 the roster's rows (the actors, the levels and the markup come from
    # the cache: test_matrix_cache), 8 sectors (filter), 9 programmes (filter)
    with django_assert_num_queries(9):
        response = scorer_client.get(matrix_url(district))
    assert response.status_code == 200
    assert response.content.decode().count("<td id=") == count * (count - 1)
