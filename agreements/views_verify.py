"""/verify/: anyone, logged in or not, checks a PDF against what the portal issued."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .verification import verify_document

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class VerifyForm(forms.Form):
    document = forms.FileField(label=_("Signed PDF"))

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; no signed agreement is."))
        if document.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return document


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
