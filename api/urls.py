from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

import convergence.converters  # noqa: F401  (registers <region:...>)
from api import insights, levels, views
from api.permissions import ReadAnyRoleWriteAdmin
from followup.api import DocumentViewSet, FollowUpActionViewSet
from partners.api import RoundPartnerViewsView, RoundReconciliationsView


class Router(DefaultRouter):
    include_format_suffixes = False  # a dotted region code is not a format suffix


router = Router()
router.register("regions", views.RegionViewSet, basename="region")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("pair-assessments", views.PairAssessmentViewSet, basename="pairassessment")
router.register("level-roles", levels.LevelRoleViewSet, basename="levelrole")
router.register("actions", FollowUpActionViewSet, basename="followupaction")
router.register("documents", DocumentViewSet, basename="document")

# The schema and its docs page are for signed-in users with a role, like the rest.
docs = {"permission_classes": [ReadAnyRoleWriteAdmin]}

app_name = "api"
# The planners' views of a region (api.insights): the pages' figures, without the HTML.
planners_views = [
    ("dashboard", insights.DashboardView),
    ("sectors", insights.SectorMatrixView),
    ("levels", insights.ByLevelView),
    ("network", insights.NetworkView),
    ("comparison", insights.ComparisonView),
    ("overlaps", insights.OverlapsView),
    ("ranking", insights.ProvinceRankingView),
    ("national", insights.NationalOverviewView),
]

urlpatterns = [
    *[
        path(f"regions/<region:code>/{name}/", view.as_view(), name=f"region-{name}")
        for name, view in planners_views
    ],
    path("", include(router.urls)),
    path("rounds/<int:id>/partner-views/", RoundPartnerViewsView.as_view(), name="partner-views"),
    path(
        "rounds/<int:id>/reconciliations/",
        RoundReconciliationsView.as_view(),
        name="reconciliations",
    ),
    path("vocabularies/", levels.VocabularyListView.as_view(), name="vocabularies"),
    re_path(r"^imports/(?P<kind>regions|actors)/$", views.ImportView.as_view(), name="import"),
    re_path(r"^exports/(?P<kind>regions|actors)/$", views.ExportView.as_view(), name="export"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("token/revoke/", views.TokenRevokeView.as_view(), name="token-revoke"),
    path("schema/", SpectacularAPIView.as_view(**docs), name="schema"),
    # The split view serves Swagger UI's start-up script from a URL of its own: the
    # Content Security Policy refuses inline scripts.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html", **docs
        ),
        name="docs",
    ),
    re_path(r"^", views.not_found),
]
