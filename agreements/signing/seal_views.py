"""The organisation's sealing certificate: see it, download its CA, replace it (owners), and
the public CA certificate and CRL downloads verifiers need."""

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from organizations.models import OrganizationEvent
from organizations.selectors import get_membership_for_user

from ..models import OrganizationSealKey
from .forms import Pkcs12Form
from .sealing import SealError, regenerate_seal_key, seal_key_from_pkcs12
from .sealing.keystore import current_crl

REGENERATE = "regenerate"
CONTENT_TYPES = {"pem": "application/x-pem-file", "der": "application/pkix-cert"}


@login_required
def seal_settings(request, slug):
    """Members see the keys and download the CAs; owners replace the key."""
    membership = get_membership_for_user(request.user, slug, manage=request.method == "POST")
    organization = membership.organization
    regenerate = request.method == "POST" and request.POST.get("action") == REGENERATE
    form = Pkcs12Form(None if regenerate else request.POST or None, request.FILES or None)
    if regenerate:
        key = regenerate_seal_key(organization)
        return _replaced(request, organization, key)
    if request.method == "POST" and form.is_valid():
        try:
            key = seal_key_from_pkcs12(
                organization, form.cleaned_data["bundle"].read(), form.cleaned_data["password"]
            )
        except SealError as exc:
            form.add_error("bundle", str(exc))
        else:
            return _replaced(request, organization, key)
    keys = list(OrganizationSealKey.objects.filter(organization=organization).order_by("-pk"))
    active = next((key for key in keys if key.active), None)
    return render(
        request,
        "agreements/seal_settings.html",
        {
            "organization": organization,
            "membership": membership,
            "form": form,
            "key": active,
            "retired_keys": [key for key in keys if not key.active],
        },
        status=400 if form.errors else 200,
    )


def _replaced(request, organization, key):
    OrganizationEvent.objects.create(
        organization=organization,
        actor=request.user,
        action="seal.replaced",
        detail={"fingerprint_sha256": key.fingerprint_sha256, "source": key.source},
    )
    messages.success(request, _("From now on, signed PDFs are sealed with this certificate."))
    return redirect("seal_settings", slug=organization.slug)


@require_GET
def seal_ca_certificate(request, slug, fingerprint, fmt):
    """An organisation's CA certificate, current or retired: public, as verifiers need it."""
    key = (
        OrganizationSealKey.objects.filter(
            organization__slug=slug, ca_fingerprint_sha256=fingerprint
        )
        .exclude(ca_certificate_pem="")
        .first()
    )
    if key is None:
        raise Http404("No such CA certificate.")
    certificate = x509.load_pem_x509_certificate(key.ca_certificate_pem.encode())
    encoding = serialization.Encoding.PEM if fmt == "pem" else serialization.Encoding.DER
    response = HttpResponse(certificate.public_bytes(encoding), content_type=CONTENT_TYPES[fmt])
    filename = f"{slug}-seal-ca-{fingerprint[:16]}.{'pem' if fmt == 'pem' else 'cer'}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def seal_crl(request, fingerprint):
    """The current CRL of a CA SLA Portal generated: the seal certificates' distribution point."""
    key = (
        OrganizationSealKey.objects.filter(ca_fingerprint_sha256=fingerprint)
        .exclude(ca_private_key_encrypted="")
        .first()
    )
    crl = current_crl(key) if key is not None else None
    if crl is None:
        raise Http404("No such CRL.")
    response = HttpResponse(crl, content_type="application/pkix-crl")
    response["Content-Disposition"] = f'attachment; filename="seal-ca-{fingerprint[:16]}.crl"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
