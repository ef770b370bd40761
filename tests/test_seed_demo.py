"""The demo (``manage.py seed_demo``): Sulawesi Tengah with Sigi and Palu mapped across
government levels over two rounds, with enough recorded to show the analysis."""

from collections import Counter, defaultdict
from datetime import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from actors.models import Actor, GovernmentLevel, Programme, Region
from assessments.models import (
    AssessmentRound,
    PairAssessment,
    RoundStatus,
)
from assessments.selectors import matrix_for_round, round_actors
from assessments.services import clean_pair_values
from demo.levels import MAIN_ROLES
from followup.models import FollowUpAction
from insights.selectors.structure import by_government_level
from partners.models import InvitationStatus, Reconciliation
from partners.selectors import (
    disagreements_for_round,
    invitations_for_round,
    pair_views_with_official,
)

P, D, S, V = (
    GovernmentLevel.PROVINCE,
    GovernmentLevel.DISTRICT,
    GovernmentLevel.SUBDISTRICT,
    GovernmentLevel.VILLAGE,
)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def every_row() -> dict[str, int]:
    """Rows per table of the domain apps, history included."""
    return {
        model._meta.db_table: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("actors", "assessments", "accounts", "partners", "followup")
    }


def sigi_rounds() -> tuple[AssessmentRound, AssessmentRound]:
    rounds = AssessmentRound.objects.filter(region__code="72.10")
    return rounds.get(status=RoundStatus.CLOSED), rounds.get(status=RoundStatus.OPEN)


def pairs_by_levels(round_) -> dict[tuple[int, int], list[PairAssessment]]:
    """The round's scored pairs by the government levels of their two members."""
    level_of = {actor.pk: actor.government_level for actor in round_actors(round=round_)}
    grouped = defaultdict(list)
    for pair in round_.assessments.all():
        levels = sorted((level_of[pair.actor_a_id], level_of[pair.actor_b_id]))
        grouped[tuple(levels)].append(pair)
    return grouped


def most_common(pairs, field, count=3) -> list[str]:
    return [
        value
        for value, _n in Counter(v for p in pairs for v in getattr(p, field)).most_common(count)
    ]


def share(pairs, has) -> float:
    return sum(1 for pair in pairs if has(pair)) / len(pairs)


def action_fingerprint() -> set[tuple]:
    """The demo's follow-up actions by names, not ids."""
    return set(
        FollowUpAction.objects.values_list(
            "round__name",
            "actor_a__name",
            "actor_b__name",
            "sector_a__code",
            "sector_b__code",
            "owner__name",
            "target_level",
            "status",
            "due_date",
            "aksi",
            "mechanism",
        )
    )


def fingerprint() -> set[tuple]:
    """The demo's rounds and pairs by names, not ids."""
    return {
        tuple(tuple(value) if isinstance(value, list) else value for value in row)
        for row in PairAssessment.objects.values_list(
            "round__name",
            "actor_a__name",
            "actor_b__name",
            "level",
            "mechanisms",
            "facilitating_factors",
            "hindering_factors",
            "note",
        )
    }


