"""Comparing two versions of an agreement, or a version with the live draft."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..authoring.document import load_document
from ..authoring.selectors import get_agreement_for_user
from .diff import diff_snapshots
from .snapshot import build_snapshot

DRAFT = "draft"


class BadChoice(ValueError):
    """A version choice the page cannot compare; the message says why."""


def _pick(value: str, numbers: list[int], draft_available: bool):
    if value == DRAFT:
        if not draft_available:
            raise BadChoice(_("There is no draft to compare: this agreement is not a draft."))
        return DRAFT
    try:
        number = int(value)
    except ValueError:
        raise BadChoice(_("“%(value)s” is not a version number.") % {"value": value[:20]}) from None
    if number not in numbers:
        raise BadChoice(_("There is no version %(number)s of this agreement.") % {"number": number})
    return number


def _default_old(new, numbers: list[int]):
    """The version just before `new` (the latest version when `new` is the draft)."""
    if new == DRAFT:
        return numbers[0] if numbers else None
    earlier = [n for n in numbers if n < new]
    others = [n for n in numbers if n != new]
    return (earlier or others or [None])[0]


def _selection(params, numbers: list[int], draft_available: bool):
    """(old, new) from `?old=&new=`, each a version number or DRAFT.

    Defaults: the two latest versions; the latest version and the draft when there is only one.
    """
    raw_old, raw_new = params.get("old", "").strip(), params.get("new", "").strip()
    if len(numbers) + draft_available < 2:
        raise BadChoice(_("There is nothing to compare yet: this agreement needs two versions."))
    if raw_new:
        new = _pick(raw_new, numbers, draft_available)
    else:
        new = numbers[0] if len(numbers) >= 2 else DRAFT
    old = _pick(raw_old, numbers, draft_available) if raw_old else _default_old(new, numbers)
    if old is None:
        raise BadChoice(_("Choose a version to compare with."))
    if old == new:
        raise BadChoice(_("Choose two different versions."))
    return old, new


def _label(choice) -> str:
    if choice == DRAFT:
        return _("Current draft")
    return _("Version %(number)s") % {"number": choice}


@login_required
def version_compare(request, pk):
    agreement, membership = get_agreement_for_user(request.user, pk)
    versions = list(
        agreement.versions.only("id", "agreement_id", "number", "created_at", "state").order_by(
            "-number"
        )
    )
    numbers = [version.number for version in versions]
    draft_available = agreement.is_editable and bool(numbers)
    context = {
        "agreement": agreement,
        "organization": agreement.organization,
        "membership": membership,
        "versions": versions,
        "draft_available": draft_available,
        "selected_old": request.GET.get("old", ""),
        "selected_new": request.GET.get("new", ""),
    }
    try:
        old, new = _selection(request.GET, numbers, draft_available)
    except BadChoice as exc:
        context["problem"] = str(exc)
        return render(request, "agreements/versions/compare.html", context)

    wanted = [choice for choice in (old, new) if choice != DRAFT]
    snapshots = dict(agreement.versions.filter(number__in=wanted).values_list("number", "snapshot"))
    if DRAFT in (old, new):
        snapshots[DRAFT] = build_snapshot(
            load_document(agreement, cached=True),
            number=0,
            created_at=timezone.now(),
            created_by=request.user,
        )
    context.update(
        selected_old=str(old),
        selected_new=str(new),
        old_label=_label(old),
        new_label=_label(new),
        diff=diff_snapshots(snapshots[old], snapshots[new]),
    )
    return render(request, "agreements/versions/compare.html", context)
