"""The organisation's dashboard: its agreements with what each needs next, and the slots
waiting for the user's signature. It reads across the lifecycle packages, so it sits above them."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from organizations.selectors import get_membership_for_user
from organizations.views import remember_current_org

from .models import Agreement, AgreementVersion
from .reviews.schedule import due_status, next_review_due
from .signing.selectors import awaiting_signature


def agreements_for_dashboard(organization, today=None):
    """The organisation's agreements, each with `review_due` (a DueStatus or None)."""
    today = today or timezone.localdate()
    agreements = list(
        Agreement.objects.for_organization(organization)
        .select_related("created_by")
        .prefetch_related(
            "reviews",
            # Only the state is needed here, not each version's (large) snapshot.
            Prefetch(
                "versions", queryset=AgreementVersion.objects.only("id", "agreement_id", "state")
            ),
        )
        .order_by("-updated_at", "-id")
    )
    for agreement in agreements:
        signed = any(v.state == "signed" for v in agreement.versions.all())
        agreement.signed_version_in_force = signed
        closed = [r.due_on for r in agreement.reviews.all() if r.is_closed]
        due = next_review_due(agreement, closed) if signed else None
        agreement.review_due = due_status(due, today, settings.REVIEW_REMINDER_DAYS)
    return agreements


@login_required
def dashboard(request, slug):
    membership = get_membership_for_user(request.user, slug)
    organization = membership.organization
    remember_current_org(request, organization)
    return render(
        request,
        "agreements/dashboard.html",
        {
            "membership": membership,
            "organization": organization,
            "agreements": agreements_for_dashboard(organization),
            "awaiting": awaiting_signature(request.user, organization),
        },
    )
