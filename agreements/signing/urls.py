from django.urls import path

from . import seal_views, verify_views, views

VERSION = "agreements/<int:pk>/versions/<int:number>/"

urlpatterns = [
    path(VERSION + "sign/", views.version_sign, name="version_sign"),
    path(VERSION + "decline/", views.version_decline, name="version_decline"),
    path(VERSION + "signed.pdf", views.signed_pdf, name="signed_pdf"),
    path("o/<slug:slug>/seal/", seal_views.seal_settings, name="seal_settings"),
    path("verify/", verify_views.verify, name="verify"),
]
