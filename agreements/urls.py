from django.urls import path

from . import (
    views,
    views_compare,
    views_reviews,
    views_seal,
    views_signing,
    views_verify,
    views_versions,
)

VERSION = "agreements/<int:pk>/versions/<int:number>/"
ROW = "agreements/<int:pk>/edit/<slug:section_key>/<slug:kind_key>/"

REVIEW = "agreements/<int:pk>/reviews/<int:review_id>/"

urlpatterns = [
    path("agreements/<int:pk>/reviews/", views_reviews.agreement_reviews, name="agreement_reviews"),
    path("agreements/<int:pk>/reviews/start/", views_reviews.review_start, name="review_start"),
    path("agreements/<int:pk>/revise/", views_reviews.agreement_revise, name="agreement_revise"),
    path(REVIEW, views_reviews.review_detail, name="review_detail"),
    path(REVIEW + "upload/", views_reviews.review_upload, name="review_upload"),
    path(REVIEW + "import/", views_reviews.review_import, name="review_import"),
    path(REVIEW + "close/", views_reviews.review_close, name="review_close"),
    path(REVIEW + "apply-rates/", views_reviews.review_apply_rates, name="review_apply_rates"),
    path("verify/", views_verify.verify, name="verify"),
    path("o/<slug:slug>/", views.dashboard, name="dashboard"),
    path("o/<slug:slug>/agreements/new/", views.agreement_start, name="agreement_start"),
    path("o/<slug:slug>/seal/", views_seal.seal_settings, name="seal_settings"),
    path(
        "agreements/<int:pk>/edit/<slug:section_key>/", views.agreement_edit, name="agreement_edit"
    ),
    path(
        "agreements/<int:pk>/edit/<slug:section_key>/save/",
        views.section_save,
        name="section_save",
    ),
    path(ROW, views.row_list, name="row_list"),
    path(ROW + "add/", views.row_create, name="row_create"),
    path(ROW + "<int:row_id>/edit/", views.row_edit, name="row_edit"),
    path(ROW + "<int:row_id>/delete/", views.row_delete, name="row_delete"),
    path(ROW + "<int:row_id>/move/<slug:direction>/", views.row_move, name="row_move"),
    path("agreements/<int:pk>/preview/", views.agreement_preview, name="agreement_preview"),
    path(
        "agreements/<int:pk>/funnel-preview/<slug:kind_key>/",
        views.funnel_preview,
        name="funnel_preview",
    ),
    path("agreements/<int:pk>/submit/", views_versions.agreement_submit, name="agreement_submit"),
    path(
        "agreements/<int:pk>/versions/",
        views_versions.agreement_versions,
        name="agreement_versions",
    ),
    path("agreements/<int:pk>/compare/", views_compare.version_compare, name="version_compare"),
    path(VERSION, views_versions.version_detail, name="version_detail"),
    path(VERSION + "status/", views_versions.version_pdf_status, name="version_pdf_status"),
    path(VERSION + "pdf/", views_versions.version_pdf, name="version_pdf"),
    path(VERSION + "retry/", views_versions.version_retry, name="version_retry"),
    path(VERSION + "sign/", views_signing.version_sign, name="version_sign"),
    path(VERSION + "decline/", views_signing.version_decline, name="version_decline"),
    path(VERSION + "signed.pdf", views_signing.signed_pdf, name="signed_pdf"),
]
