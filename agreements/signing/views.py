"""Signing in the browser, declining, and downloading the signed PDF."""

from csp.decorators import csp_exempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.verification import verified_email
from slaportal.client_ip import client_ip
from slaportal.errors import DomainError

from ..audit import audit_log
from ..lifecycle import lock_agreement, slot_is_open
from ..models import PdfStatus, Signature
from ..versions.contract import contract_lang
from ..versions.selectors import get_version_for_user
from . import services
from .consent import CONSENT_VERSION, signing_statements
from .forms import DeclineForm, SignForm


def auth_method(request) -> str:
    """How the signer proved who they are in this session (allauth records it at login)."""
    records = request.session.get("account_authentication_methods") or []
    methods = sorted({record.get("method", "") for record in records} - {""})
    return (", ".join(methods) or "password") + f" login as {request.user.email}"


def _sign_context(request, version, membership, slot, sign_form=None, decline_form=None):
    signatures = list(version.signatures.select_related("signer").order_by("order"))
    consent, intent = signing_statements(version, slot)
    return {
        "agreement": version.agreement,
        "organization": version.agreement.organization,
        "membership": membership,
        "version": version,
        "slot": slot,
        "slot_open": slot_is_open(slot, version),
        "signatures": signatures,
        # In the agreement's language, as the certificate quotes them (see consent.py).
        "consent_text": consent,
        "consent_version": CONSENT_VERSION,
        "intent_text": intent,
        "contract_lang": contract_lang(version.agreement),
        "sign_form": sign_form or SignForm(initial={"pdf_sha256": version.pdf_sha256}),
        "decline_form": decline_form or DeclineForm(),
        # Signing needs a verified address (the evidence names it); the page says how to get one.
        "email_verified": bool(verified_email(request.user)),
        "verify_message": _("Verify your email address %(email)s before signing.")
        % {"email": request.user.email},
    }


def _slot_or_404(version, user):
    slot = Signature.objects.filter(version=version, signer=user).first()
    if slot is None:
        raise Http404("You are not a signatory of this version")
    return slot


@login_required
def version_sign(request, pk, number):
    version, membership = get_version_for_user(request.user, pk, number)
    slot = _slot_or_404(version, request.user)
    if request.method != "POST":
        services.record_viewed(version=version, signer=request.user)
        return render(
            request,
            "agreements/signing/sign.html",
            _sign_context(request, version, membership, slot),
        )
    form = SignForm(request.POST, signer=request.user)
    if form.is_valid():
        consent, intent = signing_statements(version, slot)
        evidence = services.Evidence(
            pdf_sha256=form.cleaned_data["pdf_sha256"],
            consent_text=consent,
            intent_text=intent,
            method=form.cleaned_data["method"],
            image_png=form.cleaned_data["image_png"],
            typed_name=form.cleaned_data["typed_name"],
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            auth_method=auth_method(request),
        )
        try:
            services.signature_sign(version=version, signer=request.user, evidence=evidence)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("You signed version %(number)s.") % {"number": version.number}
            )
            return redirect("version_detail", pk=pk, number=number)
    context = _sign_context(request, version, membership, slot, sign_form=form)
    return render(request, "agreements/signing/sign.html", context, status=400)


@login_required
@require_POST
def version_decline(request, pk, number):
    version, membership = get_version_for_user(request.user, pk, number)
    slot = _slot_or_404(version, request.user)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.signature_decline(
                version=version,
                signer=request.user,
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.info(
                request, _("You declined version %(number)s.") % {"number": version.number}
            )
            return redirect("version_detail", pk=pk, number=number)
    context = _sign_context(request, version, membership, slot, decline_form=form)
    return render(request, "agreements/signing/sign.html", context, status=400)


@login_required
@csp_exempt()  # a PDF, not a page: a policy on it can stop the browser's PDF viewer
def signed_pdf(request, pk, number):
    version, _membership = get_version_for_user(request.user, pk, number)
    if version.signed_pdf_status != PdfStatus.READY:
        raise Http404("The signed PDF is not ready")
    with transaction.atomic():
        agreement = lock_agreement(version.agreement_id)
        audit_log(agreement, request.user, "downloaded", f"version {version.number} signed PDF")
    return FileResponse(
        version.signed_pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{version.document_id}-signed.pdf",
    )
