"""The network page's explorer data: the JSON the script reads, its cost, who gets the files.

The explorer itself is driven in tests/browser/test_network_explorer.py."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import GovernmentLevel
from tests.factories import ActorFactory, score


def page(client, region, round_):
    return client.get(f"/regions/{region.code}/network/?round={round_.pk}")


def data_url(response) -> str:
    found = re.search(r'id="network-explorer"[^>]*\bdata-src="([^"]+)"', response.content.decode())
    assert found, "the page names no explorer data"
    return found.group(1).replace("&amp;", "&")


def explorer_json(response) -> dict:
    """The data as the browser reads them: fetched from the URL the page names."""
    fetched = response.client.get(data_url(response))
    assert fetched.status_code == 200
    assert fetched["Content-Type"] == "application/json"
    return json.loads(fetched.content)


@pytest.fixture
def path_round(open_round, actors):
    """a–b 2, b–c 3, a–d 0 (no link); a, b health, c planning, d education."""
    a, b, c, d = actors
    score(open_round, a, b, 2)
    score(open_round, b, c, 3)
    score(open_round, a, d, 0)
    return open_round


def test_the_page_carries_the_nodes_and_links_as_json(viewer_client, path_round, district, actors):
    a, b, c, d = actors
    response = page(viewer_client, district, path_round)
    assert response.status_code == 200
    data = explorer_json(response)
    assert data_url(response) == f"/regions/72.10/network.json?round={path_round.pk}"
    # The page's controls are drawn from the same legend as the data.
    for part in ("sectors", "government_levels", "link_levels"):
        assert data[part] == response.context["explorer"][part]

    nodes = {node["id"]: node for node in data["nodes"]}
    # The matrix order: health first.
    assert [node["id"] for node in data["nodes"]] == [a.pk, b.pk, c.pk, d.pk]
    assert data["links"] == [
        {"a": a.pk, "b": b.pk, "level": 2},
        {"a": b.pk, "b": c.pk, "level": 3},
    ]
    puskesmas = nodes[b.pk]
    assert puskesmas["name"] == "Puskesmas Biromaru"
    assert puskesmas["short_name"] == "PKM Biromaru"
    assert puskesmas["sector"] == b.sector_id and puskesmas["sector_name"] == "Kesehatan"
    assert puskesmas["sector_colour"] == "#d55e00"  # health takes the first colour
    assert puskesmas["government_level"] == GovernmentLevel.DISTRICT
    assert puskesmas["government_level_name"] == "Kabupaten/kota"
    assert (puskesmas["kind"], puskesmas["degree"], puskesmas["weighted_degree"]) == (
        "government",
        2,
        5,
    )
    # The figures of the tables below (see test_network.py): b lies on a–c.
    assert puskesmas["betweenness"] == pytest.approx(1 / 3)
    assert puskesmas["brokerage"] == pytest.approx(0.5)
    assert nodes[d.pk]["degree"] == 0
    assert puskesmas["url"] == f"/regions/72.10/actors/{b.pk}/?round={path_round.pk}"
    assert viewer_client.get(puskesmas["url"]).status_code == 200

    assert [sector["name"] for sector in data["sectors"]] == [
        "Kesehatan",
        "Perencanaan",
        "Pendidikan",
    ]
    assert [level["value"] for level in data["government_levels"]] == [GovernmentLevel.DISTRICT]
    assert [level["value"] for level in data["link_levels"]] == [1, 2, 3, 4]
    assert data["downloads"]["svg"] == f"/regions/72.10/network.svg?round={path_round.pk}"


def test_the_explorer_and_its_script_are_on_the_page_and_the_drawing_stays(
    viewer_client, path_round, district
):
    html = page(viewer_client, district, path_round).content.decode()
    assert 'id="network-explorer"' in html and 'id="network-canvas"' in html
    assert "/static/vendor/cytoscape/cytoscape.min.js" in html
    assert "/static/js/network.js" in html
    assert 'id="__________cytoscape_stylesheet"' in html  # no <style> from Cytoscape
    # The drawn map stays for paper and for browsers without script, as an image of the
    # SVG (fetched once and cached), not hundreds of KiB of markup in the page.
    figure = re.search(r'id="network-print-figure".*?</figure>', html, re.S).group(0)
    assert f'<img src="/regions/72.10/network.svg?round={path_round.pk}"' in figure
    assert "<svg" not in html.replace('<svg class="swatch-dot"', "").replace("<svg width", "")
    # No inline script, and no data in the page: the script fetches them.
    assert re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html) == []


def test_names_cannot_break_out_of_the_json(viewer_client, open_round, district, health, actors):
    evil = ActorFactory(
        name='</script><script>alert("x")</script>',
        short_name="<b>x</b>",
        sector=health,
        home_region=district,
    )
    score(open_round, evil, actors[0], 2)
    response = page(viewer_client, district, open_round)
    html = response.content.decode()
    assert "<script>alert" not in html
    names = {node["name"] for node in explorer_json(response)["nodes"]}
    assert '</script><script>alert("x")</script>' in names


def test_files_are_offered_to_those_who_read_details_only(
    viewer_client, planner_client, path_round, district
):
    as_viewer = page(viewer_client, district, path_round).content.decode()
    assert 'id="download-gexf"' not in as_viewer and 'id="download-graphml"' not in as_viewer
    assert 'id="download-png"' in as_viewer and 'id="download-svg"' in as_viewer

    as_planner = page(planner_client, district, path_round).content.decode()
    assert (
        f'id="download-gexf" href="/regions/72.10/network.gexf?round={path_round.pk}"' in as_planner
    )
    assert (
        f'id="download-graphml" href="/regions/72.10/network.graphml?round={path_round.pk}"'
        in as_planner
    )


def test_a_region_without_a_round_has_no_explorer(viewer_client, district):
    response = viewer_client.get(f"/regions/{district.code}/network/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "network.json" not in html and "cytoscape" not in html


def test_the_queries_do_not_grow_with_the_actors(
    viewer_client, open_round, district, health, planning, actors
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = page(viewer_client, district, open_round)
        assert response.status_code == 200
        return len(captured), len(explorer_json(response)["nodes"])

    score(open_round, actors[0], actors[1], 2)
    small, small_nodes = queries()

    more = ActorFactory.create_batch(12, sector=planning, home_region=district)
    for first, second in zip(more, more[1:], strict=False):
        score(open_round, first, second, 3)
    score(open_round, more[0], actors[0], 4)
    large, large_nodes = queries()

    assert (small_nodes, large_nodes) == (4, 16)
    assert large == small


def test_the_data_are_cached_revalidated_and_follow_every_change(
    viewer_client, path_round, district, actors
):
    """The JSON is built once for each state of the round; the browser revalidates it with
    its ETag (304, no body); a new level is a new state, never served stale."""
    from django.core.cache import cache

    cache.clear()
    url = f"/regions/72.10/network.json?round={path_round.pk}"
    first = viewer_client.get(url)
    assert first.status_code == 200 and first["Cache-Control"] == "private, no-cache"
    etag = first["ETag"]
    again = viewer_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    a, b, c, d = actors
    score(path_round, c, d, 4)
    changed = viewer_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    links = json.loads(changed.content)["links"]
    assert {"a": min(c.pk, d.pk), "b": max(c.pk, d.pk), "level": 4} in links


def test_the_data_are_refused_as_the_page_is(
    client, other_scorer_client, viewer_client, path_round, other_round, district
):
    url = f"/regions/72.10/network.json?round={path_round.pk}"
    assert other_scorer_client.get(url).status_code == 403
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    elsewhere = f"/regions/72.10/network.json?round={other_round.pk}"
    assert viewer_client.get(elsewhere).status_code == 404
