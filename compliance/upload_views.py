"""The browser upload of lead events: a CRM's CSV export, its columns mapped, every row checked,
and nothing stored until the user confirms a clean preview.

The uploaded file is kept in the default storage (event-uploads/<uuid>.csv) and the session
holds, under a token, which file, for which agreement, with which mapping and time zone: the
mapping can be changed and the preview confirmed without uploading again. Confirming reads and
checks the stored file again; the earlier preview is never trusted.
"""

import contextlib
import re
import time
import uuid
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.authoring.selectors import get_agreement_for_user
from agreements.models.agreement import available_timezones
from agreements.reviews.actuals_csv import CsvImportError, sniff
from slaportal.l10n import format_number

from .csv_mapping import (
    FIELD_LABELS,
    MAX_HEADER_LENGTH,
    check_rows,
    clean_columns,
    guess_columns,
    mapping_problems,
    table_problem,
    usable_headers,
)
from .events import FIELDS, REQUIRED
from .ingest import store_events
from .models import EventBatch, EventColumnMapping
from .selectors import measured_plan

MAX_ROWS = 200_000
MAX_BYTES = 20 * 1024 * 1024
UPLOAD_DIR = "event-uploads/"
SESSION_KEY = "event-uploads"
MAX_PENDING = 5  # previews kept per session; an older one's file is deleted
PENDING_SECONDS = 24 * 3600
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _zone_choices():
    return [(zone, zone) for zone in sorted(available_timezones())]


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV export of lead events from your CRM"))
    zone = forms.ChoiceField(
        label=gettext_lazy("Times without an offset are in"),
        choices=_zone_choices,
        help_text=gettext_lazy(
            "Times written with an offset (+01:00, Z) are read as written; the others in this "
            "time zone."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # known from the upload itself, before a byte is read
            raise forms.ValidationError(_too_large())
        return upload


class MappingForm(forms.Form):
    """One select per event field offering the file's columns, the time zone, and the token
    of the stored file. Its errors sit next to the select at fault."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    zone = forms.ChoiceField(
        label=gettext_lazy("Times without an offset are in"), choices=_zone_choices
    )

    def __init__(self, headers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        options = [("", _("(not in the file)"))] + [(h, h) for h in usable_headers(headers)]
        for name in FIELDS:
            label = FIELD_LABELS[name]
            if name in REQUIRED:  # said in the label: the form's own check is mapping_problems
                label = _("%(field)s (required)") % {"field": label}
            self.fields[name] = forms.ChoiceField(label=label, choices=options, required=False)
        self.order_fields([*FIELDS, "zone", "token"])

    def clean(self):
        cleaned = super().clean()
        for name, message in mapping_problems(self.headers, self.columns).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    @property
    def columns(self) -> dict[str, str]:
        return clean_columns(self.cleaned_data)


def _too_large() -> str:
    return _("The file is larger than %(size)s MB. Export a shorter period or fewer columns.") % {
        "size": MAX_BYTES // (1024 * 1024)
    }


def _language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or get_language() or "en"


def _read_table(data: bytes):
    """The table of an uploaded or stored file, or CsvImportError."""
    table = sniff(data, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    problem = table_problem(table)
    if problem:
        raise CsvImportError(problem)
    return table


# --- the pending uploads in the session ----------------------------------------------------


def _pending(request) -> dict:
    pending = request.session.get(SESSION_KEY)
    return pending if isinstance(pending, dict) else {}


def _delete_file(path) -> None:
    if isinstance(path, str) and path.startswith(UPLOAD_DIR):
        with contextlib.suppress(OSError):
            default_storage.delete(path)


def _forget(request, token: str) -> None:
    pending = _pending(request)
    entry = pending.pop(token, None)
    if isinstance(entry, dict):
        _delete_file(entry.get("path"))
    request.session[SESSION_KEY] = pending


def _keep(request, entry: dict) -> str:
    """Remember a new upload under a new token; the oldest beyond MAX_PENDING are dropped."""
    pending = _pending(request)
    while len(pending) >= MAX_PENDING:
        oldest = min(pending, key=lambda key: _created(pending[key]))
        old = pending.pop(oldest)
        if isinstance(old, dict):
            _delete_file(old.get("path"))
    token = uuid.uuid4().hex
    pending[token] = entry
    request.session[SESSION_KEY] = pending
    return token


def _created(entry) -> float:
    value = entry.get("created") if isinstance(entry, dict) else None
    return value if isinstance(value, int | float) else 0.0


def _update(request, token: str, **changes) -> None:
    pending = _pending(request)
    pending[token] = {**pending[token], **changes}
    request.session[SESSION_KEY] = pending


def _entry(request, agreement, token) -> dict | None:
    """The pending upload of this token for this agreement, None if there is none (expired,
    already stored, another agreement's or another session's)."""
    pending = _pending(request)
    entry = pending.get(token) if isinstance(token, str) else None
    if not isinstance(entry, dict) or entry.get("agreement_id") != agreement.pk:
        return None
    if time.time() - _created(entry) > PENDING_SECONDS:
        _forget(request, token)
        return None
    return entry


def _stored_table(entry: dict):
    """The stored file read again, or None when it is gone or unreadable."""
    path = entry.get("path")
    if not isinstance(path, str) or not path.startswith(UPLOAD_DIR):
        return None
    try:
        with default_storage.open(path, "rb") as stored:
            data = stored.read(MAX_BYTES + 1)
        return _read_table(data)
    except (OSError, CsvImportError):
        return None


def _expired(request, agreement):
    messages.error(
        request,
        _(
            "That upload is no longer waiting to be stored: it expired, was already stored, or "
            "belongs to another agreement. Upload the file again."
        ),
    )
    return redirect("events_upload", pk=agreement.pk)


# --- pages -----------------------------------------------------------------------------------


def _context(agreement, membership, **extra) -> dict:
    return {
        "agreement": agreement,
        "organization": agreement.organization,
        "membership": membership,
        "fields": [(name, FIELD_LABELS[name], name in REQUIRED) for name in FIELDS],
        **extra,
    }


def _remembered(agreement) -> EventColumnMapping | None:
    return EventColumnMapping.objects.filter(organization=agreement.organization).first()


def _upload_page(request, agreement, membership, plan, form=None, status=200):
    if form is None:
        remembered = _remembered(agreement)
        zone = remembered.time_zone if remembered else ""
        if zone not in available_timezones():
            zone = agreement.time_zone if agreement.time_zone in available_timezones() else "UTC"
        form = UploadForm(initial={"zone": zone})
    context = _context(agreement, membership, plan=plan, form=form)
    return render(request, "compliance/upload.html", context, status=status)


def _evaluate(request, token, entry, table):
    """The session's mapping and time zone as a bound form (its errors next to each select),
    and, when they can be used, every row checked."""
    data = {**clean_columns(entry.get("mapping") or {}), "zone": entry.get("zone"), "token": token}
    form = MappingForm(table.headers, data)
    check = None
    if form.is_valid():
        zone = ZoneInfo(form.cleaned_data["zone"])
        check = check_rows(table, form.columns, zone=zone, language=_language(request))
    return form, check


def _preview_page(request, agreement, membership, token, entry, table, *, evaluated=None):
    """The preview; `evaluated` (form, check) is a confirmation refused for what it shows."""
    refused = evaluated is not None
    form, check = evaluated or _evaluate(request, token, entry, table)
    clean = check is not None and check.is_clean
    context = _context(
        agreement,
        membership,
        token=token,
        filename=entry.get("filename", ""),
        form=form,
        mapping_fields=[form[name] for name in FIELDS],
        rows=len(table.rows),
        check=check,
        clean=clean,
        zone=form.cleaned_data["zone"] if check is not None else "",
        refused=refused,
    )
    status = 200 if clean and not refused else 400
    return render(request, "compliance/upload_preview.html", context, status=status)


@login_required
def events_upload(request, pk):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    return _upload_page(request, agreement, membership, measured_plan(agreement))


def _stored_upload(request, agreement, token):
    """The session's entry for `token` and its stored file read as a table; (entry, None) once
    the file is gone (the entry is forgotten then)."""
    entry = _entry(request, agreement, token)
    table = _stored_table(entry) if entry else None
    if entry and table is None:
        _forget(request, token)
    return entry, table


@login_required
@require_POST
def events_preview(request, pk):
    """A new file (checked, stored aside, columns guessed), or another mapping or time zone for
    the stored one (token): either way every row is checked and nothing is stored."""
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    plan = measured_plan(agreement)
    if plan is None:
        return _upload_page(request, agreement, membership, plan, status=400)
    if "file" in request.FILES or "token" not in request.POST:
        return _new_upload(request, agreement, membership, plan)
    token = request.POST.get("token", "")
    _entry_found, table = _stored_upload(request, agreement, token)
    if table is None:
        return _expired(request, agreement)
    zone = request.POST.get("zone", "")
    _update(
        request,
        token,
        mapping=clean_columns(request.POST),
        zone=zone[:64],
    )
    return _preview_page(request, agreement, membership, token, _pending(request)[token], table)


def _new_upload(request, agreement, membership, plan):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, agreement, membership, plan, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        # Never more than the limit in memory, whatever size the upload claimed.
        data = upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise CsvImportError(_too_large())
        table = _read_table(data)
    except CsvImportError as exc:
        form.add_error("file", exc.message)
        return _upload_page(request, agreement, membership, plan, form=form, status=400)
    path = default_storage.save(f"{UPLOAD_DIR}{uuid.uuid4()}.csv", ContentFile(data))
    remembered = _remembered(agreement)
    entry = {
        "path": path,
        "filename": _CONTROL.sub("", upload.name or "")[:MAX_HEADER_LENGTH],
        "agreement_id": agreement.pk,
        "zone": form.cleaned_data["zone"],
        "mapping": guess_columns(table.headers, remembered.columns if remembered else None),
        "created": time.time(),
    }
    token = _keep(request, entry)
    return _preview_page(request, agreement, membership, token, entry, table)


@login_required
@require_POST
def events_confirm(request, pk):
    """Store the events of a clean preview: the stored file read and checked again with the
    session's mapping and time zone; any problem shows the preview again and stores nothing."""
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    token = request.POST.get("token", "")
    entry, table = _stored_upload(request, agreement, token)
    if table is None:
        return _expired(request, agreement)
    plan = measured_plan(agreement)
    if plan is None:
        return _upload_page(request, agreement, membership, plan, status=400)
    form, check = _evaluate(request, token, entry, table)
    if check is None or not check.is_clean:
        evaluated = (form, check)
        return _preview_page(
            request, agreement, membership, token, entry, table, evaluated=evaluated
        )
    zone = form.cleaned_data["zone"]
    with transaction.atomic():
        batch = EventBatch.objects.create(
            agreement=agreement,
            channel=EventBatch.Channel.CSV,
            filename=entry.get("filename", ""),
            created_by=request.user,
            received=check.rows,
            rejected=0,
        )
        stored = store_events(agreement, check.events, batch)
        batch.stored, batch.duplicates = stored.stored, stored.duplicates
        batch.save(update_fields=["stored", "duplicates"])
        EventColumnMapping.objects.update_or_create(
            organization=agreement.organization,
            defaults={"columns": form.columns, "time_zone": zone},
        )
    _forget(request, token)
    messages.success(
        request,
        _("Stored %(stored)s new events; %(duplicates)s were already stored.")
        % {"stored": format_number(stored.stored), "duplicates": format_number(stored.duplicates)},
    )
    return redirect("agreement_compliance", pk=agreement.pk)
