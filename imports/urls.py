from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_page, name="page"),
    path("confirm/", views.confirm_import, name="confirm"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
]
