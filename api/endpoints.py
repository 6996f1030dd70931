"""/api/v1/: the organisation's agreements, versions, PDFs, reviews and funnel, for the token's
organisation only. Views are thin: the agreements app's services and selectors do the work."""

import math

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Query, Router, Status

from agreements.audit import audit_log
from agreements.authoring import services as authoring
from agreements.authoring.document import load_document
from agreements.lifecycle import lock_agreement
from agreements.models import Agreement, AgreementStatus, PdfStatus
from agreements.versions import services as versions
from funnel.views import calculate_api
from slaportal.errors import DomainError

from . import schemas
from .auth import READ, WRITE
from .errors import NON_FIELD, ApiError
from .sections import plain, sections_data, update_section

router = Router()
MAX_PAGE_SIZE = 100


def _agreement(request, pk: int) -> Agreement:
    """The agreement if it belongs to the token's organisation; 404 otherwise, as for pages."""
    return get_object_or_404(
        Agreement.objects.select_related(
            "organization", "marketing_lead", "sales_lead", "recycle_track"
        ),
        pk=pk,
        organization=request.auth.organization,
    )


def _version(request, pk: int, number: int):
    agreement = _agreement(request, pk)
    version = get_object_or_404(agreement.versions.defer("snapshot"), number=number)
    version.agreement = agreement
    return version


def _api_path(*parts) -> str:
    return "/api/v1/" + "/".join(str(part) for part in parts)


def _summary(agreement) -> dict:
    return {
        "id": agreement.pk,
        "title": agreement.title,
        "status": agreement.status,
        "language": agreement.language,
        "updated_at": agreement.updated_at,
        "next_review_due": plain(agreement.next_review_due),
        "links": {
            "page": settings.SITE_URL + reverse("agreement_edit", args=[agreement.pk, "parties"]),
            "api": _api_path("agreements", agreement.pk),
        },
    }


def _version_links(version) -> dict:
    base = ("agreements", version.agreement_id, "versions", version.number)
    return {
        "page": settings.SITE_URL
        + reverse("version_detail", args=[version.agreement_id, version.number]),
        "api": _api_path(*base),
        "pdf": _api_path(*base, "pdf"),
        "signed_pdf": _api_path(*base, "signed-pdf"),
    }


def _version_summary(version) -> dict:
    return {
        "number": version.number,
        "state": version.state,
        "pdf_status": version.pdf_status,
        "signed_pdf_status": version.signed_pdf_status,
        "created_at": version.created_at,
        "links": _version_links(version),
    }


def _detail(agreement) -> dict:
    """`agreement` as `_agreement` loads it (its people and track joined)."""
    return {
        **_summary(agreement),
        "created_at": agreement.created_at,
        "sections": sections_data(agreement),
        "versions": [
            _version_summary(version)
            for version in agreement.versions.defer("snapshot").order_by("number")
        ],
    }


@router.get("/agreements", auth=READ, response=schemas.AgreementPage, tags=["agreements"])
def list_agreements(
    request,
    status: AgreementStatus | None = None,
    page: int = Query(1, ge=1),
    page_size: int = Query(25, ge=1, le=MAX_PAGE_SIZE),
):
    """The organisation's agreements, newest change first."""
    found = Agreement.objects.filter(organization=request.auth.organization)
    if status:
        found = found.filter(status=status)
    count = found.count()
    start = (page - 1) * page_size
    rows = found.order_by("-updated_at", "-id")[start : start + page_size]
    return {
        "count": count,
        "page": page,
        "pages": max(1, math.ceil(count / page_size)),
        "results": [_summary(agreement) for agreement in rows],
    }


@router.post(
    "/agreements",
    auth=WRITE,
    response={201: schemas.AgreementDetail, 400: schemas.Errors, 409: schemas.Errors},
    tags=["agreements"],
)
def create_agreement(request, payload: schemas.AgreementCreate):
    """A new draft from the recommended template (or blank), with optional section changes."""
    with transaction.atomic():
        agreement = authoring.agreement_create(
            organization=request.auth.organization,
            actor=request.auth.created_by,
            title=payload.title.strip(),
            recommended_template=payload.template == "recommended",
            language=payload.language or "",
        )
        _apply_sections(request, agreement, payload.sections)
    return Status(201, _detail(_agreement(request, agreement.pk)))


