"""Acme Corp's demo agreement: the recommended template, completed with real names and dates."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from . import services
from .models import Agreement

DEMO_AGREEMENT_TITLE = "Acme Corp marketing & sales SLA 2027"


@transaction.atomic
def seed_demo_agreement(*, organization, marketing_lead, sales_lead) -> Agreement:
    existing = Agreement.objects.filter(
        organization=organization, title=DEMO_AGREEMENT_TITLE
    ).first()
    if existing:
        return existing
    agreement = services.agreement_create(
        organization=organization,
        actor=marketing_lead,
        title=DEMO_AGREEMENT_TITLE,
        recommended_template=True,
    )
    fields = {
        "marketing_team_name": "Acme Demand Generation",
        "marketing_lead": marketing_lead,
        "sales_team_name": "Acme Inside Sales",
        "sales_lead": sales_lead,
        "effective_date": date(2027, 1, 1),
        "end_date": date(2027, 12, 31),
        "goal_statement": (
            "Marketing and sales together win EUR 1.2M of new annual recurring revenue from "
            "inbound and outbound leads in 2027, at least half of it in the first two quarters."
        ),
        "revenue_target": Decimal("1200000.00"),
        "currency": "EUR",
        "crm_system": "HubSpot",
    }
    for section_key in ("parties", "term", "goal", "reporting"):
        section_fields = services.SECTIONS_BY_KEY[section_key].fields
        values = {name: getattr(agreement, name) for name in section_fields}
        values.update({k: v for k, v in fields.items() if k in section_fields})
        agreement = services.section_update(
            agreement=agreement,
            actor=marketing_lead,
            section_key=section_key,
            values=values,
            fingerprint="",
        )
    return agreement
