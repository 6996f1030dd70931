"""The forms of a review: when it was held and by whom, and a CRM export to import."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actuals_csv import MAX_BYTES


class ReviewForm(forms.Form):
    held_on = forms.DateField(
        label=gettext_lazy("Held on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    attendees = forms.CharField(label=gettext_lazy("Attendees"), max_length=300, required=False)
    notes = forms.CharField(
        label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV export from your CRM"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # known from the upload itself, before a byte is read
            raise forms.ValidationError(
                _("The file is larger than 10 MB. Export a shorter period or fewer columns.")
            )
        return upload
