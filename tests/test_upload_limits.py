"""An oversized upload is refused from its declared length, before its body is read."""

import io

from django.test import RequestFactory
from django.urls import reverse

from slaportal.upload_limits import RequestSizeLimitMiddleware


class UnreadableBody(io.RawIOBase):
    """A body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = read


def test_a_request_declaring_more_than_the_limit_is_refused_unread(settings):
    settings.MAX_REQUEST_BYTES = 1024
    request = RequestFactory().post("/verify/", data=b"", content_type="multipart/form-data")
    request.META["CONTENT_LENGTH"] = str(300 * 1024 * 1024)
    request.META["wsgi.input"] = UnreadableBody()
    reached = []

    response = RequestSizeLimitMiddleware(lambda r: reached.append(r))(request)

    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()  # rounded up, never "0 MB"
    assert not reached


def test_an_upload_over_the_limit_gets_413_through_the_whole_stack(client, settings, db):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    big = io.BytesIO(b"%PDF-" + b"0" * (128 * 1024))
    big.name = "big.pdf"

    response = client.post(reverse("verify"), {"document": big})

    assert response.status_code == 413
    assert "Nothing was received or changed" in response.content.decode()


def test_a_malformed_length_is_left_to_django(client, db):
    response = client.get(reverse("verify"), CONTENT_LENGTH="abc")

    assert response.status_code == 200
