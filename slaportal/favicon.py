"""/favicon.ico: browsers ask for it on their own (PDF tabs, bookmarks, older browsers)."""

from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control


def favicon(request):
    # Temporary, because in production the target's name carries its content hash; cached for a
    # day so a browser does not ask on every page.
    response = HttpResponseRedirect(static("img/favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
