"""Submitting a draft for signature, and the versions with their PDFs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

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
    return render(request, "agreements/versions/detail.html", context)


@login_required
def version_pdf_status(request, pk, number):
    """The PDF card on its own: htmx polls it until the PDF is ready or failed."""
    version, membership = get_version_for_user(request.user, pk, number)
    return render(request, "agreements/versions/_pdf.html", _version_context(version, membership))


@login_required
@xframe_options_sameorigin  # the version page shows the PDF in a frame
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
