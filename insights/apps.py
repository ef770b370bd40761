from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """What planners read: sector matrix, by government level, who × how, network,
    dashboards, round comparison and programme overlaps. Read-only; the pages, the API
    and the reports all call ``insights.selectors``."""

    name = "insights"
    verbose_name = _("Insights")
