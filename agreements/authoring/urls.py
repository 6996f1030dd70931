from django.urls import path

from . import row_views, views

AGREEMENT = "agreements/<int:pk>/"
ROW = AGREEMENT + "edit/<slug:section_key>/<slug:kind_key>/"

urlpatterns = [
    path("o/<slug:slug>/agreements/new/", views.agreement_start, name="agreement_start"),
    path(
        "o/<slug:slug>/agreements/new/copy-options/",
        views.agreement_copy_options,
        name="agreement_copy_options",
    ),
    path(AGREEMENT + "edit/<slug:section_key>/", views.agreement_edit, name="agreement_edit"),
    path(AGREEMENT + "edit/<slug:section_key>/save/", views.section_save, name="section_save"),
    path(ROW, row_views.row_list, name="row_list"),
    path(ROW + "add/", row_views.row_create, name="row_create"),
    path(ROW + "<int:row_id>/edit/", row_views.row_edit, name="row_edit"),
    path(ROW + "<int:row_id>/delete/", row_views.row_delete, name="row_delete"),
    path(ROW + "<int:row_id>/move/<slug:direction>/", row_views.row_move, name="row_move"),
    path(
        AGREEMENT + "funnel-preview/<slug:kind_key>/", views.funnel_preview, name="funnel_preview"
    ),
]
