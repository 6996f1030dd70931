from django.urls import path

from . import rate_views, views

AGREEMENT = "agreements/<int:pk>/"
REVIEW = AGREEMENT + "reviews/<int:review_id>/"

urlpatterns = [
    path(AGREEMENT + "reviews/", views.agreement_reviews, name="agreement_reviews"),
    path(AGREEMENT + "reviews/start/", views.review_start, name="review_start"),
    path(AGREEMENT + "revise/", views.agreement_revise, name="agreement_revise"),
    path(REVIEW, views.review_detail, name="review_detail"),
    path(REVIEW + "upload/", views.review_upload, name="review_upload"),
    path(REVIEW + "import/", views.review_import, name="review_import"),
    path(REVIEW + "close/", views.review_close, name="review_close"),
    path(REVIEW + "apply-rates/", views.review_apply_rates, name="review_apply_rates"),
    # The funnel section's way to the same service: a confirmation first (rate_views).
    path(REVIEW + "use-actual-rates/", rate_views.use_actual_rates, name="agreement_actual_rates"),
]
