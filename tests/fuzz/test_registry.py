"""A new URL must say how it is fuzzed (or that it takes no POST)."""

from .registry import ALLAUTH_FORMS, ENDPOINTS, GET_ONLY, url_names


def test_every_url_is_fuzzed_or_takes_no_post():
    known = set(ENDPOINTS) | set(ALLAUTH_FORMS) | set(GET_ONLY)
    missing = sorted(set(url_names()) - known)
    assert not missing, (
        f"{missing}: add a fuzz entry to tests/fuzz/registry.py ENDPOINTS (a form endpoint) or "
        "to GET_ONLY, saying why it takes no POST"
    )


def test_the_registry_names_only_urls_that_exist():
    assert not (set(ENDPOINTS) | set(ALLAUTH_FORMS) | set(GET_ONLY)) - set(url_names())


def test_an_endpoint_is_either_fuzzed_or_get_only():
    assert not set(ENDPOINTS) & set(GET_ONLY)
