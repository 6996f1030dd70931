"""The appendix of a revision's contract: each change since the version before it.

It shows the changes as the compare page does, from the same diff (`diff_snapshots`). Its size
is bounded so that a revision that rewrote everything still renders in time: texts are shown in
full (a changed clause is what a signer has to read, and it is no longer than the contract body
shows it), but each list shows at most ROW_CHANGES_SHOWN row changes and then says how many
more there are. A list replaced wholesale is read in the contract itself, where it stands in
full; the summary at the top of the appendix still counts every change.
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from .diff import diff_snapshots
from .diff.results import RowChange, RowKindDiff, SectionDiff, SnapshotDiff

ROW_CHANGES_SHOWN = 25


@dataclass(frozen=True)
class ShownRows:
    """The row changes of one list that the appendix shows, and how many it leaves out."""

    kind: RowKindDiff
    changes: tuple[RowChange, ...]
    more: int


def shown_rows(kind: RowKindDiff, limit: int = ROW_CHANGES_SHOWN) -> ShownRows:
    return ShownRows(kind, kind.changes[:limit], max(len(kind.changes) - limit, 0))


@dataclass(frozen=True)
class AppendixSection:
    diff: SectionDiff
    row_kinds: tuple[ShownRows, ...]  # the lists of the section that changed


@dataclass(frozen=True)
class ChangesAppendix:
    title: str  # its heading, also listed in the contents
    old_label: str  # "Version 1": the column headings
    new_label: str
    diff: SnapshotDiff
    sections: tuple[AppendixSection, ...]  # the sections that changed, in order


def changes_appendix(previous_number: int, old: dict, number: int, new: dict) -> ChangesAppendix:
    """What changed from snapshot `old` (version `previous_number`) to `new`, in the active
    language."""
    diff = diff_snapshots(old, new)
    return ChangesAppendix(
        title=gettext("Appendix: changes since version %(number)s") % {"number": previous_number},
        old_label=gettext("Version %(number)s") % {"number": previous_number},
        new_label=gettext("Version %(number)s") % {"number": number},
        diff=diff,
        sections=tuple(
            AppendixSection(section, tuple(shown_rows(kind) for kind in section.changed_rows))
            for section in diff.changed_sections
        ),
    )
