"""Acme Corp's demo agreement: the recommended template, completed with real names and dates."""

import io
from datetime import date
from decimal import Decimal

from django.db import transaction

from .authoring import sections
from .authoring import services as authoring_services
from .models import Agreement, AgreementVersion, PdfStatus, Review, VersionState
from .reviews import services as review_services
from .signing import services as signing_services
from .signing.consent import signing_statements
from .versions import services as version_services

DEMO_AGREEMENT_TITLE = "Acme Corp marketing & sales SLA 2027"


@transaction.atomic
def seed_demo_agreement(*, organization, marketing_lead, sales_lead) -> Agreement:
    existing = Agreement.objects.filter(
        organization=organization, title=DEMO_AGREEMENT_TITLE
    ).first()
    if existing:
        return existing
    agreement = authoring_services.agreement_create(
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
        section_fields = sections.SECTIONS_BY_KEY[section_key].fields
        values = {name: getattr(agreement, name) for name in section_fields}
        values.update({k: v for k, v in fields.items() if k in section_fields})
        agreement = authoring_services.section_update(
            agreement=agreement,
            actor=marketing_lead,
            section_key=section_key,
            values=values,
            fingerprint="",
        )
    return agreement


def squiggle_png(seed: int) -> bytes:
    """A hand-drawn-looking stroke, standing in for the demo leads' signatures."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    points = [(20 + i * 20, 60 + ((i * 37 + seed * 11) % 50) - 25) for i in range(17)]
    ImageDraw.Draw(image).line(points, fill=(16, 36, 62, 255), width=4, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sign_demo_version(agreement, *, marketing_lead, sales_lead) -> AgreementVersion:
    """Version 1 submitted, rendered and signed by both demo leads. Idempotent."""
    version = agreement.versions.order_by("number").first()
    if version is None:
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    version.refresh_from_db()
    if version.pdf_status != PdfStatus.READY:
        return version  # a worker renders it; signing waits for the PDF
    for seed, lead in enumerate((marketing_lead, sales_lead), start=1):
        slot = version.signatures.get(signer=lead)
        if slot.status != "pending":
            continue
        consent, intent = signing_statements(version, slot)
        signing_services.signature_sign(
            version=version,
            signer=lead,
            evidence=signing_services.Evidence(
                pdf_sha256=version.pdf_sha256,
                consent_text=consent,
                intent_text=intent,
                method="drawn",
                image_png=squiggle_png(seed),
                typed_name="",
                ip_address="127.0.0.1",
                user_agent="seed_demo",
                auth_method="demo data seeded by manage.py seed_demo (no login)",
            ),
        )
    version.refresh_from_db()
    return version


def review_and_revise_demo(agreement, *, marketing_lead, sales_lead):
    """Q1 2027 reviewed against version 1 (leads short, deals on track), decided to revise:
    the draft raises the revenue target and takes the quarter's actual conversion rates.
    Idempotent: does nothing once the demo has a closed review."""
    if Review.objects.filter(agreement=agreement, closed_at__isnull=False).exists():
        return
    if not agreement.versions.filter(state=VersionState.SIGNED).exists():
        return
    review = review_services.review_start(agreement=agreement, actor=marketing_lead)
    actuals = {}
    for metric in review_services.review_targets(review):
        for month, target in metric.targets.items():
            stage = metric.key.split(":")[0]  # "leads", or "leads:source:0" per lead source
            if stage in ("leads", "mqls", "sqls", "opportunities", "deals"):
                # Marketing delivered 85% of the leads but better ones; sales converted well.
                factor = {"leads": "0.85", "mqls": "0.95", "sqls": "1.02", "opportunities": "1.0"}
                actuals[(metric.key, month)] = (
                    target * Decimal(factor.get(stage, "1.04"))
                ).quantize(Decimal(1))
            elif metric.unit == "hours":
                # Sales answered MQLs in 6 hours against a 24-hour target: better, not "under".
                actuals[(metric.key, month)] = Decimal(6)
            elif metric.unit == "percent" and metric.period == "quarter":
                actuals[(metric.key, month)] = (target * Decimal("1.2")).quantize(Decimal("0.01"))
    review = review_services.review_save(
        review=review,
        actor=marketing_lead,
        held_on=review.due_on,
        attendees=f"{marketing_lead.display_name}, {sales_lead.display_name}",
        notes=(
            "Lead volume was 15% short because two events were cancelled, but lead quality rose: "
            "more MQLs per lead and a higher win rate. Revise the targets for the rest of the year."
        ),
        actuals=actuals,
    )
    review_services.review_close(review=review, actor=marketing_lead, decision="revise")
    agreement.refresh_from_db()
    review_services.apply_actual_rates(agreement=agreement, review=review, actor=marketing_lead)
    agreement.refresh_from_db()
    goal = sections.SECTIONS_BY_KEY["goal"].fields
    values = {name: getattr(agreement, name) for name in goal}
    values.update(
        revenue_target=Decimal("1500000.00"),
        goal_statement=(
            "Marketing and sales together win EUR 1.5M of new annual recurring revenue from "
            "inbound and outbound leads in 2027, at least half of it in the first two quarters."
        ),
    )
    authoring_services.section_update(
        agreement=agreement, actor=marketing_lead, section_key="goal", values=values, fingerprint=""
    )
