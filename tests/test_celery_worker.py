"""Tasks through a real Celery worker on Redis (not the in-process eager mode)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from agreements.models import PdfStatus
from agreements.versions import services as version_services
from organizations import services as organization_services
from tests import factories
from tests.services import wait_for


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_submitted_version_is_rendered_to_pdf_by_a_real_worker(
    real_worker, marketing_lead, sales_lead, organization
):
    agreement = factories.agreement_from_template(
        organization,
        marketing_lead,
        marketing_lead=marketing_lead,
        sales_lead=sales_lead,
        effective_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        revenue_target=Decimal("500000"),
    )

    version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)

    def ready():
        version.refresh_from_db()
        return version.pdf_status in (PdfStatus.READY, PdfStatus.FAILED)

    assert wait_for(ready, timeout=60), f"still {version.pdf_status} after 60 s"
    assert version.pdf_status == PdfStatus.READY, version.pdf_error
    with version.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_invitation_email_is_sent_by_a_real_worker_through_redis(
    real_worker, marketing_lead, organization
):
    organization_services.invitation_create(
        organization=organization,
        email="worker@example.com",
        role="editor",
        invited_by=marketing_lead,
    )

    assert wait_for(lambda: len(mail.outbox) == 1), "the worker never sent the invitation"
    assert mail.outbox[0].to == ["worker@example.com"]
