"""Quarterly reviews, reminders, and starting a revision from the signed agreement."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from slaportal.errors import DomainError
from webhooks import payloads as webhook_payloads  # webhooks: events for the org's endpoints
from webhooks.events import emit as emit_webhook

from ..audit import audit_log
from ..authoring import rates as rate_storage
from ..authoring.funnel_targets import sync_funnel_kpis
from ..lifecycle import move_agreement, refresh_next_review_due
from ..models import (
    ActualOrigin,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    ReminderKind,
    Review,
    ReviewActual,
    ReviewDecision,
    ReviewReminder,
    VersionState,
)
from ..schedule import (
    due_status,
    months_between,
    next_review_due,
    review_dates,
    review_period,
)
from .emails import queue_review_reminder
from .judging import DIMENSION_STAGES, actual_rates, dimension_key, review_metrics


def signed_version_of(agreement) -> AgreementVersion | None:
    return agreement.versions.filter(state=VersionState.SIGNED).order_by("-number").first()


def _locked(agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


@transaction.atomic
def review_start(*, agreement, actor, due_on: date | None = None) -> Review:
    """Open the review for the next due date (or `due_on`) of the signed version in force."""
    agreement = _locked(agreement)
    version = signed_version_of(agreement)
    if version is None:
        raise DomainError(_("Only a signed agreement is reviewed."))
    closed = agreement.reviews.exclude(closed_at=None).values_list("due_on", flat=True)
    if due_on is not None and due_on not in review_dates(agreement):
        raise DomainError(_("Reviews are held on the dates of the agreement's review schedule."))
    due_on = due_on or next_review_due(agreement, closed)
    if due_on is None:
        raise DomainError(_("Every review of this agreement's term has been held."))
    existing = agreement.reviews.filter(due_on=due_on).first()
    if existing:
        return existing
    start, end = review_period(agreement, due_on)
    review = Review.objects.create(
        agreement=agreement,
        version=version,
        due_on=due_on,
        period_start=start,
        period_end=end,
        created_by=actor,
    )
    audit_log(agreement, actor, "review_started", f"review due {due_on}", version=version.number)
    return review


def review_targets(review) -> list:
    return review_metrics(
        review.version.snapshot, months_between(review.period_start, review.period_end)
    )


def _ensure_open(review) -> None:
    if review.is_closed:
        raise DomainError(_("This review is closed; its record no longer changes."))


@transaction.atomic
def review_save(*, review, actor, held_on, attendees: str, notes: str, actuals: dict) -> Review:
    """Record the meeting and the actual figures: `actuals` maps (metric, month) to a Decimal
    or None (not known yet)."""
    _locked(review.agreement)
    review = Review.objects.select_for_update().get(pk=review.pk)
    _ensure_open(review)
    review.held_on, review.attendees, review.notes = held_on, attendees.strip(), notes.strip()
    review.save(update_fields=["held_on", "attendees", "notes"])
    _store_actuals(review, actuals)
    audit_log(review.agreement, actor, "review_recorded", f"review due {review.due_on}")
    return review


def _store_actuals(review, actuals: dict, origin=ActualOrigin.TYPED) -> None:
    metrics = {metric.key: metric for metric in review_targets(review)}
    for (key, month), value in actuals.items():
        metric = metrics.get(key)
        if metric is None or month not in metric.targets:
            continue  # not a metric or month of this review: ignore rather than invent
        if value is None:
            review.actuals.filter(metric=key, month=month).delete()
            continue
        existing = review.actuals.filter(metric=key, month=month).first()
        if origin == ActualOrigin.TYPED and existing and existing.actual == value:
            continue  # the form sends every cell back: an unchanged one keeps its origin
        ReviewActual.objects.update_or_create(
            review=review,
            metric=key,
            month=month,
            defaults={
                "label": metric.label,
                "target": metric.targets[month],
                "actual": value,
                "origin": origin,
            },
        )


@transaction.atomic
def review_import(*, review, actor, values: list[tuple[str, date, Decimal]]) -> int:
    """Store a clean CSV preview the user confirmed."""
    _locked(review.agreement)
    review = Review.objects.select_for_update().get(pk=review.pk)
    _ensure_open(review)
    _store_actuals(
        review,
        {(metric, month): value for metric, month, value in values},
        ActualOrigin.IMPORTED,
    )
    audit_log(
        review.agreement, actor, "review_imported", f"review due {review.due_on}", rows=len(values)
    )
    return len(values)


@transaction.atomic
def review_fill_measured(*, review, actor, values: dict) -> int:
    """Store the actual figures measured from the CRM's lead events (compliance.review_fill):
    `values` maps (metric, month) to a count; each is marked as measured."""
    _locked(review.agreement)
    review = Review.objects.select_for_update().get(pk=review.pk)
    _ensure_open(review)
    _store_actuals(review, values, ActualOrigin.MEASURED)
    audit_log(
        review.agreement, actor, "review_measured", f"review due {review.due_on}", rows=len(values)
    )
    return len(values)


@transaction.atomic
def review_close(*, review, actor, decision: str) -> Review:
    """End the review with its decision; "revise" opens a revision of the agreement."""
    agreement = _locked(review.agreement)
    review = Review.objects.select_for_update().get(pk=review.pk)
    _ensure_open(review)
    if decision not in ReviewDecision.values:
        raise DomainError(_("Decide whether to keep the agreement or revise it."))
    if review.held_on is None:
        raise DomainError(_("Record the date the review was held before closing it."))
    review.decision, review.closed_at = decision, timezone.now()
    review.save(update_fields=["decision", "closed_at"])
    refresh_next_review_due(agreement)
    audit_log(agreement, actor, "review_closed", f"review due {review.due_on}", decision=decision)
    emit_webhook(agreement.organization_id, "review.recorded", webhook_payloads.review, review)
    if decision == ReviewDecision.REVISE and agreement.status == AgreementStatus.SIGNED:
        agreement_revise(agreement=agreement, actor=actor)
    return review


@transaction.atomic
def agreement_revise(*, agreement, actor) -> Agreement:
    """A new draft from the signed agreement: every section and the funnel plan as signed.

    The rows of a signed agreement are exactly its signed version's (only drafts change), so
    the draft starts from them; the signed version stays in force until the revision is signed.
    """
    agreement = _locked(agreement)
    version = signed_version_of(agreement)
    if agreement.status != AgreementStatus.SIGNED or version is None:
        raise DomainError(_("Only a signed agreement can be revised."))
    move_agreement(agreement, AgreementStatus.DRAFT)
    agreement.save(update_fields=["status", "updated_at"])
    audit_log(agreement, actor, "revision_started", f"from version {version.number}")
    return agreement


def _stored_rates(achieved: dict[str, Decimal]) -> dict[str, Decimal]:
    # Rounded to a hundredth of a percent: 23.85%, not 26/109.
    return {
        name: rate_storage.to_stored(_fraction(value.quantize(Decimal("0.0001"))))
        for name, value in achieved.items()
    }


def _stage_totals(totals: dict, dimension: str, index: int) -> dict[str, Decimal]:
    return {
        stage: totals[dimension_key(stage, dimension, index)]
        for stage in DIMENSION_STAGES[dimension]
        if dimension_key(stage, dimension, index) in totals
    }


@transaction.atomic
def apply_actual_rates(*, agreement, review, actor) -> dict[str, str]:
    """Give the draft's funnel plan the conversion rates the review's period achieved, in one
    step with one audit entry: each revenue stream its own rates where the review recorded that
    stream's stages (the plan's overall rates otherwise; streams are never averaged where they
    were measured apart), and each lead source its own lead -> MQL rate where its leads and MQLs
    were recorded. Streams and sources are matched to the signed version's by name."""
    agreement = _locked(agreement)
    if agreement.status != AgreementStatus.DRAFT:
        raise DomainError(_("Start a revision first: only a draft's funnel plan changes."))
    totals = {}
    for actual in review.actuals.all():
        totals[actual.metric] = totals.get(actual.metric, Decimal(0)) + actual.actual
    funnel = review.version.snapshot.get("funnel") or {}
    signed_streams = [s["name"] for s in funnel.get("streams", [])]
    signed_sources = [s["name"] for s in funnel.get("sources", [])]
    overall = actual_rates(totals)

    applied, changes = {}, {"streams": {}, "sources": {}}
    streams = list(agreement.funnelstream_rows.order_by("position", "id"))
    for stream in streams:
        index = signed_streams.index(stream.name) if stream.name in signed_streams else None
        own = None
        if index is not None and len(signed_streams) > 1:
            own = actual_rates(_stage_totals(totals, "stream", index))
        achieved = own or overall
        if achieved is None:
            continue
        stored = _stored_rates(achieved)
        _update_rates(stream, stored)
        changes["streams"][stream.name] = {k: str(v) for k, v in stored.items()}
        for name, value in stored.items():
            label = name if len(streams) == 1 else f"{stream.name}: {name}"
            applied[label] = rate_storage.display(value)
    if len(signed_sources) > 1:
        for source in agreement.funnelsource_rows.order_by("position", "id"):
            if source.name not in signed_sources:
                continue
            counts = _stage_totals(totals, "source", signed_sources.index(source.name))
            leads, mqls = counts.get("leads"), counts.get("mqls")
            if not leads or mqls is None or mqls > leads:
                continue
            stored = _stored_rates({"lead_to_mql_rate": mqls / leads})
            _update_rates(source, stored)
            changes["sources"][source.name] = {k: str(v) for k, v in stored.items()}
            applied[f"{source.name}: lead_to_mql_rate"] = rate_storage.display(
                stored["lead_to_mql_rate"]
            )
    if not applied:
        raise DomainError(
            _("The review needs actual leads, MQLs, SQLs, opportunities and deals to derive rates.")
        )
    figures = sync_funnel_kpis(agreement)
    audit_log(
        agreement,
        actor,
        "actual_rates_applied",
        f"review due {review.due_on}",
        **changes,
        plan_figures=figures,
    )
    return applied


