"""An agreement's sections as JSON, and a draft's section changed from JSON through the same
forms and services as the editor, so the API accepts exactly what the pages accept.

Numbers are read and written the machine's way ("8000.50"): forms run in English, whatever the
caller's Accept-Language. Money and rates are strings, so no float rounds them.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.db import models, transaction
from django.http import QueryDict
from django.utils import translation

from agreements.authoring import services
from agreements.authoring.document import load_document
from agreements.authoring.forms import ROW_FORMS, section_form_class
from agreements.authoring.sections import ROW_KINDS, SECTIONS, SECTIONS_BY_KEY
from organizations.models import Membership
from slaportal.errors import DomainError

from .errors import ApiError, form_errors

ROW_SKIPPED = {"agreement", "revision", "position"}
PEOPLE_FIELDS = {"marketing_lead", "sales_lead", "user"}


def plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value


def _person(user):
    return None if user is None else {"id": user.pk, "name": user.display_name, "email": user.email}


def _value(instance, field_name):
    field = instance._meta.get_field(field_name)
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, field_name)
        if field_name in PEOPLE_FIELDS:
            return _person(related)
        return None if related is None else str(related)
    return plain(getattr(instance, field.attname))


def row_data(row) -> dict:
    data = {"id": row.pk}
    for field in type(row)._meta.concrete_fields:
        if field.name not in ROW_SKIPPED and field.name != "id":
            data[field.name] = _value(row, field.name)
    return data


def sections_data(agreement) -> dict:
    """Every section: its own fields and its row lists, in the editor's order."""
    doc = load_document(agreement)
    return {
        section.key: {
            "number": section.number,
            "title": str(section.title),
            "fields": {name: _value(agreement, name) for name in section.fields},
            "rows": {key: [row_data(row) for row in doc.rows[key]] for key in section.row_kinds},
        }
        for section in SECTIONS
    }


def _form_value(instance, name, given=None, *, use_given=False):
    """A value as a form expects it in its data: a primary key, "HH:MM", a list of days."""
    value = given if use_given else getattr(instance, instance._meta.get_field(name).attname)
    if name in PEOPLE_FIELDS and isinstance(value, str) and "@" in value:
        return _user_pk(instance, value)
    if isinstance(value, dict) and "id" in value:  # a person as GET returned it
        return value["id"]
    if name == "working_days" and isinstance(value, str):
        return list(value)
    if value is None:
        return ""
    return plain(value)


def _user_pk(instance, email: str):
    agreement = getattr(instance, "agreement", instance)
    membership = Membership.objects.filter(
        organization_id=agreement.organization_id, user__email__iexact=email.strip()
    ).first()
    return membership.user_id if membership else email  # the form names the unknown value


def _unknown(given: dict, known, where: str) -> dict[str, list[str]]:
    what = "a row list" if where.startswith("rows") else "a field"
    choices = f"Known: {', '.join(sorted(known))}." if known else "This section has none."
    return {
        f"{where}{name}": [f"{name!r} is not {what} here. {choices}"]
        for name in given
        if name not in known
    }


def update_section(*, agreement, actor, section_key: str, fields: dict, rows: dict) -> None:
    """Set the given fields (others keep their values) and replace the given row lists (a row
    with an `id` is updated, one without is added, one left out is removed), all or nothing."""
    section = SECTIONS_BY_KEY.get(section_key)
    if section is None:
        raise ApiError(404, f"No section {section_key!r}. Sections: {', '.join(SECTIONS_BY_KEY)}.")
    errors = _unknown(fields, section.fields, "fields.") | _unknown(
        rows, section.row_kinds, "rows."
    )
    if errors:
        raise ApiError(400, errors=errors)
    with translation.override("en"), transaction.atomic():
        try:
            if fields:
                _update_fields(agreement, actor, section, fields)
            for kind_key, items in rows.items():
                _replace_rows(agreement, actor, kind_key, items)
        except DomainError as error:
            raise ApiError(409, str(error)) from error


def _update_fields(agreement, actor, section, given: dict) -> None:
    form_class = section_form_class(section)
    data = {name: _form_value(agreement, name) for name in section.fields}
    data.update(
        {name: _form_value(agreement, name, value, use_given=True) for name, value in given.items()}
    )
    if "recycle_track" in data and isinstance(data["recycle_track"], str) and data["recycle_track"]:
        track = agreement.nurturetrack_rows.filter(name=data["recycle_track"]).first()
        data["recycle_track"] = track.pk if track else data["recycle_track"]
    form = form_class(_as_form_data(data), instance=agreement)
    if not form.is_valid():
        raise ApiError(400, errors=form_errors(form, "fields."))
    services.section_update(
        agreement=agreement,
        actor=actor,
        section_key=section.key,
        values={name: form.cleaned_data[name] for name in given},
        fingerprint="",
    )
    agreement.refresh_from_db()


def _as_form_data(data: dict):
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            query.setlist(name, [str(item) for item in value])
        elif isinstance(value, bool):
            query[name] = "on" if value else ""
        else:
            query[name] = "" if value is None else str(value)
    return query


def _replace_rows(agreement, actor, kind_key: str, items) -> None:
    if not isinstance(items, list):
        raise ApiError(400, errors={f"rows.{kind_key}": ["Give the rows as a JSON array."]})
    kind = ROW_KINDS[kind_key]
    form_class = ROW_FORMS[kind_key]
    existing = {row.pk: row for row in kind.model.objects.filter(agreement=agreement)}
    kept = set()
    errors = {}
    for index, item in enumerate(items):
        where = f"rows.{kind_key}[{index}]."
        if not isinstance(item, dict):
            errors[where.rstrip(".")] = ["Each row is a JSON object."]
            continue
        row_id = item.get("id")
        if row_id is not None and (type(row_id) is not int or row_id not in existing):
            errors[f"{where}id"] = [f"No {kind_key} row {row_id!r} in this agreement."]
            continue
        row = existing.get(row_id)
        names = form_class._meta.fields
        given = {k: v for k, v in item.items() if k != "id"}
        errors |= _unknown(given, names, where)
        instance = row or kind.model(agreement=agreement)
        before = {name: getattr(row, name) for name in names} if row else {}
        data = {name: _form_value(instance, name) for name in names} if row else {}
        data.update({n: _form_value(instance, n, v, use_given=True) for n, v in given.items()})
        form = form_class(_as_form_data(data), instance=row, agreement=agreement)
        if not form.is_valid():
            errors |= form_errors(form, where)
            continue
        values = {name: form.cleaned_data[name] for name in names}
        if row is None:
            services.row_create(agreement=agreement, actor=actor, kind_key=kind_key, values=values)
        else:
            kept.add(row.pk)
            changed = {n: v for n, v in values.items() if before[n] != v}
            if changed:
                services.row_update(
                    row=row, actor=actor, kind_key=kind_key, values=changed, expected_revision=None
                )
    if errors:
        raise ApiError(400, errors=errors)
    for pk, row in existing.items():
        if pk not in kept:
            services.row_delete(row=row, actor=actor, kind_key=kind_key)
