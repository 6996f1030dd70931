from django import forms
from django.utils.translation import gettext_lazy as _

from .addresses import url_problem
from .models import SUBSCRIBABLE_EVENTS, WebhookEndpoint


class EndpointForm(forms.ModelForm):
    """The URL is checked as the delivery will check it: a scheme we send to, no credentials,
    and (unless WEBHOOK_ALLOW_PRIVATE) a host that resolves to public addresses only."""

    url = forms.URLField(
        label=_("Endpoint URL"),
        max_length=2000,
        assume_scheme="https",
        help_text=_("Where SLA Portal sends a signed POST request for each event."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=SUBSCRIBABLE_EVENTS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "events", "description", "active"]
        help_texts = {
            "description": _("For your colleagues: what receives these events."),
            "active": _("Inactive endpoints receive nothing."),
        }

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        problem = url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean_events(self):
        chosen = set(self.cleaned_data["events"])
        return [value for value, _label in SUBSCRIBABLE_EVENTS if value in chosen]
