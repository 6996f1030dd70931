"""An agreement's audit trail: appending keyed, hash-chained entries, and checking that every
entry hashes to itself under its key, chains to the one before it, and that the trail still ends
where the agreement and its completed versions recorded. Imports the models only."""

import hmac
import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import GENESIS_HASH, Agreement, AgreementVersion, AuditEntry
from .models.audit import UnknownAuditKey, legacy_seal_matches

# How the actor reached the app when it was not the web pages, e.g. {"api_token": "CRM sync"}:
# recorded in every entry written meanwhile, so the trail says a change came through the API.
_channel: ContextVar[dict | None] = ContextVar("audit_channel", default=None)


@contextmanager
def acting_through(channel: dict | None = None):
    """Entries appended inside carry `via`: `channel`, or what `set_channel` put there."""
    reset = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(reset)


def set_channel(channel: dict) -> None:
    """Name the channel for the rest of the surrounding `acting_through` block."""
    _channel.set(channel)


def audit_log(agreement, actor, action: str, target: str = "", **detail) -> AuditEntry:
    """Append an entry to the agreement's hash-chained trail and move the agreement's recorded
    head to it, in one transaction. Call with the agreement locked."""
    if (channel := _channel.get()) is not None:
        detail = {**detail, "via": channel}
    with transaction.atomic():
        last = agreement.audit_entries.order_by("-sequence").only("sequence", "entry_hash").first()
        entry = AuditEntry(
            agreement=agreement,
            sequence=(last.sequence + 1) if last else 1,
            actor=actor,
            actor_email=getattr(actor, "email", "") or "",
            action=action,
            target=target,
            detail=json.loads(json.dumps(detail, cls=DjangoJSONEncoder)),
            created_at=timezone.now(),
            prev_hash=last.entry_hash if last else GENESIS_HASH,
            hmac_key_id=settings.AUDIT_HMAC_KEY_ID,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
        head = {"audit_head_sequence": entry.sequence, "audit_head_hash": entry.entry_hash}
        Agreement.objects.filter(pk=agreement.pk).update(**head)
    for name, value in head.items():
        setattr(agreement, name, value)
    return entry


def log_version_event(version, action: str, **detail) -> AuditEntry:
    """A worker's entry about a version (rendered, sealed, invited...): no actor. Call inside a
    transaction; the agreement row is locked so entries stay in sequence."""
    agreement = Agreement.objects.select_for_update().get(pk=version.agreement_id)
    return audit_log(agreement, None, action, f"version {version.number}", **detail)


def anchor_head(version, entry: AuditEntry) -> None:
    """Record `entry`, the trail's head when the version was completed, on the version: its
    certificate prints it, and the check finds that entry unchanged or reports the trail cut."""
    head = {"audit_head_sequence": entry.sequence, "audit_head_hash": entry.entry_hash}
    AgreementVersion.objects.filter(pk=version.pk, audit_head_hash="").update(**head)
    for name, value in head.items():
        setattr(version, name, value)


@dataclass(frozen=True)
class ChainBreak:
    agreement_id: int
    sequence: int
    problem: str


@dataclass(frozen=True)
class RecordedHead:
    """What the agreement row and its completed versions recorded about the trail's end."""

    agreement_id: int
    sequence: int | None = None
    entry_hash: str = ""
    legacy_seal: str = ""
    anchors: tuple[tuple[int, int, str], ...] = ()  # (version number, sequence, entry hash)


def recorded_head(agreement) -> RecordedHead:
    anchors = agreement.versions.exclude(audit_head_hash="").order_by("number")
    return RecordedHead(
        agreement.pk,
        agreement.audit_head_sequence,
        agreement.audit_head_hash,
        agreement.audit_legacy_seal,
        tuple(anchors.values_list("number", "audit_head_sequence", "audit_head_hash")),
    )


def check_chain(entries, head: RecordedHead | None = None) -> list[ChainBreak]:
    """Breaks in one agreement's entries (given in sequence order); empty when intact. With the
    agreement's recorded `head`, entries deleted from the end, or all of them, are breaks too."""
    entries = list(entries)
    breaks = _check_links(entries)
    if head is not None:
        breaks += _check_legacy(entries, head) + _check_head(entries, head)
    return breaks


def _check_links(entries) -> list[ChainBreak]:
    breaks = []
    expected_prev, expected_sequence, keyed_before = GENESIS_HASH, 1, False
    for entry in entries:
        problems = []
        if entry.sequence != expected_sequence:
            problems.append(f"expected entry #{expected_sequence}: an entry is missing")
        if entry.prev_hash != expected_prev:
            problems.append("does not chain to the entry before it")
        if entry.is_legacy and keyed_before:
            problems.append("has no key although an entry before it has one: it was rewritten")
        try:
            intact = hmac.compare_digest(entry.compute_hash(), entry.entry_hash)
        except UnknownAuditKey:
            problems.append(
                f"written under key {entry.hmac_key_id!r}, which AUDIT_HMAC_KEYS does not hold"
            )
        else:
            if not intact:
                problems.append("its content was changed after it was written")
        breaks += [ChainBreak(entry.agreement_id, entry.sequence, p) for p in problems]
        keyed_before = keyed_before or not entry.is_legacy
        expected_prev, expected_sequence = entry.entry_hash, entry.sequence + 1
    return breaks


def _check_legacy(entries, head: RecordedHead) -> list[ChainBreak]:
    """Unkeyed entries are only those the trail had when it became keyed, sealed then."""
    legacy = [entry for entry in entries if entry.is_legacy]
    if not legacy:
        return []
    last = legacy[-1]
    if legacy_seal_matches(head.legacy_seal, head.agreement_id, last.sequence, last.entry_hash):
        return []
    return [
        ChainBreak(
            head.agreement_id,
            last.sequence,
            "the unkeyed entries no longer match their seal from when the trail became keyed",
        )
    ]


def _check_head(entries, head: RecordedHead) -> list[ChainBreak]:
    """The trail ends at the agreement's recorded head and holds every version's anchor."""
    breaks, last = [], entries[-1] if entries else None
    if head.sequence is None:
        if last is not None:
            breaks.append(ChainBreak(head.agreement_id, last.sequence, "no head was recorded"))
    elif last is None:
        breaks.append(
            ChainBreak(
                head.agreement_id,
                head.sequence,
                "the recorded head of a trail that has no entries left: they were deleted",
            )
        )
    elif last.sequence < head.sequence:
        breaks.append(
            ChainBreak(
                head.agreement_id,
                head.sequence,
                f"the recorded head is missing; the trail ends at #{last.sequence}: "
                "its last entries were deleted",
            )
        )
    elif last.sequence > head.sequence or last.entry_hash != head.entry_hash:
        breaks.append(
            ChainBreak(
                head.agreement_id,
                last.sequence,
                f"does not match the recorded head (#{head.sequence} {head.entry_hash[:12]})",
            )
        )
    by_sequence = {entry.sequence: entry for entry in entries}
    for number, sequence, entry_hash in head.anchors:
        entry = by_sequence.get(sequence)
        if entry is None:
            problem = f"the head anchored on version {number} when it was completed is missing"
        elif entry.entry_hash != entry_hash:
            problem = f"does not match the head anchored on version {number}"
        else:
            continue
        breaks.append(ChainBreak(head.agreement_id, sequence, problem))
    return breaks


def check_agreement(agreement_id: int) -> list[ChainBreak]:
    """One agreement's trail against its recorded heads, its row locked so that no entry is
    appended between reading the head and reading the entries."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().filter(pk=agreement_id).first()
        if agreement is None:
            return []
        return check_chain(agreement.audit_entries.order_by("sequence"), recorded_head(agreement))


def check_all_chains(agreement_ids=None) -> list[ChainBreak]:
    """Every agreement's trail (or these agreements'), entries streamed in one query. A trail
    that shows a break is checked again under its lock: an entry appended while the check ran
    is no break."""
    heads = _recorded_heads(agreement_ids)
    entries = AuditEntry.objects.order_by("agreement_id", "sequence")
    if agreement_ids:
        entries = entries.filter(agreement_id__in=agreement_ids)
    breaks, checked = [], set()
    for agreement_id, batch in groupby(entries.iterator(), key=attrgetter("agreement_id")):
        checked.add(agreement_id)
        if check_chain(batch, heads.get(agreement_id, RecordedHead(agreement_id))):
            breaks += check_agreement(agreement_id)
    for agreement_id, head in sorted(heads.items()):
        if agreement_id not in checked and (head.sequence is not None or head.anchors):
            breaks += check_agreement(agreement_id)  # a head, and no entries
    return sorted(breaks, key=lambda item: item.agreement_id)


def _recorded_heads(agreement_ids=None) -> dict[int, RecordedHead]:
    agreements = Agreement.objects.order_by("pk")
    versions = AgreementVersion.objects.exclude(audit_head_hash="").order_by("agreement", "number")
    if agreement_ids:
        agreements = agreements.filter(pk__in=agreement_ids)
        versions = versions.filter(agreement_id__in=agreement_ids)
    anchors = {}
    for agreement_id, *anchor in versions.values_list(
        "agreement_id", "number", "audit_head_sequence", "audit_head_hash"
    ):
        anchors.setdefault(agreement_id, []).append(tuple(anchor))
    return {
        pk: RecordedHead(pk, sequence, entry_hash, seal, tuple(anchors.get(pk, ())))
        for pk, sequence, entry_hash, seal in agreements.values_list(
            "pk", "audit_head_sequence", "audit_head_hash", "audit_legacy_seal"
        ).iterator()
    }
