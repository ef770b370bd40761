from django.urls import path

import convergence.converters  # noqa: F401  (registers <region:...>)
from reports import views

app_name = "reports"
urlpatterns = [
    # Any suffix reaches the view, which names the formats it has (pdf, xlsx, csv).
    path("regions/<region:code>/report.<str:fmt>", views.region_report_file, name="region"),
    # The round's network for Gephi (?round=<id>, as the reports).
    path(
        "regions/<region:code>/network.gexf",
        views.network_file,
        {"kind": "gexf"},
        name="network_gexf",
    ),
    path(
        "regions/<region:code>/network.graphml",
        views.network_file,
        {"kind": "graphml"},
        name="network_graphml",
    ),
    path(
        "regions/<region:code>/network-nodes.csv",
        views.network_file,
        {"kind": "nodes"},
        name="network_nodes_csv",
    ),
    path(
        "regions/<region:code>/network-edges.csv",
        views.network_file,
        {"kind": "edges"},
        name="network_edges_csv",
    ),
    # The packs of the convergence cycle (?round=<id>, as the reports).
    path("regions/<region:code>/rembuk-stunting.pdf", views.rembuk_pack_file, name="rembuk"),
    path("regions/<region:code>/performance-review.zip", views.review_pack_file, name="review"),
    # Reports built in the background (a big round's PDF and XLSX).
    path("reports/builds/", views.build_list, name="builds"),
    path("reports/builds/<uuid:build_id>/", views.build_page, name="build"),
    path("reports/builds/<uuid:build_id>/download", views.build_download, name="build_download"),
]
