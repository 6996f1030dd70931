"""The `data` of each event, built from the agreement's own rows at the moment of the event.

Called by events.emit only when some endpoint wants the event, inside the transaction of the
change, so it reads what that change wrote. Rows are read through the instances the caller
holds (never by importing agreements/: that app calls us, not the other way round), and read
again where the caller changed them with an UPDATE. Links are absolute (SITE_URL); `api` links
are the REST API's downloads (api/v1).
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

READY = "ready"  # PdfStatus.READY
PENDING = "pending"  # SignatureStatus.PENDING


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return value.isoformat()


def number(value: Decimal | None) -> int | float | None:
    """A JSON number. Amounts here have at most 15 significant digits, which a float's
    shortest representation prints exactly (1234.5 stays 1234.5)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def agreement(agreement) -> dict:
    return {
        "id": agreement.pk,
        "title": agreement.title,
        "status": agreement.status,
        "language": agreement.language,
        "url": absolute(reverse("agreement_versions", args=[agreement.pk])),
    }


def _api(version, name: str) -> str:
    return absolute(f"/api/v1/agreements/{version.agreement_id}/versions/{version.number}/{name}")


def _version(version) -> dict:
    pk, number_ = version.agreement_id, version.number
    pdf_ready = version.pdf_status == READY
    signed_ready = version.signed_pdf_status == READY
    return {
        "number": number_,
        "state": version.state,
        "document_id": version.document_id,
        "created_at": iso(version.created_at),
        "completed_at": iso(version.completed_at),
        "url": absolute(reverse("version_detail", args=[pk, number_])),
        "pdf": {
            "status": version.pdf_status,
            "sha256": version.pdf_sha256 or None,
            "pages": version.page_count,
            "url": absolute(reverse("version_pdf", args=[pk, number_])) if pdf_ready else None,
            "api": _api(version, "pdf") if pdf_ready else None,
        },
        "signed_pdf": {
            "status": version.signed_pdf_status or None,
            "sha256": version.signed_pdf_sha256 or None,
            "url": absolute(reverse("signed_pdf", args=[pk, number_])) if signed_ready else None,
            "api": _api(version, "signed-pdf") if signed_ready else None,
        },
    }


def _fresh(instance, *related):
    return type(instance).objects.select_related(*related).get(pk=instance.pk)


def version(version) -> dict:
    """version.pdf_ready and version.signed: the version as stored now, with its signatories."""
    version = _fresh(version, "agreement")
    slots = version.signatures.order_by("order", "pk").select_related("signer")
    return {
        "agreement": agreement(version.agreement),
        "version": _version(version),
        "signatures": [_signature(slot) for slot in slots],
    }


def _signature(slot) -> dict:
    return {
        "id": slot.pk,
        "status": slot.status,
        "signer": {
            # As recorded at signing; a pending or declined slot has only the account's name.
            "name": slot.signer_name or slot.signer.display_name,
            "role": slot.role,
            "capacity": slot.capacity,
        },
        "signed_at": iso(slot.signed_at),
        "method": slot.method or None,
        "declined_at": iso(slot.declined_at),
        "decline_reason": slot.decline_reason or None,
    }


def signature(slot) -> dict:
    """signature.signed and signature.declined: the slot, its version and what remains."""
    slot = _fresh(slot, "signer", "version__agreement")
    version = slot.version
    return {
        "agreement": agreement(version.agreement),
        "version": _version(version),
        "signature": _signature(slot),
        "pending_signatures": version.signatures.filter(status=PENDING).count(),
    }


def review_due(agreement_, due_on: date, reminder: str) -> dict:
    """review.due: the reminder sent `reminder` ("upcoming" or "overdue") for the review due on
    `due_on`; the review itself exists only once someone has started it."""
    review = agreement_.reviews.filter(due_on=due_on).first()
    period_end = due_on - timedelta(days=1)  # a review looks back on the months before it
    url = (
        reverse("review_detail", args=[agreement_.pk, review.pk])
        if review
        else reverse("agreement_reviews", args=[agreement_.pk])
    )
    return {
        "agreement": agreement(agreement_),
        "review": {
            "id": review.pk if review else None,
            "due_on": iso(due_on),
            "reminder": reminder,
            "cadence": agreement_.review_cadence,
            "period_end": iso(period_end),
            "quarter": quarter(period_end),
            "url": absolute(url),
        },
    }


def review(review) -> dict:
    """review.recorded: a closed review, its decision and every actual figure beside its target."""
    review = _fresh(review, "agreement", "version")
    actuals = review.actuals.order_by("metric", "month")
    return {
        "agreement": agreement(review.agreement),
        "version": {
            "number": review.version.number,
            "url": absolute(
                reverse("version_detail", args=[review.agreement_id, review.version.number])
            ),
        },
        "review": {
            "id": review.pk,
            "due_on": iso(review.due_on),
            "quarter": quarter(review.period_end),
            "period_start": iso(review.period_start),
            "period_end": iso(review.period_end),
            "held_on": iso(review.held_on),
            "decision": review.decision or None,
            "closed_at": iso(review.closed_at),
            "url": absolute(reverse("review_detail", args=[review.agreement_id, review.pk])),
            "actuals": [
                {
                    "metric": row.metric,
                    "label": row.label,
                    "month": iso(row.month),
                    "target": number(row.target),
                    "actual": number(row.actual),
                }
                for row in actuals
            ],
        },
    }
