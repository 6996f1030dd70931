"""Reading versions: one for a page (with access checked), or an agreement's history."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from ..authoring.selectors import get_agreement_for_user
from ..models import Signature


def get_version_for_user(user, pk: int, number: int, *, write=False):
    """A version of an agreement the user may see; 404 otherwise (outsiders, wrong numbers)."""
    agreement, membership = get_agreement_for_user(user, pk, write=write)
    version = get_object_or_404(agreement.versions.select_related("created_by"), number=number)
    version.agreement = agreement  # already loaded with its organisation
    return version, membership


def versions_of(agreement):
    return (
        agreement.versions.defer("snapshot")
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=Signature.objects.defer("image_png").select_related("signer"),
            )
        )
        .order_by("-number")
    )
