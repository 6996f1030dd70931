"""Creating agreements and editing their sections and rows."""

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from slaportal.errors import DomainError

from ..audit import audit_log
from ..lifecycle import refresh_next_review_due
from ..models import (
    Agreement,
    Commitment,
    Definition,
    FollowUpStep,
    FunnelSource,
    FunnelStream,
    HandoffTrigger,
    Kpi,
    LeadReason,
    LifecycleStage,
    Meeting,
    NurtureTrack,
    QualificationCriterion,
)
from . import recommended
from .funnel_targets import STAGE_KEYS, sync_funnel_kpis
from .sections import ROW_KINDS, SECTIONS_BY_KEY


class StaleEdit(DomainError):
    """Someone else saved the same thing since the user loaded it."""


def _lock(agreement) -> Agreement:
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    locked.ensure_editable()
    return locked


def section_fingerprint(agreement, field_names) -> str:
    """A hash of the section's saved values; a form carries it to detect a concurrent save."""
    values = {name: agreement.serializable_value(name) for name in field_names}
    payload = json.dumps(values, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


# --- creating ---------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *, organization, actor, title: str, recommended_template: bool, language: str = ""
) -> Agreement:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    agreement = Agreement.objects.create(
        organization=organization, title=title, created_by=actor, language=language
    )
    if recommended_template:
        # The template's texts are stored in the agreement's language.
        with translation.override(language):
            _apply_recommended_template(agreement)
            _resync_funnel(agreement, actor)
    audit_log(
        agreement,
        actor,
        "created",
        detail_from="recommended template" if recommended_template else "blank",
    )
    return agreement


def _apply_recommended_template(agreement) -> None:
    for name, value in recommended.AGREEMENT_FIELDS.items():
        setattr(agreement, name, _text(value))
    agreement.save()
    bulk = [
        (Definition, [dict(key=k, term=t, meaning=m) for k, t, m in recommended.DEFINITIONS]),
        (
            LifecycleStage,
            [dict(name=n, description=d, owner_team=o) for n, d, o in recommended.LIFECYCLE_STAGES],
        ),
        (
            QualificationCriterion,
            [dict(axis=a, criterion=c, points=p) for a, c, p in recommended.CRITERIA],
        ),
        (
            HandoffTrigger,
            [dict(trigger=t, response_hours=h) for t, h in recommended.HANDOFF_TRIGGERS],
        ),
        (LeadReason, [dict(kind=k, code=c, description=d) for k, c, d in recommended.REASONS]),
        (
            NurtureTrack,
            [
                dict(name=n, stage=s, content=c, cadence_days=d)
                for n, s, c, d in recommended.NURTURE_TRACKS
            ],
        ),
        (FollowUpStep, [dict(day=d, channel=c, note=n) for d, c, n in recommended.FOLLOW_UP_STEPS]),
        (
            Kpi,
            recommended.KPIS,
        ),
        (
            Commitment,
            recommended.COMMITMENTS,
        ),
        (
            Meeting,
            [
                dict(name=n, cadence=c, duration_minutes=d, attendees=a, agenda=g)
                for n, c, d, a, g in recommended.MEETINGS
            ],
        ),
    ]
    created = {}
    for model, rows in bulk:
        created[model] = model.objects.bulk_create(
            [
                model(
                    agreement=agreement,
                    position=i,
                    **{k: _text(v) for k, v in row.items()},
                )
                for i, row in enumerate(rows)
            ]
        )
    agreement.recycle_track = created[NurtureTrack][recommended.RECYCLE_TRACK_INDEX]
    agreement.save(update_fields=["recycle_track"])
    FunnelStream.objects.bulk_create(
        FunnelStream(agreement=agreement, position=i, **{k: _text(v) for k, v in row.items()})
        for i, row in enumerate(recommended.FUNNEL_STREAMS)
    )
    FunnelSource.objects.bulk_create(
        FunnelSource(agreement=agreement, position=i, **{k: _text(v) for k, v in row.items()})
        for i, row in enumerate(recommended.FUNNEL_SOURCES)
    )


def _text(value):
    """Lazy translations become plain strings in the active language before they are stored."""
    return str(value) if isinstance(value, Promise) else value


