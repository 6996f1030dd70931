from django.contrib import admin
from django.urls import include, path

from accounts.views import set_language
from organizations.views import home
from slaportal.favicon import favicon

urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("language/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("organizations.urls")),
    path("", include("agreements.urls")),
    path("", include("funnel.urls")),
    path("", include("webhooks.urls")),  # /o/<slug>/webhooks/
    path("", include("api.urls")),
    path("", include("compliance.urls")),  # /agreements/<pk>/compliance/
]
