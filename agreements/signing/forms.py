"""The forms of signing: sign or decline a version, replace the seal, verify a PDF."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from slaportal.errors import DomainError

from ..models import SignatureMethod
from .services import typed_name_problem
from .signature_image import decode_signature_png


class SignForm(forms.Form):
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": gettext_lazy("Tick the box to agree to sign electronically.")},
    )
    method = forms.ChoiceField(
        choices=SignatureMethod.choices, widget=forms.RadioSelect, initial=SignatureMethod.DRAWN
    )
    typed_name = forms.CharField(required=False, max_length=160)
    signature_png = forms.CharField(widget=forms.HiddenInput, required=False)
    pdf_sha256 = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, signer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signer = signer

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == SignatureMethod.TYPED:
            typed = cleaned.get("typed_name", "")
            problem = (
                typed_name_problem(typed, self.signer)
                if self.signer
                else (None if typed.strip() else _("Type your name to sign."))
            )
            if problem:
                self.add_error("typed_name", problem)
        try:
            cleaned["image_png"] = decode_signature_png(cleaned.get("signature_png", ""))
        except DomainError as exc:
            self.add_error("signature_png", str(exc))
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": gettext_lazy("Say why you decline, so the others know what to change.")
        },
    )


MAX_BUNDLE_BYTES = 200_000


class Pkcs12Form(forms.Form):
    bundle = forms.FileField(label=gettext_lazy("PKCS#12 file (.p12 or .pfx)"))
    password = forms.CharField(
        label=gettext_lazy("Password of the file"), widget=forms.PasswordInput, required=False
    )

    def clean_bundle(self):
        bundle = self.cleaned_data["bundle"]
        if bundle.size > MAX_BUNDLE_BYTES:
            raise forms.ValidationError(_("This file is too large to be a certificate bundle."))
        return bundle


MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class VerifyForm(forms.Form):
    document = forms.FileField(label=gettext_lazy("Signed PDF"))

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext_lazy("The file is larger than 20 MB; no signed agreement is.")
            )
        if document.size == 0:
            raise forms.ValidationError(gettext_lazy("The file is empty."))
        return document
