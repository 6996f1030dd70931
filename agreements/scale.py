"""A large, realistic data set for scale tests and page benchmarks (`manage.py seed_scale`).

Copies of the demo agreement (fields and section rows) in the mix measured on a real organisation
of 10,000: 30% drafts, 15% in signature, 55% signed with 0-2 reviews. One copy goes through the
real services (submitted, rendered, signed, sealed); the bulk versions share its snapshot and PDFs,
the bulk signatures its consent and image. Bulk agreements have no audit trail and empty head
fields (their versions anchor none): the audit check compares a trail only with a recorded head.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from organizations.demo import DEMO_ORG_SLUG, DEMO_PASSWORD, seed_demo
from organizations.models import Membership, Organization, Role

from .audit import audit_log
from .authoring.sections import ROW_KINDS
from .demo import seed_demo_agreement, squiggle_png
from .models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    NurtureTrack,
    PdfStatus,
    Review,
    ReviewDecision,
    Signatory,
    Signature,
    SignatureStatus,
    SignerRole,
    SigningOrder,
    VersionState,
)
from .models.agreement import AUDIT_HEAD_FIELDS
from .schedule import add_months, next_review_due, review_dates, review_period
from .signing import services as signing_services
from .signing.consent import signing_statements
from .signing.tasks import build_signed_pdf
from .versions import services as version_services
from .versions.tasks import render_version_pdf

DRAFT, IN_SIGNATURE, SIGNED = map(AgreementStatus, ("draft", "in_signature", "signed"))
BATCH_SIZE = 1000  # agreements per chunk, inserted with their rows, versions, slots and reviews
DRAFT_SHARE, IN_SIGNATURE_SHARE = 0.30, 0.15  # the rest is signed
# Signed agreements with two reviews and with one (the longest signed first); the rest none.
TWO_REVIEWS_SHARE, ONE_REVIEW_SHARE = 0.20, 0.424
MARKETING_SIGNED_SHARE = 0.6  # of the agreements in signature, those the marketing lead signed
LAST_REVIEW_CLOSED_SHARE = 0.5  # of the reviewed agreements, those whose last review is closed
HISTORY_DAYS = 730  # updated_at spreads over the last two years
# What each copy sets itself rather than taking from the demo agreement.
NOT_COPIED = {
    "id", "organization", "title", "status", "marketing_lead", "sales_lead", "recycle_track",
    "effective_date", "end_date", "created_by", "created_at", "updated_at", "next_review_due",
    *AUDIT_HEAD_FIELDS,
}  # fmt: skip
# What a bulk signed slot takes from the real one (it has its own signer, time and address).
EVIDENCE_FIELDS = (
    "pdf_sha256", "user_agent", "auth_method", "consent_version", "consent_sha256",
    "intent_text", "method", "typed_name", "image_png", "image_sha256",
)  # fmt: skip
# What every bulk version takes from the real one.
VERSION_FIELDS = ("snapshot", "snapshot_sha256", "pdf_sha256", "page_count", "signature_boxes")
SEGMENTS = (
    "EMEA", "DACH", "Nordics", "UK & Ireland", "North America", "LATAM", "APAC", "Enterprise",
    "Mid-market", "SMB", "Partner channel", "Inbound", "Outbound", "Field sales", "Renewals",
)  # fmt: skip
COMPANIES = (
    "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka", "Soylent",
    "Tyrell", "Cyberdyne", "Monarch", "Oscorp", "Aperture", "Nakatomi", "Gekko", "Duff",
)  # fmt: skip
COMPANY_KINDS = ("Industries", "Labs", "Systems", "Group", "Analytics", "Software", "Logistics")
FIRST_NAMES = ("Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas")
LAST_NAMES = ("Adler", "Brandt", "Costa", "Dubois", "Eriksen", "Garcia", "Ito", "Novak", "Silva")
REVIEW_NOTES = (
    "Lead volume on plan; conversion to SQL slightly under target. Keep the agreement.",
    "Marketing delivered fewer leads but better ones; sales answered within the SLA.",
    "Two events cancelled; the shortfall is made up by the webinar series. No change.",
)
IP_ADDRESSES = ("203.0.113.7", "203.0.113.42", "198.51.100.23", "198.51.100.180")


@dataclass
class Plan:
    """One agreement to insert, drawn in advance so that the same seed gives the same data."""

    organization: Organization
    marketing_lead: object
    sales_lead: object
    status: str
    updated_at: datetime
    created_at: datetime
    effective_date: date | None
    end_date: date | None
    seed: int  # for the small choices made while inserting (addresses, notes, days)
    submitted_at: datetime | None = None
    marketing_signed_at: datetime | None = None
    reviews: int = 0
    last_review_closed: bool = False
    title: str = ""


@dataclass
class Source:
    """What the copies take from the demo agreement and from the one real signed copy."""

    fields: dict
    rows: dict  # row model -> the values of each of the demo agreement's rows, in order
    recycle_index: int | None  # the nurture track recycled leads go to
    term: tuple[date | None, date | None]
    term_months: int
    row_count: int
    version: AgreementVersion | None = None  # the real copy's signed version
    slots: dict | None = None  # role -> that version's signed slot


def seed_scale(
    *,
    agreements: int,
    other_orgs: int,
    organization_slug: str | None = None,
    seed: int = 1,
    now: datetime | None = None,
) -> dict:
    """Add `agreements` agreements to the organisation `organization_slug` (the demo one by
    default, its leads signing) and `other_orgs` organisations of two members with 3 to 10
    agreements each. The same seed gives the same data. Returns what was created."""
    if agreements < 1 or other_orgs < 0:
        raise ValueError("Seed at least one agreement, and no negative number of organisations.")
    now, rng = now or timezone.now(), random.Random(seed)
    demo = seed_demo()
    demo_agreement = seed_demo_agreement(**vars(demo))
    target, *leads = _target(organization_slug, demo)
    source = _source(demo_agreement)
    real, *plans = _plans(rng, (target, *leads), agreements, now, source, real=True)
    _sign_one_for_real(source, demo_agreement, real)
    statuses = [SIGNED, *(plan.status for plan in plans)]
    counts = dict(agreements=1, rows=source.row_count, versions=1, signatures=2, reviews=0)
    with transaction.atomic():
        others = _other_organizations(rng, other_orgs)
        for organization, *people in others:
            plans += _plans(rng, (organization, *people), rng.randint(3, 10), now, source)
        for start in range(0, len(plans), BATCH_SIZE):
            for name, value in _insert(plans[start : start + BATCH_SIZE], source).items():
                counts[name] += value
    return {
        "organization": target.slug,
        "target_agreements": agreements,
        **{status: statuses.count(status) for status in AgreementStatus.values},
        "other_organizations": len(others),
        "users": 2 * len(others),
        **counts,
        "signed_pdf_shared": source.version.signed_pdf_status == PdfStatus.READY,
    }


def _target(slug, demo) -> tuple:
    if slug is None or slug == DEMO_ORG_SLUG:
        return demo.organization, demo.marketing_lead, demo.sales_lead
    organization = Organization.objects.get(slug=slug)
    members = list(organization.memberships.select_related("user").order_by("created_at", "pk"))
    members.sort(key=lambda member: member.role != Role.OWNER)  # the owner first
    if len(members) < 2:
        raise ValueError(f"Organisation {slug!r} needs two members to sign its agreements.")
    return organization, members[0].user, members[1].user


def _source(agreement) -> Source:
    fields = {
        f.attname: getattr(agreement, f.attname)
        for f in Agreement._meta.concrete_fields
        if f.name not in NOT_COPIED
    }
    rows, recycle_index, skipped = {}, None, {"id", "agreement", "revision"}
    for kind in ROW_KINDS.values():
        if kind.model is Signatory:
            continue  # further signatories would need slots of their own on every version
        originals = list(kind.model.objects.filter(agreement=agreement).order_by("position", "id"))
        concrete = [f for f in kind.model._meta.concrete_fields if f.name not in skipped]
        rows[kind.model] = [
            {f.attname: getattr(row, f.attname) for f in concrete} for row in originals
        ]
        ids = [row.pk for row in originals]
        if kind.model is NurtureTrack and agreement.recycle_track_id in ids:
            recycle_index = ids.index(agreement.recycle_track_id)
    start, end = agreement.effective_date, agreement.end_date
    months = (end.year - start.year) * 12 + end.month - start.month + 1 if start and end else 12
    return Source(fields, rows, recycle_index, (start, end), months, sum(map(len, rows.values())))


def _plans(rng, people, count, now, source, real=False) -> list[Plan]:
    """`count` agreements of one organisation in the measured mix; with `real`, the first is
    the signed one the real services make (it keeps the demo agreement's term)."""
    drafts, in_signature = round(count * DRAFT_SHARE), round(count * IN_SIGNATURE_SHARE)
    statuses = [DRAFT] * drafts + [IN_SIGNATURE] * in_signature
    statuses += [SIGNED] * (count - drafts - in_signature - real)
    rng.shuffle(statuses)
    plans = [Plan(*people, DRAFT, now, now, *source.term, seed=0)] if real else []
    plans += [_plan(rng, people, status, now, source.term_months) for status in statuses]
    signed = sorted((p for p in plans[real:] if p.status == SIGNED), key=lambda p: p.updated_at)
    twice, once = round(len(signed) * TWO_REVIEWS_SHARE), round(len(signed) * ONE_REVIEW_SHARE)
    for index, plan in enumerate(signed[: twice + once]):  # the longest signed are reviewed
        plan.reviews = 2 if index < twice else 1
    for number, plan in enumerate(plans, start=1):
        year, segment = (plan.effective_date or now).year, rng.choice(SEGMENTS)
        plan.title = f"{people[0].name} {segment} marketing & sales SLA {year} #{number}"
    return plans


def _plan(rng, people, status, now, term_months) -> Plan:
    def days_before(moment, low, high):
        return moment - timedelta(seconds=rng.randrange(int(low * 86400), int(high * 86400)))

    updated_at = days_before(now, 0, HISTORY_DAYS)
    submitted_at = marketing_signed_at = None
    if status == SIGNED:  # completed when last updated
        submitted_at = days_before(updated_at, 1 / 24, 10)
        marketing_signed_at = submitted_at + (updated_at - submitted_at) * rng.uniform(0.1, 0.9)
    elif status == IN_SIGNATURE:  # submitted when last updated
        submitted_at = updated_at
        if rng.random() < MARKETING_SIGNED_SHARE:
            marketing_signed_at = submitted_at + (now - submitted_at) * rng.uniform(0.05, 0.5)
    # A draft's term usually starts after it is written; a submitted one's when it is signed.
    starts = updated_at + timedelta(days=rng.randrange(180) if status == DRAFT else 0)
    effective_date = date(starts.year, starts.month, 1)
    return Plan(
        *people,
        status=status,
        updated_at=updated_at,
        created_at=days_before(submitted_at or updated_at, 1, 60),
        effective_date=effective_date,
        end_date=add_months(effective_date, term_months) - timedelta(days=1),
        seed=rng.getrandbits(32),
        submitted_at=submitted_at,
        marketing_signed_at=marketing_signed_at,
        last_review_closed=rng.random() < LAST_REVIEW_CLOSED_SHARE,
    )


def _other_organizations(rng, count) -> list[tuple]:
    """`count` organisations, each with a marketing lead (owner) and a sales lead (editor) who
    log in with the demo password and have verified addresses, as signing requires."""
    names = [f"{rng.choice(COMPANIES)} {rng.choice(COMPANY_KINDS)}" for _ in range(count)]
    taken, organizations = set(Organization.objects.values_list("slug", flat=True)), []
    for name in names:
        slug = next(s for n in range(1, 10**6) if (s := f"{slugify(name)}-{n}") not in taken)
        taken.add(slug)
        organizations.append(Organization(name=name, slug=slug))
    organizations = Organization.objects.bulk_create(organizations)
    User, password, users = get_user_model(), make_password(DEMO_PASSWORD), []
    for org in organizations:
        for first, job in zip(rng.sample(FIRST_NAMES, 2), ("Marketing", "Sales"), strict=True):
            name = f"{first} {rng.choice(LAST_NAMES)}"
            email = f"{slugify(name).replace('-', '.')}@{org.slug}.example"
            users.append(User(email=email, full_name=name, job_title=f"Head of {job}"))
            users[-1].password = password
    users = User.objects.bulk_create(users)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    others = [(org, users[2 * i], users[2 * i + 1]) for i, org in enumerate(organizations)]
    Membership.objects.bulk_create(
        Membership(organization=org, user=user, role=role)
        for org, marketing, sales in others
        for user, role in ((marketing, Role.OWNER), (sales, Role.EDITOR))
    )
    return others


def _sign_one_for_real(source, demo_agreement, plan) -> None:
    """Copy, submit, render, sign and seal one agreement through the real services: its
    snapshot, PDFs and evidence are what every bulk version and slot then shares."""
    with transaction.atomic():
        agreement = _insert_agreements([plan], source)[0]
        Agreement.objects.filter(pk=agreement.pk).update(recycle_track=agreement.recycle_track_id)
        detail_from = f"copy of agreement {demo_agreement.pk}"
        audit_log(agreement, plan.marketing_lead, "created", detail_from=detail_from)
    version = version_services.agreement_submit(agreement=agreement, actor=plan.marketing_lead)
    if _built(version, "pdf", render_version_pdf) != PdfStatus.READY:
        raise RuntimeError(f"The contract PDF of {agreement} did not render: {version.pdf_error}")
    for index, lead in enumerate((plan.marketing_lead, plan.sales_lead)):
        consent, intent = signing_statements(version, version.signatures.get(signer=lead))
        evidence = signing_services.Evidence(
            pdf_sha256=version.pdf_sha256,
            consent_text=consent,
            intent_text=intent,
            method="drawn",
            image_png=squiggle_png(index + 1),  # the demo's own strokes
            typed_name="",
            ip_address=IP_ADDRESSES[index],
            user_agent="seed_scale",
            auth_method="scale test data seeded by manage.py seed_scale (no login)",
        )
        signing_services.signature_sign(version=version, signer=lead, evidence=evidence)
    _built(version, "signed_pdf", build_signed_pdf)  # shared when it is ready, else none
    source.version = version
    source.slots = {slot.role: slot for slot in version.signatures.all()}


def _built(version, kind: str, task) -> str:
    """Build the version's `kind` PDF here, since inside a transaction (a test's) the build
    queued on commit never runs; when Celery ran it eagerly on commit, this claims nothing."""
    task.apply(args=[version.pk])
    version.refresh_from_db()
    return getattr(version, f"{kind}_status")


def _insert(plans, source) -> dict:
    """One chunk: agreements, their rows, versions, signature slots and reviews, then what only
    an update sets (the timestamps Django stamps on insert, the recycle track, next review)."""
    agreements = _insert_agreements(plans, source)
    submitted = [pair for pair in zip(agreements, plans, strict=True) if pair[1].submitted_at]
    versions = AgreementVersion.objects.bulk_create(
        [_version(agreement, plan, source) for agreement, plan in submitted]
    )
    slots, reviews = [], []
    for (agreement, plan), version in zip(submitted, versions, strict=True):
        choices = random.Random(plan.seed)
        slots += _slots(version, plan, source, choices)
        if plan.status == SIGNED:
            done = _reviews(agreement, version, plan, choices)
            closed = [review.due_on for review in done if review.closed_at]
            agreement.next_review_due, reviews = next_review_due(agreement, closed), reviews + done
    Signature.objects.bulk_create(slots, batch_size=2 * BATCH_SIZE)
    Review.objects.bulk_create(reviews)
    for agreement, plan in zip(agreements, plans, strict=True):
        agreement.created_at, agreement.updated_at = plan.created_at, plan.updated_at
    fields = ["created_at", "updated_at", "recycle_track", "next_review_due"]
    Agreement.objects.bulk_update(agreements, fields, batch_size=BATCH_SIZE // 2)
    return {
        "agreements": len(agreements),
        "rows": len(agreements) * source.row_count,
        "versions": len(versions),
        "signatures": len(slots),
        "reviews": len(reviews),
    }


def _insert_agreements(plans, source) -> list[Agreement]:
    """The plans' agreements and, for each, a copy of every row of the demo agreement; the
    recycle track points at the copy's own (the caller saves it)."""
    agreements = Agreement.objects.bulk_create(
        Agreement(
            **source.fields,
            organization=plan.organization,
            title=plan.title,
            status=plan.status,
            marketing_lead=plan.marketing_lead,
            sales_lead=plan.sales_lead,
            effective_date=plan.effective_date,
            end_date=plan.end_date,
            created_by=plan.marketing_lead,
        )
        for plan in plans
    )
    for model, rows in source.rows.items():
        copies = model.objects.bulk_create(
            [model(agreement=agreement, **row) for agreement in agreements for row in rows],
            batch_size=2 * BATCH_SIZE,
        )
        if model is NurtureTrack and source.recycle_index is not None:
            for index, agreement in enumerate(agreements):
                agreement.recycle_track_id = copies[index * len(rows) + source.recycle_index].pk
    return agreements


def _version(agreement, plan, source) -> AgreementVersion:
    real, signed = source.version, plan.status == SIGNED
    version = AgreementVersion(
        agreement=agreement,
        number=1,
        created_by=plan.marketing_lead,
        created_at=plan.submitted_at,
        pdf_status=PdfStatus.READY,
        pdf=real.pdf.name,
        pdf_attempts=1,
        pdf_started_at=plan.submitted_at,
        pdf_rendered_at=plan.submitted_at + timedelta(seconds=2),
        state=VersionState.SIGNED if signed else VersionState.IN_SIGNATURE,
        signing_order=agreement.signing_order,
        completed_at=plan.updated_at if signed else None,
        **{name: getattr(real, name) for name in VERSION_FIELDS},
    )
    # The shared signed PDF; when the real one failed, a signed PDF never queued.
    if signed and real.signed_pdf_status == PdfStatus.READY:
        version.signed_pdf_status, version.signed_pdf = PdfStatus.READY, real.signed_pdf.name
        version.signed_pdf_sha256, version.signed_pdf_attempts = real.signed_pdf_sha256, 1
        version.signed_pdf_started_at = plan.updated_at
    return version


def _slots(version, plan, source, choices) -> list[Signature]:
    """The marketing lead's slot, then the sales lead's; a signed one with the evidence the real
    signature recorded, but its own signer, time and address."""
    sequential = version.signing_order == SigningOrder.SEQUENTIAL
    slots = []
    for lead, role, signed_at in (
        (plan.marketing_lead, SignerRole.MARKETING_LEAD, plan.marketing_signed_at),
        (
            plan.sales_lead,
            SignerRole.SALES_LEAD,
            plan.updated_at if plan.status == SIGNED else None,
        ),
    ):
        real, invited = source.slots[role], plan.submitted_at + timedelta(minutes=1)
        if sequential and role == SignerRole.SALES_LEAD:  # invited once marketing has signed
            invited = plan.marketing_signed_at and plan.marketing_signed_at + timedelta(minutes=1)
        slot = Signature(version=version, signer=lead, role=role, notified_at=invited)
        slot.capacity, slot.order = real.capacity, real.order
        if signed_at:
            for name in EVIDENCE_FIELDS:
                setattr(slot, name, getattr(real, name))
            slot.status, slot.signed_at = SignatureStatus.SIGNED, signed_at
            slot.ip_address = choices.choice(IP_ADDRESSES)
            slot.signer_name, slot.signer_email = lead.display_name, lead.email
            slot.signer_job_title = lead.job_title or ""
        slots.append(slot)
    return slots


def _reviews(agreement, version, plan, choices) -> list[Review]:
    """The first reviews of the schedule: every one closed (kept) but perhaps the last."""
    reviews = []
    for index, due_on in enumerate(review_dates(agreement)[: plan.reviews]):
        review = Review(agreement=agreement, version=version, due_on=due_on)
        review.period_start, review.period_end = review_period(agreement, due_on)
        review.created_by = plan.marketing_lead
        if index < plan.reviews - 1 or plan.last_review_closed:
            review.held_on = due_on + timedelta(days=choices.randrange(6))
            review.attendees = f"{plan.marketing_lead.display_name}, {plan.sales_lead.display_name}"
            review.notes = choices.choice(REVIEW_NOTES)
            review.decision = ReviewDecision.KEEP
            review.closed_at = datetime.combine(review.held_on, time(15), tzinfo=UTC)
        reviews.append(review)
    return reviews
