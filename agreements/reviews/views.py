"""Quarterly reviews: the schedule, recording actual results (typed or from a CSV), the decision."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from slaportal.errors import DomainError
from slaportal.l10n import NumberInputError, format_number, parse_number

from ..authoring.selectors import get_agreement_for_user
from ..models import ReviewDecision
from ..schedule import due_status, months_between, review_dates
from . import services
from .actuals_csv import MAX_BYTES, CsvImportError, guess_mapping, import_actuals, sniff
from .forms import CsvUploadForm, ReviewForm
from .judging import actual_value_problem, judge

SESSION_PREVIEW = "review-import-{}"


def _review_or_404(agreement, review_id):
    return get_object_or_404(agreement.reviews.select_related("version"), pk=review_id)


@login_required
def agreement_reviews(request, pk):
    agreement, membership = get_agreement_for_user(request.user, pk)
    reviews = {review.due_on: review for review in agreement.reviews.all()}
    today = timezone.localdate()
    schedule = []
    next_found = False
    for due in review_dates(agreement):
        review = reviews.get(due)
        status = None
        if not (review and review.is_closed) and not next_found:
            status = due_status(due, today, settings.REVIEW_REMINDER_DAYS)
            next_found = True
        schedule.append({"due": due, "review": review, "status": status})
    return render(
        request,
        "agreements/reviews/list.html",
        {
            "agreement": agreement,
            "organization": agreement.organization,
            "membership": membership,
            "schedule": schedule,
            "signed_version": services.signed_version_of(agreement),
        },
    )


@login_required
@require_POST
def review_start(request, pk):
    agreement, _membership = get_agreement_for_user(request.user, pk, write=True)
    try:
        due = date.fromisoformat(request.POST.get("due_on", ""))
    except ValueError:
        due = None
    try:
        review = services.review_start(agreement=agreement, actor=request.user, due_on=due)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("agreement_reviews", pk=pk)
    return redirect("review_detail", pk=pk, review_id=review.pk)


def _grid(review, posted=None, errors=None):
    """Rows per metric, a cell per month (or one cell spanning the review's months for a
    quarterly or term KPI): target, band, actual (saved or as typed), verdict."""
    stored = {(a.metric, a.month): a for a in review.actuals.all()}
    saved = {key: actual.actual for key, actual in stored.items()}
    span = len(months_between(review.period_start, review.period_end))
    rows = []
    for metric in services.review_targets(review):
        cells = []
        for month, target in metric.targets.items():
            name = f"actual:{metric.key}:{month:%Y-%m}"
            value = saved.get((metric.key, month))
            shown = posted.get(name, "") if posted is not None else format_number(value)
            limits = metric.bands.get(month)
            cells.append(
                {
                    "name": name,
                    "month": month,
                    "span": 1 if metric.per_month else span,
                    "target": target,
                    "low": limits[0] if limits else None,
                    "high": limits[1] if limits else None,
                    "value": shown,
                    "verdict": judge(value, limits, metric.direction) if posted is None else "",
                    "error": (errors or {}).get(name, ""),
                    "origin": stored[(metric.key, month)].origin
                    if (metric.key, month) in stored
                    else "",
                }
            )
        rows.append({"metric": metric, "cells": cells})
    return rows


def _parse_actuals(review, data):
    actuals, errors = {}, {}
    for metric in services.review_targets(review):
        for month in metric.targets:
            name = f"actual:{metric.key}:{month:%Y-%m}"
            raw = data.get(name, "").strip()
            if not raw:
                actuals[(metric.key, month)] = None
                continue
            try:  # "62,5" in German, "62.5" in English; a rate may carry its % sign
                value = parse_number(raw.strip("%").strip())
            except NumberInputError as error:
                errors[name] = error.message
                continue
            problem = actual_value_problem(value)
            if problem:
                errors[name] = problem
                continue
            actuals[(metric.key, month)] = value
    return actuals, errors


def _detail(
    request, review, membership, *, form=None, grid=None, upload=None, preview=None, status=200
):
    agreement = review.agreement
    return render(
        request,
        "agreements/reviews/detail.html",
        {
            "agreement": agreement,
            "organization": agreement.organization,
            "membership": membership,
            "review": review,
            "form": form
            or ReviewForm(
                initial={
                    "held_on": review.held_on or timezone.localdate(),
                    "attendees": review.attendees,
                    "notes": review.notes,
                }
            ),
            "grid": grid or _grid(review),
            "review_months": months_between(review.period_start, review.period_end),
            "upload": upload or CsvUploadForm(),
            "preview": preview,
            "decisions": ReviewDecision.choices,
            "can_edit": membership.can_edit and not review.is_closed,
        },
        status=status,
    )


@login_required
def review_detail(request, pk, review_id):
    agreement, membership = get_agreement_for_user(request.user, pk, write=request.method == "POST")
    review = _review_or_404(agreement, review_id)
    if request.method != "POST":
        return _detail(request, review, membership)
    form = ReviewForm(request.POST)
    actuals, cell_errors = _parse_actuals(review, request.POST)
    if form.is_valid() and not cell_errors:
        try:
            services.review_save(
                review=review,
                actor=request.user,
                held_on=form.cleaned_data["held_on"],
                attendees=form.cleaned_data["attendees"],
                notes=form.cleaned_data["notes"],
                actuals=actuals,
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Review saved."))
        return redirect("review_detail", pk=pk, review_id=review.pk)
    grid = _grid(review, posted=request.POST, errors=cell_errors)
    return _detail(request, review, membership, form=form, grid=grid, status=400)


@login_required
@require_POST
def review_upload(request, pk, review_id):
    """Read a CSV export and show what it would import; nothing is stored until confirmed."""
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    review = _review_or_404(agreement, review_id)
    upload = CsvUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _detail(request, review, membership, upload=upload, status=400)
    metrics = {metric.key: metric.label for metric in services.review_targets(review)}
    try:
        # Never more than the limit in memory, whatever was uploaded (larger files are refused
        # by the form from their size; this bounds the read even if a size was misreported).
        table = sniff(upload.cleaned_data["file"].read(MAX_BYTES + 1))
    except CsvImportError as exc:
        upload.add_error("file", str(exc))
        return _detail(request, review, membership, upload=upload, status=400)
    mapping = guess_mapping(table, metrics)
    if mapping is None:
        upload.add_error(
            "file",
            _("Could not tell which columns hold the month and the figures: %(columns)s.")
            % {"columns": ", ".join(table.headers)},
        )
        return _detail(request, review, membership, upload=upload, status=400)
    result = import_actuals(
        table,
        mapping,
        metrics=metrics,
        locale=request.LANGUAGE_CODE or "en",
        period_start=review.period_start,
        period_end=review.period_end,
    )
    if result.is_clean:
        request.session[SESSION_PREVIEW.format(review.pk)] = [
            [value.metric, value.month.isoformat(), str(value.value)] for value in result.values
        ]
    return _detail(
        request, review, membership, preview=result, status=200 if result.is_clean else 400
    )


@login_required
@require_POST
def review_import(request, pk, review_id):
    agreement, _membership = get_agreement_for_user(request.user, pk, write=True)
    review = _review_or_404(agreement, review_id)
    rows = request.session.pop(SESSION_PREVIEW.format(review.pk), None)
    if not rows:
        messages.error(request, _("Upload the file again: the preview has expired."))
        return redirect("review_detail", pk=pk, review_id=review.pk)
    values = [(metric, date.fromisoformat(month), Decimal(value)) for metric, month, value in rows]
    try:
        count = services.review_import(review=review, actor=request.user, values=values)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)s values imported.") % {"count": count})
    return redirect("review_detail", pk=pk, review_id=review.pk)


@login_required
@require_POST
def review_close(request, pk, review_id):
    agreement, _membership = get_agreement_for_user(request.user, pk, write=True)
    review = _review_or_404(agreement, review_id)
    try:
        services.review_close(
            review=review, actor=request.user, decision=request.POST.get("decision", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("review_detail", pk=pk, review_id=review.pk)
    if review.decision == ReviewDecision.REVISE or request.POST.get("decision") == "revise":
        messages.success(
            request, _("The agreement is a draft again: revise it, then submit it for signature.")
        )
        return redirect("agreement_edit", pk=pk, section_key="kpis")
    messages.success(request, _("Review closed: the agreement stays as it is."))
    return redirect("agreement_reviews", pk=pk)


@login_required
@require_POST
def agreement_revise(request, pk):
    agreement, _membership = get_agreement_for_user(request.user, pk, write=True)
    try:
        services.agreement_revise(agreement=agreement, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("agreement_versions", pk=pk)
    messages.success(request, _("Revision started from the signed version."))
    return redirect("agreement_edit", pk=pk, section_key="parties")


@login_required
@require_POST
def review_apply_rates(request, pk, review_id):
    agreement, _membership = get_agreement_for_user(request.user, pk, write=True)
    review = _review_or_404(agreement, review_id)
    try:
        applied = services.apply_actual_rates(
            agreement=agreement, review=review, actor=request.user
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("review_detail", pk=pk, review_id=review.pk)
    messages.success(
        request,
        _("The funnel plan now uses the actual rates: %(rates)s.")
        % {"rates": ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in applied.items())},
    )
    return redirect("agreement_edit", pk=pk, section_key="kpis")
