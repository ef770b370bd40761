"""A closed round's reports are built once and then read from storage while the round is
unchanged (reports/stored.py); a change to the round, or to what its reports read, builds
them again; access is checked before anything is read.

The builders are wrapped (not replaced): each download still returns a real file, and the
wrapper counts how many times each one ran.
"""

import io

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from assessments.rounds import round_close, round_reopen
from reports import builds as report_builds
from reports import stored
from reports import views as report_views
from tests.reports.conftest import english, report_url

# Where each builder is called from: the region report's build (PDF, XLSX), the view (CSV).
BUILDERS = {
    "xlsx": (report_builds, "build_xlsx"),
    "pdf": (report_builds, "build_pdf"),
    "csv": (report_views, "build_csv"),
}


@pytest.fixture
def builds(monkeypatch):
    """How many times each builder ran, by format."""
    counts = dict.fromkeys(BUILDERS, 0)
    for fmt, (module, name) in BUILDERS.items():
        real = getattr(module, name)

        def counted(*args, _real=real, _fmt=fmt, **kwargs):
            counts[_fmt] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return counts


def closed_url(district, previous_round, fmt, **params):
    return report_url(district, fmt, round=previous_round.pk, **params)


def stored_files(round_) -> list[str]:
    folder = f"{stored.FOLDER}/round-{round_.pk}"
    if not default_storage.exists(folder):
        return []
    return sorted(default_storage.listdir(folder)[1])


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv"])
def test_the_second_download_of_a_closed_round_is_read_from_storage(
    planner_client, district, previous_round, builds, fmt, django_assert_max_num_queries
):
    url = closed_url(district, previous_round, fmt)
    first = english(planner_client, url)
    assert first.status_code == 200
    assert builds[fmt] == 1
    assert len(stored_files(previous_round)) == 1

    # The session, the user, the region, its rounds, the version's ten aggregates.
    with django_assert_max_num_queries(18):
        second = english(planner_client, url)
    assert second.status_code == 200
    assert builds[fmt] == 1  # not built again
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]


def test_the_stored_xlsx_is_the_round_s_report(planner_client, district, previous_round):
    english(planner_client, closed_url(district, previous_round, "xlsx"))
    response = english(planner_client, closed_url(district, previous_round, "xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["Round"] == "Pemetaan Sigi 2025" and summary["Status"] == "Closed"
    assert summary["Pairs assessed"] == 3


def test_each_variant_and_language_is_a_file_of_its_own(
    planner_client, district, previous_round, builds
):
    english(planner_client, closed_url(district, previous_round, "xlsx"))
    english(planner_client, closed_url(district, previous_round, "xlsx", target=4))
    english(planner_client, closed_url(district, previous_round, "csv"))
    english(planner_client, closed_url(district, previous_round, "csv", variant="excel-id"))
    planner_client.cookies.pop("django_language", None)
    indonesian = planner_client.get(closed_url(district, previous_round, "xlsx"))
    assert builds == {"xlsx": 3, "pdf": 0, "csv": 2}
    assert len(stored_files(previous_round)) == 5
    assert "Ringkasan" in load_workbook(io.BytesIO(indonesian.content)).sheetnames


def test_another_user_gets_a_file_with_their_own_name(
    planner_client, admin_client_, district, previous_round, builds
):
    english(planner_client, closed_url(district, previous_round, "xlsx"))
    response = english(admin_client_, closed_url(district, previous_round, "xlsx"))
    assert builds["xlsx"] == 2
    summary = {
        row[0]: row[1]
        for row in load_workbook(io.BytesIO(response.content))["Summary"].iter_rows(
            values_only=True
        )
        if row
    }
    assert summary["Exported by"] == "admin"


def test_an_open_round_is_built_at_every_download(planner_client, district, scored_round, builds):
    english(planner_client, report_url(district, "xlsx"))
    english(planner_client, report_url(district, "xlsx"))
    assert builds["xlsx"] == 2
    assert stored_files(scored_round) == []


def test_a_reopened_round_is_built_again_and_its_old_files_are_dropped(
    planner_client, admin_user, district, previous_round, builds
):
    url = closed_url(district, previous_round, "xlsx")
    closed = english(planner_client, url)
    (before,) = stored_files(previous_round)

    round_reopen(user=admin_user, round=previous_round, reason="Satu pasangan terlewat")
    reopened = english(planner_client, url)
    assert builds["xlsx"] == 2
    assert reopened.content != closed.content
    status = load_workbook(io.BytesIO(reopened.content))["Summary"]
    assert "Open" in [row[1] for row in status.iter_rows(values_only=True)]

    round_close(user=admin_user, round=previous_round)
    english(planner_client, url)
    english(planner_client, url)
    assert builds["xlsx"] == 3  # closed again: a new version, built once
    (after,) = stored_files(previous_round)
    assert after != before


def test_a_renamed_action_owner_or_sector_builds_again(
    planner_client, district, previous_round, actors, health, builds
):
    url = closed_url(district, previous_round, "csv")
    english(planner_client, url)
    actors[0].name = "Dinas Kesehatan Daerah Kabupaten Sigi"
    actors[0].save()  # read as it is now by the actions' owners
    english(planner_client, url)
    assert builds["csv"] == 2
    type(health).objects.filter(pk=health.pk).update(name_en="Public health")
    english(planner_client, url)
    english(planner_client, url)
    assert builds["csv"] == 3


def test_a_file_cut_short_is_built_again(planner_client, district, previous_round, builds):
    url = closed_url(district, previous_round, "xlsx")
    first = english(planner_client, url)
    (name,) = stored_files(previous_round)
    path = f"{stored.FOLDER}/round-{previous_round.pk}/{name}"
    with default_storage.open(path, "rb") as kept:
        data = kept.read()
    default_storage.delete(path)
    default_storage.save(path, io.BytesIO(data[: len(data) // 2]))

    again = english(planner_client, url)
    assert builds["xlsx"] == 2
    assert (
        load_workbook(io.BytesIO(again.content)).sheetnames
        == load_workbook(io.BytesIO(first.content)).sheetnames
    )


@pytest.mark.parametrize("persona", ["viewer_client", "other_scorer_client"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_stored_report_is_still_refused_to_who_may_not_export(
    request, planner_client, district, previous_round, persona, fmt, builds
):
    english(planner_client, closed_url(district, previous_round, fmt))
    files = stored_files(previous_round)
    response = english(request.getfixturevalue(persona), closed_url(district, previous_round, fmt))
    assert response.status_code == 403
    assert b"Pemetaan Sigi 2025" not in response.content
    assert builds[fmt] == 1 and stored_files(previous_round) == files
