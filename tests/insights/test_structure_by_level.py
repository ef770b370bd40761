"""Convergence by government level, in the form of Kim et al. (2017), Table 2."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache

from actors.models import GovernmentLevel, ParticipantRole, ProgrammeParticipant
from assessments.models import Level, LevelRole
from insights.selectors.structure import by_government_level
from tests.factories import ActorFactory, ProgrammeFactory, RegionFactory, RoundFactory, score

D, K, V = GovernmentLevel.DISTRICT, GovernmentLevel.SUBDISTRICT, GovernmentLevel.VILLAGE


def levels_url(region, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/levels/" + (f"?{query}" if query else "")


def get_in_english(client, url):
    """English wording (the language switch's cookie; the header for Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def without_tokens(response):
    """The page without its CSRF tokens (masked anew in each response)."""
    return re.sub(r'(csrfmiddlewaretoken" value|csrf-token" content)="[^"]*"', "", response.text)


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
        A–K1    4      pooled budget   (district ↔ kecamatan: in no level's row)
        K1–K2   1      data sharing

    District row: levels 3, 1, 2, 4, 4 → sorted 1 2 3 4 4 → median 3 (mean 2.8); 5 of
    4·3/2 = 6 pairs. Mechanisms: data sharing 3, review meeting 2, then the ties at 1 in
    the vocabulary's order: joint planning meeting, joint supervision. Facilitating:
    regulation 2, leadership 1. Hindering: budget 2, sectoral ego 1.
    Kecamatan row: K1–K2 1 → median 1, 1 of 1 pair. Desa: one actor, no pair.
    District ↔ kecamatan: A–K1 4, 1 of 4·2 = 8 pairs, pooled budget 1.
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
    # The cross-level pair A–K1 belongs to no level's row, but to the link between them.
    assert all("pooled_budget" not in [item.value for item in row.mechanisms] for row in table.rows)
    link = table.link(D, K)
    assert (link.summary.assessed, link.summary.possible, link.median) == (1, 8, 4.0)
    assert counts(link.mechanisms) == [("pooled_budget", 1)]

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
    assert "Roles in the programme: Lead (1), Implementer (1)" in district
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
    cache.clear()  # a first view of this state of the round
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes,
    # 7 the region's programmes, 8 the roster's rows that name the round's state, 9 actors
    # with sectors, 10 levels of the round, 11 mechanisms and factors of the pairs, 12 the
    # vocabularies (their labels), 13 the participants' roles, 14 the levels' main roles.
    # The links between levels are computed from the same rows.
    with django_assert_num_queries(14):
        response = viewer_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<li>Dinas Contoh") == count
    # A repeat view reads none of the round's pairs: 9, 10 and 11 come from the cache.
    with django_assert_num_queries(11):
        repeat = viewer_client.get(url)
    assert without_tokens(repeat) == without_tokens(response)


def test_the_page_without_a_programme_has_one_query_less(
    django_assert_num_queries, viewer_client, world
):
    url = levels_url(world["round"].region)
    viewer_client.get(url)
    # as above (a repeat view), without the participants' roles
    with django_assert_num_queries(10):
        assert viewer_client.get(url).status_code == 200


def test_a_repeat_view_shows_every_change_at_once(viewer_client, world, programme):
    """The part read from the round's pairs is cached for the round's state; each write
    that changes the table shows on the next view, and nothing else does."""
    from actors.models import Actor
    from assessments.models import PairAssessment
    from assessments.summaries import refresh_round_summary

    round_, (a, _b, c, d, *_others) = world["round"], world["actors"]
    url = levels_url(round_.region, programme=programme.pk)

    def district_row():
        html = get_in_english(viewer_client, url).content.decode()
        return row_html(html, GovernmentLevel.DISTRICT)

    first = district_row()
    assert "1 of 1 pairs assessed" in first and "Data sharing" in first  # A–C only
    assert district_row() == first
    # A pair's mechanisms edited (every write path moves the round's version on).
    first, second = sorted([a, c], key=lambda actor: actor.pk)
    PairAssessment.objects.filter(round=round_, actor_a=first, actor_b=second).update(
        mechanisms=["pooled_budget"]
    )
    refresh_round_summary(round_.pk)
    row = district_row()
    assert "Pooled budget" in row and "Data sharing" not in row
    # An actor moved to another government level.
    Actor.objects.filter(pk=c.pk).update(government_level=K)
    html = get_in_english(viewer_client, url).content.decode()
    assert "Bappeda" not in row_html(html, GovernmentLevel.DISTRICT)
    assert "Bappeda" in row_html(html, GovernmentLevel.SUBDISTRICT)
    # A new participant, and a participant's new role.
    ProgrammeParticipant.objects.create(
        programme=programme, actor=d, role="implementer", stages=["planning"]
    )
    ProgrammeParticipant.objects.filter(programme=programme, actor=a).update(role="implementer")
    row = district_row()
    assert "Dinas Pendidikan" in row and "Roles in the programme: Implementer (2)" in row
    assert "1 of 1 pairs assessed" in row  # A–D
    # The main role of the level, recorded for the round.
    LevelRole.objects.create(round=round_, government_level=D, main_role="Memimpin rembuk")
    assert "Memimpin rembuk" in district_row()


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


# Between government levels -----------------------------------------------------------------

P = GovernmentLevel.PROVINCE


@pytest.fixture
def ladder(open_round, actors, province, district, health, planning):
    """A district round with two provincial offices (P1, P2), Sigi's four district actors
    (A–D), one kecamatan actor (K1) and one desa actor (V1). Scored pairs:

        pair    level  mechanisms                        facilitating           hindering
        P1–P2   2      joint planning meeting            -                      -
        P1–A    3      joint planning, review meeting    recognised leadership  different priorities
        P1–C    2      joint planning meeting            -                      little data sharing,
                                                                                different priorities
        P2–A    1      data sharing                      -                      -
        P2–B    0      -                                 -                      no accountability
        A–C     3      -                                 -                      -
        A–K1    4      joint supervision                 -                      -
        C–K1    2      -                                 -                      -
        K1–V1   3      village health day, home visits   shared motivation      heavy workload
        P1–K1   1      -                                 -                      -

    Province ↔ district: levels 3, 2, 1, 0 of 2·4 = 8 pairs → mean 1.5, median (1+2)/2 =
    1.5, one pair at each of 0, 1, 2, 3. Mechanisms: joint planning meeting 2, then review
    meeting and data sharing at 1 (in the list's order: review meeting first). Hindering:
    different priorities 2, then no accountability and little data sharing at 1 (in the
    list's order). District ↔ kecamatan: 4, 2 of 4·1 = 4 → median 3, mean 3. Kecamatan ↔
    desa: 3 of 1. Province ↔ kecamatan (levels further apart): 1 of 2. Province ↔ desa and
    district ↔ desa: none of 2 and of 4.
    """
    a, b, c, d = actors
    p1 = ActorFactory(name="Dinas Kesehatan Provinsi Sulawesi Tengah", home_region=province)
    p2 = ActorFactory(name="Bappeda Provinsi Sulawesi Tengah", home_region=province)
    kecamatan = RegionFactory(code="72.10.01", name="Dolo", level=K, parent=district)
    desa = RegionFactory(code="72.10.01.2001", name="Kotarindau", level=V, parent=kecamatan)
    k1 = ActorFactory(name="Puskesmas Dolo", sector=health, home_region=kecamatan)
    v1 = ActorFactory(name="Pemerintah Desa Kotarindau", sector=planning, home_region=desa)
    round_ = open_round
    score(round_, p1, p2, 2, mechanisms=["joint_planning_meeting"])
    score(
        round_,
        p1,
        a,
        3,
        mechanisms=["joint_planning_meeting", "review_meeting"],
        facilitating_factors=["recognised_leadership"],
        hindering_factors=["different_priorities"],
    )
    score(
        round_,
        p1,
        c,
        2,
        mechanisms=["joint_planning_meeting"],
        hindering_factors=["little_data_sharing", "different_priorities"],
    )
    score(round_, p2, a, 1, mechanisms=["data_sharing"])
    score(round_, p2, b, 0, hindering_factors=["no_accountability"])
    score(round_, a, c, 3)
    score(round_, a, k1, 4, mechanisms=["joint_supervision"])
    score(round_, c, k1, 2)
    score(
        round_,
        k1,
        v1,
        3,
        mechanisms=["village_health_nutrition_day", "joint_home_visits"],
        facilitating_factors=["shared_motivation"],
        hindering_factors=["heavy_workload"],
    )
    score(round_, p1, k1, 1)
    return {"round": round_, "actors": (p1, p2, a, b, c, d, k1, v1)}


def test_links_between_levels_with_hand_computed_figures(ladder):
    table = by_government_level(round=ladder["round"])
    assert [(link.upper, link.lower, link.adjacent) for link in table.links] == [
        (P, D, True),
        (P, K, False),
        (P, V, False),
        (D, K, True),
        (D, V, False),
        (K, V, True),
    ]

    province_district = table.link(P, D)
    assert (province_district.upper_actor_count, province_district.lower_actor_count) == (2, 4)
    summary = province_district.summary
    assert (summary.assessed, summary.possible) == (4, 8)
    assert summary.mean == pytest.approx(1.5) and province_district.median == 1.5
    assert province_district.median_level is None  # between two levels
    assert province_district.distribution == [(Level(n), 1) for n in range(4)] + [(Level(4), 0)]
    assert counts(province_district.mechanisms) == [
        ("joint_planning_meeting", 2),
        ("review_meeting", 1),
        ("data_sharing", 1),
    ]
    assert counts(province_district.facilitating_factors) == [("recognised_leadership", 1)]
    assert counts(province_district.hindering_factors) == [
        ("different_priorities", 2),
        ("no_accountability", 1),
        ("little_data_sharing", 1),
    ]

    district_kecamatan = table.link(D, K)
    assert (district_kecamatan.summary.assessed, district_kecamatan.summary.possible) == (2, 4)
    assert district_kecamatan.median == 3.0 and district_kecamatan.median_level == Level(3)
    assert district_kecamatan.summary.mean == pytest.approx(3.0)
    assert counts(district_kecamatan.mechanisms) == [("joint_supervision", 1)]

    kecamatan_desa = table.link(K, V)
    assert (kecamatan_desa.summary.assessed, kecamatan_desa.summary.possible) == (1, 1)
    assert counts(kecamatan_desa.mechanisms) == [
        ("village_health_nutrition_day", 1),
        ("joint_home_visits", 1),
    ]
    assert counts(kecamatan_desa.facilitating_factors) == [("shared_motivation", 1)]
    assert counts(kecamatan_desa.hindering_factors) == [("heavy_workload", 1)]

    assert (table.link(P, K).summary.assessed, table.link(P, K).summary.possible) == (1, 2)
    assert table.link(P, V).summary.assessed == 0 and table.link(P, V).summary.possible == 2
    assert table.link(D, V).median is None and table.link(D, V).summary.possible == 4

    # The levels' own rows count their own pairs only: P1–P2 in the province's row.
    province = table.rows[P]
    assert (province.summary.assessed, province.summary.possible, province.median) == (1, 1, 2)
    assert counts(province.mechanisms) == [("joint_planning_meeting", 1)]
    assert table.rows[D].summary.assessed == 1  # A–C


def test_the_table_reads_top_down_with_each_link_between_its_levels(ladder):
    table = by_government_level(round=ladder["round"])
    read = [(entry.upper, entry.lower) if entry.is_link else entry.level for entry in table.entries]
    assert read == [
        GovernmentLevel.NATIONAL,
        P,
        (P, D),
        D,
        (D, K),
        K,
        (K, V),
        V,
        (P, K),
        (P, V),
        (D, V),
    ]


def test_a_level_without_actors_is_skipped_by_the_links(open_round, actors, district):
    # No kecamatan actor: district ↔ desa is the link next to the district.
    kecamatan = RegionFactory(code="72.10.01", name="Dolo", level=K, parent=district)
    desa_region = RegionFactory(code="72.10.01.2001", name="Kotarindau", level=V, parent=kecamatan)
    desa = ActorFactory(name="Pemerintah Desa Kotarindau", home_region=desa_region)
    score(open_round, actors[0], desa, 2)
    table = by_government_level(round=open_round)
    assert [(link.upper, link.lower, link.adjacent) for link in table.links] == [(D, V, True)]
    assert table.link(D, V).summary.possible == 4


def test_the_page_shows_the_links_and_the_main_roles(viewer_client, ladder):
    round_ = ladder["round"]
    LevelRole.objects.create(
        round=round_, government_level=D, main_role="Merencanakan dan menganggarkan\nMelatih"
    )
    html = get_in_english(viewer_client, levels_url(round_.region)).content.decode()
    link = re.search(r'<tr id="link-1-2" class="level-link">(.*?)</tr>', html, re.S).group(1)
    assert "Province (provinsi) ↔ District / city (kabupaten/kota)" in link
    assert "1.5" in link and "(between two levels)" in link and "mean 1.5" in link
    assert "4 of 8 pairs assessed" in link
    assert re.findall(r"<li>([^<]+) <span class=\"count\">\((\d+)\)</span></li>", link) == [
        ("Joint planning meeting", "2"),
        ("Review meeting", "1"),
        ("Data sharing", "1"),
        ("Recognised leadership for coordination", "1"),
        ("Different priority actions between sectors", "2"),
        ("No accountability or feedback mechanism", "1"),
        ("Little data sharing", "1"),
    ]
    # The links read between their levels; those further apart under their own heading.
    order = [html.index(f'id="{anchor}"') for anchor in ("level-1", "link-1-2", "level-2")]
    assert order == sorted(order)
    assert html.index("Between levels further apart") < html.index('id="link-1-3"')
    district = row_html(html, D)
    assert "Merencanakan dan menganggarkan<br>Melatih" in district
    assert "Not recorded" in row_html(html, P)
    # A viewer reads the main roles but is offered no form to change them.
    assert 'name="main_role"' not in html


def test_the_page_in_indonesian_labels_the_links_and_terms(viewer_client, ladder):
    html = viewer_client.get(levels_url(ladder["round"].region)).content.decode()
    link = re.search(r'<tr id="link-3-4" class="level-link">(.*?)</tr>', html, re.S).group(1)
    assert "Kecamatan" in link and "Desa" in link
    assert "Hari kesehatan dan gizi desa bersama (Posyandu)" in link
    assert "Motivasi dan tujuan bersama" in link
    assert "Beban kerja berat" in link
