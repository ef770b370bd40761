"""Who may export, what bad input gets, and the download block on the dashboard."""

import re
from datetime import date

import pytest
from django.test import Client

from assessments.models import RoundStatus
from tests.factories import ActorFactory, RoundFactory, score
from tests.reports.conftest import english, report_url

ALLOWED = ["admin_client_", "scorer_client", "planner_client"]
REFUSED = ["viewer_client", "other_scorer_client"]


@pytest.mark.parametrize("persona", ALLOWED)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_admins_scorers_and_planners_export_in_their_jurisdiction(
    request, persona, fmt, district, scored_round
):
    client = request.getfixturevalue(persona)
    response = client.get(report_url(district, fmt))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_scorer_exports_the_pdf_of_their_district(scorer_client, district, scored_round):
    response = scorer_client.get(report_url(district, "pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("persona", REFUSED)
@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_viewers_and_outsiders_are_refused(request, persona, fmt, district, scored_round):
    """The viewer reads Sigi but may not export it; Palu's scorer may not read Sigi."""
    client = request.getfixturevalue(persona)
    response = english(client, report_url(district, fmt))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "Pemetaan Sigi 2026" not in response.content.decode()


def test_the_viewer_is_told_why(viewer_client, district, scored_round):
    html = english(viewer_client, report_url(district, "xlsx")).content.decode()
    assert "You may not export the reports of this region." in html


def test_a_user_without_a_role_is_refused(district, scored_round):
    from tests.factories import make_user

    client = Client()
    client.force_login(make_user("tanpa_peran", regions=[district]))
    assert client.get(report_url(district, "csv")).status_code == 403


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, district, scored_round, fmt):
    response = client.get(report_url(district, fmt))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_scorer_may_not_export_another_district(scorer_client, other_district, other_round):
    assert scorer_client.get(report_url(other_district, "xlsx")).status_code == 403


# Bad input: a message and no file, never a 500 -------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "PDF", "pdf.exe", "json"])
def test_an_unknown_format_is_404_with_a_message(planner_client, district, scored_round, fmt):
    response = english(planner_client, report_url(district, fmt))
    assert response.status_code == 404
    assert "choose PDF, XLSX or CSV" in response.content.decode()
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_a_round_of_another_region_is_404(planner_client, district, scored_round, other_round, fmt):
    response = planner_client.get(report_url(district, fmt, round=other_round.pk))
    assert response.status_code == 404
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("raw", ["nope", "999999", "-1", "1.5", ""])
def test_an_unknown_round_is_404(planner_client, district, scored_round, raw):
    status = planner_client.get(report_url(district, "csv", round=raw)).status_code
    assert status == (200 if raw == "" else 404)  # empty: the latest round


@pytest.mark.parametrize("target", ["5", "-1", "x", "3.5", "%E2%80%8B3"])
@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_a_target_level_outside_0_to_4_is_400(planner_client, district, scored_round, fmt, target):
    response = english(planner_client, report_url(district, fmt, target=target))
    assert response.status_code == 400
    assert "The target level must be a whole number from 0 to 4" in response.content.decode()
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("target", ["0", "4", " 2"])
def test_every_level_is_a_target(planner_client, district, scored_round, target):
    assert planner_client.get(report_url(district, "xlsx", target=target)).status_code == 200


def test_an_unknown_region_is_404(planner_client, scored_round):
    assert planner_client.get("/regions/72.99/report.pdf").status_code == 404


def test_a_draft_round_is_not_exported_by_a_planner(planner_client, district, scored_round):
    draft = RoundFactory(
        region=district,
        status=RoundStatus.DRAFT,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 6, 30),
    )
    assert planner_client.get(report_url(district, "csv", round=draft.pk)).status_code == 404


# The download block ------------------------------------------------------------------


