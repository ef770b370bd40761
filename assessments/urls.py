from django.urls import path

import convergence.converters  # noqa: F401  (registers <region:...>)

from . import views

app_name = "assessments"
urlpatterns = [
    path("regions/<region:code>/matrix/", views.region_matrix, name="matrix"),
    path("rounds/<int:round_id>/next-pair/", views.next_pair, name="next_pair"),
    path(
        "rounds/<int:round_id>/pairs/<int:actor_a_id>-<int:actor_b_id>/",
        views.pair,
        name="pair",
    ),
]
