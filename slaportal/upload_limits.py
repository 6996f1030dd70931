"""Requests larger than any upload the app accepts are refused before their body is read.

Django reads a multipart body as soon as anything touches ``request.POST`` (the CSRF check does,
before the view), spooling files to disk; a 300 MB "CSV" would be received in full only to be
refused by its form. The declared ``Content-Length`` is checked first, here, against
MAX_REQUEST_BYTES (the largest upload, a 20 MB PDF on /verify/, plus the form around it).
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django's own parsing refuses a malformed length
        if declared > settings.MAX_REQUEST_BYTES:
            megabytes = -(-settings.MAX_REQUEST_BYTES // (1024 * 1024))  # rounded up
            message = _(
                "This request is larger than %(megabytes)s MB, more than any file SLA Portal "
                "accepts. Nothing was received or changed."
            ) % {"megabytes": megabytes}
            if request.path.startswith("/api/"):  # the APIs' error shape
                response = JsonResponse({"errors": {"__all__": [message]}}, status=413)
            else:
                response = HttpResponse(
                    message, status=413, content_type="text/plain; charset=utf-8"
                )
            response["Connection"] = "close"  # the unread body must not be taken as a request
            return response
        return self.get_response(request)
