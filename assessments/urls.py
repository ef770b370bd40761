from django.urls import path, register_converter

from convergence.converters import RegionCodeConverter

from . import views

register_converter(RegionCodeConverter, "region")

app_name = "assessments"
urlpatterns = [
    path("regions/<region:code>/matrix/", views.region_matrix, name="matrix"),
    path(
        "rounds/<int:round_id>/pairs/<int:actor_a_id>-<int:actor_b_id>/",
        views.pair,
        name="pair",
    ),
]