def _apply_sections(request, agreement, sections) -> None:
    errors = {}
    for key, change in sections.items():
        try:
            update_section(
                agreement=agreement,
                actor=request.auth.created_by,
                section_key=key,
                fields=change.fields,
                rows=change.rows,
            )
        except ApiError as error:
            if error.status == 404:
                raise ApiError(400, errors={f"sections.{key}": error.errors[NON_FIELD]}) from None
            if error.status != 400:
                raise
            errors |= {
                f"sections.{key}.{name}": messages for name, messages in error.errors.items()
            }
    if errors:
        raise ApiError(400, errors=errors)


@router.get("/agreements/{pk}", auth=READ, response=schemas.AgreementDetail, tags=["agreements"])
def get_agreement(request, pk: int):
    """One agreement with every section as structured data and its versions."""
    return _detail(_agreement(request, pk))


@router.put(
    "/agreements/{pk}/sections/{section}",
    auth=WRITE,
    response={200: schemas.Section, 400: schemas.Errors, 404: schemas.Errors, 409: schemas.Errors},
    tags=["agreements"],
)
def update_agreement_section(request, pk: int, section: str, payload: schemas.SectionChange):
    """Change a draft's section: the same checks as the editor; all or nothing."""
    agreement = _agreement(request, pk)
    if agreement.status != AgreementStatus.DRAFT:
        raise ApiError(409, "Only a draft can be changed; start a revision from the signed one.")
    update_section(
        agreement=agreement,
        actor=request.auth.created_by,
        section_key=section,
        fields=payload.fields,
        rows=payload.rows,
    )
    return sections_data(_agreement(request, pk))[section]  # as saved


@router.post(
    "/agreements/{pk}/submit",
    auth=WRITE,
    response={201: schemas.VersionDetail, 400: schemas.Errors, 409: schemas.Errors},
    tags=["versions"],
)
def submit_agreement(request, pk: int):
    """Freeze the draft as its next version and send it for signature (the PDF renders in the
    background: poll the version, or listen for the `version.pdf_ready` webhook)."""
    agreement = _agreement(request, pk)
    try:
        version = versions.agreement_submit(agreement=agreement, actor=request.auth.created_by)
    except versions.IncompleteAgreement as error:
        raise ApiError(
            400, errors={f"sections.{key}": problems for key, problems in error.missing.items()}
        ) from error
    except DomainError as error:
        raise ApiError(409, str(error)) from error
    return Status(201, _version_detail(_version(request, pk, version.number)))


def _version_detail(version) -> dict:
    signatures = version.signatures.select_related("signer").order_by("order", "pk")
    return {
        **_version_summary(version),
        "pdf_error": version.pdf_error,
        "page_count": version.page_count,
        "completed_at": version.completed_at,
        "snapshot_sha256": version.snapshot_sha256,
        "signed_pdf_sha256": version.signed_pdf_sha256,
        "signatories": [
            {
                "name": signature.signer.display_name,
                "email": signature.signer.email,
                "role": signature.role,
                "order": signature.order,
                "status": signature.status,
                "signed_at": signature.signed_at,
                "declined_at": signature.declined_at,
                "decline_reason": signature.decline_reason,
            }
            for signature in signatures
        ],
    }


@router.get(
    "/agreements/{pk}/versions/{number}",
    auth=READ,
    response=schemas.VersionDetail,
    tags=["versions"],
)
def get_version(request, pk: int, number: int):
    """A version: its PDF's status, its signatories and where each stands."""
    return _version_detail(_version(request, pk, number))


