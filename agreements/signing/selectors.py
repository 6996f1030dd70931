"""Reading signature slots."""

from ..lifecycle import turn_filter
from ..models import Signature


def open_slots_of(user):
    """The user's signature slots that are open now, turn order included (one SQL condition)."""
    return Signature.objects.awaiting(user).filter(turn_filter())


def awaiting_signature(user, organization):
    """The user's signature slots in this organisation that are open now, turn order included,
    oldest first: one query, whatever the number of slots (slice it to show a page).

    Slots are created when their version is submitted, so their ids follow the versions' order;
    ordering by id lets PostgreSQL walk `signature_pending_by_signer` and stop after the page.
    Only what a list of slots shows is loaded: a version's snapshot is a large JSON document."""
    return (
        open_slots_of(user)
        .filter(version__agreement__organization=organization)
        .select_related("version__agreement")
        .only("id", "version__id", "version__number", "version__agreement__title")
        .order_by("pk")
    )
