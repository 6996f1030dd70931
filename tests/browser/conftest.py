from io import StringIO

import pytest
from django.core.management import call_command

from agreements.authoring import services as authoring_services
from agreements.models import Agreement
from agreements.versions import services as version_services


@pytest.fixture
def demo(transactional_db):
    """Acme Corp as the README's first command seeds it (its SLA's version 1 signed), without
    the year of lead events that only the compliance screens show (`demo_lead_events`)."""
    call_command("seed_demo", "--without-lead-events", stdout=StringIO())


@pytest.fixture
def demo_lead_events(demo):
    """The demo's year of CRM lead events, measured, as the README's first command seeds it."""
    from agreements.demo import DEMO_AGREEMENT_TITLE
    from compliance.demo import seed_demo_events

    seed_demo_events(Agreement.objects.get(title=DEMO_AGREEMENT_TITLE))


@pytest.fixture
def demo_draft(demo):
    """A draft copy of the demo agreement, complete and ready to submit."""
    source = Agreement.objects.get(title__startswith="Acme Corp")
    return authoring_services.agreement_copy(
        source=source, actor=source.marketing_lead, title="Acme Corp SLA 2028"
    )


@pytest.fixture
def demo_in_signature(demo_draft):
    """The draft copy submitted: version 1 rendered and waiting for both leads."""
    version = version_services.agreement_submit(
        agreement=demo_draft, actor=demo_draft.marketing_lead
    )
    version.refresh_from_db()
    return version


@pytest.fixture
def log_in_as(live_server):
    def log_in(page, email, password):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(f"{live_server.url}/o/acme/")

    return log_in