PDF_RESPONSES = {
    200: None,
    404: schemas.Errors,
    409: schemas.Errors,
}
PDF_CONTENT = {
    "responses": {
        "200": {
            "description": "The PDF file",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _pdf_response(request, version, *, signed: bool):
    status = version.signed_pdf_status if signed else version.pdf_status
    if status != PdfStatus.READY:
        what = "signed PDF" if signed else "PDF"
        raise ApiError(409, f"The {what} of version {version.number} is {status}, not ready yet.")
    with transaction.atomic():
        agreement = lock_agreement(version.agreement_id)
        target = f"version {version.number} {'signed PDF' if signed else 'PDF'}"
        audit_log(agreement, request.auth.created_by, "downloaded", target)
    file = version.signed_pdf if signed else version.pdf
    name = f"{version.document_id}{'-signed' if signed else ''}.pdf"
    return FileResponse(
        file.open("rb"), content_type="application/pdf", as_attachment=True, filename=name
    )


@router.get(
    "/agreements/{pk}/versions/{number}/pdf",
    auth=READ,
    response=PDF_RESPONSES,
    openapi_extra=PDF_CONTENT,
    tags=["versions"],
)
def download_pdf(request, pk: int, number: int):
    """The contract PDF the signatories review (409 until it is rendered)."""
    return _pdf_response(request, _version(request, pk, number), signed=False)


@router.get(
    "/agreements/{pk}/versions/{number}/signed-pdf",
    auth=READ,
    response=PDF_RESPONSES,
    openapi_extra=PDF_CONTENT,
    tags=["versions"],
)
def download_signed_pdf(request, pk: int, number: int):
    """The sealed signed PDF (409 until every signatory signed and it is sealed)."""
    return _pdf_response(request, _version(request, pk, number), signed=True)


@router.get("/agreements/{pk}/reviews", auth=READ, response=list[schemas.Review], tags=["reviews"])
def list_reviews(request, pk: int):
    """The agreement's reviews, newest first, each with its actual figures beside the targets."""
    agreement = _agreement(request, pk)
    reviews = agreement.reviews.select_related("version").prefetch_related("actuals")
    return [
        {
            "id": review.pk,
            "version": review.version.number,
            "due_on": plain(review.due_on),
            "held_on": plain(review.held_on),
            "period_start": plain(review.period_start),
            "period_end": plain(review.period_end),
            "decision": review.decision,
            "closed": review.closed_at is not None,
            "actuals": [
                {
                    "metric": actual.metric,
                    "label": actual.label,
                    "month": plain(actual.month),
                    "target": plain(actual.target),
                    "actual": plain(actual.actual),
                    "origin": actual.origin,
                }
                for actual in review.actuals.all()
            ],
        }
        for review in reviews.order_by("-due_on", "-pk")
    ]


@router.get(
    "/agreements/{pk}/funnel",
    auth=READ,
    response={200: dict, 409: schemas.Errors},
    tags=["funnel"],
)
def agreement_funnel(request, pk: int):
    """The reverse funnel of the draft's plan (deals, opportunities, SQLs, MQLs, leads per
    stream, source and month), as the calculator computes it."""
    agreement = _agreement(request, pk)
    with translation.override("en"):
        outcome = load_document(agreement).funnel()
    if not outcome.ok:
        raise ApiError(409, errors=outcome.errors)
    return outcome.result.to_dict()


FUNNEL_BODY = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "The plan: the same fields as /api/funnel/calculate (README).",
                }
            }
        },
    }
}


CALCULATOR_RESPONSES = {200: dict, 400: schemas.Errors, 413: schemas.Errors, 429: schemas.Errors}


@router.post(
    "/funnel/calculate",
    auth=None,
    response=CALCULATOR_RESPONSES,
    openapi_extra=FUNNEL_BODY,
    tags=["funnel"],
)
def funnel_calculate(request):
    """The public funnel calculator (no token): a plan as JSON in, its reverse funnel out.
    Rate-limited per address. The older path /api/funnel/calculate answers the same."""
    return calculate_api(request)


@router.get("/funnel/calculate", auth=None, response=CALCULATOR_RESPONSES, tags=["funnel"])
def funnel_calculate_from_query(request):
    """The same with the plan in the query string (lists such as `sources` as JSON text)."""
    return calculate_api(request)
