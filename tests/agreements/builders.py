"""Agreements built the way people build them, shared by the contract and language tests."""

from datetime import date
from decimal import Decimal

from agreements.authoring import services as authoring_services
from agreements.authoring.funnel_targets import sync_funnel_kpis
from agreements.models import Agreement


def template_agreement(organization, marketing_lead, sales_lead, language) -> Agreement:
    """A complete agreement from the recommended template in `language`, for 2027, with a
    1,200,000 revenue target, created by the marketing lead."""
    agreement = authoring_services.agreement_create(
        organization=organization,
        actor=marketing_lead,
        title=f"SLA {language}",
        recommended_template=True,
        language=language,
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        marketing_lead=marketing_lead,
        sales_lead=sales_lead,
        effective_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        revenue_target=Decimal("1200000"),
    )
    agreement.refresh_from_db()
    sync_funnel_kpis(agreement)  # as saving the term and goal sections would
    return agreement
