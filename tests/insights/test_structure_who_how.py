"""The who × how matrix of a programme: actors × the five stages, and levels with the lead."""

import re
from datetime import date

import pytest
from django.conf import settings

from actors.models import ParticipantRole, ProgrammeParticipant, ProgrammeStage
from assessments.models import Level, RoundStatus
from insights.selectors.structure import default_round_for_programme, who_how_matrix
from tests.factories import ActorFactory, ProgrammeFactory, RoundFactory, score

LEAD, IMPLEMENTER, DATA = (
    ParticipantRole.LEAD,
    ParticipantRole.IMPLEMENTER,
    ParticipantRole.DATA_PROVIDER,
)


def who_how_url(programme, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/programmes/{programme.pk}/who-how/" + (f"?{query}" if query else "")


def get_in_english(client, url):
    """English wording (the language switch's cookie; the header for Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def participate(programme, actor, role, stages):
    return ProgrammeParticipant.objects.create(
        programme=programme, actor=actor, role=role, stages=stages
    )


@pytest.fixture
def programme(district, actors, open_round):
    """Bappeda leads. Stages (P planning, B budgeting, I implementation, M monitoring,
    C control) and levels with Bappeda in the open round:

        actor       role           P  B  I  M  C   with the lead
        Bappeda     lead           x  x            (the lead)
        Dinkes      implementer    x     x  x      3
        Puskesmas   implementer                    0  (covers no stage)
        Disdik      data provider           x      not assessed

    No one covers control. Levels with the lead: 3 and 0 of 3 pairs → mean 1.5, highest 3.
    """
    dinkes, puskesmas, bappeda, disdik = actors
    programme = ProgrammeFactory(region=district, lead_actor=bappeda, name="Stunting Sigi 2026")
    participate(programme, bappeda, LEAD, ["planning", "budgeting"])
    participate(programme, dinkes, IMPLEMENTER, ["planning", "implementation", "monitoring"])
    participate(programme, puskesmas, IMPLEMENTER, [])
    participate(programme, disdik, DATA, ["monitoring"])
    score(open_round, dinkes, bappeda, 3)
    score(open_round, puskesmas, bappeda, 0)
    score(open_round, dinkes, disdik, 4)  # not with the lead: not shown
    return programme


def test_cells_are_the_roles_in_each_stage(programme, open_round, actors):
    dinkes, puskesmas, bappeda, disdik = actors
    matrix = who_how_matrix(programme=programme, round=open_round)

    assert [column.stage for column in matrix.stages] == list(ProgrammeStage)
    # The lead first, then by sector (health first) and name.
    assert [row.actor for row in matrix.rows] == [bappeda, dinkes, puskesmas, disdik]
    assert [row.cells for row in matrix.rows] == [
        [LEAD, LEAD, None, None, None],
        [IMPLEMENTER, None, IMPLEMENTER, IMPLEMENTER, None],
        [None, None, None, None, None],
        [None, None, None, DATA, None],
    ]
    assert [column.actor_count for column in matrix.stages] == [2, 1, 1, 2, 0]


def test_levels_with_the_lead_keep_none_apart_from_not_assessed(programme, open_round, actors):
    matrix = who_how_matrix(programme=programme, round=open_round)
    assert [(row.is_lead, row.level_with_lead) for row in matrix.rows] == [
        (True, None),
        (False, Level.COLLABORATION),
        (False, Level.NONE),
        (False, None),
    ]
    assert (matrix.with_lead.assessed, matrix.with_lead.possible) == (2, 3)
    assert matrix.with_lead.mean == 1.5 and matrix.with_lead.highest == 3


def test_uncovered_stages_and_stageless_actors(programme, open_round, actors):
    matrix = who_how_matrix(programme=programme, round=open_round)
    assert matrix.uncovered_stages == [ProgrammeStage.CONTROL]
    assert matrix.stageless_actors == [actors[1]]


def test_without_a_round_there_are_roles_but_no_levels(programme):
    matrix = who_how_matrix(programme=programme, round=None)
    assert len(matrix.rows) == 4 and matrix.with_lead is None
    assert all(row.level_with_lead is None for row in matrix.rows)


def test_a_lead_that_is_not_a_participant_still_gets_levels(district, actors, open_round):
    dinkes, puskesmas, bappeda, disdik = actors
    programme = ProgrammeFactory(region=district, lead_actor=bappeda)
    participate(programme, dinkes, IMPLEMENTER, ["implementation"])
    score(open_round, dinkes, bappeda, 2)
    matrix = who_how_matrix(programme=programme, round=open_round)
    assert not matrix.lead_is_participant
    assert [(row.actor, row.level_with_lead) for row in matrix.rows] == [
        (dinkes, Level.COORDINATION)
    ]


def test_the_page_marks_gaps_and_levels(viewer_client, programme, actors):
    response = get_in_english(viewer_client, who_how_url(programme))
    assert response.status_code == 200
    html = response.content.decode()
    heads = re.findall(r'<th scope="col" class="stage( uncovered)?">', html)
    assert heads == ["", "", "", "", " uncovered"]
    assert 'Control / evaluation (pengendalian)<span class="flag">no actor</span>' in html
    # Each actor's name links to its page.
    rows = re.findall(r"<tr( class=\"\w+\")?>\s*<th scope=\"row\"><a href=\"[^\"]+\">([^<]+)", html)
    assert rows == [
        (' class="lead"', "Bappeda Kabupaten Sigi"),
        ("", "Dinas Kesehatan Kabupaten Sigi"),
        (' class="stageless"', "Puskesmas Biromaru"),
        ("", "Dinas Pendidikan Kabupaten Sigi"),
    ]
    assert '<td class="with-lead l3">3 Collaboration</td>' in html
    assert '<td class="with-lead l0">0 None</td>' in html
    assert '<td class="with-lead na">· Not assessed</td>' in html
    assert html.count('<td class="role role-implementer">Implementer</td>') == 3
    assert "Stages no actor takes part in: <strong>Control / evaluation" in html
    assert "Actors that take part in no stage: <strong>Puskesmas Biromaru</strong>" in html


def test_the_page_is_in_indonesian_by_default(viewer_client, programme):
    html = viewer_client.get(who_how_url(programme)).content.decode()
    assert '<td class="role role-lead">Koordinator utama</td>' in html
    assert '<td class="with-lead l3">3 Kolaborasi</td>' in html


def test_the_programmes_latest_round_is_the_default(
    viewer_client, programme, open_round, district, actors
):
    dinkes, puskesmas, bappeda, disdik = actors
    own = RoundFactory(
        region=district,
        programme=programme,
        name="Pemetaan program 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    score(own, dinkes, bappeda, 1)
    # The fixture's open round (2026, region-wide) is newer, but the programme has its own.
    html = viewer_client.get(who_how_url(programme)).content.decode()
    assert "Pemetaan program 2025</strong>" in html
    assert '<td class="with-lead l1">' in html
    # Any visible round of the region can be picked.
    html = viewer_client.get(who_how_url(programme, round=open_round.pk)).content.decode()
    assert '<td class="with-lead l3">' in html


def test_default_round_prefers_the_programme_then_the_region(programme, open_round, district):
    other = ProgrammeFactory(region=district)
    others_round = RoundFactory(region=district, programme=other, period_start=date(2026, 6, 1))
    rounds = [others_round, open_round]  # newest first
    assert default_round_for_programme(rounds=rounds, programme=programme) == open_round
    assert default_round_for_programme(rounds=[others_round], programme=programme) is None
    assert default_round_for_programme(rounds=rounds, programme=other) == others_round


def test_a_programme_without_participants_says_what_to_add(viewer_client, district, actors):
    empty = ProgrammeFactory(region=district, lead_actor=actors[2])
    html = get_in_english(viewer_client, who_how_url(empty)).content.decode()
    assert "This programme has no participants yet" in html


def test_a_programme_without_a_lead_says_so(viewer_client, district, actors, open_round):
    leaderless = ProgrammeFactory(region=district, lead_actor=None)
    participate(leaderless, actors[0], IMPLEMENTER, ["planning"])
    html = get_in_english(viewer_client, who_how_url(leaderless)).content.decode()
    assert "This programme has no lead actor" in html
    assert '<td class="with-lead muted">—</td>' in html


def test_a_region_without_rounds_still_shows_the_roles(viewer_client, district, actors):
    programme = ProgrammeFactory(region=district, lead_actor=actors[2])
    participate(programme, actors[0], IMPLEMENTER, ["planning"])
    html = get_in_english(viewer_client, who_how_url(programme)).content.decode()
    assert "This region has no assessment round yet" in html
    assert '<td class="role role-implementer">Implementer</td>' in html


def test_a_round_of_another_region_is_404(viewer_client, programme, other_round):
    assert viewer_client.get(who_how_url(programme, round=other_round.pk)).status_code == 404


def test_a_draft_round_is_hidden_from_readers(viewer_client, programme, district):
    draft = RoundFactory(region=district, status=RoundStatus.DRAFT)
    assert viewer_client.get(who_how_url(programme, round=draft.pk)).status_code == 404


def test_an_unknown_programme_is_404(viewer_client, district):
    assert viewer_client.get("/programmes/999999/who-how/").status_code == 404


def test_an_outsider_gets_403_and_nothing_of_the_programme(other_scorer_client, programme):
    response = other_scorer_client.get(who_how_url(programme))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Stunting Sigi" not in body and "Sigi" not in body and "Bappeda" not in body


def test_a_user_of_the_province_may_read(planner_client, programme):
    assert planner_client.get(who_how_url(programme)).status_code == 200


def test_anonymous_visitors_get_the_login_page(client, programme):
    response = client.get(who_how_url(programme))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_names_are_escaped(viewer_client, district, health, actors):
    odd = ActorFactory(name="<b>Aktor</b>", sector=health, home_region=district)
    programme = ProgrammeFactory(region=district, lead_actor=actors[2], name="<i>Program</i>")
    participate(programme, odd, IMPLEMENTER, ["planning"])
    html = viewer_client.get(who_how_url(programme)).content.decode()
    assert "<b>Aktor</b>" not in html and "&lt;b&gt;Aktor&lt;/b&gt;" in html
    assert "<i>Program</i>" not in html


@pytest.mark.parametrize("count", [10, 60])
def test_the_page_issues_a_fixed_number_of_queries(
    django_assert_num_queries, viewer_client, open_round, district, health, count
):
    """The same number of queries for 10 and for 60 participants."""
    actors = ActorFactory.create_batch(count, sector=health, home_region=district)
    lead = actors[0]
    programme = ProgrammeFactory(region=district, lead_actor=lead)
    for index, actor in enumerate(actors):
        participate(programme, actor, IMPLEMENTER, list(ProgrammeStage.values)[: index % 5])
        if index:
            score(open_round, lead, actor, index % 5)
    viewer_client.get(who_how_url(programme))  # warm the session
    # 1 session, 2 user, 3 programme with region and lead, 4 groups, 5 jurisdictions,
    # 6 rounds with programmes, 7 participants with actors and sectors, 8 actors of the
    # round, 9 levels of the round
    with django_assert_num_queries(9):
        response = viewer_client.get(who_how_url(programme))
    assert response.status_code == 200
    assert response.content.decode().count('">Dinas Contoh') == count
