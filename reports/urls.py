from django.urls import path

import convergence.converters  # noqa: F401  (registers <region:...>)
from reports import views

app_name = "reports"
urlpatterns = [
    # Any suffix reaches the view, which names the formats it has (pdf, xlsx, csv).
    path("regions/<region:code>/report.<str:fmt>", views.region_report_file, name="region"),
]