@pytest.mark.django_db
def test_sigi_and_palu_are_mapped_across_government_levels():
    seed()

    assert Region.objects.get(code="72").name == "Sulawesi Tengah"
    assert Region.objects.filter(level=D).count() == 13
    # Real Kemendagri codes of kecamatan and villages.
    assert Region.objects.get(code="72.10.01").name == "Sigi Biromaru"
    assert Region.objects.get(code="72.71.08").name == "Mantikulore"
    assert Region.objects.get(code="72.10.01.2003").name == "Bora"
    # Every actor is at its home region's government level.
    for actor in Actor.objects.select_related("home_region"):
        actor.full_clean()
        assert actor.government_level == actor.home_region.level, actor

    for code in ("72.10", "72.71"):
        closed, open_ = (
            AssessmentRound.objects.filter(region__code=code).get(status=status)
            for status in (RoundStatus.CLOSED, RoundStatus.OPEN)
        )
        assert Programme.objects.get(region__code=code).participants.count() >= 20
        for round_ in (closed, open_):
            members = round_actors(round=round_)
            by_level = defaultdict(list)
            for actor in members:
                by_level[actor.government_level].append(actor)
            # The provincial offices, homed in the province.
            assert {a.short_name for a in by_level[P]} == {
                "Dinkes Prov",
                "Bappeda Prov",
                "DP3A Prov",
            }
            assert all(a.home_region.code == "72" for a in by_level[P])
            assert len(by_level[D]) >= 25
            # Each Puskesmas homed in its kecamatan.
            puskesmas = [a for a in by_level[S] if a.short_name.startswith("PKM ")]
            assert len(puskesmas) == 8
            assert all(a.home_region.level == S for a in puskesmas)
            assert by_level[V] and all(a.home_region.level == V for a in by_level[V])

    # The closed round was closed through the service: its roster is frozen, as it stood.
    closed, open_ = sigi_rounds()
    assert not closed.members.filter(frozen_at__isnull=True).exists()
    assert set(closed.members.values_list("government_level", flat=True)) == {P, D, S, V}
    assert not open_.members.filter(frozen_at__isnull=False).exists()
    # Villages added in 2026 are on the open round only.
    assert open_.members.count() > closed.members.count()

    # Its history is dated at its fieldwork, not when the demo was loaded: "as of" a date
    # reads the round as it stood then.
    moment = timezone.make_aware
    before, during, after = (
        matrix_for_round(round=closed, as_of=moment(datetime(2025, 1, 20))),
        matrix_for_round(round=closed, as_of=moment(datetime(2025, 4, 1))),
        matrix_for_round(round=closed, as_of=moment(datetime(2025, 8, 1))),
    )
    members = closed.members.count()
    assert len(before.actors) == len(during.actors) == len(after.actors) == members
    assert not before.levels  # opened, nothing scored yet
    assert len(during.levels) == len(after.levels) == closed.assessments.count()

    # The partners' own views in Sigi's open round: invitations in every state, pairs where
    # the two sides disagree, and the official levels untouched by them.
    summary = invitations_for_round(open_)
    by_short = {row.actor.short_name: row for row in summary.rows}
    assert {row.status for row in summary.rows} == set(InvitationStatus.values)
    assert by_short["Bappeda"].status == InvitationStatus.ANSWERED
    assert by_short["Bappeda"].invitation.submitted_at is not None
    assert by_short["DP2KB"].status == InvitationStatus.PARTLY
    assert by_short["Dinsos"].status == InvitationStatus.WAITING
    assert by_short["Disdukcapil"].status == InvitationStatus.EXPIRED
    assert by_short["Diskominfo"].status == InvitationStatus.REVOKED
    assert by_short["RSUD"].status == InvitationStatus.NOT_SENT
    disagreements = {
        frozenset((row.actor_a.short_name, row.actor_b.short_name))
        for row in disagreements_for_round(open_)
    }
    assert disagreements == {frozenset(("Bappeda", "DPMD")), frozenset(("Bappeda", "DP2KB"))}
    # Two pairs reconciled by Sigi's scorer, with the official level set through the
    # scoring service; the other disagreement is left to reconcile.
    reconciled = {
        frozenset((record.actor_a.short_name, record.actor_b.short_name)): record
        for record in Reconciliation.objects.filter(round=open_).select_related(
            "actor_a", "actor_b", "decided_by"
        )
    }
    assert set(reconciled) == {frozenset(("Bappeda", "DPMD")), frozenset(("DPMD", "Disdikbud"))}
    decided = reconciled[frozenset(("Bappeda", "DPMD"))]
    assert {decided.a_level, decided.b_level} == {4, 1} and decided.proposed_level == 1
    assert decided.reason and decided.decided_by.username == "penilai_sigi"
    official_now = PairAssessment.objects.get(
        round=open_, actor_a=decided.actor_a, actor_b=decided.actor_b
    )
    assert official_now.level == decided.level == 2
    assert official_now.scored_by == decided.decided_by
    assert official_now.version == decided.assessment_version
    one_view = reconciled[frozenset(("DPMD", "Disdikbud"))]
    assert (one_view.a_view is None) != (one_view.b_view is None)  # DPMD's view only
    views = pair_views_with_official(open_)
    assert any(row.views.a_level == row.views.b_level is not None for row in views)
    assert any(
        row.views.a_view
        and row.views.a_view.dont_know
        or row.views.b_view
        and row.views.b_view.dont_know
        for row in views
    )


