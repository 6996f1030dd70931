"""A real HTTP receiver on 127.0.0.1 (a free port) that checks every request as a careful
integrator would (HMAC, timestamp, headers), answers by a script per delivery, and records what
it accepted, keyed by X-SLAPortal-Delivery."""

import contextlib
import hashlib
import hmac
import json
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webhooks import services
from webhooks.models import SUBSCRIBABLE_EVENTS

ALL_EVENTS = [value for value, _label in SUBSCRIBABLE_EVENTS]
SLOW = "slow"  # a script step: answer 200, but only after `Receiver.slow_seconds`


class Receiver:
    """`script` is what each delivery's n-th request gets (a status code, or SLOW); requests past
    the script get 200. `secrets` maps a path to the secret its endpoint was given."""

    def __init__(self, script=()):
        self.script = list(script)
        self.secrets: dict[str, str] = {}
        self.slow_seconds = 2.0
        self.tries = Counter()  # delivery id -> requests received
        self.accepted = Counter()  # delivery id -> 2xx answers given
        self.bodies = defaultdict(set)  # delivery id -> the distinct raw bodies received
        self.payloads = {}  # delivery id -> the parsed body
        self.headers = {}  # delivery id -> the last request's headers
        self.rejected = []  # (reason, headers) of requests that failed the checks
        self.paths = Counter()
        self.lock = threading.Lock()
        self.server = None

    def url(self, path="/hooks/main") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def accepted_events(self) -> Counter:
        return Counter(self.payloads[delivery]["event"] for delivery in self.accepted)

    def handle(self, request) -> tuple[int, bytes]:
        body = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        headers = {key.lower(): value for key, value in request.headers.items()}
        with self.lock:
            self.paths[request.path] += 1
        problem = self._problem(request.path, headers, body)
        if problem:
            with self.lock:
                self.rejected.append((problem, headers))
            return 400, problem.encode()
        delivery = headers["x-slaportal-delivery"]
        with self.lock:
            self.tries[delivery] += 1
            self.bodies[delivery].add(body)
            self.headers[delivery] = headers
            n = self.tries[delivery]
            step = self.script[n - 1] if n <= len(self.script) else 200
        if step == SLOW:
            time.sleep(self.slow_seconds)
            step = 200
        if step == 200:
            with self.lock:
                self.accepted[delivery] += 1
                self.payloads[delivery] = json.loads(body)
            return 200, b'{"ok": true}'
        return step, b"try again later"

    def _problem(self, path, headers, body) -> str | None:
        secret = self.secrets.get(path)
        if secret is None:
            return f"no endpoint at {path}"
        if headers.get("content-type") != "application/json":
            return "content type"
        if headers.get("user-agent") != "SLAPortal-Webhooks/1":
            return "user agent"
        timestamp = headers.get("x-slaportal-timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return "stale or missing timestamp"
        expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        if not hmac.compare_digest(
            "v1=" + expected.hexdigest(), headers.get("x-slaportal-signature", "")
        ):
            return "bad signature"
        if json.loads(body)["event"] != headers.get("x-slaportal-event"):
            return "event header differs from the body"
        return None


def handler_for(receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            status, answer = receiver.handle(self)
            self.send_response(status)
            if status in (301, 302, 307, 308):
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the sender gave up waiting (a timeout test)
                self.wfile.write(answer)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def webhook_settings(settings):
    """A local receiver is a private address; retries are due at once (no waiting)."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    return settings


@pytest.fixture
def receiver(webhook_settings):
    """Start one with `receiver(script)`; stopped after the test."""
    servers = []

    def start(script=(500, 500)):
        receiver = Receiver(script)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(receiver))
        server.daemon_threads = True
        receiver.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def endpoint_for(organization, marketing_lead):
    """Register an endpoint of the organisation at `receiver`'s `path`, through the service an
    owner's form uses; the receiver learns its secret."""

    def register(receiver, path="/hooks/main", events=ALL_EVENTS, organization=organization):
        endpoint, secret = services.endpoint_create(
            organization=organization,
            actor=marketing_lead,
            url=receiver.url(path),
            events=events,
            description="CRM",
        )
        receiver.secrets[path] = secret
        return endpoint

    return register


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block's on-commit work (each delivery's first attempt) as
    a real commit would; the test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
