from django.urls import path

import convergence.converters  # noqa: F401  (registers <region:...>)
from insights.views import actors, structure, trends

app_name = "insights"
urlpatterns = [
    # trends: dashboards, network, round comparison, overlaps
    path("regions/<region:code>/", trends.dashboard, name="dashboard"),
    path("regions/<region:code>/network/", trends.network, name="network"),
    path("regions/<region:code>/network.svg", trends.network_svg, name="network_svg"),
    path("regions/<region:code>/network.json", trends.network_json, name="network_json"),
    path("regions/<region:code>/compare/", trends.comparison, name="comparison"),
    path("regions/<region:code>/overlaps/", trends.overlaps, name="overlaps"),
    # structure: sector matrix, by government level, who × how
    path("regions/<region:code>/sectors/", structure.sector_matrix, name="sectors"),
    path("regions/<region:code>/levels/", structure.by_level, name="by_level"),
    path("regions/<region:code>/who-how/", structure.region_who_how, name="region_who_how"),
    path("programmes/<int:programme_id>/who-how/", structure.who_how, name="who_how"),
    # one actor's page
    path("regions/<region:code>/actors/<int:actor_id>/", actors.actor_page, name="actor"),
]
