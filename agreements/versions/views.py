"""Submitting a draft for signature, and the versions with their PDFs."""

from csp.decorators import csp_exempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from notifications.outbox import emails_about, send_again
from organizations.models import Role
from slaportal.errors import DomainError

from ..authoring.selectors import get_agreement_for_user
from ..lifecycle import slot_is_open
from ..models import PdfStatus
from . import services
from .selectors import get_version_for_user, versions_of


@login_required
@require_POST
def agreement_submit(request, pk):
    agreement, _membership = get_agreement_for_user(request.user, pk, write=True)
    try:
        version = services.agreement_submit(agreement=agreement, actor=request.user)
    except services.IncompleteAgreement as exc:
        messages.error(request, str(exc))
        first_incomplete = next(iter(exc.missing))
        return redirect("agreement_edit", pk=agreement.pk, section_key=first_incomplete)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("agreement_versions", pk=agreement.pk)
    messages.success(
        request,
        _("Version %(number)s is frozen. Its PDF is being prepared.") % {"number": version.number},
    )
    return redirect("version_detail", pk=agreement.pk, number=version.number)


@login_required
def agreement_versions(request, pk):
    agreement, membership = get_agreement_for_user(request.user, pk)
    return render(
        request,
        "agreements/versions/list.html",
        {
            "agreement": agreement,
            "organization": agreement.organization,
            "membership": membership,
            "versions": versions_of(agreement),
        },
    )


def _version_context(version, membership, user=None):
    signatures = list(version.signatures.select_related("signer").order_by("order"))
    my_slot = next((s for s in signatures if user and s.signer_id == user.pk), None)
    return {
        "signatures": signatures,
        "my_slot": my_slot,
        "can_sign": bool(
            my_slot and slot_is_open(my_slot, version) and version.pdf_status == PdfStatus.READY
        ),
        "agreement": version.agreement,
        "organization": version.agreement.organization,
        "membership": membership,
        "version": version,
        "pending": version.pdf_status in (PdfStatus.QUEUED, PdfStatus.RENDERING),
    }


@login_required
def version_detail(request, pk, number):
    version, membership = get_version_for_user(request.user, pk, number)
    context = _version_context(version, membership, request.user)
    context["emails"] = _emails(version)
    context["can_resend_emails"] = _may_resend_emails(request.user, membership, version.agreement)
    return render(request, "agreements/versions/detail.html", context)


EMAIL_LABELS = {
    "sign_request": gettext_lazy("Invitation to %(recipient)s"),
    "outcome_signed": gettext_lazy("Signed agreement to %(recipient)s"),
    "outcome_declined": gettext_lazy("Notice of the decline to %(recipient)s"),
}


def _emails(version) -> list:
    """The version's emails from the outbox, each with what it is ("Invitation to X")."""
    emails = list(emails_about(version))
    for email in emails:
        label = EMAIL_LABELS.get(email.kind, gettext_lazy("Email to %(recipient)s"))
        email.label = label % {"recipient": email.recipient}
    return emails


def _may_resend_emails(user, membership, agreement) -> bool:
    leads = {agreement.marketing_lead_id, agreement.sales_lead_id}
    return membership.role == Role.OWNER or (membership.role != Role.VIEWER and user.pk in leads)


@login_required
@require_POST
def version_email_resend(request, pk, number, email_id):
    """Queue a failed email about the version again (owners and the agreement's leads)."""
    version, membership = get_version_for_user(request.user, pk, number, write=True)
    if not _may_resend_emails(request.user, membership, version.agreement):
        raise PermissionDenied
    email = get_object_or_404(emails_about(version), pk=email_id)
    if send_again(email):
        messages.success(request, _("The email is queued to be sent again."))
    else:
        messages.error(request, _("Only an email that failed can be sent again."))
    return redirect("version_detail", pk=pk, number=number)


@login_required
def version_pdf_status(request, pk, number):
    """The PDF card on its own: htmx polls it until the PDF is ready or failed."""
    version, membership = get_version_for_user(request.user, pk, number)
    return render(request, "agreements/versions/_pdf.html", _version_context(version, membership))


@login_required
@xframe_options_sameorigin  # the version page shows the PDF in a frame
@csp_exempt()  # a PDF, not a page: a policy on it can stop the browser's PDF viewer
def version_pdf(request, pk, number):
    version, _membership = get_version_for_user(request.user, pk, number)
    if version.pdf_status != PdfStatus.READY:
        raise Http404("The PDF is not ready")
    download = request.GET.get("download") == "1"
    return FileResponse(
        version.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=download,
        filename=f"{version.document_id}.pdf",
    )


@login_required
@require_POST
def version_retry(request, pk, number):
    version, _membership = get_version_for_user(request.user, pk, number, write=True)
    try:
        services.version_retry_render(version=version, actor=request.user)
        messages.success(request, _("Rendering the PDF again."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("version_detail", pk=pk, number=number)
