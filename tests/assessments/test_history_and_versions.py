"""No lost updates (a version read with the form), change history, the matrix as of a date."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.models import Role
from assessments.models import PairAssessment
from assessments.services import StaleAssessment, pair_assessment_save
from tests.conftest import SITE_TODAY
from tests.factories import make_user


def pair_url(round_, actor_x, actor_y):
    return f"/rounds/{round_.pk}/pairs/{actor_x.pk}-{actor_y.pk}/"


def save(round_, actors, user, level, **extra):
    return pair_assessment_save(
        round=round_, actor_a=actors[0], actor_b=actors[1], level=level, user=user, **extra
    )


def test_each_save_increments_the_version(open_round, actors, scorer):
    assert save(open_round, actors, scorer, 1, expected_version=0).version == 1
    assert save(open_round, actors, scorer, 2, expected_version=1).version == 2


def test_a_save_based_on_a_stale_version_is_refused_with_the_current_value(
    open_round, actors, scorer
):
    other = make_user("penilai_sigi_2", role=Role.SCORER, regions=[open_round.region])
    save(open_round, actors, scorer, 1, expected_version=0)
    save(open_round, actors, other, 3, expected_version=1)  # someone else saves first
    with pytest.raises(StaleAssessment) as error:
        save(open_round, actors, scorer, 2, expected_version=1)
    assert error.value.current.level == 3
    assert "penilai_sigi_2" in str(error.value)
    assert PairAssessment.objects.get().level == 3


def test_creating_a_pair_someone_else_just_created_is_refused(open_round, actors, scorer):
    save(open_round, actors, scorer, 4)
    with pytest.raises(StaleAssessment):
        save(open_round, actors, scorer, 1, expected_version=0)
    assert PairAssessment.objects.get().level == 4


def test_the_page_refuses_a_stale_form_and_shows_the_current_value(
    scorer_client, open_round, actors, scorer
):
    url = pair_url(open_round, actors[0], actors[1])
    form_html = scorer_client.get(url).content.decode()
    assert re.search(r'name="version" value="0"', form_html)
    other = make_user("penilai_sigi_2", role=Role.SCORER, regions=[open_round.region])
    save(open_round, actors, other, 3)

    response = scorer_client.post(url, {"level": "1", "version": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    html = response.content.decode()
    assert "penilai_sigi_2" in html and "Kolaborasi" in html
    assert re.search(
        r'name="version" value="1"', html
    )  # the next save, after review, is based on it
    assert PairAssessment.objects.get().level == 3
    # Having seen the current value, the scorer saves again and it is accepted.
    response = scorer_client.post(url, {"level": "1", "version": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert PairAssessment.objects.get().level == 1


def test_every_change_is_kept_with_who_and_when_and_shown_on_the_pair(
    scorer_client, open_round, actors
):
    url = pair_url(open_round, actors[0], actors[1])
    scorer_client.post(url, {"level": "1", "note": "data dibagikan", "version": "0"})
    scorer_client.post(url, {"level": "3", "note": "anggaran bersama", "version": "1"})
    pair = PairAssessment.objects.get()
    history = list(
        pair.history.order_by("history_date").values_list(
            "level", "note", "history_user__username", "history_type"
        )
    )
    assert history == [
        (1, "data dibagikan", "penilai_sigi", "+"),
        (3, "anggaran bersama", "penilai_sigi", "~"),
    ]
    html = scorer_client.get(url).content.decode()
    assert "pair-history" in html and "data dibagikan" in html and "anggaran bersama" in html


@pytest.mark.dates
def test_the_history_says_when_in_the_sites_time(scorer_client, open_round, actors):
    """Scored this morning in WITA, whatever the UTC date: the pair says 30 November."""
    url = pair_url(open_round, actors[0], actors[1])
    scorer_client.post(url, {"level": "2", "version": "0"})
    html = scorer_client.get(url).content.decode()
    stamp = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', html)
    assert stamp.group(1).startswith(f"{SITE_TODAY.isoformat()}T")
    assert stamp.group(1).endswith("+08:00")
    assert stamp.group(2).startswith("30-11-2026 ")
    assert "Terakhir dinilai oleh penilai_sigi, 30 Nov. 2026, " in html  # "last scored by"


def matrix_levels(client, actors, query=""):
    """The level classes in the first actor's row of Sigi's matrix."""
    html = client.get(f"/regions/72.10/matrix/?{query}").content.decode()
    row = re.search(rf'<tr[^>]*><th class="row-head"[^>]*title="{actors[0].name}">.*?</tr>', html)
    return re.findall(r'<td class="(\w+)"', row.group(0))


@pytest.mark.dates
def test_a_pair_scored_this_morning_is_in_todays_matrix_not_yesterdays(
    viewer_client, open_round, actors, scorer
):
    """ "As of" a date reads to the end of that day in WITA: at 23:30 UTC on 29 November it
    is already the 30th in Sigi, so the pair belongs to the 30th, not to the 29th."""
    save(open_round, actors, scorer, 3)
    assert timezone.localdate() == SITE_TODAY
    assert "l3" in matrix_levels(viewer_client, actors, "as_of=2026-11-30")
    assert "l3" not in matrix_levels(viewer_client, actors, "as_of=2026-11-29")


@pytest.mark.dates
def test_the_matrix_as_of_a_date_shows_the_levels_of_then(
    viewer_client, open_round, actors, scorer
):
    pair = save(open_round, actors, scorer, 1)
    record = pair.history.get()
    record.history_date = timezone.now() - timedelta(days=10)
    record.save()
    save(open_round, actors, scorer, 4)
    ten_days_ago = (timezone.localdate() - timedelta(days=9)).isoformat()
    long_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    cell = f"c{actors[0].pk}-{actors[1].pk}"

    def level_shown(query):
        return matrix_levels(viewer_client, actors, query)

    assert "l4" in level_shown("")
    assert "l1" in level_shown(f"as_of={ten_days_ago}") and "l4" not in level_shown(
        f"as_of={ten_days_ago}"
    )
    assert "l1" not in level_shown(f"as_of={long_ago}")  # not assessed yet then
    assert cell  # cells of the past carry no scoring links
    assert (
        "/pairs/"
        not in viewer_client.get(f"/regions/72.10/matrix/?as_of={ten_days_ago}").content.decode()
    )


def test_a_bad_date_is_a_400_with_a_message(viewer_client, open_round, actors):
    response = viewer_client.get("/regions/72.10/matrix/?as_of=31-31-2026")
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_threads_saving_one_pair_twenty_times_leave_one_row_and_a_full_history(
    open_round, actors, scorer
):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises the whole database")
    threads_count, saves = 20, 20
    barrier = threading.Barrier(threads_count)
    errors = []

    def work(index):
        try:
            barrier.wait(timeout=20)
            for step in range(saves):
                pair_assessment_save(
                    round=open_round,
                    actor_a=actors[index % 2],
                    actor_b=actors[1 - index % 2],
                    level=(index + step) % 5,
                    note=f"thread {index} save {step}",
                    user=scorer,
                )
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(index,)) for index in range(threads_count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert errors == []
    pair = PairAssessment.objects.get(round=open_round)
    assert pair.version == threads_count * saves
    history = pair.history.all()
    assert history.count() == threads_count * saves
    assert sorted(history.values_list("version", flat=True)) == list(
        range(1, threads_count * saves + 1)
    )
