from django.urls import path

from . import compare_views, preview_views, views

AGREEMENT = "agreements/<int:pk>/"
VERSION = AGREEMENT + "versions/<int:number>/"

urlpatterns = [
    path(AGREEMENT + "preview/", preview_views.agreement_preview, name="agreement_preview"),
    path(AGREEMENT + "submit/", views.agreement_submit, name="agreement_submit"),
    path(AGREEMENT + "versions/", views.agreement_versions, name="agreement_versions"),
    path(AGREEMENT + "compare/", compare_views.version_compare, name="version_compare"),
    path(VERSION, views.version_detail, name="version_detail"),
    path(VERSION + "status/", views.version_pdf_status, name="version_pdf_status"),
    path(VERSION + "pdf/", views.version_pdf, name="version_pdf"),
    path(VERSION + "retry/", views.version_retry, name="version_retry"),
    path(
        VERSION + "emails/<int:email_id>/send-again/",
        views.version_email_resend,
        name="version_email_resend",
    ),
]
