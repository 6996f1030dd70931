"""Endpoints on the machine itself, the private network or the cloud's metadata service are
refused when the form is saved and again before each delivery (DNS answers change)."""

import ipaddress
import socket

import pytest

from webhooks import events
from webhooks.addresses import is_refused_address, url_problem
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

REFUSED = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "ff0e::1",  # multicast, even global scope
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::1",  # 6to4 around 127.0.0.1
    "2001:db8::1",  # documentation
]
PUBLIC = ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"]


@pytest.mark.parametrize("address", REFUSED)
def test_addresses_that_are_not_public_are_refused(address):
    assert is_refused_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert not is_refused_address(ipaddress.ip_address(address))


@pytest.fixture
def dns(monkeypatch):
    """Names resolved from a table (public ones included), so nothing leaves the machine."""
    table = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in table:
            family = socket.AF_INET6 if ":" in table[host] else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (table[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr("webhooks.addresses.socket.getaddrinfo", getaddrinfo)
    return table


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "https://169.254.169.254/latest/meta-data/",
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://0x7f.1/",
        "https://intranet.example.com/hook",  # resolves to 10.0.0.7 below
    ],
)
def test_a_url_reaching_a_private_address_is_refused(url, settings, dns):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    dns["intranet.example.com"] = "10.0.0.7"
    problem = url_problem(url)
    assert problem and "Webhooks are only sent to public addresses" in problem


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://hooks.example.com/", "Use an https:// (or http://) URL."),
        ("file:///etc/passwd", "Use an https:// (or http://) URL."),
        ("https://user:pass@hooks.example.com/", "Leave credentials out of the URL"),
        ("https://token@hooks.example.com/", "Leave credentials out of the URL"),
        ("https://hooks.example.com:99999/", "The URL's port is not a number"),
    ],
)
def test_schemes_and_credentials_are_refused_even_where_private_is_allowed(url, problem, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    assert url_problem(url).startswith(problem)


def test_a_public_url_is_accepted_and_a_local_one_only_where_allowed(settings, dns):
    dns["hooks.example.com"] = "93.184.215.14"
    settings.WEBHOOK_ALLOW_PRIVATE = False
    assert url_problem("https://hooks.example.com/slaportal?team=revops") is None
    assert url_problem("http://127.0.0.1:9000/") is not None
    settings.WEBHOOK_ALLOW_PRIVATE = True
    assert url_problem("http://127.0.0.1:9000/") is None


def test_the_form_says_why_next_to_the_url_field(client_for, marketing_lead, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    response = client_for(marketing_lead).post(
        "/o/acme/webhooks/new/",
        {"url": "http://127.0.0.1:9000/hook", "events": ["review.due"], "active": "on"},
    )

    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == ["url"]
    assert "127.0.0.1, a private, local or reserved address" in form.errors["url"][0]
    html = response.content.decode()
    assert 'id="error_1_id_url"' in html and "only sent to public addresses" in html


def test_a_delivery_to_an_address_that_became_private_fails_unsent(
    receiver, endpoint_for, organization, settings, dns, committed
):
    hook = receiver(script=())
    endpoint = endpoint_for(hook)  # saved while local receivers were allowed
    dns["hooks.example.com"] = "93.184.215.14"
    endpoint.url = f"http://hooks.example.com:{hook.server.server_address[1]}/hooks/main"
    endpoint.save()
    settings.WEBHOOK_ALLOW_PRIVATE = False
    dns["hooks.example.com"] = "127.0.0.1"  # the DNS answer changed since

    with committed():
        events.emit(organization, "review.due", {"n": 1})

    row = WebhookDelivery.objects.get()
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.FAILED, 1, None)
    assert row.last_error == (
        "hooks.example.com resolves to 127.0.0.1, a private, local or reserved address. "
        "Webhooks are only sent to public addresses."
    )
    assert not hook.paths  # no request was made


def test_a_local_receiver_is_refused_at_delivery_unless_allowed(
    receiver, endpoint_for, organization, settings, committed
):
    hook = receiver(script=())
    endpoint_for(hook)
    settings.WEBHOOK_ALLOW_PRIVATE = False

    with committed():
        events.emit(organization, "review.due", {"n": 1})

    row = WebhookDelivery.objects.get()
    assert row.status == DeliveryStatus.FAILED and "127.0.0.1" in row.last_error
    assert not hook.paths
