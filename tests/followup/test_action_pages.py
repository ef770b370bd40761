"""The region's follow-up action pages: list and filters, create from a gap, edit, refusals."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from followup.models import ActionStatus, FollowUpAction
from followup.services import action_create
from tests.conftest import SITE_TODAY
from tests.factories import score
from tests.followup.conftest import snapshot

pytestmark = pytest.mark.django_db


def new_url(region, **query):
    url = reverse("followup:new", args=[region.code])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def form_data(values, **changes):
    """``values`` as the create form posts them."""
    data = {
        "actor_a": values["actor_a"].pk,
        "actor_b": values["actor_b"].pk,
        "target_level": values["target_level"],
        "mechanism": values["mechanism"],
        "owner": values["owner"].pk,
        "involved": [actor.pk for actor in values["involved"]],
        "aksi": values["aksi"],
        "due_date": values["due_date"].isoformat(),
        "status": "planned",
        "notes": values["notes"],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_opens_prefilled_from_a_gap_pair(planner_client, district, open_round, actors):
    dinkes, _, bappeda, _ = actors
    response = planner_client.get(
        new_url(district, actor_a=dinkes.pk, actor_b=bappeda.pk, round=open_round.pk, target=4)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["actor_a"] == dinkes.pk
    assert form.initial["actor_b"] == bappeda.pk
    assert form.initial["target_level"] == 4
    html = response.content.decode()
    assert f'<option value="{dinkes.pk}" selected>' in html
    assert f'<option value="{bappeda.pk}" selected>' in html


def test_a_planner_creates_an_action_from_a_gap_pair(
    planner_client, planner, district, open_round, actors, values
):
    dinkes, _, bappeda, _ = actors
    url = new_url(district, actor_a=dinkes.pk, actor_b=bappeda.pk, round=open_round.pk)
    response = planner_client.post(url, form_data(values))
    action = FollowUpAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:edit", args=[district.code, action.pk])
    assert {action.actor_a, action.actor_b} == {dinkes, bappeda}
    assert action.round == open_round
    assert action.created_by == planner
    page = planner_client.get(response["Location"])
    assert "Dinas Kesehatan Kabupaten Sigi ↔ Bappeda Kabupaten Sigi" in page.content.decode()


def test_a_due_date_before_the_round_is_refused_in_indonesian(
    planner_client, district, open_round, values
):
    before = snapshot()
    response = planner_client.post(
        new_url(district, round=open_round.pk), form_data(values, due_date="2025-12-01")
    )
    assert response.status_code == 400
    assert "Tenggat tidak boleh sebelum awal putaran" in response.content.decode()
    assert snapshot() == before


def test_an_owner_outside_the_roster_is_refused(
    planner_client, district, open_round, values, outsider
):
    before = snapshot()
    response = planner_client.post(
        new_url(district, round=open_round.pk), form_data(values, owner=outsider.pk)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["owner"]
    assert snapshot() == before


def test_viewers_read_the_list_but_may_not_create(viewer_client, district, open_round, values):
    before = snapshot()
    assert viewer_client.get(reverse("followup:list", args=[district.code])).status_code == 200
    assert viewer_client.get(new_url(district)).status_code == 403
    response = viewer_client.post(new_url(district, round=open_round.pk), form_data(values))
    assert response.status_code == 403
    assert snapshot() == before


def test_another_districts_scorer_is_refused_everywhere(
    other_scorer_client, admin_user, district, other_district, open_round, values
):
    action = action_create(user=admin_user, round=open_round, **values)
    before = snapshot()
    sigi_urls = [
        reverse("followup:list", args=[district.code]),
        new_url(district),
        reverse("followup:edit", args=[district.code, action.pk]),
    ]
    for url in sigi_urls:
        assert other_scorer_client.get(url).status_code == 403, url
    response = other_scorer_client.post(new_url(district, round=open_round.pk), form_data(values))
    assert response.status_code == 403
    response = other_scorer_client.post(
        reverse("followup:edit", args=[district.code, action.pk]), {"status": "done"}
    )
    assert response.status_code == 403
    # Through the scorer's own district, the Sigi action does not exist.
    palu_edit = reverse("followup:edit", args=[other_district.code, action.pk])
    assert other_scorer_client.get(palu_edit).status_code == 404
    assert other_scorer_client.post(palu_edit, {"status": "done"}).status_code == 404
    palu_delete = reverse("followup:delete", args=[other_district.code, action.pk])
    assert other_scorer_client.post(palu_delete).status_code == 404
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_log_in(client, district):
    response = client.get(reverse("followup:list", args=[district.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_scorer_changes_the_status_and_the_history_shows_it(
    scorer_client, admin_user, district, open_round, values
):
    action = action_create(user=admin_user, round=open_round, **values)
    url = reverse("followup:edit", args=[district.code, action.pk])
    data = form_data(values, status="done")
    for name in ("actor_a", "actor_b"):
        del data[name]
    response = scorer_client.post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    page = scorer_client.get(url).content.decode()
    assert "penilai_sigi" in page  # who changed it
    assert "Selesai" in page  # the status it was changed to


def test_only_admins_delete_and_the_trace_stays(
    planner_client, admin_client_, admin_user, district, open_round, values
):
    action = action_create(user=admin_user, round=open_round, **values)
    url = reverse("followup:delete", args=[district.code, action.pk])
    assert planner_client.post(url).status_code == 403
    assert FollowUpAction.objects.filter(pk=action.pk).exists()
    assert admin_client_.post(url).status_code == 302
    assert not FollowUpAction.objects.filter(pk=action.pk).exists()
    assert FollowUpAction.history.filter(id=action.pk, history_type="-").count() == 1


@pytest.fixture
def listed(admin_user, open_round, actors, values):
    """Four actions of Sigi: one due yesterday (overdue), one due today (not yet), one
    done long ago (never overdue), one in progress next year owned by Dinkes."""
    dinkes, _, bappeda, _ = actors

    def make(name, **changes):
        action = action_create(user=admin_user, round=open_round, **{**values, **changes})
        FollowUpAction.objects.filter(pk=action.pk).update(notes=name)
        return name

    return [
        make("kemarin", due_date=SITE_TODAY - timedelta(days=1)),
        make("hari-ini", due_date=SITE_TODAY, aksi=5),
        make("selesai", due_date=date(2026, 1, 10), status=ActionStatus.DONE),
        make("tahun-depan", due_date=date(2027, 2, 1), status="in_progress", owner=dinkes),
    ]


def listed_names(client, district, query=""):
    response = client.get(reverse("followup:list", args=[district.code]) + query)
    assert response.status_code == 200
    return [row["action"].notes for row in response.context["rows"]]


@pytest.mark.dates
def test_overdue_is_judged_on_the_site_date(viewer_client, district, listed, clock):
    # Due before today in WITA and not done: at 23:30 UTC on the 29th it is already the
    # 30th in Sulawesi, so the action due on the 29th is overdue.
    assert listed_names(viewer_client, district, "?overdue=on") == ["kemarin"]
    page = viewer_client.get(reverse("followup:list", args=[district.code])).content.decode()
    assert page.count('class="overdue-mark"') == 1


def test_the_list_filters_by_status_owner_and_aksi(viewer_client, district, listed, actors):
    dinkes = actors[0]
    assert listed_names(viewer_client, district) == [
        "selesai",
        "kemarin",
        "hari-ini",
        "tahun-depan",
    ]
    assert listed_names(viewer_client, district, "?status=done") == ["selesai"]
    assert listed_names(viewer_client, district, f"?owner={dinkes.pk}") == ["tahun-depan"]
    assert listed_names(viewer_client, district, "?aksi=5") == ["hari-ini"]
    assert listed_names(viewer_client, district, "?status=planned&aksi=3") == ["kemarin"]


def test_a_bad_filter_is_a_400_not_a_500(viewer_client, district, listed):
    response = viewer_client.get(reverse("followup:list", args=[district.code]) + "?aksi=99")
    assert response.status_code == 400


def test_another_districts_actions_are_not_listed(
    scorer_client, admin_user, district, other_round, other_actors, listed
):
    palu_dinkes, palu_bappeda = other_actors
    action_create(
        user=admin_user,
        round=other_round,
        actor_a=palu_dinkes,
        target_level=2,
        mechanism="data_sharing",
        owner=palu_bappeda,
        aksi=1,
        due_date=date(2026, 12, 1),
    )
    assert len(listed_names(scorer_client, district)) == 4


def test_the_actor_pages_gap_list_links_to_a_prefilled_form(
    planner_client, viewer_client, district, open_round, actors
):
    dinkes, _, bappeda, _ = actors
    score(open_round, dinkes, bappeda, 1)
    page_url = reverse("insights:actor", args=[district.code, dinkes.pk])
    page = planner_client.get(page_url, {"round": open_round.pk}).content.decode()
    link = (
        f"{new_url(district)}?round={open_round.pk}&amp;actor_a={dinkes.pk}"
        f"&amp;actor_b={bappeda.pk}&amp;target=3"
    )
    assert link in page
    assert "Buat RTL" in page
    # Viewers read the map but do not plan: no link.
    assert "Buat RTL" not in viewer_client.get(page_url, {"round": open_round.pk}).content.decode()
    # The link opens the form with the pair and the target chosen.
    form = planner_client.get(link.replace("&amp;", "&")).context["form"]
    assert (form.initial["actor_a"], form.initial["actor_b"]) == (dinkes.pk, bappeda.pk)
    assert form.initial["target_level"] == 3


def test_the_list_costs_the_same_queries_for_one_action_or_many(
    viewer_client, admin_user, district, open_round, values, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("followup:list", args=[district.code])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert viewer_client.get(url).status_code == 200
        return len(captured)

    action_create(user=admin_user, round=open_round, **values)
    one = queries()
    for _ in range(5):
        action_create(user=admin_user, round=open_round, **values)
    # Session, user, roles and jurisdictions, region, owners, actions with their actors
    # (one query), their involved actors (one), the mechanisms' labels (one).
    assert queries() == one
    with django_assert_max_num_queries(15):
        viewer_client.get(url)
