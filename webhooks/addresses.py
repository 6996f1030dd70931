"""Which URLs an endpoint may have, and which addresses a delivery may connect to.

A webhook makes our server send requests to a URL someone typed: without these checks an owner
could point it at the machine itself, the cloud's metadata service or the private network. So
a URL must be http(s) without credentials, and its host must resolve to public addresses only
(unless WEBHOOK_ALLOW_PRIVATE). That is checked when the form is saved and again before every
delivery, and the delivery connects to the very addresses it checked (transport.py), so a DNS
answer that changes in between cannot slip a private address in.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
DEFAULT_PORTS = {"http": 80, "https": 443}


class RefusedDestination(Exception):
    """The URL or an address it resolves to may not be delivered to. The message says why."""


def is_refused_address(address: Address) -> bool:
    """Loopback, private, link-local, multicast, reserved, unspecified or otherwise not public.
    IPv6 forms that carry an IPv4 address (mapped, 6to4, Teredo) are judged by that address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None and is_refused_address(embedded):
            return True
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global  # e.g. 100.64.0.0/10, carrier-grade NAT
    )


def url_parts(url: str):
    """The URL split, or RefusedDestination for a scheme, credentials or host we do not send to."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise RefusedDestination(_("Use an https:// (or http://) URL."))
    if parts.username is not None or parts.password is not None:
        raise RefusedDestination(
            _("Leave credentials out of the URL; check the signature header instead.")
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise RefusedDestination(_("The URL's port is not a number from 1 to 65535.")) from exc
    if not parts.hostname or port == 0:
        raise RefusedDestination(_("The URL needs a host name."))
    return parts


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to, in the resolver's order (OSError when it does not)."""
    found = []
    for *_rest, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])  # drop an IPv6 zone
        if address not in found:
            found.append(address)
    return found


def checked_addresses(host: str, port: int) -> list[Address]:
    """The addresses to connect to: all of them public, or RefusedDestination naming the first
    that is not. OSError when the name does not resolve."""
    addresses = resolve(host, port)
    if not settings.WEBHOOK_ALLOW_PRIVATE:
        refused = next((address for address in addresses if is_refused_address(address)), None)
        if refused is not None:
            raise RefusedDestination(
                _(
                    "%(host)s resolves to %(address)s, a private, local or reserved address. "
                    "Webhooks are only sent to public addresses."
                )
                % {"host": host, "address": refused}
            )
    return addresses


def url_problem(url: str) -> str | None:
    """Why an endpoint may not have this URL, or None. A host that does not resolve now is let
    through: each delivery checks again, and its log shows the resolver's error."""
    try:
        parts = url_parts(url)
        checked_addresses(parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme.lower()])
    except RefusedDestination as exc:
        return str(exc)
    except (OSError, UnicodeError):
        return None
    return None
