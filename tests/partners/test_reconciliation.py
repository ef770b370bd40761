"""The scorer reconciles a pair from both partners' views: the official level is set through
the scoring service, and the decision is kept with both views, who decided, when and why."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import PairAssessment, RoundMember, RoundStatus, RoundSummary
from partners.models import Reconciliation
from partners.selectors import pair_views, views_version
from partners.services import StaleViews, answer_save, reconcile
from tests.factories import score
from tests.partners.conftest import snapshot as partner_snapshot
from tests.partners.test_pair_views import level_answer


def snapshot():
    tables = partner_snapshot()
    for model in (Reconciliation, Reconciliation.history.model):
        fields = [field.attname for field in model._meta.concrete_fields]
        tables[model._meta.db_table] = sorted(model.objects.values_list(*fields), key=repr)
    return tables


@pytest.fixture
def disagreement(links, actors, open_round):
    """Dinkes says 4 about Puskesmas Biromaru, Biromaru says 1 (with a note)."""
    (inv_a, _), (inv_b, _) = links[0], links[1]
    inv_a.respondent_name = "Ibu Rahma"
    inv_a.save()
    answer_save(
        invitation=inv_a,
        other_actor=actors[1],
        answers={**level_answer(4), "note": "SK tim percepatan bersama"},
    )
    answer_save(invitation=inv_b, other_actor=actors[0], answers=level_answer(1))
    return pair_views(open_round, actors[0].pk, actors[1].pk)


def decide(open_round, actors, user, **overrides):
    views = pair_views(open_round, actors[0].pk, actors[1].pk)
    arguments = {
        "round": open_round,
        "actor_a": actors[1],
        "actor_b": actors[0],
        "level": 2,
        "reason": "Rapat bersama dua kali; SK belum ada.",
        "user": user,
        "views_version": views_version(views),
    }
    return reconcile(**(arguments | overrides))


def test_a_reconciliation_sets_the_official_level_and_keeps_both_views(
    disagreement, actors, open_round, scorer
):
    score(open_round, actors[0], actors[1], 0, note="Catatan penilai")
    record = decide(open_round, actors, scorer)
    first, second = sorted(actors[:2], key=lambda actor: actor.pk)
    pair = PairAssessment.objects.get(round=open_round, actor_a=first, actor_b=second)
    assert (pair.level, pair.scored_by, pair.note) == (2, scorer, "Catatan penilai")
    assert record.actor_a == first and record.actor_b == second
    assert (record.level, record.previous_level, record.proposed_level) == (2, 0, 1)
    assert record.decided_by == scorer and record.assessment_version == pair.version
    by_author = {first.pk: record.a_view, second.pk: record.b_view}
    dinkes, biromaru = by_author[actors[0].pk], by_author[actors[1].pk]
    assert (dinkes["level"], dinkes["evidence"], dinkes["respondent"]) == (
        4,
        [True, True, True, True],
        "Ibu Rahma",
    )
    assert dinkes["note"] == "SK tim percepatan bersama"
    assert (biromaru["level"], biromaru["evidence"]) == (1, [True, False, False, False])
    # The assessment's own history says why it changed.
    latest = pair.history.order_by("-history_date", "-history_id").first()
    assert latest.level == 2
    assert latest.history_change_reason == "Rapat bersama dua kali; SK belum ada."
    # The round's count table follows (the scoring service's rules applied).
    summary = RoundSummary.objects.get(round=open_round)
    assert (summary.assessed, summary.level_0, summary.level_2) == (1, 0, 1)


def test_a_pair_not_yet_scored_is_scored_by_the_reconciliation(
    disagreement, actors, open_round, scorer
):
    record = decide(open_round, actors, scorer, level=1)
    assert record.previous_level is None
    assert PairAssessment.objects.get(round=open_round).level == 1


def test_evidence_that_still_supports_the_level_is_kept(disagreement, actors, open_round, scorer):
    score(
        open_round,
        actors[0],
        actors[1],
        2,
        shares_information=True,
        joint_activities=True,
        shared_roles_and_resources=False,
    )
    decide(open_round, actors, scorer, level=2)
    pair = PairAssessment.objects.get(round=open_round)
    assert (pair.shares_information, pair.joint_activities) == (True, True)
    decide(open_round, actors, scorer, level=3)  # the answers no longer support it
    pair.refresh_from_db()
    assert pair.level == 3 and pair.shares_information is None
    assert Reconciliation.objects.count() == 2


def refused(callable_, *, expected=ValidationError):
    before = snapshot()
    with pytest.raises(expected) as caught:
        callable_()
    assert snapshot() == before
    return caught.value


def test_refusals_write_nothing(
    disagreement, links, actors, open_round, scorer, other_scorer, planner, viewer
):
    score(open_round, actors[0], actors[1], 3)
    for user in (other_scorer, planner, viewer):
        refused(lambda user=user: decide(open_round, actors, user), expected=PermissionDenied)
    error = refused(lambda: decide(open_round, actors, scorer, reason="   \n "))
    assert "reason" in error.message_dict and "alasan" in error.message_dict["reason"][0]
    for level in (5, -1, "2", None, True):
        error = refused(lambda level=level: decide(open_round, actors, scorer, level=level))
        assert "level" in error.message_dict
    error = refused(lambda: decide(open_round, actors, scorer, reason="Rapat\x00"))
    assert "reason" in error.message_dict
    # The views changed since the panel was opened.
    version = views_version(pair_views(open_round, actors[0].pk, actors[1].pk))
    answer_save(invitation=links[1][0], other_actor=actors[0], answers=level_answer(2))
    error = refused(
        lambda: decide(open_round, actors, scorer, views_version=version), expected=StaleViews
    )
    assert "mengubah jawabannya" in error.messages[0]
    # A pair with no partner view has nothing to reconcile.
    error = refused(lambda: decide(open_round, [actors[2], actors[3]], scorer))
    assert error.code == "no_views"
    # A member taken off the roster.
    RoundMember.objects.filter(round=open_round, actor=actors[1]).delete()
    error = refused(lambda: decide(open_round, actors, scorer, views_version="none"))
    assert "Puskesmas Biromaru" in error.messages[0]


def test_a_closed_round_is_not_reconciled(disagreement, actors, open_round, scorer):
    views = views_version(disagreement)
    open_round.status = RoundStatus.CLOSED
    open_round.save()
    error = refused(lambda: decide(open_round, actors, scorer, views_version=views))
    assert "ditutup" in error.messages[0]


def test_the_official_level_changed_since_is_refused(disagreement, actors, open_round, scorer):
    score(open_round, actors[0], actors[1], 3)
    refused(lambda: decide(open_round, actors, scorer, expected_version=0))


# The pair panel --------------------------------------------------------------------------


def pair_url(open_round, actors, *rest):
    first, second = sorted((actors[0].pk, actors[1].pk))
    return f"/rounds/{open_round.pk}/pairs/{first}-{second}/" + "".join(f"{r}/" for r in rest)


def form_values(html):
    import re

    return {
        f"reconcile-{name}": re.search(rf'name="reconcile-{name}" value="([^"]*)"', html)[1]
        for name in ("views_version", "version")
    }


def decision(values, level, reason):
    return {**values, "reconcile-level": str(level), "reconcile-reason": reason}


def test_the_panel_reconciles_and_its_history_shows_the_decision(
    disagreement, actors, open_round, scorer_client
):
    html = scorer_client.get(pair_url(open_round, actors)).content.decode()
    block = html[html.index('class="partner-views"') :]
    assert 'class="reconcile-form"' in block
    # The proposed level is chosen.
    assert 'value="1" id="id_reconcile-level_1" required checked' in block
    assert "Cara tingkat diusulkan: yang lebih rendah" in block  # the rule, shown
    values = form_values(block)
    response = scorer_client.post(
        pair_url(open_round, actors, "reconcile"),
        decision(values, 3, "Ada SK bersama, dilihat di kantor."),
    )
    assert response.status_code == 302 and response["Location"] == pair_url(open_round, actors)
    html = scorer_client.get(pair_url(open_round, actors)).content.decode()
    history = html[html.index('class="pair-history"') :]
    assert "Ada SK bersama, dilihat di kantor." in history
    assert "penilai_sigi" in history
    item = history[history.index('class="reconciliation"') :]
    assert "Dinas Kesehatan Kabupaten Sigi tentang Puskesmas Biromaru" in item
    assert '<span class="swatch l4">4</span>' in item and '<span class="swatch l1">1</span>' in item
    assert "SK tim percepatan bersama" in item and "Ibu Rahma" in item
    assert PairAssessment.objects.get(round=open_round).level == 3


def test_the_panel_refuses_with_a_message_and_writes_nothing(
    links, disagreement, actors, open_round, scorer_client, other_scorer_client, viewer_client
):
    html = scorer_client.get(pair_url(open_round, actors)).content.decode()
    values = form_values(html)
    url = pair_url(open_round, actors, "reconcile")
    before = snapshot()
    response = scorer_client.post(url, decision(values, 3, ""))
    assert response.status_code == 400
    assert "Sebutkan mengapa" in response.content.decode()
    response = scorer_client.post(url, decision(values, 7, "Rapat"))
    assert response.status_code == 400
    # As the pair panel: another district's scorer and a viewer are refused.
    assert other_scorer_client.post(url, decision(values, 3, "x")).status_code == 403
    assert viewer_client.post(url, decision(values, 3, "x")).status_code == 403
    assert snapshot() == before
    answer_save(invitation=links[0][0], other_actor=actors[1], answers=level_answer(3))
    before = snapshot()
    response = scorer_client.post(url, decision(values, 3, "Rapat"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 400 and "mengubah jawabannya" in html
    assert snapshot() == before
    # The form now carries the views as they stand: deciding again is accepted.
    assert form_values(html)["reconcile-views_version"] != values["reconcile-views_version"]
    response = scorer_client.post(url, decision(form_values(html), 3, "Rapat"))
    assert response.status_code == 302
    assert Reconciliation.objects.get().a_level is not None


def test_the_admin_reads_reconciliations_in_its_jurisdiction_only(
    disagreement, actors, open_round, scorer, admin_client_, other_district
):
    from django.test import Client

    from accounts.models import Role
    from tests.factories import make_user

    record = decide(open_round, actors, scorer)
    listing = admin_client_.get("/admin/partners/reconciliation/")
    assert listing.status_code == 200 and "Puskesmas Biromaru" in listing.content.decode()
    detail = admin_client_.get(f"/admin/partners/reconciliation/{record.pk}/change/")
    assert detail.status_code == 200 and "Rapat bersama dua kali" in detail.content.decode()
    assert admin_client_.get("/admin/partners/reconciliation/add/").status_code == 403
    before = snapshot()
    admin_client_.post(f"/admin/partners/reconciliation/{record.pk}/delete/", {"post": "yes"})
    assert snapshot() == before
    palu = Client()
    palu.force_login(
        make_user("admin_palu", role=Role.ADMIN, regions=[other_district], is_staff=True)
    )
    listing = palu.get("/admin/partners/reconciliation/")
    assert listing.status_code == 200 and "Puskesmas Biromaru" not in listing.content.decode()
    assert palu.get(f"/admin/partners/reconciliation/{record.pk}/change/").status_code in (302, 404)


def test_a_reconciliation_shows_at_once_on_the_cached_matrix(
    disagreement, actors, open_round, scorer, scorer_client
):
    """The matrix's official view is cached per state of the round; a reconciliation moves
    the state on (through the scoring service)."""
    import re

    score(open_round, actors[0], actors[1], 0)
    url = f"/regions/{open_round.region.code}/matrix/"
    first, second = sorted(actors[:2], key=lambda actor: actor.pk)
    cell = re.compile(rf'<td id="c{first.pk}-{second.pk}" class="(\w+)">')
    assert cell.search(scorer_client.get(url).content.decode())[1] == "l0"
    assert cell.search(scorer_client.get(url).content.decode())[1] == "l0"  # from the cache
    decide(open_round, actors, scorer)
    assert cell.search(scorer_client.get(url).content.decode())[1] == "l2"
