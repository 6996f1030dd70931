"""Whose address signing evidence records: never one a client could forge."""

import pytest
from django.test import RequestFactory

from slaportal.client_ip import client_ip

PEER = "10.0.0.2"  # the socket's peer: the app's own proxy, or the client itself


def request_with(forwarded_for=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=PEER, **extra)


@pytest.mark.parametrize("forwarded_for", [None, "203.0.113.9", "6.6.6.6, 203.0.113.9"])
def test_without_trusted_proxies_the_header_is_ignored(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_with(forwarded_for)) == PEER


def test_behind_one_proxy_the_address_it_recorded_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_with("203.0.113.9")) == "203.0.113.9"


@pytest.mark.parametrize(
    "forwarded_for", ["6.6.6.6, 203.0.113.9", "6.6.6.6, not-an-ip", "not-an-ip", "", "\n,,"]
)
def test_a_forged_or_malformed_header_never_becomes_the_evidence(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 1

    recorded = client_ip(request_with(forwarded_for))

    assert recorded in (PEER, "203.0.113.9")
    assert recorded != "6.6.6.6"


def test_behind_two_proxies_the_entry_the_first_one_added_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_with("203.0.113.9, 10.0.0.1")) == "203.0.113.9"
    assert client_ip(request_with("6.6.6.6, 203.0.113.9, 10.0.0.1")) == PEER
