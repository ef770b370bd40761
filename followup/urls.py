from django.urls import path

import convergence.converters  # noqa: F401  (registers <region:...>)

from . import views

app_name = "followup"
urlpatterns = [
    path("regions/<region:code>/actions/", views.action_list, name="list"),
    path("regions/<region:code>/actions/new/", views.action_new, name="new"),
    path("regions/<region:code>/actions/<int:action_id>/", views.action_edit, name="edit"),
    path(
        "regions/<region:code>/actions/<int:action_id>/delete/",
        views.action_remove,
        name="delete",
    ),
    path(
        "regions/<region:code>/actions/<int:action_id>/documents/",
        views.document_add,
        name="document_add",
    ),
    path(
        "regions/<region:code>/actions/<int:action_id>/documents/<int:document_id>/",
        views.document_download,
        name="document",
    ),
    path(
        "regions/<region:code>/actions/<int:action_id>/documents/<int:document_id>/delete/",
        views.document_remove,
        name="document_delete",
    ),
    path("regions/<region:code>/aksi/", views.aksi_page, name="aksi"),
    path(
        "regions/<region:code>/aksi/<int:aksi>/documents/",
        views.aksi_document_add,
        name="aksi_document_add",
    ),
    path(
        "regions/<region:code>/documents/<int:document_id>/",
        views.region_document,
        name="region_document",
    ),
    path(
        "regions/<region:code>/documents/<int:document_id>/delete/",
        views.region_document_remove,
        name="region_document_delete",
    ),
    path(
        "rounds/<int:round_id>/pairs/<int:actor_a_id>-<int:actor_b_id>/documents/",
        views.pair_document_add,
        name="pair_document_add",
    ),
]