# Fields copied when an agreement is copied (everything but identity, status and bookkeeping).
_NOT_COPIED = {
    "id",
    "organization",
    "title",
    "status",
    "created_by",
    "created_at",
    "updated_at",
    "next_review_due",  # a copy has no signed version yet
}
# Rows per list (definitions, KPIs, ...): the largest contract this allows, every list full,
# renders well within half the PDF task's soft time limit (measured: see the README).
MAX_ROWS_PER_LIST = 200
# What the review schedule is computed from (the term and the cadence).
SCHEDULE_FIELDS = {"effective_date", "end_date", "review_cadence"}


@transaction.atomic
def agreement_copy(*, source: Agreement, actor, title: str) -> Agreement:
    fields = [f.attname for f in Agreement._meta.concrete_fields if f.name not in _NOT_COPIED]
    agreement = Agreement.objects.create(
        organization=source.organization,
        title=title,
        created_by=actor,
        **{name: getattr(source, name) for name in fields if name != "recycle_track_id"},
    )
    for kind in ROW_KINDS.values():
        originals = list(kind.model.objects.filter(agreement=source).order_by("position", "id"))
        copies = []
        for row in originals:
            copy = kind.model(
                **{
                    f.attname: getattr(row, f.attname)
                    for f in kind.model._meta.concrete_fields
                    if f.name not in {"id", "agreement", "revision"}
                }
            )
            copy.agreement = agreement
            copies.append(copy)
        copies = kind.model.objects.bulk_create(copies)
        if kind.model is NurtureTrack and source.recycle_track_id:
            by_original = {row.pk: copy for row, copy in zip(originals, copies, strict=True)}
            agreement.recycle_track = by_original.get(source.recycle_track_id)
            agreement.save(update_fields=["recycle_track"])
    audit_log(agreement, actor, "created", detail_from=f"copy of agreement {source.pk}")
    return agreement


# --- editing sections -------------------------------------------------------------------------


@transaction.atomic
def section_update(*, agreement, actor, section_key: str, values: dict, fingerprint: str):
    """Save a section's fields unless someone else saved the section since `fingerprint`."""
    section = SECTIONS_BY_KEY[section_key]
    locked = _lock(agreement)
    if fingerprint and fingerprint != section_fingerprint(locked, section.fields):
        raise StaleEdit(
            _(
                "Someone else saved this section while you were editing it. Your changes are "
                "shown below but not saved yet; compare them with the saved values and save "
                "again to keep yours."
            )
        )
    changes = {}
    for name in section.fields:
        if name not in values:
            continue  # a field the caller does not set keeps its saved value
        old = locked.serializable_value(name)
        setattr(locked, name, values[name])
        new = locked.serializable_value(name)
        if old != new:
            changes[name] = {"old": old, "new": new}
    if changes:
        locked.save()
        if changes.keys() & SCHEDULE_FIELDS:
            refresh_next_review_due(locked)
        audit_log(locked, actor, "edited", section_key, changes=changes)
        if section_key in FUNNEL_INPUT_SECTIONS:
            _resync_funnel(locked, actor)
    return locked


# --- editing rows -----------------------------------------------------------------------------


FUNNEL_INPUT_KINDS = {"streams", "sources"}
FUNNEL_INPUT_SECTIONS = {"term", "goal"}


def _resync_funnel(agreement, actor) -> None:
    """Keep the funnel KPIs in step after a change to the plan, the target or the term."""
    before = {k.funnel_stage: k.target for k in agreement.kpi_rows.exclude(funnel_stage="")}
    figures = sync_funnel_kpis(agreement)
    after = {k.funnel_stage: k.target for k in agreement.kpi_rows.exclude(funnel_stage="")}
    if before != after:
        audit_log(agreement, actor, "funnel_targets_updated", "kpis", plan_figures=figures)


def _refuse_funnel_kpi(row, *, deleting=False) -> None:
    """KPIs that follow the plan change with the plan only. A KPI restating a plan input may be
    dropped (the plan still states the figure); the stage KPIs come back with the plan."""
    if not isinstance(row, Kpi) or not row.funnel_stage:
        return
    if deleting and row.funnel_stage not in STAGE_KEYS:
        return
    raise DomainError(
        _("This KPI follows the funnel plan; change the revenue streams or lead sources instead.")
    )


