from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from convergence import views

# The admin carries the product's name, not "Django administration".
admin.site.site_header = format_lazy("Peta Konvergensi — {}", _("Administration"))
admin.site.site_title = admin.site.site_header
admin.site.index_title = _("Reference data, rounds and users")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("imports/", include("imports.urls")),
    path("", include("assessments.urls")),
    path("", include("followup.urls")),
    path("", include("insights.urls")),
    path("", include("reports.urls")),
    path("", include("partners.urls")),
]

handler403 = "convergence.views.permission_denied"
