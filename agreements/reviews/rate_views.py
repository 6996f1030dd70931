"""A review's actual conversion rates in the revision's funnel plan: the confirmation of every
figure that would change, then applying them (the review service does both). Reached from the
editor's funnel section and from the review page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from slaportal.errors import DomainError

from ..authoring.selectors import get_agreement_for_user
from . import services as review_services
from .rate_preview import describe_applied, preview_actual_rates


@login_required
@require_http_methods(["GET", "POST"])
def use_actual_rates(request, pk, review_id):
    """Confirm (GET: every figure that would change), then apply (POST) a review's actual
    conversion rates to the draft's funnel plan; the review service decides both."""
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    review = get_object_or_404(agreement.reviews.select_related("version"), pk=review_id)
    funnel_url = reverse("agreement_edit", args=[agreement.pk, "kpis"]) + "#funnel-results"
    if request.method == "POST":
        try:
            applied = review_services.apply_actual_rates(
                agreement=agreement, review=review, actor=request.user
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The funnel plan now uses the actual rates: %(rates)s.")
                % {"rates": describe_applied(applied)},
            )
        return redirect(funnel_url)
    try:
        changes = preview_actual_rates(agreement=agreement, review=review, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(funnel_url)
    return render(
        request,
        "agreements/editor/actual_rates.html",
        {
            "agreement": agreement,
            "organization": agreement.organization,
            "membership": membership,
            "review": review,
            "changes": changes,
        },
    )
