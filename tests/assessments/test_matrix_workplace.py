"""The matrix as a scorer's workplace: sector checkboxes, readable sector headers with a
key, the next pair to score, the "still to score" filter, the count and the cells after
every save (accepted or stale), and who saved a stale pair and when."""

import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Role
from actors.models import GovernmentLevel
from assessments.matrix_html import abbreviate, sector_abbreviations
from assessments.models import PairAssessment, RoundStatus
from assessments.selectors import (
    matrix_for_round,
    next_pair_to_score,
    next_unscored_pair,
    only_actors_with_unscored_pairs,
)
from assessments.services import pair_assessment_save
from tests.conftest import SITE_TODAY
from tests.factories import ActorFactory, RoundFactory, SectorFactory, make_user, score

HTMX = {"HTTP_HX_REQUEST": "true"}


def matrix_url(region, query=""):
    return f"/regions/{region.code}/matrix/" + (f"?{query}" if query else "")


def pair_url(round_, actor_x, actor_y):
    return f"/rounds/{round_.pk}/pairs/{actor_x.pk}-{actor_y.pk}/"


def next_url(round_, query=""):
    return f"/rounds/{round_.pk}/next-pair/" + (f"?{query}" if query else "")


def ids(pair):
    return tuple(actor.pk for actor in pair)


# Sectors: checkboxes, the same parameter -----------------------------------------------


def test_sectors_are_checkboxes_and_the_repeated_parameter_still_filters(
    viewer_client, open_round, actors, health, planning
):
    html = viewer_client.get(matrix_url(open_round.region)).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="sector" value="(\d+)"', html)
    assert {int(value) for value in boxes} >= {health.pk, planning.pk}
    assert '<select name="sector"' not in html

    html = viewer_client.get(
        matrix_url(open_round.region, f"sector={health.pk}&sector={planning.pk}")
    ).content.decode()
    assert "Bappeda Kabupaten Sigi" in html and "Dinas Pendidikan Kabupaten Sigi" not in html
    # The chosen sectors stay ticked.
    ticked = re.findall(r'<input type="checkbox" name="sector" value="(\d+)"[^>]*checked', html)
    assert sorted(int(value) for value in ticked) == sorted([health.pk, planning.pk])


# Sector headers: an abbreviation, the name on hover, a key --------------------------------


@pytest.mark.parametrize(
    ("name", "abbreviation"),
    [
        ("Pemberdayaan masyarakat dan desa", "PMD"),
        ("Pemberdayaan perempuan dan perlindungan anak", "PPPA"),
        ("Pekerjaan umum, air minum dan sanitasi", "PUAMS"),
        ("Swasta (CSR)", "CSR"),
        ("Kesehatan", "Kes"),
        ("Sektor 12", "S12"),
        ("Planning and regional finance", "PRF"),
        ("Women's empowerment and child protection", "WECP"),
    ],
)
def test_a_sector_name_is_abbreviated(name, abbreviation):
    assert abbreviate(name) == abbreviation


def test_abbreviations_are_unique_among_the_sectors_shown(db):
    sectors = [
        SectorFactory(name_id="Kesehatan", name_en="Health"),
        SectorFactory(name_id="Kesejahteraan", name_en="Welfare"),
        SectorFactory(name_id="Kesenian", name_en="Arts"),
    ]
    assert list(sector_abbreviations(sectors).values()) == ["Kes", "Kes2", "Kes3"]


def test_sector_headers_are_abbreviated_with_the_name_on_hover_and_a_key_below(
    viewer_client, open_round, district, health
):
    village = SectorFactory(name_id="Pemberdayaan masyarakat dan desa", sort_order=5)
    ActorFactory(name="Dinas PMD Sigi", sector=village, home_region=district)
    ActorFactory(name="Dinas Kesehatan", sector=health, home_region=district)
    html = viewer_client.get(matrix_url(district)).content.decode()

    head = re.search(r'<th class="sector-head"[^>]*title="([^"]+)"><abbr[^>]*>(\w+)</abbr>', html)
    assert head.groups() == ("Kesehatan", "Kes")
    assert (
        '<th class="sector-head" colspan="1" scope="colgroup" '
        'title="Pemberdayaan masyarakat dan desa"><abbr title="Pemberdayaan masyarakat dan desa">'
        "PMD</abbr></th>"
    ) in html
    key = html[html.index('class="sector-key"') :]
    entries = re.findall(r"<dt><abbr [^>]*>(\w+)</abbr></dt><dd>([^<]+)</dd>", key)
    assert entries == [("Kes", "Kesehatan"), ("PMD", "Pemberdayaan masyarakat dan desa")]


