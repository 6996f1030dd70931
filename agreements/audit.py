"""An agreement's audit trail: appending hash-chained entries, and checking that every entry
hashes to itself and chains to the one before it. Imports the models only."""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import GENESIS_HASH, Agreement, AuditEntry


def audit_log(agreement, actor, action: str, target: str = "", **detail) -> AuditEntry:
    """Append an entry to the agreement's hash-chained trail. Call with the agreement locked."""
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
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    return entry


def log_version_event(version, action: str, **detail) -> AuditEntry:
    """A worker's entry about a version (rendered, sealed, invited...): no actor. Call inside a
    transaction; the agreement row is locked so entries stay in sequence."""
    agreement = Agreement.objects.select_for_update().get(pk=version.agreement_id)
    return audit_log(agreement, None, action, f"version {version.number}", **detail)


@dataclass(frozen=True)
class ChainBreak:
    agreement_id: int
    sequence: int
    problem: str


def check_chain(entries) -> list[ChainBreak]:
    """Breaks in one agreement's entries (given in sequence order); empty when intact."""
    breaks = []
    expected_prev, expected_sequence = GENESIS_HASH, 1
    for entry in entries:
        if entry.sequence != expected_sequence:
            breaks.append(
                ChainBreak(
                    entry.agreement_id,
                    entry.sequence,
                    f"expected entry #{expected_sequence}: an entry is missing",
                )
            )
        if entry.prev_hash != expected_prev:
            breaks.append(
                ChainBreak(
                    entry.agreement_id, entry.sequence, "does not chain to the entry before it"
                )
            )
        if entry.compute_hash() != entry.entry_hash:
            breaks.append(
                ChainBreak(
                    entry.agreement_id,
                    entry.sequence,
                    "its content was changed after it was written",
                )
            )
        expected_prev, expected_sequence = entry.entry_hash, entry.sequence + 1
    return breaks


def check_all_chains(agreement_ids=None) -> list[ChainBreak]:
    entries = AuditEntry.objects.order_by("agreement_id", "sequence")
    if agreement_ids:
        entries = entries.filter(agreement_id__in=agreement_ids)
    breaks, current, batch = [], None, []
    for entry in entries.iterator():
        if entry.agreement_id != current and batch:
            breaks += check_chain(batch)
            batch = []
        current = entry.agreement_id
        batch.append(entry)
    if batch:
        breaks += check_chain(batch)
    return breaks
