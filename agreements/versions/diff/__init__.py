"""What changed between two snapshots of an agreement, section by section.

A pure function over the JSON that `snapshot.build_snapshot` freezes: no database access, so it
serves the compare page (version against version, or a version against the live draft) and any
appendix that lists the changes. Labels and choices come from the models and the section
registry; values are shown as people read them (choice labels, names, "23%", "1,200,000").

Rows carry no ids in a snapshot, so rows are matched by a natural key per kind (`ROW_KEYS`):

1. Rows with the same natural key are the same row. Keys compare case- and
   whitespace-insensitively; when several rows share a key, the n-th occurrence in the old list
   matches the n-th in the new one.
2. A row left unmatched in both lists at the same position is the same row whose key changed
   in place (a renamed stage, say) and counts as changed.
3. Whatever is still unmatched was removed (old side) or added (new side).

Moving a row without changing it is not a change.
"""

from funnel.presentation import FUNNEL_ORDER, STAGE_LABELS

from ...authoring.sections import SECTIONS
from ...models import Agreement
from .results import FUNNEL_SECTION, FunnelDiff, SectionDiff, SnapshotDiff, StageChange
from .rows import _diff_rows, match_rows
from .values import _field_changes, percent_change, word_segments

__all__ = ["diff_funnel", "diff_snapshots", "match_rows", "percent_change", "word_segments"]


def _term_months(funnel: dict | None) -> int | None:
    if not funnel:
        return None
    if funnel.get("term_months"):
        return int(funnel["term_months"])
    return sum(1 for month in funnel.get("months", []) if not month.get("lead_in")) or None


def diff_funnel(old: dict | None, new: dict | None) -> FunnelDiff:
    old_stages = (old or {}).get("stages") or {}
    new_stages = (new or {}).get("stages") or {}
    stages = tuple(
        StageChange(
            key=stage,
            label=str(STAGE_LABELS[stage]),
            old=old_stages.get(stage),
            new=new_stages.get(stage),
            percent=percent_change(old_stages.get(stage), new_stages.get(stage)),
        )
        for stage in FUNNEL_ORDER
    )
    return FunnelDiff(
        stages=stages,
        old_months=_term_months(old),
        new_months=_term_months(new),
        old_computed=bool(old),
        new_computed=bool(new),
    )


# --- the whole snapshot -----------------------------------------------------------------------


def diff_snapshots(old: dict, new: dict) -> SnapshotDiff:
    """What changed from snapshot `old` to snapshot `new`, per section in SECTIONS order."""
    old_agreement, new_agreement = old.get("agreement", {}), new.get("agreement", {})
    old_rows, new_rows = old.get("rows", {}), new.get("rows", {})
    funnel = diff_funnel(old.get("funnel"), new.get("funnel"))
    sections = []
    for section in SECTIONS:
        sections.append(
            SectionDiff(
                number=section.number,
                key=section.key,
                title=str(section.title),
                fields=_field_changes(Agreement, section.fields, old_agreement, new_agreement),
                rows=tuple(
                    _diff_rows(key, old_rows.get(key) or [], new_rows.get(key) or [])
                    for key in section.row_kinds
                ),
                funnel=funnel if section.key == FUNNEL_SECTION else None,
            )
        )
    return SnapshotDiff(sections=tuple(sections), funnel=funnel)
