"""What an agreement still needs, said where it is fixed: a problem names its field (or its list,
row and field) and links to the element with that id on the section's page."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import capfirst

from ..typography import mark


@dataclass(frozen=True)
class Problem:
    """Something a section still needs, and where it is fixed: the section whose page holds the
    field, row or list, and the id of that element on the page. The sidebar links to it."""

    message: str
    agreement_id: int
    section_key: str
    anchor: str  # "id_revenue_target" (a field), "row-kpis-7" (a row), "rows-kpis" (a list)
    edit_row: str = ""  # "kpis-7": the row opens for editing on arrival

    def __str__(self):
        return self.message

    @property
    def href(self) -> str:
        url = reverse("agreement_edit", args=[self.agreement_id, self.section_key])
        query = f"?edit={self.edit_row}" if self.edit_row else ""
        return f"{url}{query}#{self.anchor}"


def field_label(model, name) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


# Between the parts of a location: list, row and field, or section and field.
PATH_SEPARATOR = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "


def located(where, message) -> str:
    """The message after where it applies: list, row and field (or section and field)."""
    return PATH_SEPARATOR.join(str(part) for part in where) + mark(":") + str(message)


# Fields the section form renders as a group of checkboxes: the first box carries the id.
CHECKBOX_GROUPS = {"working_days"}


def field_anchor(name) -> str:
    """The id of an agreement field on its section's page, in the form or read-only."""
    return f"id_{name}_0" if name in CHECKBOX_GROUPS else f"id_{name}"
