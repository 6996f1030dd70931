"""Forms for the agreement's sections and rows. Validation mirrors the database constraints."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.dates import WEEKDAYS as DJANGO_WEEKDAYS
from django.utils.translation import gettext_lazy as _

from funnel.calculator import InvalidNumber, parse_rate
from funnel.localized import rate_examples, rate_notation
from slaportal.l10n import NumberInputError
from slaportal.l10n.fields import localized_formfield

from ..models import (
    Agreement,
    Commitment,
    Definition,
    FollowUpStep,
    FunnelSource,
    FunnelStream,
    HandoffTrigger,
    Kpi,
    LeadReason,
    LifecycleStage,
    Meeting,
    NurtureTrack,
    QualificationCriterion,
    Signatory,
)
from ..models.agreement import available_timezones
from . import rates
from .form_fields import (
    count_characters_instead_of_cutting,
    mark_invalid_fields,
    present_row_fields,
)
from .selectors import copy_choices

TEXTAREA = forms.Textarea(attrs={"rows": 3})
WEEKDAYS = [DJANGO_WEEKDAYS[index] for index in range(7)]  # Monday first, translated
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def organization_members(organization):
    return (
        get_user_model()
        .objects.filter(memberships__organization=organization)
        .order_by("full_name", "email")
    )


class StartAgreementForm(forms.Form):
    RECOMMENDED, BLANK, COPY = "recommended", "blank", "copy"
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language of the agreement"),
        choices=settings.LANGUAGES,
        required=False,  # defaults to the interface language
        help_text=_("The template's texts, the preview, the PDF and the emails use it."),
    )
    start_from = forms.ChoiceField(
        label=_("Start from"),
        widget=forms.RadioSelect,
        initial=RECOMMENDED,
        choices=[
            (RECOMMENDED, _("The recommended template: every section prefilled")),
            (BLANK, _("A blank agreement")),
            (COPY, _("A copy of another agreement of this organisation")),
        ],
    )
    source = forms.ModelChoiceField(
        label=_("Agreement to copy"), queryset=Agreement.objects.none(), required=False
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        # Any agreement of the organisation validates; the list offers a searchable few, not
        # all of them (an organisation may have thousands).
        self.fields["source"].queryset = Agreement.objects.for_organization(organization)
        chosen = self.data.get(self.add_prefix("source")) if self.is_bound else None
        self.fields["source"].widget.choices = [
            ("", "---------"),
            *((a.pk, a.title) for a in copy_choices(organization, include=chosen)),
        ]
        self.fields["language"].initial = translation.get_language()
        count_characters_instead_of_cutting(self)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the agreement a title."))
        return title

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_from") == self.COPY and not cleaned.get("source"):
            self.add_error("source", _("Choose the agreement to copy."))
        return cleaned


class SectionForm(forms.ModelForm):
    """Edits the scalar fields of one section. `fingerprint` detects a concurrent save."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Agreement
        fields = []
        formfield_callback = localized_formfield  # numbers read in the reader's language
        widgets = {
            "effective_date": DATE,
            "end_date": DATE,
            "workday_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "workday_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            **{
                name: TEXTAREA
                for name in [
                    "goal_statement",
                    "handoff_information",
                    "nurture_requests",
                    "disposition_policy",
                    "escalation_path",
                    "missed_commitment_policy",
                    "feedback_channels",
                    "dispute_process",
                    "report_contents",
                    "data_access",
                ]
            },
        }
        help_texts = {
            "goal_statement": _(
                "One SMART goal tied to revenue that both teams own, e.g. “EUR 1.2M new ARR "
                "from inbound in H1”."
            ),
            "mql_threshold": _("A lead becomes an MQL when its fit + interest score reaches this."),
            "currency": _("Three-letter code, e.g. EUR, USD, GBP, CNY, TRY."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = organization_members(self.instance.organization)
        for name in ("marketing_lead", "sales_lead"):
            if name in self.fields:
                self.fields[name].queryset = members
                self.fields[name].label_from_instance = lambda user: (
                    f"{user.display_name} <{user.email}>"
                )
        if "working_days" in self.fields:
            self.fields["working_days"] = forms.MultipleChoiceField(
                label=_("Working days"),
                choices=[(str(day), WEEKDAYS[day - 1]) for day in range(1, 8)],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Choose at least one working day.")},
            )
            # The model stores "12345"; the checkboxes need ["1", ..., "5"].
            self.initial["working_days"] = list(self.instance.working_days or "")
        if "time_zone" in self.fields:
            self.fields["time_zone"].widget = forms.Select(
                choices=[(zone, zone) for zone in sorted(available_timezones())]
            )
        if "recycle_track" in self.fields:
            self.fields["recycle_track"].queryset = self.instance.nurturetrack_rows.all()
        if "currency" in self.fields:
            self.fields["currency"].widget.attrs.update({"style": "max-width:8rem"})
        count_characters_instead_of_cutting(self)

    def clean_working_days(self):
        return "".join(sorted(self.cleaned_data["working_days"]))

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()


def section_form_class(section):
    """The form for a section's own fields, or None when the section only holds rows."""
    if not section.fields:
        return None
    return forms.modelform_factory(Agreement, form=SectionForm, fields=list(section.fields))


class RowForm(forms.ModelForm):
    """Base of every row form: carries the row's revision to detect a stale edit."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        # Numbers read in the reader's language; every row form's Meta inherits this one.
        formfield_callback = localized_formfield

    def __init__(self, *args, agreement, **kwargs):
        self.agreement = agreement
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["revision"] = self.instance.revision
        present_row_fields(self, agreement.currency)

    def _post_clean(self):
        self.instance.agreement = self.agreement
        super()._post_clean()

    def full_clean(self):
        super().full_clean()
        mark_invalid_fields(self)

    # Rows whose name is unique per agreement set this message; the database enforces it too.
    duplicate_name_message = None

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.duplicate_name_message:
            siblings = self._meta.model.objects.filter(agreement=self.agreement, name=name)
            if siblings.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(self.duplicate_name_message)
        return name


class SignatoryForm(RowForm):
    class Meta(RowForm.Meta):
        model = Signatory
        fields = ["user", "capacity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = organization_members(self.agreement.organization)
        self.fields["user"].label_from_instance = lambda user: user.display_name

    def clean_user(self):
        user = self.cleaned_data["user"]
        if user.pk in (self.agreement.marketing_lead_id, self.agreement.sales_lead_id):
            raise forms.ValidationError(_("The leads already sign; choose someone else."))
        taken = self.agreement.signatory_rows.filter(user=user).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This person already signs this agreement."))
        return user


class DefinitionForm(RowForm):
    class Meta(RowForm.Meta):
        model = Definition
        fields = ["term", "meaning", "key"]
        widgets = {"meaning": TEXTAREA}

    def clean_key(self):
        key = self.cleaned_data["key"]
        if (
            key
            and self.agreement.definition_rows.filter(key=key).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError(_("This standard term is already defined above."))
        return key


class LifecycleStageForm(RowForm):
    class Meta(RowForm.Meta):
        model = LifecycleStage
        fields = ["name", "description", "owner_team"]
        widgets = {"description": TEXTAREA}


class QualificationCriterionForm(RowForm):
    class Meta(RowForm.Meta):
        model = QualificationCriterion
        fields = ["axis", "criterion", "points"]
        help_texts = {"points": _("From -100 to 100; negative points lower the score.")}


class HandoffTriggerForm(RowForm):
    class Meta(RowForm.Meta):
        model = HandoffTrigger
        fields = ["trigger", "response_hours"]


class LeadReasonForm(RowForm):
    class Meta(RowForm.Meta):
        model = LeadReason
        fields = ["kind", "code", "description"]

    def clean(self):
        cleaned = super().clean()
        kind, code = cleaned.get("kind"), cleaned.get("code")
        if kind and code:
            clash = self.agreement.leadreason_rows.filter(kind=kind, code=code)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("code", _("This code is already used for this kind of reason."))
        return cleaned


class NurtureTrackForm(RowForm):
    class Meta(RowForm.Meta):
        model = NurtureTrack
        fields = ["name", "stage", "content", "cadence_days"]
        widgets = {"content": TEXTAREA}

    duplicate_name_message = _("There is already a nurture track with this name.")


class FollowUpStepForm(RowForm):
    class Meta(RowForm.Meta):
        model = FollowUpStep
        fields = ["day", "channel", "note"]


class KpiForm(RowForm):
    class Meta(RowForm.Meta):
        model = Kpi
        fields = ["name", "owner_team", "target", "unit", "period", "direction", "frequency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Posted without them (older clients), a KPI gets the model's defaults.
        for name in ("period", "direction"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in ("period", "direction"):
            if not cleaned.get(name):
                cleaned[name] = Kpi._meta.get_field(name).default
        return cleaned


class CommitmentForm(RowForm):
    class Meta(RowForm.Meta):
        model = Commitment
        fields = ["team", "commitment", "measure", "metric", "share", "threshold", "unit", "scope"]


class MeetingForm(RowForm):
    class Meta(RowForm.Meta):
        model = Meeting
        fields = ["name", "cadence", "duration_minutes", "attendees", "agenda"]
        widgets = {"agenda": TEXTAREA}


class RateField(forms.CharField):
    """A rate typed as 23%, 0.23 or 1/3; cleaned to the stored eight-decimal value."""

    default_error_messages = {
        "range": _("Enter a rate above 0% and at most 100%, e.g. 23%, 0.23 or 1/3."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", rate_examples)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return rates.shown(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            rate = parse_rate(rate_notation(value))  # "23 %", "%23", "0,23" as typed here
        except (InvalidNumber, NumberInputError) as exc:
            raise forms.ValidationError(exc.message) from None
        if not 0 < rate <= 1:
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return rates.to_stored(rate)


class FunnelStreamForm(RowForm):
    share = RateField(label=_("Share of the revenue target"))
    win_rate = RateField(label=_("Win rate"))
    sql_to_opportunity_rate = RateField(label=_("SQL → opportunity"))
    mql_to_sql_rate = RateField(label=_("MQL → SQL"))
    lead_to_mql_rate = RateField(label=_("Lead → MQL"))

    class Meta(RowForm.Meta):
        model = FunnelStream
        fields = [
            "name",
            "share",
            "average_deal_size",
            "sales_cycle_days",
            "win_rate",
            "sql_to_opportunity_rate",
            "mql_to_sql_rate",
            "lead_to_mql_rate",
        ]

    duplicate_name_message = _("There is already a revenue stream with this name.")


class FunnelSourceForm(RowForm):
    share = RateField(label=_("Share of the revenue target"))
    win_rate = RateField(label=_("Own win rate"), required=False, help_text=_("only if it differs"))
    sql_to_opportunity_rate = RateField(
        label=_("Own SQL → opportunity"), required=False, help_text=_("only if it differs")
    )
    mql_to_sql_rate = RateField(
        label=_("Own MQL → SQL"), required=False, help_text=_("only if it differs")
    )
    lead_to_mql_rate = RateField(
        label=_("Own lead → MQL"), required=False, help_text=_("only if it differs")
    )

    class Meta(RowForm.Meta):
        model = FunnelSource
        fields = [
            "name",
            "share",
            "cost_per_lead",
            "win_rate",
            "sql_to_opportunity_rate",
            "mql_to_sql_rate",
            "lead_to_mql_rate",
        ]

    duplicate_name_message = _("There is already a lead source with this name.")


# The form that adds or edits each kind of row (keys of sections.ROW_KINDS).
ROW_FORMS = {
    "signatories": SignatoryForm,
    "definitions": DefinitionForm,
    "stages": LifecycleStageForm,
    "criteria": QualificationCriterionForm,
    "triggers": HandoffTriggerForm,
    "reasons": LeadReasonForm,
    "tracks": NurtureTrackForm,
    "steps": FollowUpStepForm,
    "streams": FunnelStreamForm,
    "sources": FunnelSourceForm,
    "kpis": KpiForm,
    "commitments": CommitmentForm,
    "meetings": MeetingForm,
}
