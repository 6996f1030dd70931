from django.urls import path

from . import upload_views, views

AGREEMENT = "agreements/<int:pk>/compliance/"

urlpatterns = [
    path(AGREEMENT, views.compliance_page, name="agreement_compliance"),
    path(AGREEMENT + "refresh/", views.compliance_refresh, name="compliance_refresh"),
    path(AGREEMENT + "<slug:table>.csv", views.compliance_csv, name="compliance_csv"),
    path(
        AGREEMENT + "commitments/<int:index>/<str:month>/<slug:outcome>/",
        views.compliance_leads,
        name="compliance_leads",
    ),
    path(
        "agreements/<int:pk>/reviews/<int:review_id>/fill-from-events/",
        views.review_fill_events,
        name="review_fill_events",
    ),
    path(AGREEMENT + "events/upload/", upload_views.events_upload, name="events_upload"),
    path(AGREEMENT + "events/preview/", upload_views.events_preview, name="events_preview"),
    path(AGREEMENT + "events/confirm/", upload_views.events_confirm, name="events_confirm"),
]