@pytest.mark.django_db
def test_the_pairs_carry_what_the_analysis_shows():
    seed()
    closed, open_ = sigi_rounds()
    for round_ in (closed, open_):
        pairs = list(round_.assessments.all())
        assert share(pairs, lambda p: p.mechanisms) >= 0.7
        assert share(pairs, lambda p: p.facilitating_factors or p.hindering_factors) >= 0.8
        assert share(pairs, lambda p: p.note) >= 0.4
        # Stored as the scoring rules store them: evidence consistent with the level.
        for pair in pairs[:100]:
            evidence = [getattr(pair, name) for name in ("shares_information", "joint_activities",
                        "shared_roles_and_resources", "formal_structure")]  # fmt: skip
            assert (
                clean_pair_values(
                    level=pair.level,
                    note=pair.note,
                    evidence=None if evidence == [None] * 4 else evidence,
                    mechanisms=pair.mechanisms,
                    facilitating_factors=pair.facilitating_factors,
                    hindering_factors=pair.hindering_factors,
                )["level"]
                == pair.level
            )

    # By government level (Kim et al. 2017, Table 2): every level has scored pairs, a
    # degree, mechanisms and factors.
    rows = {row.level: row for row in by_government_level(round=closed).rows}
    for level in (P, D, S, V):
        row = rows[level]
        assert row.summary.assessed > 0 and row.median is not None, level
        assert row.mechanisms, level
        assert row.facilitating_factors or row.hindering_factors, level
        assert row.main_role == MAIN_ROLES[level][0], level  # recorded for the round

    # Between levels too, and the ways of working differ by level as the field describes.
    grouped = pairs_by_levels(closed)
    for levels in ((P, D), (D, S), (S, V)):
        assert len(grouped[levels]) >= 10, levels
    assert {"review_meeting", "data_sharing"} & set(most_common(grouped[P, D], "mechanisms", 2))
    assert "joint_service_delivery" in most_common(grouped[S, V] + grouped[V, V], "mechanisms")
    assert "staff_turnover" in most_common(grouped[D, S] + grouped[S, S], "hindering_factors", 2)
    assert "budget_constraints" in most_common(grouped[V, V], "hindering_factors", 1)
    assert "regulation" in most_common(grouped[D, D], "facilitating_factors", 2)

    # From 2025 to 2026, like for like: most pairs hold, some improve, few decline.
    before = {(p.actor_a_id, p.actor_b_id): p.level for p in closed.assessments.all()}
    after = {(p.actor_a_id, p.actor_b_id): p.level for p in open_.assessments.all()}
    common = before.keys() & after.keys()
    improved = sum(after[pair] > before[pair] for pair in common)
    declined = sum(after[pair] < before[pair] for pair in common)
    assert len(common) >= 200
    assert len(common) - improved - declined >= 0.6 * len(common)
    assert improved > declined > 0
    assert after.keys() - before.keys()  # newly scored, beside the comparison


# Committed transactions: the database is emptied (flush) half-way, as a new one would be.
@pytest.mark.django_db(transaction=True)
def test_the_demo_runs_again_unchanged_and_is_the_same_everywhere():
    first_output = seed()
    rows, pairs, actions = every_row(), fingerprint(), action_fingerprint()
    second_output = seed()
    assert every_row() == rows
    assert fingerprint() == pairs
    assert action_fingerprint() == actions

    # Every run prints fresh credentials that work, one user per role.
    for role in Role.values:
        assert f"  {role}" in first_output
    line = next(row for row in second_output.splitlines() if row.strip().startswith("scorer"))
    _role, username, password = line.split()[:3]
    assert get_user_model().objects.get(username=username).check_password(password)
    assert password not in first_output

    # On an emptied database, with other ids, the same demo. flush also empties what the
    # migrations seeded (the vocabularies): a new database has them, so they go back first.
    call_command("flush", interactive=False)
    import importlib

    from actors.models import VocabularyTerm

    importlib.import_module("actors.migrations.0006_seed_vocabularies").seed_terms(VocabularyTerm)
    seed()
    assert fingerprint() == pairs
    assert action_fingerprint() == actions
