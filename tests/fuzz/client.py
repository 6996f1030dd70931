"""Posting one fuzzed example, as one role, and checking what it left behind."""

import logging
import traceback

from django.db import transaction
from django.test import Client
from django.urls import reverse

from . import stats
from .conftest import KEEP_GOING, snapshot
from .values import clean_text, form_body


class _Remember(logging.Handler):
    """Keeps the last server error's traceback (the bench lists the first per endpoint)."""

    last = ""

    def emit(self, record):
        if record.exc_info:
            _Remember.last = "".join(traceback.format_exception(*record.exc_info)[-3:])


_handler = _Remember(level=logging.ERROR)
logging.getLogger("django.request").addHandler(_handler)


def send(client, url, data, files=None, *, htmx=False, method="post"):
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "get":
        return client.get(url, {k: clean_text(v) for k, v in data.items()}, headers=headers)
    if files is not None:
        payload = {k: clean_text(v) for k, v in data.items()}
        for name, content in files.items():
            from django.core.files.uploadedfile import SimpleUploadedFile

            payload[name] = SimpleUploadedFile("upload.bin", content)
        return client.post(url, payload, headers=headers)
    return client.post(
        url, form_body(data), content_type="application/x-www-form-urlencoded", headers=headers
    )


def fuzz_once(world, before, name, kwargs, data, *, roles, files=None, htmx=False, method="post"):
    """The same request as each role, each in a savepoint rolled back afterwards: no status of
    500 or more, and the bystanders exactly as they were."""
    url = reverse(name, kwargs=kwargs)
    for role in roles:
        with transaction.atomic():
            client = Client(raise_request_exception=not KEEP_GOING)
            user = world.users[role]
            if user is not None:
                client.force_login(user)
            _Remember.last = ""
            response = send(client, url, data, files, htmx=htmx, method=method)
            response.fuzz_error = f"{role}: {_Remember.last}"
            stats.record(name, response)
            changed = snapshot(world) != before
            if changed:
                stats.changed[name] += 1
            if not KEEP_GOING:
                assert response.status_code < 500, f"{role} got {response.status_code}"
                assert not changed, f"{role} changed a bystander"
            transaction.set_rollback(True)
