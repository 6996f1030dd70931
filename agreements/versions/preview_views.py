"""The contract as it will read, laid out from the live draft (the PDF's template)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..authoring.document import load_document
from ..authoring.selectors import get_agreement_for_user
from .contract import contract_context


@login_required
def agreement_preview(request, pk):
    agreement, membership = get_agreement_for_user(request.user, pk)
    doc = load_document(agreement)
    context = contract_context(doc)
    context.update(
        agreement=agreement,
        organization=agreement.organization,
        membership=membership,
        missing=doc.missing_by_section(),
    )
    return render(request, "agreements/preview.html", context)
