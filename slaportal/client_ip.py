"""The client's IP address, as far as this deployment can vouch for it.

With no proxy in front (TRUSTED_PROXY_COUNT=0) it is the socket's peer address; X-Forwarded-For
is ignored, since any client can send one. Behind N trusted proxies, django-ipware reads the
address the nearest proxy recorded (never the left-most entry a client may have forged); when
the header does not have the shape N proxies produce, the peer address is recorded instead of a
guess.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    peer = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return peer
    # The last proxy's own address is the peer; the header lists the client and the proxies
    # before it.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",  # the header reads "client, proxy1, proxy2..."
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=True,
    )
    return address or peer
