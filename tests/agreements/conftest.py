from datetime import date
from decimal import Decimal

import pytest

from agreements.models import PdfStatus
from agreements.versions import services as version_services
from tests import factories


@pytest.fixture
def agreement(organization, marketing_lead, sales_lead):
    """A complete draft from the recommended template, both leads named."""
    return factories.agreement_from_template(
        organization,
        marketing_lead,
        marketing_lead=marketing_lead,
        sales_lead=sales_lead,
        effective_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        revenue_target=Decimal("1200000"),
    )


@pytest.fixture
def submitted(agreement, marketing_lead, django_capture_on_commit_callbacks):
    """Version 1 of the agreement, rendered and with its signatories notified."""
    with django_capture_on_commit_callbacks(execute=True):
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY
    return version
