"""A round's roster: who may be on it, how it is edited, and a closed round whose figures
never change again, whatever happens to the actors later."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import load_workbook

from actors.models import GovernmentLevel, Sector
from assessments.models import AssessmentRound, RoundMember, RoundStatus
from assessments.rounds import (
    proposed_roster,
    roster_set,
    round_close,
    round_create,
    round_open,
    round_reopen,
)
from assessments.selectors import matrix_for_round, round_actors
from assessments.services import pair_assessment_save
from insights.selectors.network import network_for_round
from insights.selectors.structure import by_government_level, sector_matrix
from insights.selectors.trends import region_dashboard
from tests.factories import ActorFactory, ProgrammeFactory, RegionFactory, RoundFactory, score
from tests.security.conftest import api_client, page_client


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def provincial(province, health, planning):
    """The provincial offices that district rounds include."""
    return [
        ActorFactory(
            name="Dinas Kesehatan Provinsi Sulawesi Tengah",
            short_name="Dinkes Prov",
            sector=health,
            home_region=province,
            government_level=GovernmentLevel.PROVINCE,
            join_rounds=False,
        ),
        ActorFactory(
            name="Bappeda Provinsi Sulawesi Tengah",
            short_name="Bappeda Prov",
            sector=planning,
            home_region=province,
            government_level=GovernmentLevel.PROVINCE,
            join_rounds=False,
        ),
    ]


@pytest.fixture
def kecamatan(district):
    return RegionFactory(
        code="72.10.05",
        name="Sigi Biromaru",
        level=GovernmentLevel.SUBDISTRICT,
        parent=district,
    )


def names(round_) -> list[str]:
    return sorted(actor.name for actor in round_actors(round=round_))


# Who may be on a round ------------------------------------------------------------------


def test_a_district_round_takes_members_of_its_region_below_it_and_above_it(
    admin_user, district, kecamatan, actors, other_actors, provincial, health
):
    puskesmas = ActorFactory(
        name="Puskesmas Sigi Biromaru",
        sector=health,
        home_region=kecamatan,
        government_level=GovernmentLevel.SUBDISTRICT,
    )
    round_ = round_create(
        user=admin_user,
        region=district,
        name="Pemetaan lintas tingkat",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        members=[*actors[:2], puskesmas, *provincial],
    )
    assert names(round_) == sorted(
        [actors[0].name, actors[1].name, puskesmas.name, *(a.name for a in provincial)]
    )
    # Another district's actor is not: refused with a message, nothing changed.
    with pytest.raises(ValidationError) as refused:
        roster_set(user=admin_user, round=round_, actors=[*actors[:2], other_actors[0]])
    assert "Not homed in Kabupaten Sigi" in str(refused.value)
    assert len(names(round_)) == 5


def test_a_district_scorer_scores_pairs_with_the_provincial_offices(
    admin_user, scorer, district, actors, provincial
):
    round_ = round_create(
        user=admin_user,
        region=district,
        name="Pemetaan 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        members=[actors[0], *provincial],
        open_now=True,
    )
    saved = pair_assessment_save(
        round=round_, actor_a=actors[0], actor_b=provincial[0], level=3, user=scorer
    )
    assert saved.level == 3
    # ...but does not edit those actors: they lie outside the scorer's jurisdiction.
    response = api_client(scorer).patch(
        f"/api/v1/actors/{provincial[0].pk}/", {"name": "Diubah"}, format="json"
    )
    assert response.status_code in (403, 404)


def test_a_new_round_proposes_the_previous_roster(admin_user, district, actors, provincial):
    previous = RoundFactory(region=district, members=[actors[0], actors[1], provincial[0]])
    previous.status = RoundStatus.CLOSED
    previous.save()
    actors[1].is_active = False
    actors[1].save()
    assert proposed_roster(region=district) == [actors[0], provincial[0]]
    new = round_create(
        user=admin_user,
        region=district,
        name="Pemetaan 2027",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )
    assert names(new) == sorted([actors[0].name, provincial[0].name])


def test_the_roster_is_edited_while_open_and_keeps_scored_members(admin_user, open_round, actors):
    score(open_round, actors[0], actors[1], 2)
    with pytest.raises(ValidationError) as refused:
        roster_set(user=admin_user, round=open_round, actors=[actors[0], actors[2]])
    assert "Puskesmas Biromaru" in str(refused.value)
    roster_set(user=admin_user, round=open_round, actors=actors[:2])
    assert names(open_round) == sorted(a.name for a in actors[:2])


def test_only_an_admin_of_the_region_manages_its_rounds(scorer, other_district, open_round, actors):
    with pytest.raises(PermissionDenied):
        roster_set(user=scorer, round=open_round, actors=actors)
    with pytest.raises(PermissionDenied):
        round_create(
            user=scorer,
            region=open_round.region,
            name="X",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 2, 1),
        )


def test_one_open_round_per_region_and_programme(admin_user, open_round, district):
    draft = RoundFactory(region=district, status=RoundStatus.DRAFT, name="Draf")
    with pytest.raises(ValidationError) as refused:
        round_open(user=admin_user, round=draft)
    assert "is already open" in str(refused.value)
    round_close(user=admin_user, round=open_round)
    round_open(user=admin_user, round=draft)
    assert AssessmentRound.objects.get(pk=draft.pk).status == RoundStatus.OPEN


def test_a_round_falls_within_its_programme_s_period(admin_user, district):
    programme = ProgrammeFactory(
        region=district, period_start=date(2025, 1, 1), period_end=date(2026, 12, 31)
    )
    with pytest.raises(ValidationError) as refused:
        round_create(
            user=admin_user,
            region=district,
            name="Pemetaan 2027",
            period_start=date(2027, 1, 1),
            period_end=date(2027, 12, 31),
            programme=programme,
        )
    assert "within its programme" in str(refused.value)
    assert not AssessmentRound.objects.filter(name="Pemetaan 2027").exists()


def test_reopening_needs_a_reason_kept_in_history(admin_user, open_round):
    round_close(user=admin_user, round=open_round)
    with pytest.raises(ValidationError):
        round_reopen(user=admin_user, round=open_round, reason=" ")
    round_reopen(user=admin_user, round=open_round, reason="Data Puskesmas susulan")
    latest = AssessmentRound.history.filter(id=open_round.pk).latest()
    assert (latest.status, latest.history_change_reason) == ("open", "Data Puskesmas susulan")


def test_a_closed_round_s_roster_is_frozen(admin_user, open_round, actors):
    round_close(user=admin_user, round=open_round)
    with pytest.raises(ValidationError) as refused:
        roster_set(user=admin_user, round=open_round, actors=actors[:1])
    assert "frozen" in str(refused.value)
    assert RoundMember.objects.filter(round=open_round, frozen_at__isnull=True).count() == 0


def test_a_deactivated_actor_leaves_open_rounds_where_nobody_scored_it(
    admin_user, open_round, actors, district
):
    closed = RoundFactory(region=district, name="Pemetaan 2025", status=RoundStatus.OPEN)
    round_close(user=admin_user, round=closed)
    score(open_round, actors[0], actors[1], 2)
    for actor in (actors[1], actors[3]):
        actor.is_active = False
        actor.save()
    on_open = names(open_round)
    assert actors[1].name in on_open  # scored: stays
    assert actors[3].name not in on_open  # never scored: leaves
    assert actors[3].name in names(closed)  # a closed round keeps it


# A closed round's figures never change -------------------------------------------------


def figures(round_, client, reader):
    """Every figure a planner reads of the round, as plain values."""
    matrix = matrix_for_round(round=round_)
    summary = matrix.summary
    sectors = sector_matrix(round=round_)
    levels = by_government_level(round=round_)
    network = network_for_round(round=round_)
    dashboard = region_dashboard(
        region=round_.region, rounds=[round_], round=AssessmentRound.objects.get(pk=round_.pk)
    )
    api = api_client(reader).get(f"/api/v1/rounds/{round_.pk}/matrix/").json()
    planners_api = {
        view: api_client(reader)
        .get(f"/api/v1/regions/{round_.region.code}/{view}/?round={round_.pk}")
        .json()
        for view in ("dashboard", "sectors", "levels", "network")
    }
    assert all(data["round"]["id"] == round_.pk for data in planners_api.values())
    for item in planners_api["sectors"]["sectors"]:
        item.pop("name")  # a renamed sector is named as it is now; its figures hold
    report = client.get(f"/regions/{round_.region.code}/report.xlsx?round={round_.pk}")
    book = load_workbook(io.BytesIO(report.content), read_only=True)
    return {
        "actors": [
            (a.pk, a.name, a.sector_id, a.sector.is_health, a.government_level)
            for a in matrix.actors
        ],
        "summary": (summary.assessed, summary.possible, summary.counts, summary.mean),
        "sectors": {
            key: (cell.assessed, cell.possible, cell.mean) for key, cell in sectors.pairs.items()
        },
        "health": (
            sectors.health.overall.assessed,
            sectors.health.overall.possible,
            sectors.health.overall.mean,
        ),
        "levels": [(row.level, len(row.actors), row.summary.mean) for row in levels.rows],
        "network": (
            network.density,
            [(n.actor.pk, n.degree, n.betweenness) for n in network.nodes],
            [(n.actor.pk, n.brokerage) for n in network.brokers],
        ),
        "dashboard": (dashboard.current.actor_count, dashboard.current.summary.mean),
        "api": (api["assessed"], api["possible"], [a["name"] for a in api["actors"]]),
        "planners_api": planners_api,
        "xlsx": {
            name: [row for row in book[name].iter_rows(values_only=True)]
            for name in ("Matrix", "Pairs")
            if name in book.sheetnames
        },
    }


def test_a_closed_round_s_figures_never_change(
    admin_user, planner, district, actors, provincial, health, planning, education
):
    round_ = round_create(
        user=admin_user,
        region=district,
        name="Pemetaan Sigi 2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        members=[*actors, provincial[0]],
        open_now=True,
    )
    for (x, y), level in {(0, 1): 3, (0, 2): 2, (1, 3): 1, (2, 3): 0, (0, 4): 4}.items():
        members = [*actors, provincial[0]]
        pair_assessment_save(
            round=round_, actor_a=members[x], actor_b=members[y], level=level, user=admin_user
        )
    round_close(user=admin_user, round=round_)
    client = page_client(planner)
    before = figures(round_, client, planner)

    # A year of change: a new actor, a rename, a move to another sector, a deactivation,
    # a renamed sector that is no longer marked health, and a new round.
    ActorFactory(name="Dinas Sosial Kabupaten Sigi", sector=education, home_region=district)
    actors[0].name = "Dinas Kesehatan Daerah Kabupaten Sigi"
    actors[0].save()
    actors[2].sector = education
    actors[2].save()
    actors[3].is_active = False
    actors[3].save()
    Sector.objects.filter(pk=health.pk).update(name_id="Kesehatan Masyarakat", is_health=False)
    round_create(
        user=admin_user,
        region=district,
        name="Pemetaan Sigi 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        open_now=True,
    )

    assert figures(round_, client, planner) == before
    assert before["actors"][0][1] == "Dinas Kesehatan Kabupaten Sigi"  # as it was


def test_as_of_reads_the_roster_as_it_stood(admin_user, district, health):
    import time_machine

    from assessments.selectors import end_of_day

    with time_machine.travel("2026-03-01 10:00 +0000", tick=False):
        first = [
            ActorFactory(name=name, sector=health, home_region=district)
            for name in ("Dinas Kesehatan Kabupaten Sigi", "Puskesmas Biromaru")
        ]
        round_ = RoundFactory(region=district, members=first)
    with time_machine.travel("2026-06-01 10:00 +0000", tick=False):
        later = ActorFactory(name="Bappeda Kabupaten Sigi", sector=health, home_region=district)
        roster_set(user=admin_user, round=round_, actors=[*first, later])
        first[0].name = "Dinas Kesehatan Daerah Kabupaten Sigi"
        first[0].save()

    def names_on(day):
        return sorted(a.name for a in round_actors(round=round_, as_of=end_of_day(day)))

    assert names_on(date(2026, 4, 1)) == ["Dinas Kesehatan Kabupaten Sigi", "Puskesmas Biromaru"]
    assert names_on(date(2026, 7, 1)) == [
        "Bappeda Kabupaten Sigi",
        "Dinas Kesehatan Daerah Kabupaten Sigi",
        "Puskesmas Biromaru",
    ]


def test_the_admin_edits_the_roster_through_the_same_rules(
    admin_user, open_round, actors, provincial
):
    score(open_round, actors[0], actors[1], 2)
    client = page_client(admin_user)
    url = f"/admin/assessments/assessmentround/{open_round.pk}/change/"
    form = {
        "name": open_round.name,
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "status": "open",
    }
    # Dropping a scored member is refused on the page, with the rule's message.
    response = client.post(url, {**form, "members": [actors[0].pk]})
    assert response.status_code == 200
    assert "Puskesmas Biromaru" in response.content.decode()
    assert len(names(open_round)) == 4
    # Adding the provincial office and dropping an unscored member is saved.
    keep = [actors[0].pk, actors[1].pk, actors[2].pk, provincial[0].pk]
    assert client.post(url, {**form, "members": keep}).status_code == 302
    assert provincial[0].name in names(open_round) and actors[3].name not in names(open_round)


def test_a_new_empty_round_does_not_replace_last_year_s_figures(
    admin_user, planner, scorer, district, actors
):
    """Planners land on the latest round with something scored; scorers on the open one."""
    last_year = RoundFactory(region=district, name="Pemetaan 2025", period_start=date(2025, 1, 1))
    score(last_year, actors[0], actors[1], 3)
    round_close(user=admin_user, round=last_year)
    round_create(
        user=admin_user,
        region=district,
        name="Pemetaan 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        open_now=True,
    )
    planners_page = page_client(planner).get("/regions/72.10/").content.decode()
    assert f'<option value="{last_year.pk}" selected' in planners_page
    scorers_page = page_client(scorer).get("/regions/72.10/matrix/").content.decode()
    new = AssessmentRound.objects.get(name="Pemetaan 2026")
    assert f'<option value="{new.pk}" selected' in scorers_page