# The next pair to score -----------------------------------------------------------------


def test_the_next_unscored_pair_goes_row_by_row_and_round_to_the_start(
    open_round, actors, django_assert_num_queries
):
    dinkes, puskesmas, bappeda, disdik = actors
    score(open_round, dinkes, puskesmas, 2)
    score(open_round, dinkes, disdik, 1)
    with django_assert_num_queries(2):
        first = next_pair_to_score(round=open_round)
    assert ids(first) == (dinkes.pk, bappeda.pk)

    matrix = matrix_for_round(round=open_round)
    # After (Dinkes, Bappeda) comes (Dinkes, Disdik), scored, then the next row.
    assert ids(next_unscored_pair(matrix, after=ids(first))) == (puskesmas.pk, bappeda.pk)
    # Either order of the pair given, the same place.
    assert ids(next_unscored_pair(matrix, after=(bappeda.pk, dinkes.pk))) == (
        puskesmas.pk,
        bappeda.pk,
    )
    # After the last pair, back to the first row.
    assert ids(next_unscored_pair(matrix, after=(bappeda.pk, disdik.pk))) == (
        dinkes.pk,
        bappeda.pk,
    )
    # A pair that is not in the matrix: from the start.
    assert ids(next_unscored_pair(matrix, after=(999998, 999999))) == (dinkes.pk, bappeda.pk)


def test_no_next_pair_when_every_pair_is_scored(open_round, actors):
    for index, actor in enumerate(actors):
        for other in actors[index + 1 :]:
            score(open_round, actor, other, 1)
    assert next_pair_to_score(round=open_round) is None


def test_the_last_unscored_pair_is_offered_again_after_itself(open_round, actors):
    dinkes, puskesmas, bappeda, disdik = actors
    for index, actor in enumerate(actors):
        for other in actors[index + 1 :]:
            if {actor, other} != {puskesmas, disdik}:
                score(open_round, actor, other, 1)
    matrix = matrix_for_round(round=open_round)
    assert ids(next_unscored_pair(matrix, after=(puskesmas.pk, disdik.pk))) == (
        puskesmas.pk,
        disdik.pk,
    )


def test_the_next_pair_link_opens_the_first_unscored_pair(scorer_client, open_round, actors):
    dinkes, puskesmas, bappeda, _disdik = actors
    score(open_round, dinkes, puskesmas, 2)
    html = scorer_client.get(matrix_url(open_round.region)).content.decode()
    assert f'href="/rounds/{open_round.pk}/next-pair/"' in html
    assert 'hx-include="#matrix-scope"' in html

    response = scorer_client.get(next_url(open_round))
    assert response.status_code == 302
    assert response.url == pair_url(open_round, dinkes, bappeda)
    # With htmx the redirect is followed to the panel of the pair.
    panel = scorer_client.get(next_url(open_round), follow=True, **HTMX).content.decode()
    assert "Dinas Kesehatan Kabupaten Sigi ↔ Bappeda Kabupaten Sigi" in panel
    assert f'data-pair="{dinkes.pk}-{bappeda.pk}"' in panel


def test_the_next_pair_keeps_to_the_matrix_filters(
    scorer_client, open_round, actors, health, education
):
    dinkes, puskesmas, _bappeda, disdik = actors
    query = f"sector={health.pk}&sector={education.pk}"
    html = scorer_client.get(matrix_url(open_round.region, query)).content.decode()
    assert f'href="/rounds/{open_round.pk}/next-pair/?{query.replace("&", "&amp;")}"' in html
    scope = re.search(r'<div id="matrix-scope" hidden>(.*?)</div>', html)[1]
    assert re.findall(r'name="sector" value="(\d+)"', scope) == [
        str(health.pk),
        str(education.pk),
    ]

    response = scorer_client.get(next_url(open_round, f"{query}&after={dinkes.pk}-{puskesmas.pk}"))
    # (Dinkes, Disdik) comes next: Bappeda is filtered out.
    assert response.url == pair_url(open_round, dinkes, disdik)