def test_the_dashboard_offers_the_downloads(planner_client, district, scored_round):
    html = english(planner_client, f"/regions/{district.code}/").content.decode()
    assert "Download report" in html
    for fmt in ("pdf", "xlsx", "csv"):
        assert f'formaction="/regions/72.10/report.{fmt}"' in html
    assert f'name="round" value="{scored_round.pk}"' in html
    assert '<option value="3" selected>3 Collaboration</option>' in html
    # The Excel (Indonesia) CSV: the same form, the button adds variant=excel-id.
    assert re.search(
        r'<button type="submit" class="button" name="variant" value="excel-id" '
        r'formaction="/regions/72\.10/report\.csv"[^>]*>CSV for Excel \(Indonesia\)</button>',
        html,
    )


def test_the_viewer_sees_no_download_block(viewer_client, district, scored_round):
    html = english(viewer_client, f"/regions/{district.code}/").content.decode()
    assert "Download report" not in html and "report.pdf" not in html


def test_the_province_dashboard_offers_the_downloads(planner_client, province, scored_round):
    html = english(planner_client, f"/regions/{province.code}/").content.decode()
    assert 'formaction="/regions/72/report.pdf"' in html
    assert "report.csv" not in html  # no round of its own: no pair list


# Queries -----------------------------------------------------------------------------


@pytest.fixture
def chain_of(district, health):
    """``count`` actors of Sigi in two rounds, each pair of neighbours scored."""

    def build(count):
        actors = ActorFactory.create_batch(count, sector=health, home_region=district)
        old = RoundFactory(
            region=district,
            status=RoundStatus.CLOSED,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 6, 30),
        )
        new = RoundFactory(region=district)
        for index in range(count - 1):
            score(old, actors[index], actors[index + 1], index % 5)
            score(new, actors[index], actors[index + 1], (index + 1) % 5)
        return new

    return build


# 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 visible rounds
REQUEST_QUERIES = 6
# Each round's matrix is read once for the whole report (reuse_matrices): 7–8 actors and
# levels of this round, 9–10 of the previous one (dashboard, matrix, sector matrix, by
# level, network, comparison and gaps share them); the change like for like is the one
# stored in the round's summary, read with the rounds; 11 the vocabularies, read once for
# the labels of the by-level table and of the pair rows; 12 the roster's rows that name
# the round's state (the by-level table's cached part), 13 the mechanisms and factors of
# the by-level table and 14 the levels' main roles; 15–16 the pair rows (the round's
# actors, the pairs); 17 the partners' views of the pairs and 18 their latest
# reconciliations (the XLSX's Pairs sheet); 19 the round's follow-up actions (none to
# check: no later round); 20 the partners' answers as a directed network (in- and
# out-degree, reciprocity: the network sheet); 21 the partners' response (answered /
# invited: the key figures).
REPORT_QUERIES = 15


@pytest.mark.parametrize("count", [10, 40])
@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_reports_issue_a_fixed_number_of_queries(
    django_assert_num_queries, planner_client, district, chain_of, count, fmt, settings
):
    # Built in the request at both sizes (the background's build: test_background_builds).
    settings.REPORT_PDF_BACKGROUND_MIN_ACTORS = 1000
    chain_of(count)
    planner_client.get(f"/regions/{district.code}/")  # warm the session
    with django_assert_num_queries(REQUEST_QUERIES + REPORT_QUERIES):
        response = planner_client.get(report_url(district, fmt))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 40])
def test_the_csv_issues_a_fixed_number_of_queries(
    django_assert_num_queries, planner_client, district, chain_of, count
):
    chain_of(count)
    planner_client.get(f"/regions/{district.code}/")  # warm the session
    # 7 the round's actors, 8 the pairs, 9 the vocabularies (the labels of the lists),
    # 10 the partners' views of the pairs
    with django_assert_num_queries(REQUEST_QUERIES + 4):
        response = planner_client.get(report_url(district, "csv"))
    assert response.content.decode("utf-8-sig").count("\r\n") == count  # header + pairs


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_a_round_without_actors_still_exports(planner_client, district, open_round, fmt):
    response = planner_client.get(report_url(district, fmt))
    assert response.status_code == 200 and response["Content-Disposition"]
