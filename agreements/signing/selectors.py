"""Reading signature slots."""

from ..lifecycle import turn_filter
from ..models import Signature


def awaiting_signature(user, organization):
    """The user's signature slots in this organisation that are open now, turn order included:
    one query, whatever the number of slots."""
    return list(
        Signature.objects.awaiting(user)
        .filter(version__agreement__organization=organization)
        .filter(turn_filter())
        .select_related("version__agreement")
    )
