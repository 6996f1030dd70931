"""The organisation's dashboard: its agreements with what each needs next, and the slots
waiting for the user's signature. It reads across the lifecycle packages, so it sits above them.

Every column is computed in SQL for the page shown only, so the number of queries does not grow
with the organisation; the indexes `agreement_org_recent` and `signature_pending_by_signer` let
PostgreSQL read just that page instead of sorting the whole organisation (bench/bench_pages.py).
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.selectors import get_membership_for_user
from organizations.views import remember_current_org

from .models import Agreement, AgreementStatus, AgreementVersion, VersionState
from .schedule import due_status
from .signing.selectors import awaiting_signature, open_slots_of

PAGE_SIZE = 25
AWAITING_SHOWN = 10


class DashboardFilters(forms.Form):
    """What the list is narrowed to, from the query string; bad values are named, not ignored."""

    q = forms.CharField(label=_("Search titles"), required=False, max_length=100, strip=True)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *AgreementStatus.choices],
    )
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All agreements")),
            ("awaiting", _("Awaiting my signature")),
            ("review_due", _("Review due or overdue")),
        ],
    )


def agreements_for_dashboard(organization, user, *, query="", status="", show="", today=None):
    """The organisation's agreements that match the filters, newest change first. The derived
    columns are added by `page_of_agreements`, for the page shown only."""
    today = today or timezone.localdate()
    agreements = Agreement.objects.for_organization(organization).order_by("-updated_at", "-id")
    if query:
        agreements = agreements.filter(title__icontains=query)
    if status:
        agreements = agreements.filter(status=status)
    if show == "awaiting":
        agreements = agreements.filter(_awaiting(user))
    elif show == "review_due":
        soon = today + timedelta(days=settings.REVIEW_REMINDER_DAYS)
        agreements = agreements.filter(next_review_due__lte=soon)
    return agreements


def _awaiting(user):
    return Exists(open_slots_of(user).filter(version__agreement=OuterRef("pk")))


def _signed_version_in_force():
    return Exists(
        AgreementVersion.objects.filter(agreement=OuterRef("pk"), state=VersionState.SIGNED)
    )


def page_of_agreements(agreements, user, number, today=None):
    """One page of `agreements`, its rows annotated with `signed_version_in_force`, `awaiting_me`,
    `compliance_alerts` and `review_due` (a DueStatus or None).

    Two queries: the page's ids in list order (an index scan that stops after the page), then
    those rows with their columns. Annotating the list query itself makes PostgreSQL hash every
    signed version and open slot of the organisation first, a cost that grows with its size."""
    today = today or timezone.localdate()
    page = Paginator(agreements.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    rows = (
        Agreement.objects.filter(pk__in=ids)
        .annotate(
            signed_version_in_force=_signed_version_in_force(),
            awaiting_me=_awaiting(user),
            # Commitments missed or on course to miss, measured from the lead events (the
            # compliance app keeps the count on its measurement; a join, no extra query).
            compliance_alerts=F("measurement__alert_count"),
        )
        .only("id", "title", "status", "updated_at", "next_review_due", "organization_id")
    )
    by_id = {row.pk: row for row in rows}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    for agreement in page.object_list:
        agreement.review_due = due_status(
            agreement.next_review_due, today, settings.REVIEW_REMINDER_DAYS
        )
    return page


@login_required
def dashboard(request, slug):
    membership = get_membership_for_user(request.user, slug)
    organization = membership.organization
    remember_current_org(request, organization)
    filters = DashboardFilters(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    agreements = agreements_for_dashboard(
        organization,
        request.user,
        query=chosen.get("q", ""),
        status=chosen.get("status", ""),
        show=chosen.get("show", ""),
    )
    page = page_of_agreements(agreements, request.user, request.GET.get("page"))
    awaiting_first = list(awaiting_signature(request.user, organization)[: AWAITING_SHOWN + 1])
    filtered = bool(filters.is_bound and any(request.GET.get(key) for key in filters.fields))
    return render(
        request,
        "agreements/dashboard.html",
        {
            "membership": membership,
            "organization": organization,
            "filters": filters,
            "filtered": filtered,
            "page": page,
            "agreements": page.object_list,
            "has_agreements": filtered or page.paginator.count > 0,
            "awaiting": awaiting_first[:AWAITING_SHOWN],
            "more_awaiting": len(awaiting_first) > AWAITING_SHOWN,
            "query_string": _without_page(request.GET),
        },
    )


def _without_page(params) -> str:
    """The query string of the current filters, for the pagination links."""
    kept = params.copy()
    kept.pop("page", None)
    return kept.urlencode()
