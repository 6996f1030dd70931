"""The public calculator's forms: the plan, and rows for revenue streams and lead sources.

Every field is plain text, read in the active language ("500.000" and "23 %" in German, see
:mod:`funnel.localized`); the engine then reads "500000", "23%" and "1/3", decides what is
required and reports every problem at once, keyed by field path ("win_rate",
"streams[1].share", "sources"). :class:`CalculatorForms` puts each message next to its field.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from slaportal.l10n import format_number, format_percent

from .calculator import (
    MAX_SOURCES,
    MAX_STREAMS,
    NON_FIELD_ERRORS,
    FunnelInputError,
    FunnelResult,
)
from .localized import calculate_localized, rate_examples


def example_plan() -> dict[str, str]:
    """The seed example of the domain notes (a 500,000 monthly quota), written the way the
    active language writes numbers, so that what the page shows is what it reads back."""
    return {
        "revenue_target": format_number(500000),
        "term_months": "1",
        "start": "",
        "average_deal_size": format_number(2000),
        "win_rate": format_percent(Decimal("0.23")),
        "sql_to_opportunity_rate": format_percent(Decimal("0.82")),
        "mql_to_sql_rate": "1/3",
        "lead_to_mql_rate": format_percent(Decimal("0.25")),
        "sales_cycle_days": "30",
        "cost_per_lead": "",
        "streams-TOTAL_FORMS": "0",
        "streams-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }


_ROW_ERROR_KEY = re.compile(r"(streams|sources)\[(\d+)\](?:\.(\w+))?")


def _lazy_example(template, **numbers):
    """A help text whose example numbers are written the active language's way."""
    return lazy(lambda: str(template) % {k: format_number(v) for k, v in numbers.items()}, str)()


#: "As 23%, 0.23 or 1/3." in the active language's notation.
AS_RATE = lazy(lambda: gettext("As %(examples)s.") % {"examples": rate_examples}, str)()


def _text(label, help_text="", *, inputmode=None, placeholder=None, small=False) -> forms.CharField:
    # Not required here: the engine decides (a row's blank rate falls back on the plan's).
    attrs = {"class": "form-control form-control-sm" if small else "form-control"}
    attrs["autocomplete"] = "off"
    if inputmode:
        attrs["inputmode"] = inputmode
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.CharField(
        label=label, help_text=help_text, required=False, widget=forms.TextInput(attrs=attrs)
    )


class CalculatorForm(forms.Form):
    revenue_target = _text(
        _("Revenue target"),
        _lazy_example(_("For the whole term, for example %(amount)s."), amount=500000),
        inputmode="decimal",
    )
    term_months = _text(
        _("Term in months"), _("How many months the target covers."), inputmode="numeric"
    )
    start = _text(
        _("Start month"),
        _("Optional, as YYYY-MM. Left blank, the months are numbered."),
        placeholder="YYYY-MM",
    )
    average_deal_size = _text(_("Average deal size"), inputmode="decimal")
    win_rate = _text(_("Win rate"), format_lazy("{} {}", _("Opportunities won."), AS_RATE))
    sql_to_opportunity_rate = _text(
        _("SQL-to-opportunity rate"),
        format_lazy("{} {}", _("SQLs that become opportunities."), AS_RATE),
    )
    mql_to_sql_rate = _text(
        _("MQL-to-SQL rate"), format_lazy("{} {}", _("MQLs that become SQLs."), AS_RATE)
    )
    lead_to_mql_rate = _text(
        _("Lead-to-MQL rate"), format_lazy("{} {}", _("Leads that become MQLs."), AS_RATE)
    )
    sales_cycle_days = _text(
        _("Sales cycle in days"),
        _("Leads are needed this long before the deals they produce."),
        inputmode="numeric",
    )
    cost_per_lead = _text(
        _("Cost per lead"), _("Optional; gives the acquisition cost."), inputmode="decimal"
    )


class StreamForm(forms.Form):
    name = _text(_("Name"), small=True)
    share = _text(_("Share of revenue"), small=True)
    average_deal_size = _text(_("Average deal size"), inputmode="decimal", small=True)
    sales_cycle_days = _text(_("Sales cycle in days"), inputmode="numeric", small=True)
    win_rate = _text(_("Win rate"), small=True)
    sql_to_opportunity_rate = _text(_("SQL-to-opportunity rate"), small=True)
    mql_to_sql_rate = _text(_("MQL-to-SQL rate"), small=True)
    lead_to_mql_rate = _text(_("Lead-to-MQL rate"), small=True)


class SourceForm(forms.Form):
    name = _text(_("Name"), small=True)
    share = _text(_("Share of revenue"), small=True)
    cost_per_lead = _text(_("Cost per lead"), inputmode="decimal", small=True)
    win_rate = _text(_("Win rate"), small=True)
    sql_to_opportunity_rate = _text(_("SQL-to-opportunity rate"), small=True)
    mql_to_sql_rate = _text(_("MQL-to-SQL rate"), small=True)
    lead_to_mql_rate = _text(_("Lead-to-MQL rate"), small=True)


# One row more than the engine allows, so a crafted request gets the engine's "at most" message.
StreamFormSet = forms.formset_factory(
    StreamForm, extra=0, max_num=MAX_STREAMS, absolute_max=MAX_STREAMS + 1
)
SourceFormSet = forms.formset_factory(
    SourceForm, extra=0, max_num=MAX_SOURCES, absolute_max=MAX_SOURCES + 1
)


def _is_blank(row: forms.Form) -> bool:
    return not any(row.cleaned_data.values())


class CalculatorForms:
    """The plan form with its stream and source rows, bound to one submission.

    Rows left entirely blank are ignored (a row just added, not filled in yet). ``errors_above``
    holds the messages about a whole group of rows ("the shares add up to 90%").
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.plan = CalculatorForm(data)
        self.streams = StreamFormSet(data, prefix="streams")
        self.sources = SourceFormSet(data, prefix="sources")
        self.errors_above: dict[str, list[str]] = {"streams": [], "sources": []}

    @property
    def has_rows(self) -> bool:
        return bool(self.streams.forms or self.sources.forms)

    def calculate(self) -> FunnelResult | None:
        """The result, or ``None`` once every problem is attached to its field."""
        forms_valid = [form.is_valid() for form in (self.plan, *self.streams, *self.sources)]
        if not all(forms_valid):  # only Django's own checks (e.g. a NUL character) get here
            return None
        stream_rows = [row for row in self.streams if not _is_blank(row)]
        source_rows = [row for row in self.sources if not _is_blank(row)]
        data = {
            **self.plan.cleaned_data,
            "streams": [row.cleaned_data for row in stream_rows],
            "sources": [row.cleaned_data for row in source_rows],
        }
        try:
            return calculate_localized(data)
        except FunnelInputError as error:
            self._attach(error.errors, {"streams": stream_rows, "sources": source_rows})
            return None

    def _attach(self, errors: dict[str, list[str]], rows: dict[str, list[forms.Form]]) -> None:
        for key, messages in errors.items():
            if match := _ROW_ERROR_KEY.fullmatch(key):
                group, index, field = match[1], int(match[2]), match[3]
                row = rows[group][index] if index < len(rows[group]) else None
                if row is not None and field in row.fields:
                    row.add_error(field, messages)
                else:
                    self.errors_above[group].extend(messages)
            elif key in self.errors_above:
                self.errors_above[key].extend(messages)
            else:
                self.plan.add_error(key if key in self.plan.fields else NON_FIELD_ERRORS, messages)
