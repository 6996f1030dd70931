from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from agreements.models import PdfStatus
from agreements.signing import services as signing_services
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


@pytest.fixture
def signed(agreement, marketing_lead, sales_lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    version.refresh_from_db()
    from tests.agreements.test_signing import evidence_for  # a helper of those tests

    for lead in (marketing_lead, sales_lead):
        signing_services.signature_sign(
            version=version, signer=lead, evidence=evidence_for(version)
        )
    agreement.refresh_from_db()
    mail.outbox.clear()
    return version


@pytest.fixture
def sealed(agreement, marketing_lead, sales_lead, django_capture_on_commit_callbacks):
    """Version 1, signed by both leads, with its signed PDF built and sealed."""
    from tests.agreements.test_signing import evidence_for  # a helper of those tests

    with django_capture_on_commit_callbacks(execute=True):
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    version.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        for lead in (marketing_lead, sales_lead):
            signing_services.signature_sign(
                version=version, signer=lead, evidence=evidence_for(version)
            )
    version.refresh_from_db()
    assert version.signed_pdf_status == PdfStatus.READY, version.signed_pdf_error
    return version
