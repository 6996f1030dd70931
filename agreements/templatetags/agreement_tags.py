from django import template
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext

from agreements.models import CommitmentUnit, KpiPeriod, KpiUnit
from agreements.signing.consent import consent_sha256, consent_text
from agreements.signing.signature_image import png_data_uri
from agreements.typography import join_list
from agreements.versions.audit_text import describe, describe_auth_method
from slaportal.l10n import format_number, format_percent

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def model_field(instance, name):
    return instance._meta.get_field(name)


@register.filter
def field_display(instance, name):
    """A field's value as people read it: choice labels, people's names."""
    field = instance._meta.get_field(name)
    if field.choices:
        return getattr(instance, f"get_{name}_display")()
    value = getattr(instance, name)
    if hasattr(value, "display_name"):
        return value.display_name
    return value


@register.filter
def verbose_name(model):
    return model._meta.verbose_name


@register.filter
def signature_data_uri(signature):
    """The signature image inline, so the PDF renderer needs no file or URL."""
    return png_data_uri(signature.image_png)


@register.filter
def metric_unit(metric, currency):
    """A review metric's unit as people read it: "%", "hours", "EUR", "count"."""
    if metric.unit == "currency":
        return currency
    return KpiUnit(metric.unit).label if metric.unit in KpiUnit.values else metric.unit


@register.filter
def metric_shape(metric):
    """Which way is good and what the target covers: "higher is better, per quarter"."""
    direction = {
        "higher": gettext("higher is better"),
        "lower": gettext("lower is better"),
        "on_target": gettext("on target"),
    }[metric.direction]
    return f"{direction}, {KpiPeriod(metric.period).label}"


@register.filter
def working_days_display(agreement):
    """The working days as a translated list: "Monday, Tuesday, ... Friday" (in Chinese joined
    by the enumeration comma)."""
    return join_list(WEEKDAYS[int(day) - 1] for day in sorted(agreement.working_days or ""))


def _plain(number):
    """24.00 as 24 and 95.50 as 95.5 (never 1E+1)."""
    return number.quantize(1) if number == number.to_integral_value() else number.normalize()


@register.filter
def commitment_threshold(commitment):
    """ "95% within 24 business hours", "within 1 business hour", "at most 15%", "7"."""
    if commitment.threshold is None or not commitment.unit:
        return "—"
    value = format_number(_plain(commitment.threshold))
    share = commitment.share if commitment.share is not None else 100
    if commitment.unit in ("business_hours", "business_days"):
        amount = f"{value}\u00a0{CommitmentUnit(commitment.unit).label}"
        if share >= 100:
            return gettext("within %(amount)s") % {"amount": amount}
        return gettext("%(share)s within %(amount)s") % {
            "share": format_percent(share / 100),
            "amount": amount,
        }
    if commitment.unit == "percent":
        return format_percent(commitment.threshold / 100)
    if share >= 100:
        return value
    return gettext("%(value)s, for %(share)s of leads") % {
        "value": value,
        "share": format_percent(share / 100),
    }


@register.filter
def audit_sentence(entry):
    """An audit entry as a sentence in the active language (the certificate's trail)."""
    return describe(entry)


@register.filter
def auth_method_text(recorded):
    return describe_auth_method(recorded or "")


@register.filter
def consent_disclosure(signature):
    """The consent text the signer accepted, when the text in force still hashes to the recorded
    SHA-256 (in the language active now, the agreement's); else "" and only the hash is shown."""
    text = consent_text()
    return text if consent_sha256(text) == signature.consent_sha256 else ""
