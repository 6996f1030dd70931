"""Reading signature slots."""

from ..lifecycle import turn_filter
from ..models import Signature


def awaiting_signature(user, organization):
    """The user's signature slots in this organisation that are open now, turn order included,
    oldest version first: one query, whatever the number of slots (slice it to show a page)."""
    return (
        Signature.objects.awaiting(user)
        .filter(version__agreement__organization=organization)
        .filter(turn_filter())
        .select_related("version__agreement")
        .order_by("version__created_at", "pk")
    )
