"""/verify/: anyone, logged in or not, checks a PDF against what the portal issued."""

from django.shortcuts import render

from .forms import VerifyForm
from .verification import verify_document


def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        verdict = verify_document(form.cleaned_data["document"].read(), actor=actor)
    status = 400 if form.errors else 200
    return render(
        request, "agreements/verify.html", {"form": form, "verdict": verdict}, status=status
    )