def test_after_a_save_the_panel_offers_the_next_pair(scorer_client, open_round, actors):
    dinkes, puskesmas = actors[0], actors[1]
    html = scorer_client.post(
        pair_url(open_round, dinkes, puskesmas), {"level": "2", "version": "0"}, **HTMX
    ).content.decode()
    link = f"/rounds/{open_round.pk}/next-pair/?after={dinkes.pk}-{puskesmas.pk}"
    assert f'href="{link}"' in html and f'hx-get="{link}"' in html
    assert "Pasangan berikutnya untuk dinilai" in html


def test_when_every_pair_is_scored_the_scorer_is_told(scorer_client, open_round, actors):
    for index, actor in enumerate(actors):
        for other in actors[index + 1 :]:
            score(open_round, actor, other, 1)
    html = scorer_client.get(matrix_url(open_round.region)).content.decode()
    assert "/next-pair/" not in html
    panel = scorer_client.get(next_url(open_round), **HTMX)
    assert panel.status_code == 200
    assert "Semua pasangan di matriks ini sudah dinilai." in panel.content.decode()
    page = scorer_client.get(next_url(open_round), follow=True)
    assert page.redirect_chain[-1][0] == f"{matrix_url(open_round.region)}?round={open_round.pk}"
    assert "Semua pasangan di matriks ini sudah dinilai." in page.content.decode()


@pytest.mark.parametrize("query", ["sector=999999", "government_level=x", "programme=abc"])
def test_a_bad_filter_on_the_next_pair_is_a_400(scorer_client, open_round, actors, query):
    response = scorer_client.get(next_url(open_round, query))
    assert response.status_code == 400
    assert "errors" in response.content.decode()


def test_a_bad_after_starts_from_the_first_row(scorer_client, open_round, actors):
    response = scorer_client.get(next_url(open_round, "after=1-2-3"))
    assert response.url == pair_url(open_round, actors[0], actors[1])


def test_readers_and_outsiders_get_no_next_pair(
    viewer_client, other_scorer_client, open_round, actors
):
    assert "/next-pair/" not in viewer_client.get(matrix_url(open_round.region)).content.decode()
    assert viewer_client.get(next_url(open_round)).status_code == 403
    assert other_scorer_client.get(next_url(open_round)).status_code in (403, 404)


def test_a_closed_round_offers_no_next_pair(scorer_client, district, actors):
    closed = RoundFactory(region=district, status=RoundStatus.CLOSED)
    response = scorer_client.get(next_url(closed), follow=True)
    assert "/pairs/" not in response.redirect_chain[-1][0]


# Only actors with pairs still to score ----------------------------------------------------


def test_the_unscored_filter_hides_actors_whose_pairs_are_all_scored(
    scorer_client, open_round, actors
):
    dinkes, puskesmas, bappeda, disdik = actors
    for other in (puskesmas, bappeda, disdik):
        score(open_round, dinkes, other, 2)
    html = scorer_client.get(matrix_url(open_round.region, "unscored=on")).content.decode()
    rows = re.findall(r'<th class="row-head" scope="row" title="([^"]+)"', html)
    assert rows == [
        "Puskesmas Biromaru",
        "Bappeda Kabupaten Sigi",
        "Dinas Pendidikan Kabupaten Sigi",
    ]
    # The count is still of the whole matrix.
    assert "3 dari 6 pasangan dinilai" in html
    assert re.search(r'<input type="checkbox" name="unscored"[^>]*checked', html)


def test_with_every_pair_scored_the_unscored_filter_says_so(scorer_client, open_round, actors):
    for index, actor in enumerate(actors):
        for other in actors[index + 1 :]:
            score(open_round, actor, other, 1)
    html = scorer_client.get(matrix_url(open_round.region, "unscored=on")).content.decode()
    assert "Semua pasangan di matriks ini sudah dinilai." in html
    assert "<table" not in html


