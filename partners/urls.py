from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("rounds/<int:round_id>/invitations/", views.invitation_list, name="invitations"),
    path("rounds/<int:round_id>/invitations/invite/", views.invitation_create, name="invite"),
    path(
        "rounds/<int:round_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="revoke",
    ),
    path(
        "rounds/<int:round_id>/invitations/<int:invitation_id>/renew/",
        views.invitation_renew,
        name="renew",
    ),
    path(
        "rounds/<int:round_id>/pairs/<int:actor_a_id>-<int:actor_b_id>/reconcile/",
        views.reconcile_pair,
        name="reconcile",
    ),
    path("p/<str:token>/", views.partner_home, name="form"),
    path("p/<str:token>/m/<int:actor_id>/", views.partner_member, name="member"),
    path("p/<str:token>/submit/", views.partner_submit, name="submit"),
]