def _update_rates(row, stored: dict) -> None:
    type(row).objects.filter(pk=row.pk).update(**stored, revision=row.revision + 1)


def _fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def send_review_reminders(today: date | None = None) -> int:
    """Email both leads N days before each review date and once when it is overdue."""
    today = today or timezone.localdate()
    sent = 0
    agreements = Agreement.objects.filter(versions__state=VersionState.SIGNED).distinct()
    for agreement in agreements.select_related("marketing_lead", "sales_lead"):
        closed = agreement.reviews.exclude(closed_at=None).values_list("due_on", flat=True)
        due = next_review_due(agreement, closed)
        if due is None:
            continue
        state = due_status(due, today, settings.REVIEW_REMINDER_DAYS).state
        kind = {"overdue": ReminderKind.OVERDUE, "due_soon": ReminderKind.UPCOMING}.get(state)
        if kind is None:
            continue
        try:
            with transaction.atomic():  # the reminder's record and its emails, together
                ReviewReminder.objects.create(agreement=agreement, due_on=due, kind=kind)
                queue_review_reminder(agreement, due, kind)
                emit_webhook(
                    agreement.organization_id,
                    "review.due",
                    webhook_payloads.review_due,
                    agreement,
                    due,
                    kind,
                )
        except IntegrityError:
            continue  # already reminded for this date
        sent += 1
    return sent
