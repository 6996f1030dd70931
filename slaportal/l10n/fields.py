"""Form fields that read and show numbers in the active language's convention."""

from decimal import Decimal

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .numbers import NumberInputError, format_number, parse_number


class LocalizedNumberInput(forms.TextInput):
    """A text box, not ``type=number``: browsers' number inputs refuse "1.200.000" in German
    and silently drop what they cannot read."""

    def __init__(self, attrs=None, *, inputmode="decimal"):
        super().__init__({"inputmode": inputmode, "autocomplete": "off", **(attrs or {})})


def _echo(value):
    # Shown back formatted, so a misreading ("1.234" taken as 1234) is visible on the page.
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return format_number(value)
    return value


class LocalizedDecimalField(forms.DecimalField):
    widget = LocalizedNumberInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return parse_number(str(value))
        except NumberInputError as error:
            raise forms.ValidationError(error.message, code="invalid") from None

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)  # no step/min/max: not a number input

    def prepare_value(self, value):
        return _echo(value)


class LocalizedIntegerField(forms.IntegerField):
    widget = LocalizedNumberInput
    default_error_messages = {"invalid": _("Enter a whole number.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", LocalizedNumberInput(inputmode="numeric"))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            number = parse_number(str(value))
        except NumberInputError as error:
            raise forms.ValidationError(error.message, code="invalid") from None
        if number != number.to_integral_value():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)

    def prepare_value(self, value):
        return _echo(value)


def localized_formfield(model_field: models.Field, **kwargs) -> forms.Field | None:
    """``formfield_callback`` for model forms: numbers are read in the active language."""
    if not model_field.choices:
        if isinstance(model_field, models.DecimalField):
            kwargs.setdefault("form_class", LocalizedDecimalField)
        elif isinstance(model_field, models.IntegerField) and model_field.editable:
            kwargs.setdefault("form_class", LocalizedIntegerField)
    return model_field.formfield(**kwargs)
