"""The app's URLs plus the trivial view bench_pages.py measures every page against.

The trivial view is the floor every HTML page pays: a signed-in request through the whole
middleware stack (session, user, CSRF, language, security headers) that renders the base layout
(navigation, organisation switcher, language menu) with no content and no query of its own.
`/healthz` is no such floor: it is answered before sessions and templates, as probes need.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from slaportal.urls import urlpatterns as app_urlpatterns

TRIVIAL_PATH = "bench/trivial/"


@login_required
def trivial_page(request):
    return render(request, "base.html")


urlpatterns = [path(TRIVIAL_PATH, trivial_page, name="bench_trivial"), *app_urlpatterns]
