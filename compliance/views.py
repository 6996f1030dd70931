"""The compliance page of an agreement, its CSV downloads and the drill-down to the leads."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from agreements.authoring.selectors import get_agreement_for_user
from slaportal.errors import DomainError
from slaportal.l10n import format_moment
from slaportal.queueing import enqueue

from . import report, tables
from .charts import distribution_svg, trend_svg
from .models import LeadEvent
from .review_fill import fill_review
from .selectors import drill_down, measured_plan, measurement_of
from .tasks import refresh_compliance

FILTERS = ("source", "stream", "owner")


def _filters(request, groups) -> dict:
    """The chosen source, stream and owner, each only if the events name it."""
    chosen = {}
    for name in FILTERS:
        value = request.GET.get(name, "")
        if value and value in groups[name]:
            chosen[name] = value
    return chosen


def _context(request, pk):
    agreement, membership = get_agreement_for_user(request.user, pk)
    plan = measured_plan(agreement)
    context = {
        "agreement": agreement,
        "organization": agreement.organization,
        "membership": membership,
        "plan": plan,
        "measurement": measurement_of(agreement),
    }
    return agreement, plan, context


@login_required
def compliance_page(request, pk):
    agreement, plan, context = _context(request, pk)
    if plan is not None:
        groups = report.groups(agreement)
        filters = _filters(request, groups)
        data = report.build(agreement, plan, filters, timezone.localdate())
        bucket_labels = [tables.bucket_label(item["bucket"]) for item in data["distribution"]]
        for item in data["commitments"]:
            item.chart = trend_svg(item, title=item.commitment.text)
        context.update(
            data,
            groups=groups,
            filters=filters,
            query=request.GET.urlencode(),
            owners=report.by_owner(agreement, plan, filters, data["months"]),
            distribution_chart=distribution_svg(data["distribution"], bucket_labels),
            bucket_labels=bucket_labels,
            distribution_rows=list(zip(bucket_labels, data["distribution"], strict=True)),
        )
    return render(request, "compliance/page.html", context)


@login_required
def compliance_csv(request, pk, table):
    if table not in tables.TABLES:
        raise Http404("No such table")
    agreement, plan, _context_unused = _context(request, pk)
    if plan is None:
        raise Http404("No signed version in force")
    filters = _filters(request, report.groups(agreement))
    data = report.build(agreement, plan, filters, timezone.localdate())
    owners = report.by_owner(agreement, plan, filters, data["months"]) if table == "owners" else []
    filename = f"compliance-{agreement.pk}-{table}.csv"
    return tables.csv_response(filename, tables.rows(table, data, owners))


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise Http404("Not a month") from None


@login_required
def compliance_leads(request, pk, index, month, outcome):
    agreement, plan, context = _context(request, pk)
    if plan is None or outcome not in ("met", "missed", "pending"):
        raise Http404("Nothing to list")
    page = request.GET.get("page", "1")
    drill = drill_down(
        agreement, plan, index, _month(month), outcome, int(page) if page.isdigit() else 1
    )
    if request.GET.get("format") == "csv":
        return tables.csv_response(
            f"compliance-{agreement.pk}-{index}-{month}-{outcome}.csv",
            lead_rows(drill, plan),
        )
    zone = plan.calendar.zone
    shown = [
        {
            "lead": lead,
            "started": format_moment(getattr(lead, drill.started_field), zone=zone),
            "stopped": format_moment(getattr(lead, drill.stopped_field), zone=zone)
            if drill.stopped_field
            else None,
            "hours": getattr(lead, drill.hours_field) if drill.hours_field else None,
        }
        for lead in drill.leads
    ]
    context.update(drill=drill, calendar=plan.calendar, rows=shown)
    return render(request, "compliance/leads.html", context)


def lead_rows(drill, plan) -> list[list]:
    zone = plan.calendar.zone
    header = [
        _("Lead"),
        pgettext("lead owner", "Owner"),
        _("Source"),
        _("Stream"),
        _("Clock started"),
    ]
    header += [_("Clock stopped"), _("Business hours"), _("Attempts")]
    rows = [header]
    for lead in drill.leads:
        started = getattr(lead, drill.started_field)
        stopped = getattr(lead, drill.stopped_field) if drill.stopped_field else None
        hours = getattr(lead, drill.hours_field) if drill.hours_field else None
        rows.append(
            [
                lead.lead_id,
                lead.owner,
                lead.source,
                lead.stream,
                started.astimezone(zone).isoformat() if started else "",
                stopped.astimezone(zone).isoformat() if stopped else "",
                "" if hours is None else round(hours, 2),
                lead.attempts,
            ]
        )
    return rows


@login_required
@require_POST
def compliance_refresh(request, pk):
    agreement, _membership = get_agreement_for_user(request.user, pk, write=True)
    if not enqueue(refresh_compliance, agreement.pk):
        messages.error(
            request, _("The figures cannot be measured right now; the hourly run will do it.")
        )
        return redirect("agreement_compliance", pk=agreement.pk)
    messages.success(request, _("The figures are being measured again from the lead events."))
    return redirect("agreement_compliance", pk=agreement.pk)


@login_required
@require_POST
def review_fill_events(request, pk, review_id):
    agreement, _membership = get_agreement_for_user(request.user, pk, write=True)
    review = get_object_or_404(agreement.reviews.select_related("version"), pk=review_id)
    if not LeadEvent.objects.filter(agreement=agreement).exists():
        messages.error(request, _("No lead events yet: nothing to measure the review from."))
        return redirect("review_detail", pk=agreement.pk, review_id=review.pk)
    try:
        filled = fill_review(review, request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(count)s figures measured from the lead events; they are marked “measured”.")
            % {"count": filled},
        )
    return redirect("review_detail", pk=agreement.pk, review_id=review.pk)