def _check_revision(row, expected_revision):
    if expected_revision is not None and expected_revision != row.revision:
        raise StaleEdit(
            _(
                "Someone else changed this row while you were editing it. Your changes are shown "
                "but not saved; save again to keep yours."
            )
        )


def _row_values(row, form_fields):
    return {name: row.serializable_value(name) for name in form_fields}


@transaction.atomic
def row_create(*, agreement, actor, kind_key: str, values: dict):
    kind = ROW_KINDS[kind_key]
    locked = _lock(agreement)
    existing = kind.model.objects.filter(agreement=locked)
    if existing.count() >= MAX_ROWS_PER_LIST:
        raise DomainError(
            _(
                "%(list)s can hold at most %(limit)s rows, so that the contract stays readable "
                "and its PDF renders within the time allowed. Merge or remove rows first."
            )
            % {"list": kind.title, "limit": MAX_ROWS_PER_LIST}
        )
    top = existing.aggregate(top=Max("position"))["top"]
    row = kind.model.objects.create(
        agreement=locked, position=0 if top is None else top + 1, **values
    )
    audit_log(locked, actor, "row_added", kind_key, row=row.pk, values=_row_values(row, values))
    if kind_key in FUNNEL_INPUT_KINDS:
        _resync_funnel(locked, actor)
    return row


@transaction.atomic
def row_update(*, row, actor, kind_key: str, values: dict, expected_revision):
    locked_agreement = _lock(row.agreement)
    current = type(row).objects.select_for_update().get(pk=row.pk)
    _refuse_funnel_kpi(current)
    _check_revision(current, expected_revision)
    before = _row_values(current, values)
    for name, value in values.items():
        setattr(current, name, value)
    current.revision += 1
    current.save()
    after = _row_values(current, values)
    changes = {k: {"old": before[k], "new": after[k]} for k in values if before[k] != after[k]}
    audit_log(locked_agreement, actor, "row_edited", kind_key, row=row.pk, changes=changes)
    if kind_key in FUNNEL_INPUT_KINDS:
        _resync_funnel(locked_agreement, actor)
    return current


@transaction.atomic
def row_delete(*, row, actor, kind_key: str, expected_revision=None):
    locked_agreement = _lock(row.agreement)
    current = type(row).objects.select_for_update().filter(pk=row.pk).first()
    if current is None:
        return  # already gone: deleting twice is not an error
    _refuse_funnel_kpi(current, deleting=True)
    _check_revision(current, expected_revision)
    if isinstance(current, NurtureTrack) and locked_agreement.recycle_track_id == current.pk:
        raise DomainError(
            _("Recycled leads go to this track (see Hand-offs). Choose another track there first.")
        )
    values = _row_values(current, ROW_KINDS[kind_key].columns)
    current.delete()
    audit_log(locked_agreement, actor, "row_removed", kind_key, row=row.pk, values=values)
    if kind_key in FUNNEL_INPUT_KINDS:
        _resync_funnel(locked_agreement, actor)


@transaction.atomic
def row_move(*, row, actor, kind_key: str, direction: str):
    """Swap the row with its neighbour above ("up") or below ("down")."""
    locked_agreement = _lock(row.agreement)
    model = type(row)
    siblings = model.objects.select_for_update().filter(agreement=locked_agreement)
    current = siblings.get(pk=row.pk)
    if direction == "up":
        neighbour = siblings.filter(position__lt=current.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=current.position).order_by("position").first()
    if neighbour is None:
        return current  # already first/last
    top = siblings.aggregate(top=Max("position"))["top"]
    # Three steps keep (agreement, position) unique at every moment.
    mine, theirs = current.position, neighbour.position
    model.objects.filter(pk=neighbour.pk).update(position=top + 1)
    model.objects.filter(pk=current.pk).update(position=theirs, revision=current.revision + 1)
    model.objects.filter(pk=neighbour.pk).update(position=mine, revision=neighbour.revision + 1)
    audit_log(locked_agreement, actor, "row_moved", kind_key, row=row.pk, direction=direction)
    return current
