"""The world every fuzzed request lands in: the Acme organisation with its owner, editor and
viewer, an outsider from Globex, the agreement under attack (a draft, a submitted version or a
signed one with a review) and bystanders that no request may change."""

import os
from dataclasses import dataclass

import pytest
from django.apps import apps

from agreements.models import Agreement
from agreements.reviews import services as review_services
from organizations.models import Organization, Role
from tests import factories
from tests.agreements.conftest import agreement, signed, submitted  # noqa: F401 (the states)

#: Examples per endpoint; FUZZ_EXAMPLES raises it (bench/fuzz.py does).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
#: bench/fuzz.py: count server errors instead of stopping at the first.
KEEP_GOING = os.environ.get("FUZZ_KEEP_GOING") == "1"

ROLES = ("owner", "editor", "viewer", "outsider", "anonymous")


@dataclass
class World:
    organization: Organization
    agreement: Agreement
    users: dict
    bystander: Agreement  # another agreement of the same organisation
    foreign: Agreement  # the outsider's organisation's agreement
    invitation: object
    version: object = None
    review: object = None


@pytest.fixture(autouse=True)
def _fast_and_unlimited(settings):
    # Every example would count against the per-address limits of the API and /verify/.
    settings.FUNNEL_API_RATE_LIMIT = settings.VERIFY_RATE_LIMIT = 10**9
    # The fixtures' users and the password forms hash passwords: keep the CI cost bounded.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _world(request, organization, marketing_lead, sales_lead, viewer, outsider, state):
    attacked = request.getfixturevalue("agreement")
    version = review = None
    if state == "submitted":
        version = request.getfixturevalue("submitted")
    elif state == "signed":
        version = request.getfixturevalue("signed")
        review = review_services.review_start(agreement=attacked, actor=marketing_lead)
    attacked.refresh_from_db()
    globex = outsider.memberships.get().organization
    foreign = factories.agreement_from_template(globex, outsider)
    factories.InvitationFactory(organization=globex, email="someone@globex.example")
    bystander = factories.agreement_from_template(organization, marketing_lead)
    invitation = factories.InvitationFactory(
        organization=organization, email="new.hire@example.com", role=Role.EDITOR
    )
    users = {
        "owner": marketing_lead,
        "editor": sales_lead,
        "viewer": viewer,
        "outsider": outsider,
        "anonymous": None,
    }
    return World(organization, attacked, users, bystander, foreign, invitation, version, review)


@pytest.fixture
def world_for(request, organization, marketing_lead, sales_lead, viewer, outsider):
    def build(state):
        return _world(request, organization, marketing_lead, sales_lead, viewer, outsider, state)

    return build


def snapshot(world) -> dict:
    """Every row that belongs to the bystander agreements or to the outsider's organisation."""
    agreements = [world.bystander.pk, world.foreign.pk]
    organizations = [world.foreign.organization_id]
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in ("agreements", "organizations", "notifications"):
            continue
        names = {f.name for f in model._meta.concrete_fields}
        manager = model._base_manager
        if model is Agreement:
            rows = manager.filter(pk__in=agreements)
        elif model is Organization:
            rows = manager.filter(pk__in=organizations)
        elif "agreement" in names:
            rows = manager.filter(agreement__in=agreements)
        elif "version" in names:
            rows = manager.filter(version__agreement__in=agreements)
        elif "review" in names:
            rows = manager.filter(review__agreement__in=agreements)
        elif "organization" in names:
            rows = manager.filter(organization__in=organizations)
        else:
            continue
        state[model._meta.label] = list(rows.order_by("pk").values())
    return state


def pytest_sessionfinish(session):
    from . import stats

    stats.write()
