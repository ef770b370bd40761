"""The sector × sector matrix and the health ↔ non-health summary (insights:sectors)."""

import re

import pytest
from django.conf import settings

from actors.models import GovernmentLevel
from assessments.models import RoundStatus
from insights.selectors.structure import sector_matrix
from tests.factories import ActorFactory, RoundFactory, score


def sectors_url(region, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/sectors/" + (f"?{query}" if query else "")


def get_in_english(client, url):
    """English wording (the language switch's cookie; the header for Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def scored(open_round, actors, education, district, other_round, other_actors):
    """Five actors of Sigi, scored as below; "·" is not assessed.

    H1 Dinkes and H2 Puskesmas (health), P Bappeda (planning), E1 Disdik and E2 SD Negeri
    (education):

            H1  H2  P   E1  E2
        H1  -   3   2   1   ·
        H2      -   4   ·   ·
        P           -   0   ·
        E1              -   2
        E2                  -

    A pair of Palu, scored 4 in Palu's round, must not count anywhere.
    """
    e2 = ActorFactory(
        name="SD Negeri 1 Sigi Biromaru", short_name="SDN 1", sector=education, home_region=district
    )
    h1, h2, p, e1 = actors
    score(open_round, h1, h2, 3)
    score(open_round, h1, p, 2)
    score(open_round, h2, p, 4)
    score(open_round, h1, e1, 1)
    score(open_round, p, e1, 0)
    score(open_round, e1, e2, 2)
    score(other_round, other_actors[0], other_actors[1], 4)
    return open_round


def test_sector_means_highest_and_coverage(scored, health, planning, education):
    matrix = sector_matrix(round=scored)

    assert [sector.code for sector in matrix.sectors] == ["health", "planning", "education"]
    assert matrix.actor_counts == {health.pk: 2, planning.pk: 1, education.pk: 2}

    def cell(a, b):
        summary = matrix.between(a.pk, b.pk)
        return summary.mean, summary.highest, summary.assessed, summary.possible

    # health × health: the one pair H1–H2 = 3; possible 2·1/2 = 1.
    assert cell(health, health) == (3.0, 3, 1, 1)
    # health × planning: H1–P 2, H2–P 4 → mean 6/2 = 3.0, highest 4; possible 2·1 = 2.
    assert cell(health, planning) == (3.0, 4, 2, 2)
    assert cell(planning, health) == (3.0, 4, 2, 2)
    # health × education: only H1–E1 1 of 2·2 = 4 pairs.
    assert cell(health, education) == (1.0, 1, 1, 4)
    # planning × education: P–E1 scored 0 (none, not "not assessed") of 1·2 = 2 pairs.
    assert cell(planning, education) == (0.0, 0, 1, 2)
    # education × education: E1–E2 2 of 2·1/2 = 1.
    assert cell(education, education) == (2.0, 2, 1, 1)
    # planning × planning: one actor, no pair possible, nothing assessed.
    assert cell(planning, planning) == (None, None, 0, 0)
    assert matrix.between(health.pk, education.pk).coverage == 0.25


def test_health_and_non_health_summary(scored, planning, education):
    health = sector_matrix(round=scored).health

    # Pairs of one health actor (H1, H2) and one other (P, E1, E2): 2·3 = 6 possible;
    # assessed H1–P 2, H2–P 4, H1–E1 1 → 3 pairs, mean 7/3, highest 4, coverage 3/6.
    assert (health.health_actor_count, health.non_health_actor_count) == (2, 3)
    assert health.overall.assessed == 3 and health.overall.possible == 6
    assert health.overall.mean == pytest.approx(7 / 3)
    assert health.overall.highest == 4
    assert health.overall.coverage == 0.5
    # Per non-health sector: planning 2 of 2·1 (mean 3.0, highest 4), education 1 of 2·2.
    rows = [
        (link.sector.code, link.summary.mean, link.summary.highest, link.summary.assessed)
        for link in health.by_sector
    ]
    assert rows == [("planning", 3.0, 4, 2), ("education", 1.0, 1, 1)]
    assert [link.summary.possible for link in health.by_sector] == [2, 4]


def test_the_page_shows_the_cells_in_the_users_language(viewer_client, scored):
    html = viewer_client.get(sectors_url(scored.region)).content.decode()
    # Indonesian decimals by default; "0" is a level (coloured l0), not "not assessed".
    assert '<td class="l3"><b>3,0</b><small>maks 4 · 2/2</small></td>' in html
    assert '<td class="l0"><b>0,0</b><small>maks 0 · 1/2</small></td>' in html
    assert '<td class="no-pairs">—</td>' in html
    heads = re.findall(r'<th scope="col" class="sector-col">([^<]+)</th>', html)
    assert heads == ["Kesehatan", "Perencanaan", "Pendidikan"]
    # 3 sectors: 3 × 3 cells.
    assert html.count("<td class=") - html.count('<td class="num') == 9


def test_the_page_shows_the_health_summary(viewer_client, scored):
    html = get_in_english(viewer_client, sectors_url(scored.region)).content.decode()
    assert "Health ↔ non-health" in html
    overall = re.search(r'<tr class="total">(.*?)</tr>', html, re.S).group(1)
    assert "All non-health sectors" in overall
    assert re.findall(r'<td class="num">([^<]+)</td>', overall) == ["2.33", "4", "3/6", "50 %"]
    assert "<b>3.0</b>" in html  # English decimals


def test_no_health_actor_says_what_to_add(viewer_client, open_round, district, planning):
    ActorFactory(sector=planning, home_region=district)
    ActorFactory(sector=planning, home_region=district)
    html = get_in_english(viewer_client, sectors_url(district)).content.decode()
    assert "No actor of a health sector takes part in this round" in html


def test_a_round_without_actors_says_what_to_add(viewer_client, open_round, district):
    html = get_in_english(viewer_client, sectors_url(district)).content.decode()
    assert "This round has no actors yet" in html


def test_a_region_without_rounds_says_what_to_do(viewer_client, district):
    html = viewer_client.get(sectors_url(district)).content.decode()
    assert "belum memiliki putaran penilaian" in html


def test_another_round_can_be_picked(viewer_client, district, actors):
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
    score(new, actors[0], actors[1], 4)
    assert "<b>4,0</b>" in viewer_client.get(sectors_url(district)).content.decode()
    html = viewer_client.get(sectors_url(district, round=old.pk)).content.decode()
    assert "<b>1,0</b>" in html and "<b>4,0</b>" not in html


def test_a_round_of_another_region_is_404(viewer_client, open_round, other_round):
    response = viewer_client.get(sectors_url(open_round.region, round=other_round.pk))
    assert response.status_code == 404


def test_an_unknown_round_is_404(viewer_client, open_round):
    assert viewer_client.get(sectors_url(open_round.region, round="abc")).status_code == 404


def test_a_draft_round_is_hidden_from_readers(viewer_client, district, open_round):
    draft = RoundFactory(region=district, status=RoundStatus.DRAFT)
    assert viewer_client.get(sectors_url(district, round=draft.pk)).status_code == 404


def test_an_outsider_gets_403_and_nothing_of_the_region(other_scorer_client, scored):
    response = other_scorer_client.get(sectors_url(scored.region))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sigi" not in body and "Kesehatan" not in body and "Pemetaan" not in body


def test_anonymous_visitors_get_the_login_page(client, open_round):
    response = client.get(sectors_url(open_round.region))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_names_are_escaped(viewer_client, open_round, district):
    from tests.factories import SectorFactory

    odd = SectorFactory(name_id="<i>Sektor</i>", name_en="<i>Sector</i>")
    ActorFactory(sector=odd, home_region=district)
    html = viewer_client.get(sectors_url(district)).content.decode()
    assert "<i>Sektor</i>" not in html and "&lt;i&gt;Sektor&lt;/i&gt;" in html


@pytest.mark.parametrize("count", [10, 60])
def test_the_page_issues_a_fixed_number_of_queries(
    django_assert_num_queries, viewer_client, open_round, district, health, planning, count
):
    """The same number of queries for 10 and for 60 actors."""
    actors = [
        ActorFactory(
            sector=health if index % 2 else planning,
            home_region=district,
            government_level=GovernmentLevel.DISTRICT,
        )
        for index in range(count)
    ]
    for index in range(count - 1):
        score(open_round, actors[index], actors[index + 1], index % 5)
    viewer_client.get(sectors_url(district))  # warm the session
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes,
    # 7 the roster's rows (the round's summaries with its sectors, named by them and the
    # version read with the round, are cached by the first request: no actor built, no
    # levels read)
    with django_assert_num_queries(7):
        response = viewer_client.get(sectors_url(district))
    assert response.status_code == 200
    assert f"({count // 2} aktor)" in response.content.decode()


def test_the_cached_matrix_follows_new_scores(viewer_client, scored, actors, open_round):
    """The sector summaries are cached for the round's state: a new score shows at once,
    as the page built from nothing shows it."""
    from django.core.cache import cache

    def matrix(url):
        html = viewer_client.get(url).content.decode()
        return re.search(r'id="sector-matrix-title">.*?</main>', html, re.S)[0]

    url = sectors_url(scored.region)
    before = matrix(url)
    assert matrix(url) == before  # from the cache
    score(open_round, actors[1], actors[3], 4)  # H2–E1, not assessed until now
    after = matrix(url)
    assert after != before
    cache.clear()
    assert matrix(url) == after


def test_the_cached_matrix_follows_a_renamed_sector_and_a_moved_actor(
    viewer_client, scored, actors, open_round, education, planning
):
    """Neither a sector's new name nor an actor moved to another sector changes the
    round's version: both still show at once, as the page built from nothing shows them."""
    from django.core.cache import cache

    def matrix(url):
        html = viewer_client.get(url).content.decode()
        return re.search(r'id="sector-matrix-title">.*?</main>', html, re.S)[0]

    url = sectors_url(scored.region)
    matrix(url)
    education.name_id = "Pendidikan dan Kebudayaan"
    education.save()
    renamed = matrix(url)
    assert "Pendidikan dan Kebudayaan" in renamed
    actors[3].sector = planning  # E1 Disdik to planning
    actors[3].save()
    moved = matrix(url)
    assert moved != renamed
    cache.clear()
    assert matrix(url) == moved
