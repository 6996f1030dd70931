from django.urls import path, re_path

from . import seal_views, verify_views, views

VERSION = "agreements/<int:pk>/versions/<int:number>/"

urlpatterns = [
    path(VERSION + "sign/", views.version_sign, name="version_sign"),
    path(VERSION + "decline/", views.version_decline, name="version_decline"),
    path(VERSION + "signed.pdf", views.signed_pdf, name="signed_pdf"),
    path("o/<slug:slug>/seal/", seal_views.seal_settings, name="seal_settings"),
    re_path(
        r"^o/(?P<slug>[-\w]+)/seal/ca/(?P<fingerprint>[0-9a-f]{64})\.(?P<fmt>pem|der)$",
        seal_views.seal_ca_certificate,
        name="seal_ca_certificate",
    ),
    re_path(r"^seal/crl/(?P<fingerprint>[0-9a-f]{64})\.crl$", seal_views.seal_crl, name="seal_crl"),
    path("verify/", verify_views.verify, name="verify"),
]
