"""HTTPS endpoints: the certificate is checked against the URL's host name (SNI too), although
the connection goes to the address that was checked."""

import datetime
import ssl
import threading
from http.server import ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from webhooks import events
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.tasks import deliver_due

from .conftest import Receiver, handler_for


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for `localhost`, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_receiver(certificate, webhook_settings):
    receiver = Receiver(script=())
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(receiver))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    receiver.server = server
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield receiver
    server.shutdown()
    server.server_close()


def test_an_untrusted_certificate_is_refused_and_a_trusted_one_delivers(
    tls_receiver, certificate, endpoint_for, organization, monkeypatch, committed
):
    port = tls_receiver.server.server_address[1]
    endpoint = endpoint_for(tls_receiver)
    endpoint.url = f"https://localhost:{port}/hooks/main"
    endpoint.save()

    with committed():
        events.emit(organization, "review.due", {"n": 1})

    row = WebhookDelivery.objects.get()
    assert row.status == DeliveryStatus.PENDING
    assert row.last_error.startswith("TLS: CERTIFICATE_VERIFY_FAILED")
    assert not tls_receiver.tries

    monkeypatch.setattr("webhooks.transport.certifi.where", lambda: str(certificate[0]))
    assert deliver_due() == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DELIVERED
    assert tls_receiver.accepted_events() == {"review.due": 1}
