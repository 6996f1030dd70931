"""What the editor pages are built from: the section and row lists, the funnel panel, and
how a refused change is reported. Shared by the section views and the row views."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from . import rates, services
from .document import load_document, rows_of
from .forms import ROW_FORMS, section_form_class
from .funnel_plan import funnel_context
from .sections import ROW_KINDS, SECTIONS, SECTIONS_BY_KEY


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

    @property
    def items(self):
        return [(row, [display(row, name) for name in self.kind.columns]) for row in self.rows]

    @property
    def headers(self):
        return [self.kind.model._meta.get_field(name).verbose_name for name in self.kind.columns]


def display(row, name):
    field = row._meta.get_field(name)
    if field.choices:
        return getattr(row, f"get_{name}_display")()
    if getattr(field, "decimal_places", None) == 8:  # a conversion rate or share
        return rates.shown(getattr(row, name))
    value = getattr(row, name)
    return value.display_name if hasattr(value, "display_name") else value


def editor_context(request, agreement, membership, section, *, doc=None, section_form=None,
                    row_lists=None, stale=None):  # fmt: skip
    doc = doc or load_document(agreement)
    can_edit = membership.can_edit and agreement.is_editable
    form = section_form
    form_class = section_form_class(section)
    if form is None and form_class and can_edit:
        form = form_class(
            instance=agreement,
            initial={"fingerprint": services.section_fingerprint(agreement, section.fields)},
        )
    lists = {key: RowList(agreement, key, rows=doc.rows[key]) for key in section.row_kinds}
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
    return {
        **(funnel_panel(doc) if section.key == "kpis" else {}),
        "agreement": agreement,
        "organization": agreement.organization,
        "membership": membership,
        "doc": doc,
        "section": section,
        "sections": SECTIONS,
        "missing": doc.missing_by_section(),
        "section_form": form,
        "row_lists": [lists[key] for key in section.row_kinds],
        "can_edit": can_edit,
        "stale": stale,
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
