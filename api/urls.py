from django.urls import path

from . import views
from .v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("o/<slug:slug>/api-tokens/", views.api_tokens, name="api_tokens"),
    path(
        "o/<slug:slug>/api-tokens/<int:token_id>/revoke/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
]
