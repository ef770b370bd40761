"""Convergence by government level, in the form of Kim et al. (2017), Table 2."""

import re

import pytest
from django.conf import settings

from actors.models import GovernmentLevel, ParticipantRole, ProgrammeParticipant
from assessments.models import Level
from insights.selectors.structure import by_government_level
from tests.factories import ActorFactory, ProgrammeFactory, RoundFactory, score

D, K, V = GovernmentLevel.DISTRICT, GovernmentLevel.SUBDISTRICT, GovernmentLevel.VILLAGE


def levels_url(region, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/levels/" + (f"?{query}" if query else "")


def get_in_english(client, url):
    """English wording (the language switch's cookie; the header for Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def row_html(html, level):
    match = re.search(rf'<tr id="level-{level.value}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for {level.label}"
    return match.group(1)


@pytest.fixture
def world(open_round, actors, district, health, planning):
    """Sigi's four actors at district level (A Dinkes, B Puskesmas Biromaru, C Bappeda,
    D Disdik), two at kecamatan (K1, K2) and one at desa (V1). Scored pairs:

        pair    level  mechanisms                           facilitating   hindering
        A–C     3      joint planning meeting, data sharing regulation     budget
        A–D     1      data sharing                         -              sectoral ego, budget
        C–D     2      data sharing, review meeting         -              -
        A–B     4      review meeting, joint supervision    regulation,    -
                                                            leadership
        B–D     4      -                                    -              -
        A–K1    4      pooled budget   (across two levels: in no row)
        K1–K2   1      data sharing

    District row: levels 3, 1, 2, 4, 4 → sorted 1 2 3 4 4 → median 3 (mean 2.8); 5 of
    4·3/2 = 6 pairs. Mechanisms: data sharing 3, review meeting 2, then the ties at 1 in
    the vocabulary's order: joint planning meeting, joint supervision. Facilitating:
    regulation 2, leadership 1. Hindering: budget 2, sectoral ego 1.
    Kecamatan row: K1–K2 1 → median 1, 1 of 1 pair. Desa: one actor, no pair.
    """
    a, b, c, d = actors
    k1 = ActorFactory(
        name="Puskesmas Kecamatan Dolo", sector=health, home_region=district, government_level=K
    )
    k2 = ActorFactory(
        name="Kantor Camat Dolo", sector=planning, home_region=district, government_level=K
    )
    v1 = ActorFactory(
        name="Pemerintah Desa Kotarindau",
        sector=planning,
        home_region=district,
        government_level=V,
    )
    score(
        open_round,
        a,
        c,
        3,
        mechanisms=["joint_planning_meeting", "data_sharing"],
        facilitating_factors=["regulation"],
        hindering_factors=["budget_constraints"],
    )
    score(
        open_round,
        a,
        d,
        1,
        mechanisms=["data_sharing"],
        hindering_factors=["sectoral_ego", "budget_constraints"],
    )
    score(open_round, c, d, 2, mechanisms=["data_sharing", "review_meeting"])
    score(
        open_round,
        a,
        b,
        4,
        mechanisms=["review_meeting", "joint_supervision"],
        facilitating_factors=["leadership_commitment", "regulation"],
    )
    score(open_round, b, d, 4)
    score(open_round, a, k1, 4, mechanisms=["pooled_budget"])
    score(open_round, k1, k2, 1, mechanisms=["data_sharing"])
    return {"round": open_round, "actors": (a, b, c, d, k1, k2, v1)}


@pytest.fixture
def programme(world, district):
    """Participants: A lead, C implementer, K1 implementer (B, D, K2 and V1 take no part)."""
    a, b, c, d, k1, k2, v1 = world["actors"]
    programme = ProgrammeFactory(region=district, lead_actor=a, name="Stunting Sigi")
    for actor, role in ((a, "lead"), (c, "implementer"), (k1, "implementer")):
        ProgrammeParticipant.objects.create(
            programme=programme, actor=actor, role=role, stages=["planning"]
        )
    return programme


def counts(tallies):
    return [(item.value, item.count) for item in tallies]


def test_one_row_per_government_level_with_median_and_counts(world):
    table = by_government_level(round=world["round"])
    assert [row.level for row in table.rows] == list(GovernmentLevel)
    national, province, district, subdistrict, village = table.rows

    assert len(district.actors) == 4
    assert district.median == 3.0 and district.median_level == Level.COLLABORATION
    assert district.summary.mean == pytest.approx(14 / 5)
    assert (district.summary.assessed, district.summary.possible) == (5, 6)
    assert counts(district.mechanisms) == [
        ("data_sharing", 3),
        ("review_meeting", 2),
        ("joint_planning_meeting", 1),
        ("joint_supervision", 1),
    ]
    assert counts(district.facilitating_factors) == [
        ("regulation", 2),
        ("leadership_commitment", 1),
    ]
    assert counts(district.hindering_factors) == [("budget_constraints", 2), ("sectoral_ego", 1)]
    assert district.roles == []  # no programme: no roles

    assert subdistrict.median == 1.0 and (
        subdistrict.summary.assessed,
        subdistrict.summary.possible,
    ) == (1, 1)
    assert counts(subdistrict.mechanisms) == [("data_sharing", 1)]
    # The cross-level pair A–K1 belongs to no row: its "pooled budget" is nowhere.
    assert all("pooled_budget" not in [item.value for item in row.mechanisms] for row in table.rows)

    assert len(village.actors) == 1 and village.median is None
    assert village.summary.possible == 0
    assert national.actors == [] and province.actors == []


def test_an_even_number_of_pairs_has_a_median_between_levels(open_round, actors):
    # Levels 1 and 2 → median (1 + 2) / 2 = 1.5, which is no single level.
    score(open_round, actors[0], actors[1], 1)
    score(open_round, actors[0], actors[2], 2)
    district = by_government_level(round=open_round).rows[GovernmentLevel.DISTRICT]
    assert district.median == 1.5 and district.median_level is None


def test_a_programme_narrows_the_table_to_its_participants_with_roles(world, programme):
    a, b, c, d, k1, k2, v1 = world["actors"]
    table = by_government_level(round=world["round"], programme=programme)
    district = table.rows[GovernmentLevel.DISTRICT]
    # A and C only: the one pair A–C 3, its two mechanisms tied at 1 in vocabulary order.
    assert [(item.actor, item.role) for item in district.actors] == [
        (a, ParticipantRole.LEAD),
        (c, ParticipantRole.IMPLEMENTER),
    ]
    assert counts(district.roles) == [("lead", 1), ("implementer", 1)]
    assert district.median == 3.0 and district.summary.possible == 1
    assert counts(district.mechanisms) == [("joint_planning_meeting", 1), ("data_sharing", 1)]
    subdistrict = table.rows[GovernmentLevel.SUBDISTRICT]
    assert [item.actor for item in subdistrict.actors] == [k1]
    assert subdistrict.median is None and subdistrict.mechanisms == []
    assert table.rows[GovernmentLevel.VILLAGE].actors == []


def test_the_page_shows_the_table(viewer_client, world):
    html = get_in_english(viewer_client, levels_url(world["round"].region)).content.decode()
    district = row_html(html, GovernmentLevel.DISTRICT)
    assert '<span class="swatch l3">3</span> Collaboration' in district
    assert "5 of 6 pairs assessed" in district
    assert re.findall(r"<li>([^<]+) <span class=\"count\">\((\d+)\)</span></li>", district) == [
        ("Data sharing", "3"),
        ("Review meeting", "2"),
        ("Joint planning meeting", "1"),
        ("Joint supervision", "1"),
        ("A regulation or decree that assigns roles", "2"),
        ("Commitment of the regional leadership", "1"),
        ("Budget limited or not aligned", "2"),
        ("Sectoral ego, working in silos", "1"),
    ]
    assert "Dinas Pendidikan Kabupaten Sigi" in district
    assert "No actor at this level" in row_html(html, GovernmentLevel.NATIONAL)
    # Without a programme, the region's programmes are offered.
    assert "has no programme yet" in html


def test_the_page_in_indonesian_by_default(viewer_client, world):
    html = viewer_client.get(levels_url(world["round"].region)).content.decode()
    assert "5 dari 6 pasangan dinilai" in row_html(html, GovernmentLevel.DISTRICT)
    assert "Kolaborasi" in row_html(html, GovernmentLevel.DISTRICT)


def test_the_page_offers_the_programmes_and_shows_roles(viewer_client, world, programme):
    region = world["round"].region
    html = get_in_english(viewer_client, levels_url(region)).content.decode()
    assert f'<option value="{programme.pk}">Stunting Sigi</option>' in html
    assert f'href="/programmes/{programme.pk}/who-how/"' in html

    html = get_in_english(
        viewer_client, levels_url(region, programme=programme.pk)
    ).content.decode()
    district = row_html(html, GovernmentLevel.DISTRICT)
    assert "Main roles: Lead (1), Implementer (1)" in district
    assert 'Dinas Kesehatan Kabupaten Sigi — <span class="role">Lead</span>' in district
    assert "Dinas Pendidikan" not in district  # not a participant


def test_a_programme_of_another_region_is_refused_with_a_message(
    viewer_client, world, other_district
):
    elsewhere = ProgrammeFactory(region=other_district, name="Program Palu")
    response = get_in_english(
        viewer_client, levels_url(world["round"].region, programme=elsewhere.pk)
    )
    assert response.status_code == 404
    html = response.content.decode()
    assert f"There is no programme “{elsewhere.pk}” in this region" in html
    assert "Program Palu" not in html


def test_an_unknown_programme_is_refused_with_a_message(viewer_client, world):
    response = get_in_english(viewer_client, levels_url(world["round"].region, programme="x1"))
    assert response.status_code == 404
    assert "There is no programme “x1” in this region" in response.content.decode()


def test_a_programme_without_participants_in_the_round_says_so(viewer_client, world, district):
    empty = ProgrammeFactory(region=district, name="Program Baru")
    html = get_in_english(viewer_client, levels_url(district, programme=empty.pk)).content.decode()
    assert "No participant of this programme is among the actors of this round" in html


def test_a_round_of_another_region_is_404(viewer_client, world, other_round):
    response = viewer_client.get(levels_url(world["round"].region, round=other_round.pk))
    assert response.status_code == 404


def test_a_region_without_rounds_says_what_to_do(viewer_client, district):
    html = viewer_client.get(levels_url(district)).content.decode()
    assert "belum memiliki putaran penilaian" in html


def test_an_outsider_gets_403_and_nothing_of_the_region(other_scorer_client, world, programme):
    response = other_scorer_client.get(levels_url(world["round"].region, programme=programme.pk))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sigi" not in body and "Dinas Kesehatan" not in body


def test_anonymous_visitors_get_the_login_page(client, open_round):
    response = client.get(levels_url(open_round.region))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("count", [10, 60])
def test_the_page_issues_a_fixed_number_of_queries(
    django_assert_num_queries, viewer_client, open_round, district, health, count
):
    """The same number of queries for 10 and for 60 actors, with a programme."""
    actors = [
        ActorFactory(sector=health, home_region=district, government_level=(D, K, V)[index % 3])
        for index in range(count)
    ]
    programme = ProgrammeFactory(region=district, lead_actor=actors[0])
    for actor in actors:
        ProgrammeParticipant.objects.create(
            programme=programme, actor=actor, role="implementer", stages=["planning"]
        )
    for index in range(count - 3):
        score(open_round, actors[index], actors[index + 3], index % 5, mechanisms=["data_sharing"])
    url = levels_url(district, programme=programme.pk)
    viewer_client.get(url)  # warm the session
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes,
    # 7 the region's programmes, 8 actors with sectors, 9 levels of the round,
    # 10 mechanisms and factors of same-level pairs, 11 the participants' roles
    with django_assert_num_queries(11):
        response = viewer_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<li>Dinas Contoh") == count


def test_the_page_without_a_programme_has_one_query_less(
    django_assert_num_queries, viewer_client, world
):
    url = levels_url(world["round"].region)
    viewer_client.get(url)
    # as above, without the participants' roles
    with django_assert_num_queries(10):
        assert viewer_client.get(url).status_code == 200


def test_rounds_of_other_regions_do_not_leak_into_the_table(world, other_round, other_actors):
    score(other_round, other_actors[0], other_actors[1], 0, mechanisms=["pooled_budget"])
    district = by_government_level(round=world["round"]).rows[GovernmentLevel.DISTRICT]
    assert district.summary.assessed == 5
    assert "pooled_budget" not in [item.value for item in district.mechanisms]


def test_a_closed_round_is_readable(viewer_client, district, actors):
    from assessments.models import RoundStatus

    closed = RoundFactory(region=district, status=RoundStatus.CLOSED)
    score(closed, actors[0], actors[1], 2)
    html = viewer_client.get(levels_url(district, round=closed.pk)).content.decode()
    assert '<span class="swatch l2">2</span>' in row_html(html, GovernmentLevel.DISTRICT)
