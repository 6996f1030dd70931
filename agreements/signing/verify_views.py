"""/verify/: anyone, logged in or not, checks a PDF against what the portal issued."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from slaportal.client_ip import client_ip
from slaportal.rate_limits import over_limit

from .forms import VerifyForm
from .verification import verify_document


def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdict = None
    status = 200
    if request.method == "POST" and _too_many(request):
        form.add_error(
            None, _("Too many documents checked from your address. Try again in a few minutes.")
        )
        status = 429
    elif request.method == "POST" and form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        verdict = verify_document(form.cleaned_data["document"].read(), actor=actor)
    if form.errors and status == 200:
        status = 400
    return render(
        request, "agreements/verify.html", {"form": form, "verdict": verdict}, status=status
    )


def _too_many(request) -> bool:
    # Each check reads a file of up to 20 MB and validates a seal: bounded per address.
    return over_limit(
        "verify",
        client_ip(request) or "unknown",
        limit=settings.VERIFY_RATE_LIMIT,
        window_seconds=settings.VERIFY_RATE_WINDOW_SECONDS,
    )
