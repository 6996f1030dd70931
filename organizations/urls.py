from django.urls import path

from . import views

urlpatterns = [
    path("orgs/new/", views.organization_create, name="organization_create"),
    path("o/<slug:slug>/members/", views.members, name="members"),
    path("o/<slug:slug>/settings/", views.organization_settings, name="organization_settings"),
    path("o/<slug:slug>/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "o/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "o/<slug:slug>/members/<int:member_id>/role/",
        views.member_change_role,
        name="member_change_role",
    ),
    path(
        "o/<slug:slug>/members/<int:member_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
