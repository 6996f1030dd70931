"""Every URL of the app, and how to fuzz each one that takes a POST.

``url_names()`` walks the URL patterns; ``ENDPOINTS`` says, for each view that accepts a POST,
which state of the world it needs ("draft", "submitted" or "signed"), the URL arguments and the
form's field names with a valid value each (read from the form class, so a new field is fuzzed
without touching this file). ``GET_ONLY`` lists the views that take no POST. A URL in neither
fails ``test_registry.py``: a new form endpoint cannot go unfuzzed.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver


def url_names() -> dict[str, str]:
    """Every named URL of the project (name -> view module), the admin aside."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":  # staff only, Django's own forms
                    yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield pattern.name, pattern.callback.__module__

    return dict(walk(get_resolver().url_patterns))


@dataclass(frozen=True)
class Target:
    """One URL to post to, with the form's fields (name -> a valid value)."""

    kwargs: dict
    fields: dict = field(default_factory=dict)
    files: tuple = ()  # names of the file fields
    label: str = ""


@dataclass(frozen=True)
class Endpoint:
    name: str
    world: str  # the fixture the targets need: "draft", "submitted" or "signed"
    targets: object  # world -> list[Target]
    htmx: bool = False  # also posted as htmx (the view answers differently)


def as_text(value):
    """A form field's current value written as a browser would post it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [as_text(item) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def form_fields(form) -> dict:
    """Each field of a form (with its prefix) and its current value as posted text."""
    return {form.add_prefix(name): as_text(form[name].value()) for name in form.fields}


# --- the targets of each endpoint ------------------------------------------------------------


def _sections(world):
    from agreements.authoring import services
    from agreements.authoring.forms import section_form_class
    from agreements.authoring.sections import SECTIONS

    agreement = world.agreement
    targets = []
    for section in SECTIONS:
        form_class = section_form_class(section)
        if form_class is None:
            continue
        fields = form_fields(form_class(instance=agreement))
        fields["fingerprint"] = services.section_fingerprint(agreement, section.fields)
        targets.append(
            Target({"pk": agreement.pk, "section_key": section.key}, fields, label=section.key)
        )
    return targets


def _row_kinds(world):
    """(section key, kind key, an existing row or None) of every kind of row."""
    from agreements.authoring.sections import SECTIONS

    for section in SECTIONS:
        for kind in section.rows():
            rows = getattr(world.agreement, kind.related_name).order_by("pk")
            yield section.key, kind.key, rows.last()


def _row_form(world, kind_key, row, prefix):
    from agreements.authoring.forms import ROW_FORMS

    form = ROW_FORMS[kind_key](instance=row, agreement=world.agreement, prefix=prefix)
    fields = form_fields(form)
    if row is not None:
        fields[form.add_prefix("revision")] = str(row.revision)
    return fields


def _row_create(world):
    return [
        Target(
            {"pk": world.agreement.pk, "section_key": section, "kind_key": kind},
            _row_form(world, kind, row, f"add-{kind}"),
            label=kind,
        )
        for section, kind, row in _row_kinds(world)
    ]


def _row_id(row):
    return row.pk if row is not None else 2_147_483_647  # no row of the kind: a missing one


def _row_edit(world):
    return [
        Target(
            {
                "pk": world.agreement.pk,
                "section_key": section,
                "kind_key": kind,
                "row_id": _row_id(row),
            },
            _row_form(world, kind, row, f"edit-{kind}"),
            label=kind,
        )
        for section, kind, row in _row_kinds(world)
    ]


def _row_delete(world):
    return [
        Target(
            {"pk": world.agreement.pk, "section_key": s, "kind_key": k, "row_id": _row_id(r)},
            label=k,
        )
        for s, k, r in _row_kinds(world)
    ]


def _row_move(world):
    return [
        Target(
            {
                "pk": world.agreement.pk,
                "section_key": s,
                "kind_key": k,
                "row_id": _row_id(r),
                "direction": direction,
            },
            label=f"{k} {direction}",
        )
        for s, k, r in _row_kinds(world)
        for direction in ("up", "down", "sideways")
    ]


def _funnel_preview(world):
    targets = []
    for _section, kind, row in _row_kinds(world):
        if kind not in ("streams", "sources"):
            continue
        for prefix, preview_row in (("add", ""), ("edit", str(row.pk) if row else "")):
            fields = _row_form(world, kind, row if prefix == "edit" else None, f"{prefix}-{kind}")
            fields["preview_row"] = preview_row
            targets.append(Target({"pk": world.agreement.pk, "kind_key": kind}, fields, label=kind))
    return targets


def _agreement(world, **fields):
    return [Target({"pk": world.agreement.pk}, fields)]


def _slug(world, **fields):
    return [Target({"slug": world.organization.slug}, fields)]


def _agreement_start(world):
    return _slug(
        world,
        title="Hostile SLA",
        language="en",
        start_from="recommended",
        source=str(world.bystander.pk),
    )


def _version(world, **fields):
    return [Target({"pk": world.agreement.pk, "number": world.version.number}, fields)]


def _version_sign(world):
    return _version(
        world,
        consent="on",
        method="typed",
        typed_name=world.users["owner"].full_name,
        signature_png="",
        pdf_sha256=world.version.pdf_sha256,
    )


def _email_resend(world):
    from notifications.outbox import emails_about

    email = emails_about(world.version).first()
    return [
        Target(
            {
                "pk": world.agreement.pk,
                "number": world.version.number,
                "email_id": email.pk if email else 1,
            }
        )
    ]


def _review(world, **fields):
    return [Target({"pk": world.agreement.pk, "review_id": world.review.pk}, fields)]


def _review_detail(world):
    from agreements.reviews import services

    cells = {
        f"actual:{metric.key}:{month:%Y-%m}": "12"
        for metric in services.review_targets(world.review)
        for month in metric.targets
    }
    return _review(world, held_on="2027-04-01", attendees="Maria, Sam", notes="", **cells)


def _review_upload(world):
    return [Target({"pk": world.agreement.pk, "review_id": world.review.pk}, files=("file",))]


def _member(world):
    from organizations.models import Membership

    membership = Membership.objects.get(organization=world.organization, user=world.users["editor"])
    return membership.pk


def _invitation(world):
    return world.invitation.pk


def _calculator(world):
    from funnel.forms import example_plan

    plan = example_plan()
    plan.update(
        {
            "streams-TOTAL_FORMS": "1",
            "streams-0-name": "Inbound",
            "streams-0-share": "100%",
            "sources-TOTAL_FORMS": "1",
            "sources-0-name": "Webinars",
            "sources-0-share": "100%",
            "sources-0-cost_per_lead": "50",
        }
    )
    return [Target({}, plan)]


def _events_preview(world):
    """A new file with its time zone, or another mapping for a stored file (the token is the
    fuzzed client's to guess: it has none)."""
    from compliance.upload_views import MappingForm, UploadForm

    kwargs = {"pk": world.agreement.pk}
    upload = form_fields(UploadForm(initial={"zone": "Europe/Berlin"}))
    upload.pop("file")
    headers = ["Record ID", "Stage", "Zeitpunkt", "Betrag"]
    initial = {"token": "0" * 32, "zone": "Europe/Berlin", "lead_id": "Record ID"}
    initial.update(event="Stage", occurred_at="Zeitpunkt", amount="Betrag")
    mapping = form_fields(MappingForm(headers, initial=initial))
    return [
        Target(kwargs, upload, files=("file",), label="file"),
        Target(kwargs, mapping, label="mapping"),
    ]


ORGANIZATION = {"name": "Acme", "paper_size": "a4"}

ENDPOINTS = {
    endpoint.name: endpoint
    for endpoint in [
        # authoring
        Endpoint("agreement_start", "draft", _agreement_start),
        Endpoint("section_save", "draft", _sections, htmx=True),
        Endpoint("row_create", "draft", _row_create, htmx=True),
        Endpoint("row_edit", "draft", _row_edit, htmx=True),
        Endpoint("row_delete", "draft", _row_delete, htmx=True),
        Endpoint("row_move", "draft", _row_move, htmx=True),
        Endpoint("funnel_preview", "draft", _funnel_preview, htmx=True),
        # versions
        Endpoint("agreement_submit", "draft", lambda w: _agreement(w)),
        Endpoint("version_retry", "submitted", lambda w: _version(w)),
        Endpoint("version_email_resend", "submitted", _email_resend),
        # signing
        Endpoint("version_sign", "submitted", _version_sign),
        Endpoint("version_decline", "submitted", lambda w: _version(w, reason="Not yet.")),
        Endpoint("seal_settings", "draft", lambda w: _slug(w, action="", password="")),
        Endpoint("verify", "draft", lambda w: [Target({}, {}, files=("document",))]),
        # reviews
        Endpoint("review_start", "signed", lambda w: _agreement(w, due_on="2027-04-01")),
        Endpoint("agreement_revise", "signed", lambda w: _agreement(w)),
        Endpoint("review_detail", "signed", _review_detail),
        Endpoint("review_upload", "signed", _review_upload),
        Endpoint("review_import", "signed", lambda w: _review(w)),
        Endpoint("review_close", "signed", lambda w: _review(w, decision="keep")),
        Endpoint("review_apply_rates", "signed", lambda w: _review(w)),
        Endpoint("agreement_actual_rates", "signed", lambda w: _review(w)),  # from the editor
        # compliance: the CSV upload of lead events
        Endpoint("events_preview", "signed", _events_preview),
        Endpoint("events_confirm", "signed", lambda w: _agreement(w, token="0" * 32)),
        # organisations
        Endpoint(
            "organization_create",
            "draft",
            lambda w: [Target({}, {"name": "New", "paper_size": "a4"})],
        ),
        Endpoint(
            "organization_settings", "draft", lambda w: _slug(w, name="Acme", paper_size="a4")
        ),
        Endpoint(
            "invitation_create", "draft", lambda w: _slug(w, email="new@example.com", role="editor")
        ),
        Endpoint(
            "invitation_revoke",
            "draft",
            lambda w: [Target({"slug": w.organization.slug, "invitation_id": _invitation(w)})],
        ),
        Endpoint(
            "member_change_role",
            "draft",
            lambda w: [
                Target({"slug": w.organization.slug, "member_id": _member(w)}, {"role": "viewer"})
            ],
        ),
        Endpoint(
            "member_remove",
            "draft",
            lambda w: [Target({"slug": w.organization.slug, "member_id": _member(w)})],
        ),
        Endpoint("invitation_accept", "draft", lambda w: [Target({"token": w.invitation.token})]),
        # accounts
        Endpoint("set_language", "draft", lambda w: [Target({}, {"language": "de", "next": "/"})]),
        # API tokens (the owners' form; the API itself takes JSON: tests/api/)
        Endpoint("api_tokens", "draft", lambda w: _slug(w, name="CRM", scopes="read")),
        # the public calculator (the JSON API has its own test: test_api.py)
        Endpoint("calculator", "draft", _calculator),
        Endpoint("calculator_results", "draft", _calculator, htmx=True),
    ]
}

#: Allauth's pages that take a POST, with their forms' field names.
ALLAUTH_FORMS = {
    "account_login": ("login", "password", "remember"),
    "account_signup": ("email", "password1", "password2", "full_name"),
    "account_reset_password": ("email",),
    "account_change_password": ("oldpassword", "password1", "password2"),
    "account_set_password": ("password1", "password2"),
    "account_email": ("email", "action_add", "action_remove", "action_primary", "action_send"),
    "account_reauthenticate": ("password",),
    "account_confirm_login_code": ("code",),
    "account_logout": (),
}

JSON_API = "/api/v1/ takes JSON with a token: tests/api/ covers its input and access"

#: Views that take no POST, or take one that carries nothing typed (each says why).
GET_ONLY = {
    "home": "redirects to the last organisation",
    "dashboard": "a page; its query string is fuzzed in test_endpoints.py",
    "agreement_copy_options": "htmx search (require_GET); its query is fuzzed in test_endpoints.py",
    "members": "a page (its forms post to invitation_create, member_change_role, ...)",
    "agreement_edit": "a page (its forms post to section_save and the row views)",
    "row_list": "a list (htmx cancels an edit with it)",
    "agreement_preview": "a page",
    "agreement_versions": "a page",
    "version_compare": "a page; its query string is fuzzed in test_endpoints.py",
    "version_detail": "a page",
    "version_pdf_status": "htmx polls it",
    "version_pdf": "a file",
    "signed_pdf": "a file",
    "seal_ca_certificate": "a file (require_GET)",
    "seal_crl": "a file (require_GET)",
    "agreement_reviews": "a page",
    "events_upload": "a page (its form posts to events_preview)",
    "agreement_compliance": "a page; filters in its query string (tests/compliance/test_page.py)",
    "compliance_csv": "a file",
    "compliance_leads": "a page (tests/compliance/test_page.py: bad months and pages)",
    "compliance_refresh": "a button, nothing typed",
    "review_fill_events": "a button, nothing typed",
    "send_lead_events": JSON_API,
    "api_funnel_calculate": "JSON, not a form: fuzzed in test_api.py",
    "account_inactive": "allauth: a page",
    "account_email_verification_sent": "allauth: a page",
    "account_confirm_email": "allauth: a key in the URL (the accounts work covers it)",
    "account_reset_password_from_key": "allauth: a key in the URL (the accounts work covers it)",
    "account_reset_password_from_key_done": "allauth: a page",
    "account_reset_password_done": "allauth: a page",
    "agreement_funnel": JSON_API,
    "api-root": JSON_API,
    "create_agreement": JSON_API,
    "download_pdf": JSON_API,
    "download_signed_pdf": JSON_API,
    "funnel_calculate": JSON_API,
    "funnel_calculate_from_query": JSON_API,
    "get_agreement": JSON_API,
    "get_version": JSON_API,
    "list_agreements": JSON_API,
    "list_reviews": JSON_API,
    "openapi-json": JSON_API,
    "openapi-view": JSON_API,
    "submit_agreement": JSON_API,
    "update_agreement_section": JSON_API,
    "webhook_endpoints": "a page",
    "webhook_endpoint": "a page (its delivery log)",
    "webhook_endpoint_create": "not fuzzed yet: looks its URL up in DNS (see test_addresses.py)",
    "webhook_endpoint_edit": "as webhook_endpoint_create",
    "webhook_endpoint_delete": "a confirmed button, nothing typed",
    "webhook_endpoint_ping": "a button, nothing typed",
    "webhook_endpoint_rotate": "a button, nothing typed",
    "webhook_delivery_resend": "a button, nothing typed",
    "api_token_revoke": "a button, nothing typed (tests/api/test_access.py)",
    "favicon": "a redirect to the static icon",
}
