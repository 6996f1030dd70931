"""Checking an agreement's audit trail: every entry must hash to itself and chain to the last."""

from dataclasses import dataclass

from .models import GENESIS_HASH, AuditEntry


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
