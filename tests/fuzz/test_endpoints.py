"""Issue 16: hostile input to every form endpoint, as every role, never answers 500 and never
touches another agreement or organisation. Reproducible (derandomized); FUZZ_EXAMPLES=200 and
bench/fuzz.py go further."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .client import fuzz_once
from .conftest import EXAMPLES, ROLES, snapshot
from .registry import ALLAUTH_FORMS, ENDPOINTS
from .values import NASTY, file_contents, post_data, scalar

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_no_form_input_answers_a_server_error(name, world_for):
    endpoint = ENDPOINTS[name]
    world = world_for(endpoint.world)
    targets = endpoint.targets(world)
    before = snapshot(world)

    @FUZZ
    @given(data=st.data())
    def fuzz(data):
        target = data.draw(st.sampled_from(targets), label="target")
        values = data.draw(post_data(target.fields), label="values")
        files = (
            {field: data.draw(file_contents, label=field) for field in target.files}
            if target.files
            else None
        )
        htmx = endpoint.htmx and data.draw(st.booleans(), label="htmx")
        fuzz_once(world, before, name, target.kwargs, values, roles=ROLES, files=files, htmx=htmx)

    fuzz()


@pytest.mark.parametrize("name", sorted(ALLAUTH_FORMS))
def test_no_account_form_input_answers_a_server_error(name, world_for):
    world = world_for("draft")
    before = snapshot(world)
    fields = {field: "correct-horse-battery-staple" for field in ALLAUTH_FORMS[name]}

    @FUZZ
    @given(values=post_data(fields))
    def fuzz(values):
        fuzz_once(world, before, name, {}, values, roles=("owner", "anonymous"))

    fuzz()


#: The query strings the pages read.
QUERIES = {
    "version_compare": ("old", "new"),
    "agreement_edit": ("edit",),
    "version_pdf": ("download",),
    "dashboard": ("q", "status", "show", "page"),
    "agreement_copy_options": ("copy_q",),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_no_query_string_answers_a_server_error(name, world_for):
    world = world_for("submitted")
    before = snapshot(world)
    kwargs = {
        "version_compare": {"pk": world.agreement.pk},
        "agreement_edit": {"pk": world.agreement.pk, "section_key": "kpis"},
        "version_pdf": {"pk": world.agreement.pk, "number": world.version.number},
        "dashboard": {"slug": world.organization.slug},
        "agreement_copy_options": {"slug": world.organization.slug},
    }[name]
    fields = {field: "1" for field in QUERIES[name]}
    values = post_data(fields).map(
        lambda data: {k: (v[0] if isinstance(v, list) else v) for k, v in data.items()}
    )

    @FUZZ
    @given(values=values)
    def fuzz(values):
        fuzz_once(world, before, name, kwargs, values, roles=ROLES, method="get")

    fuzz()


def test_the_hostile_values_include_what_the_issue_lists():
    for value in ("NaN", "Infinity", "1e999999999", "0001-01-01", "9999-12-31", "\x00", "\ud800"):
        assert value in NASTY
    assert any(len(value) >= 10_000 for value in NASTY)
    assert scalar is not None
