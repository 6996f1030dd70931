"""Requests and server errors counted per endpoint (bench/fuzz.py prints them)."""

import json
import os
from collections import Counter

requests = Counter()
server_errors = Counter()
changed = Counter()  # requests that changed a bystander
first_error = {}


def record(name: str, response) -> None:
    requests[name] += 1
    if response.status_code >= 500:
        server_errors[name] += 1
        first_error.setdefault(name, getattr(response, "fuzz_error", "") or "")


def write() -> None:
    path = os.environ.get("FUZZ_STATS")
    if path:
        with open(path, "w") as out:
            json.dump(
                {
                    "requests": requests,
                    "server_errors": server_errors,
                    "changed_bystanders": changed,
                    "first_error": first_error,
                },
                out,
            )
