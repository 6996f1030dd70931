"""One HTTP POST to an endpoint, with the standard library (http.client): to the addresses
addresses.py checked and nothing else, no redirects followed, and a deadline for the whole
exchange, not just for each read."""

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass

import certifi

from .addresses import DEFAULT_PORTS, checked_addresses, url_parts

EXCERPT_BYTES = 500


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str  # the start of the response body, for the delivery log
    location: str = ""  # where a redirect pointed (not followed)


class DeliveryTimeout(TimeoutError):
    pass


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to one already-checked address; the Host header still names the URL's host."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        context = ssl.create_default_context(cafile=certifi.where())
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address

    def connect(self):
        sock = socket.create_connection((str(self.address), self.port), self.timeout)
        # The certificate is checked against the URL's host name, as for any HTTPS request.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST `body` to `url`. Raises RefusedDestination (no request made), OSError for DNS and
    connection failures, DeliveryTimeout past `timeout` seconds in all, and
    http.client.HTTPException for an answer that is not HTTP."""
    parts = url_parts(url)
    scheme = parts.scheme.lower()
    port = parts.port or DEFAULT_PORTS[scheme]
    deadline = time.monotonic() + timeout
    connection = _connect(scheme, parts.hostname, port, deadline)
    # Once connected, a silent or trickling server must not hold the worker past the deadline:
    # shutting the socket down ends whatever read is waiting.
    expired = threading.Event()
    watchdog = threading.Timer(max(deadline - time.monotonic(), 0), _cut, (connection, expired))
    watchdog.start()
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
        if expired.is_set():  # cut short: what was read may look complete, but is not
            raise DeliveryTimeout(f"No answer within {timeout:g} s.")
        return Answer(response.status, excerpt, response.getheader("Location", "") or "")
    except (OSError, http.client.HTTPException) as exc:
        # A read's own timeout, or the watchdog cutting a trickle: either way, too slow.
        if expired.is_set() or isinstance(exc, TimeoutError):
            raise DeliveryTimeout(f"No answer within {timeout:g} s.") from exc
        raise
    finally:
        watchdog.cancel()
        connection.close()


def _connect(scheme, host, port, deadline):
    """A connection to the first checked address that accepts one (the request is sent once,
    after connecting, so trying the next address can never deliver twice)."""
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    failure = None
    for address in checked_addresses(host, port):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        connection = kind(host, port, address=address, timeout=remaining)
        try:
            connection.connect()
        except TimeoutError as exc:
            failure = DeliveryTimeout(f"Connecting to {address} timed out.")
            failure.__cause__ = exc
        except OSError as exc:
            failure = exc
        else:
            return connection
        connection.close()
    raise failure or DeliveryTimeout("No time left to connect.")


def _cut(connection, expired: threading.Event) -> None:
    expired.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)