def test_only_actors_with_unscored_pairs_keeps_every_unscored_pair(open_round, actors):
    dinkes, puskesmas, bappeda, disdik = actors
    score(open_round, dinkes, puskesmas, 1)
    score(open_round, dinkes, bappeda, 1)
    score(open_round, dinkes, disdik, 1)
    score(open_round, puskesmas, bappeda, 1)
    matrix = matrix_for_round(round=open_round)
    left = only_actors_with_unscored_pairs(matrix)
    assert [actor.pk for actor in left.actors] == [puskesmas.pk, bappeda.pk, disdik.pk]
    assert left.levels == {
        key: level for key, level in matrix.levels.items() if dinkes.pk not in key
    }


@pytest.mark.parametrize("count", [10, 40])
def test_the_matrix_with_the_unscored_filter_issues_a_fixed_number_of_queries(
    django_assert_num_queries, scorer_client, open_round, district, health, count
):
    actors = ActorFactory.create_batch(count, sector=health, home_region=district)
    for index in range(0, count - 1, 2):
        score(open_round, actors[index], actors[index + 1], index % 5)
    url = matrix_url(district, f"unscored=on&sector={health.pk}")
    scorer_client.get(url)  # warm the session
    # As without filters (see test_matrix_page), and one more: the chosen sectors checked.
    with django_assert_num_queries(10):
        response = scorer_client.get(url)
    assert response.status_code == 200


# The count and the cells follow every save ------------------------------------------------


def summary(html):
    match = re.search(
        r'<p class="summary" id="matrix-summary" hx-swap-oob="true">(.*?)</p>', html, re.S
    )
    assert match, "no out-of-band summary"
    return " ".join(match[1].split())


def test_a_save_from_the_matrix_swaps_in_the_new_count(
    scorer_client, open_round, actors, django_assert_max_num_queries
):
    score(open_round, actors[0], actors[2], 1)
    page = scorer_client.get(matrix_url(open_round.region)).content.decode()
    assert "1 dari 6 pasangan dinilai" in page
    assert '<p class="summary" id="matrix-summary">' in page

    response = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]),
        {"level": "2", "version": "0", "matrix_scope": "1"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "2 dari 6 pasangan dinilai" in summary(response.content.decode())


def test_the_count_after_a_save_keeps_to_the_matrix_filters(
    scorer_client, open_round, actors, health
):
    score(open_round, actors[0], actors[2], 1)  # outside the health-only matrix
    response = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]),
        {"level": "2", "version": "0", "matrix_scope": "1", "sector": str(health.pk)},
        **HTMX,
    )
    assert "1 dari 1 pasangan dinilai" in summary(response.content.decode())
    assert PairAssessment.objects.get(actor_a=actors[0], actor_b=actors[1]).level == 2


def test_the_pairs_own_page_gets_no_count(scorer_client, open_round, actors):
    response = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]), {"level": "2", "version": "0"}, **HTMX
    )
    assert "matrix-summary" not in response.content.decode()


