"""What the editor pages are built from: the section and row lists, the funnel panel, and
how a refused change is reported. Shared by the section views and the row views."""

import hashlib
import json
from functools import cached_property

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.contrib import messages
from django.core.cache import caches
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from . import services
from .document import DERIVED_CACHE_SECONDS, draft_state_key, load_document, rows_of
from .forms import ROW_FORMS, section_form_class
from .funnel_plan import funnel_context
from .problems import field_anchor
from .row_table import columns_for, row_cells_html
from .sections import ROW_KINDS, SECTIONS, SECTIONS_BY_KEY
from .selectors import review_with_actuals


def section_or_404(section_key):
    try:
        return SECTIONS_BY_KEY[section_key]
    except KeyError:
        raise Http404("No such section") from None


def kind_or_404(section, kind_key):
    if kind_key not in section.row_kinds:
        raise Http404("No such list in this section")
    return ROW_KINDS[kind_key]


class RowList:
    """What one list of rows needs to render: rows, which one is being edited, the add form."""

    def __init__(self, agreement, kind_key, *, rows=None, edit_form=None, add_form=None, error=""):
        self.kind = ROW_KINDS[kind_key]
        self.agreement = agreement
        self.rows = rows if rows is not None else list(rows_of(agreement, kind_key))
        self.edit_form = edit_form
        self.add_form = add_form or ROW_FORMS[kind_key](
            agreement=agreement, prefix=f"add-{kind_key}"
        )
        self.error = error

    @property
    def edit_row_id(self):
        return self.edit_form.instance.pk if self.edit_form else None

    @cached_property
    def columns(self):
        return columns_for(self.kind, self.agreement.currency)

    @cached_property
    def blank_add_fields(self) -> str:
        """The add form's fields while nothing was typed in it, rendered once per draft state:
        every list of the page carries one, folded away, and widgets are slow to render."""
        if self.add_form.is_bound:
            return ""
        key = f"add-fields:{self.kind.key}:{draft_state_key(self.agreement)}"
        cache = caches["documents"]
        html = cache.get(key)
        if html is None:
            html = render_to_string("agreements/editor/_row_fields.html", {"form": self.add_form})
            cache.set(key, html, DERIVED_CACHE_SECONDS)
        return html

    @property
    def items(self):
        """Each row with its cells as table HTML (row_table.row_cells_html)."""
        currency = self.agreement.currency
        return [(row, row_cells_html(row, self.columns, currency)) for row in self.rows]


def editor_context(request, agreement, membership, section, *, doc=None, section_form=None,
                    row_lists=None, stale=None):  # fmt: skip
    doc = doc or load_document(agreement, cached=True)
    can_edit = membership.can_edit and agreement.is_editable
    form = section_form
    form_class = section_form_class(section)
    if form is None and form_class and can_edit:
        form = form_class(
            instance=agreement,
            initial={"fingerprint": services.section_fingerprint(agreement, section.fields)},
        )
    lists = {key: RowList(agreement, key, rows=doc.rows[key]) for key in section.row_kinds}
    form_html = blank_section_form_html(form, doc, section) if form is not None else ""
    lists.update(row_lists or {})
    edit = request.GET.get("edit", "")
    if can_edit and "-" in edit:
        kind_key, _sep, row_id = edit.partition("-")
        if kind_key in lists and row_id.isdigit() and lists[kind_key].edit_form is None:
            row = next((r for r in lists[kind_key].rows if r.pk == int(row_id)), None)
            if row:
                lists[kind_key].edit_form = ROW_FORMS[kind_key](
                    instance=row, agreement=agreement, prefix=f"edit-{kind_key}"
                )
    funnel_section = section.key == "kpis"
    return {
        "funnel_html": funnel_panel_html(doc) if funnel_section else "",
        "sidebar_html": sidebar_html(doc, section),
        "agreement": agreement,
        "organization": agreement.organization,
        "membership": membership,
        "doc": doc,
        "section": section,
        "sections": SECTIONS,
        "problems": doc.problems_by_section(),
        "section_form": form,
        "section_form_html": form_html,
        "field_anchors": [(name, field_anchor(name)) for name in section.fields],
        "row_lists": [lists[key] for key in section.row_kinds],
        "can_edit": can_edit,
        "stale": stale,
        "actual_rates_review": review_with_actuals(agreement)
        if funnel_section and can_edit
        else None,
    }


def refuse(request, agreement, section, message):
    messages.error(request, message)
    if request.htmx:
        response = render(request, "partials/messages.html")
        response["HX-Retarget"] = "#editor-messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    return redirect("agreement_edit", pk=agreement.pk, section_key=section.key)


def funnel_panel(doc) -> dict:
    return {"funnel": funnel_context(doc), "funnel_problems": doc.funnel_problems()}


def blank_section_form_html(form, doc, section) -> str:
    """A section form showing the saved values, rendered once per draft state and the choices
    it offers (the organisation's members may change without the draft changing)."""
    if form.is_bound:
        return ""
    choices = [
        (name, [(str(value), str(label)) for value, label in field.choices])
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField)
    ]
    digest = hashlib.sha256(json.dumps(choices).encode()).hexdigest()
    return doc._derived(f"section-form-{section.key}-{digest}", lambda: as_crispy_form(form))


def sidebar_html(doc, section) -> str:
    """The section list with each section's problems and the plan warnings, rendered once per
    draft state and section: it reads every row of the draft, the page shows one section."""
    return doc._derived(
        f"sidebar-{section.key}",
        lambda: render_to_string(
            "agreements/editor/_sidebar.html",
            {
                "agreement": doc.agreement,
                "doc": doc,
                "section": section,
                "sections": SECTIONS,
                "problems": doc.problems_by_section(),
            },
        ),
    )


def funnel_panel_html(doc) -> str:
    """The funnel panel as the KPIs page shows it, rendered once per draft state: its every-month
    tables are most of that page's work, and nothing in it depends on who reads it."""
    return doc._derived(
        "funnel-panel",
        lambda: render_to_string(
            "agreements/editor/_funnel.html", {**funnel_panel(doc), "agreement": doc.agreement}
        ),
    )
