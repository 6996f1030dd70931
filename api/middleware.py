"""Every /api/v1/ call that presented a token is logged (token, organisation, method, path,
status, address, duration), and changes it makes are marked in the agreements' audit trails."""

import time

from django.utils import timezone

from agreements.audit import acting_through
from slaportal.client_ip import client_ip

from .models import ApiCall

API_PREFIX = "/api/v1/"


class ApiCallLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        started = time.perf_counter()
        with acting_through():
            response = self.get_response(request)
        token = getattr(request, "api_token", None)
        if token is not None:
            ApiCall.objects.create(
                token=token,
                organization_id=token.organization_id,
                method=request.method[:10],
                path=request.get_full_path()[:300],
                status=response.status_code,
                ip_address=client_ip(request),
                duration_ms=int((time.perf_counter() - started) * 1000),
                created_at=timezone.now(),
            )
        return response
