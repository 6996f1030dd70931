"""The agreements app's pages: the dashboard, then each lifecycle package's own URLs."""

from django.urls import include, path

from . import dashboard

urlpatterns = [
    path("o/<slug:slug>/", dashboard.dashboard, name="dashboard"),
    path("", include("agreements.authoring.urls")),
    path("", include("agreements.versions.urls")),
    path("", include("agreements.signing.urls")),
    path("", include("agreements.reviews.urls")),
]
