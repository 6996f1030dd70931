from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from agreements.authoring.document import load_document
from agreements.models import Agreement, AgreementStatus, AgreementVersion, VersionState
from agreements.versions.snapshot import build_snapshot, canonical_json, sha256_hex
from tests import factories


def sign_as_is(agreement, actor) -> AgreementVersion:
    """Version 1 frozen from the draft and marked signed (what the signing flow ends in; the
    compliance measures read only the frozen snapshot)."""
    snapshot = build_snapshot(
        load_document(agreement), number=1, created_at=timezone.now(), created_by=actor
    )
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=1,
        snapshot=snapshot,
        snapshot_sha256=sha256_hex(canonical_json(snapshot)),
        created_by=actor,
        created_at=timezone.now(),
        state=VersionState.SIGNED,
        completed_at=timezone.now(),
    )
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.SIGNED)
    agreement.refresh_from_db()
    return version


@pytest.fixture
def berlin_agreement(organization, marketing_lead, sales_lead):
    """The recommended template, signed, on a Berlin calendar (Mon-Fri, 09:00-17:00), 2027."""
    agreement = factories.agreement_from_template(
        organization,
        marketing_lead,
        marketing_lead=marketing_lead,
        sales_lead=sales_lead,
        effective_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        revenue_target=Decimal("1200000"),
        time_zone="Europe/Berlin",
    )
    sign_as_is(agreement, marketing_lead)
    return agreement