def test_a_refused_stale_save_swaps_in_the_stored_cells_and_count(
    scorer_client, open_round, actors
):
    first, second = actors[0], actors[1]
    other = make_user(
        "penilai_sigi_2",
        role=Role.SCORER,
        regions=[open_round.region],
        first_name="Rina",
        last_name="Lamba",
    )
    pair_assessment_save(
        round=open_round, actor_a=first, actor_b=second, level=3, user=other, expected_version=0
    )
    response = scorer_client.post(
        pair_url(open_round, first, second),
        {"level": "1", "version": "0", "matrix_scope": "1"},
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<td hx-swap-oob="true" id="c{first.pk}-{second.pk}" class="l3">' in html
    assert f'<td hx-swap-oob="true" id="c{second.pk}-{first.pk}" class="l3">' in html
    assert "1 dari 6 pasangan dinilai" in summary(html)
    assert PairAssessment.objects.get().level == 3


def test_a_save_over_a_removed_assessment_shows_the_cell_not_assessed(
    scorer_client, open_round, actors
):
    first, second = actors[0], actors[1]
    score(open_round, first, second, 2)
    PairAssessment.objects.all().delete()
    response = scorer_client.post(
        pair_url(open_round, first, second),
        {"level": "1", "version": "1", "matrix_scope": "1"},
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<td hx-swap-oob="true" id="c{first.pk}-{second.pk}" class="na">' in html
    assert "0 dari 6 pasangan dinilai" in summary(html)


# Who saved a stale pair, and when ---------------------------------------------------------


def stored_moment():
    """When the pair was saved, as a WITA user reads it (the date and time, and the zone)."""
    local = timezone.localtime(PairAssessment.objects.get().scored_at)
    return f"{date_format(local, 'DATETIME_FORMAT')} WITA"


@pytest.mark.dates
def test_the_stale_message_names_the_other_scorer_and_the_local_time(
    scorer_client, open_round, actors, clock
):
    other = make_user(
        "penilai_sigi_2",
        role=Role.SCORER,
        regions=[open_round.region],
        first_name="Rina",
        last_name="Lamba",
    )
    pair_assessment_save(
        round=open_round, actor_a=actors[0], actor_b=actors[1], level=3, user=other
    )
    html = scorer_client.post(
        pair_url(open_round, actors[0], actors[1]), {"level": "1", "version": "0"}, **HTMX
    ).content.decode()
    expected = f"Disimpan oleh Rina Lamba (penilai_sigi_2) pada {stored_moment()}"
    assert expected in html
    # The site's date (30 November in WITA), also when UTC is still on the 29th.
    assert f"pada {SITE_TODAY.day} Nov. {SITE_TODAY.year}," in html
    assert "Anda sendiri" not in html


@pytest.mark.dates
def test_the_stale_message_says_when_it_was_the_same_scorer_in_another_tab(
    scorer_client, scorer, open_round, actors, clock
):
    url = pair_url(open_round, actors[0], actors[1])
    # Two tabs read version 0; the first saves, the second is refused.
    scorer_client.post(url, {"level": "2", "version": "0"}, **HTMX)
    html = scorer_client.post(url, {"level": "4", "version": "0"}, **HTMX).content.decode()
    expected = f"Anda sendiri menyimpannya di tab atau perangkat lain pada {stored_moment()}"
    assert expected in html
    assert "Orang lain" not in html
    assert PairAssessment.objects.get().level == 2


def test_the_stale_message_of_a_deleted_scorer(open_round, actors, scorer):
    from assessments.services import StaleAssessment

    gone = make_user("mantan", role=Role.SCORER, regions=[open_round.region])
    pair_assessment_save(round=open_round, actor_a=actors[0], actor_b=actors[1], level=1, user=gone)
    gone.delete()
    with pytest.raises(StaleAssessment) as error:
        pair_assessment_save(
            round=open_round,
            actor_a=actors[0],
            actor_b=actors[1],
            level=2,
            user=scorer,
            expected_version=0,
        )
    assert "pengguna yang sudah tidak ada" in error.value.messages[0]


def test_government_level_is_part_of_the_scope(scorer_client, open_round, actors):
    html = scorer_client.get(
        matrix_url(open_round.region, f"government_level={GovernmentLevel.DISTRICT}")
    ).content.decode()
    scope = re.search(r'<div id="matrix-scope" hidden>(.*?)</div>', html)[1]
    assert f'name="government_level" value="{GovernmentLevel.DISTRICT}"' in scope


def test_a_save_with_the_count_issues_as_many_queries_for_a_large_matrix_as_a_small_one(
    scorer_client, open_round, district, health
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_a_save(actors):
        url = pair_url(open_round, actors[0], actors[1])
        scorer_client.get(url, **HTMX)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            response = scorer_client.post(
                url, {"level": "2", "version": "0", "matrix_scope": "1"}, **HTMX
            )
        assert response.status_code == 200
        assert "matrix-summary" in response.content.decode()
        return len(captured)

    few = ActorFactory.create_batch(3, sector=health, home_region=district)
    small = queries_for_a_save(few)
    many = ActorFactory.create_batch(30, sector=health, home_region=district)
    for index in range(2, 29, 2):
        score(open_round, many[index], many[index + 1], 1)
    assert queries_for_a_save(many) == small
