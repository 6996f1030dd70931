"""The canonical JSON snapshot a version freezes, and the document rebuilt from it.

The PDF is rendered from the snapshot, never from the live rows, so a later edit of the draft
cannot change what a version says. Rebuilding gives unsaved model instances, so the same
contract template serves the live preview and the frozen PDF.
"""

import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from organizations.models import Organization

from ..authoring.document import AgreementDocument
from ..authoring.sections import ROW_KINDS
from ..models import Agreement

SCHEMA = 1
_AGREEMENT_SKIPPED = {"id", "organization", "created_by", "created_at", "updated_at", "status"}
_ROW_SKIPPED = {"id", "agreement", "revision", "position"}
_PEOPLE = {"marketing_lead", "sales_lead"}


def canonical_json(data) -> bytes:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    ).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _person(user):
    if user is None:
        return None
    return {
        "id": user.pk,
        "name": user.display_name,
        "email": user.email,
        "job_title": user.job_title,
    }


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return value


def _row_data(row):
    data = {}
    for f in type(row)._meta.concrete_fields:
        if f.name in _ROW_SKIPPED:
            continue
        if isinstance(f, models.ForeignKey):
            data[f.name] = _person(getattr(row, f.name))
        else:
            data[f.name] = _plain(getattr(row, f.attname))
    return data


# Row lists that name people: frozen as the accounts read now, never from a cache.
_ROWS_WITH_PEOPLE = {"signatories"}


def _rows_and_funnel(doc: AgreementDocument) -> dict:
    """What a snapshot takes from the rows and the plan, people aside: a pure function of the
    draft's state, so a cached document (the comparison with the draft) reuses it."""
    return {
        "rows": {
            key: [_row_data(row) for row in doc.rows[key]]
            for key in ROW_KINDS
            if key not in _ROWS_WITH_PEOPLE
        },
        "funnel": doc.funnel_targets(),
    }


def build_snapshot(doc: AgreementDocument, *, number: int, created_at, created_by) -> dict:
    agreement = doc.agreement
    frozen = doc._derived("snapshot-rows", lambda: _rows_and_funnel(doc))
    rows = {
        **frozen["rows"],
        **{key: [_row_data(row) for row in doc.rows[key]] for key in _ROWS_WITH_PEOPLE},
    }
    scalars = {}
    for f in Agreement._meta.concrete_fields:
        if f.name in _AGREEMENT_SKIPPED:
            continue
        if f.name in _PEOPLE:
            scalars[f.name] = _person(getattr(agreement, f.name))
        elif f.name == "recycle_track":
            scalars[f.name] = agreement.recycle_track.name if agreement.recycle_track else None
        else:
            scalars[f.name] = _plain(getattr(agreement, f.attname))
    organization = agreement.organization
    return {
        "schema": SCHEMA,
        "version": {
            "number": number,
            "created_at": created_at.isoformat(),
            "created_by": _person(created_by),
        },
        "organization": {
            "id": organization.pk,
            "name": organization.name,
            "paper_size": organization.paper_size,
        },
        "agreement": {"id": agreement.pk, **scalars},
        "rows": {key: rows[key] for key in ROW_KINDS},
        "funnel": frozen["funnel"],
    }


def _user(person):
    if person is None:
        return None
    return get_user_model()(
        pk=person["id"],
        email=person["email"],
        full_name=person["name"],
        job_title=person["job_title"],
    )


def _from_plain(model, name, value):
    field = model._meta.get_field(name)
    if value is None or isinstance(field, models.ForeignKey):
        return value
    return field.to_python(value)


def document_from_snapshot(snapshot: dict) -> AgreementDocument:
    """Unsaved instances carrying exactly what the snapshot froze."""
    org = snapshot["organization"]
    data = dict(snapshot["agreement"])
    agreement = Agreement(
        pk=data.pop("id"),
        organization=Organization(pk=org["id"], name=org["name"], paper_size=org["paper_size"]),
        marketing_lead=_user(data.pop("marketing_lead")),
        sales_lead=_user(data.pop("sales_lead")),
    )
    recycle_track_name = data.pop("recycle_track")
    for name, value in data.items():
        setattr(agreement, name, _from_plain(Agreement, name, value))
    rows = {}
    for key, kind in ROW_KINDS.items():
        instances = []
        for position, row_data in enumerate(snapshot["rows"].get(key, [])):
            row = kind.model(position=position)
            for name, value in row_data.items():
                if name == "user":
                    row.user = _user(value)
                else:
                    setattr(row, name, _from_plain(kind.model, name, value))
            instances.append(row)
        rows[key] = instances
    agreement.recycle_track = next(
        (track for track in rows["tracks"] if track.name == recycle_track_name), None
    )
    return AgreementDocument(agreement=agreement, rows=rows, frozen_funnel=snapshot.get("funnel"))
