"""The packs are offered where a planner looks for them: the region's download card (on
the dashboard) and the follow-up action list, under the names the files are sent with."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

REMBUK = "peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026-rembuk-stunting.pdf"
REVIEW = "peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026-penilaian-kinerja.zip"


@pytest.mark.parametrize("page", ["/regions/72.10/", "/regions/72.10/actions/"])
def test_planners_find_both_packs_of_the_round(planner_client, district, scored_round, page):
    planner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = planner_client.get(page).content.decode()
    assert (
        f'href="/regions/72.10/rembuk-stunting.pdf?round={scored_round.pk}" download="{REMBUK}"'
        in body
    )
    assert (
        f'href="/regions/72.10/performance-review.zip?round={scored_round.pk}"'
        f' download="{REVIEW}"' in body
    )
    assert "Rembuk stunting pack (PDF)" in body and "Performance review pack (ZIP)" in body
    # The link's name is the one the file is sent with.
    response = planner_client.get(f"/regions/72.10/rembuk-stunting.pdf?round={scored_round.pk}")
    assert REMBUK in response["Content-Disposition"]


@pytest.mark.parametrize("page", ["/regions/72.10/", "/regions/72.10/actions/"])
def test_viewers_are_not_offered_the_packs(viewer_client, district, scored_round, page):
    body = viewer_client.get(page).content.decode()
    assert "rembuk-stunting.pdf" not in body and "performance-review.zip" not in body


def test_a_region_without_a_round_offers_no_pack(planner_client, district):
    body = planner_client.get("/regions/72.10/actions/").content.decode()
    assert "rembuk-stunting.pdf" not in body
