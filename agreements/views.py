from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.selectors import get_membership_for_user
from organizations.views import remember_current_org
from slaportal.errors import DomainError

from . import rates, services
from .contract import contract_context, funnel_context
from .forms import StartAgreementForm
from .sections import ROW_KINDS, SECTIONS, SECTIONS_BY_KEY
from .selectors import (
    agreements_for_dashboard,
    awaiting_signature,
    get_agreement_for_user,
    load_document,
    rows_of,
)


@login_required
def dashboard(request, slug):
    membership = get_membership_for_user(request.user, slug)
    organization = membership.organization
    remember_current_org(request, organization)
    return render(
        request,
        "agreements/dashboard.html",
        {
            "membership": membership,
            "organization": organization,
            "agreements": agreements_for_dashboard(organization),
            "awaiting": awaiting_signature(request.user, organization),
        },
    )


@login_required
def agreement_start(request, slug):
    membership = get_membership_for_user(request.user, slug, write=True)
    organization = membership.organization
    form = StartAgreementForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["start_from"] == form.COPY:
            agreement = services.agreement_copy(
                source=data["source"], actor=request.user, title=data["title"]
            )
        else:
            agreement = services.agreement_create(
                organization=organization,
                actor=request.user,
                title=data["title"],
                recommended_template=data["start_from"] == form.RECOMMENDED,
                language=data["language"],
            )
        messages.success(request, _("Agreement created. Work through the sections on the left."))
        return redirect("agreement_edit", pk=agreement.pk, section_key=SECTIONS[0].key)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "agreements/start.html",
        {"form": form, "organization": organization, "membership": membership},
        status=status,
    )


def _section_or_404(section_key):
    try:
        return SECTIONS_BY_KEY[section_key]
    except KeyError:
        raise Http404("No such section") from None


def _kind_or_404(section, kind_key):
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
        self.add_form = add_form or self.kind.form_class(
            agreement=agreement, prefix=f"add-{kind_key}"
        )
        self.error = error

    @property
    def edit_row_id(self):
        return self.edit_form.instance.pk if self.edit_form else None

    @property
    def items(self):
        return [(row, [_display(row, name) for name in self.kind.columns]) for row in self.rows]

    @property
    def headers(self):
        return [self.kind.model._meta.get_field(name).verbose_name for name in self.kind.columns]


def _display(row, name):
    field = row._meta.get_field(name)
    if field.choices:
        return getattr(row, f"get_{name}_display")()
    if getattr(field, "decimal_places", None) == 8:  # a conversion rate or share
        return rates.display(getattr(row, name))
    value = getattr(row, name)
    return value.display_name if hasattr(value, "display_name") else value


def _editor_context(request, agreement, membership, section, *, doc=None, section_form=None,
                    row_lists=None, stale=None):  # fmt: skip
    doc = doc or load_document(agreement)
    can_edit = membership.can_edit and agreement.is_editable
    form = section_form
    if form is None and section.form_class and can_edit:
        form = section.form_class(
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
                kind = ROW_KINDS[kind_key]
                lists[kind_key].edit_form = kind.form_class(
                    instance=row, agreement=agreement, prefix=f"edit-{kind_key}"
                )
    return {
        **(_funnel_panel(doc) if section.key == "kpis" else {}),
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


@login_required
def agreement_edit(request, pk, section_key):
    agreement, membership = get_agreement_for_user(request.user, pk)
    section = _section_or_404(section_key)
    context = _editor_context(request, agreement, membership, section)
    return render(request, "agreements/editor/page.html", context)


@login_required
@require_POST
def section_save(request, pk, section_key):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    section = _section_or_404(section_key)
    if not section.form_class:
        raise Http404("This section has no fields of its own")
    form = section.form_class(request.POST, instance=agreement)
    stale = None
    if form.is_valid():
        try:
            services.section_update(
                agreement=agreement,
                actor=request.user,
                section_key=section.key,
                values={name: form.cleaned_data[name] for name in section.fields},
                fingerprint=form.cleaned_data["fingerprint"],
            )
        except services.StaleEdit as exc:
            stale = str(exc)
            agreement.refresh_from_db()
            # Keep what the user typed, but arm the form with the current fingerprint so a
            # deliberate second save goes through.
            data = request.POST.copy()
            data["fingerprint"] = services.section_fingerprint(agreement, section.fields)
            form = section.form_class(data, instance=agreement)
            form.is_valid()
        except DomainError as exc:
            return _refuse(request, agreement, section, str(exc))
        else:
            if request.htmx:
                agreement = get_agreement_for_user(request.user, pk, write=True)[0]
                context = _editor_context(request, agreement, membership, section)
                context.update(saved=True, oob_sidebar=True)
                return render(request, "agreements/editor/_section.html", context)
            messages.success(request, _("%(section)s saved.") % {"section": section.title})
            return redirect("agreement_edit", pk=agreement.pk, section_key=section.key)
    else:
        # The instance now carries the invalid input; reload the saved state for everything else.
        agreement = get_agreement_for_user(request.user, pk, write=True)[0]
        form.instance = agreement
    context = _editor_context(
        request, agreement, membership, section, section_form=form, stale=stale
    )
    template = "agreements/editor/_section.html" if request.htmx else "agreements/editor/page.html"
    return render(request, template, context, status=200 if request.htmx else 400)


def _refuse(request, agreement, section, message):
    messages.error(request, message)
    if request.htmx:
        response = render(request, "partials/messages.html")
        response["HX-Retarget"] = "#editor-messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    return redirect("agreement_edit", pk=agreement.pk, section_key=section.key)


def _funnel_panel(doc) -> dict:
    return {"funnel": funnel_context(doc), "funnel_problems": doc.funnel_problems()}


def _row_response(request, agreement, membership, section, row_list, *, ok):
    """htmx: the list alone (plus the sidebar, out of band). Otherwise: the full page.

    A change to the funnel plan also refreshes the targets and the KPIs that follow them."""
    if request.htmx:
        doc = load_document(agreement)
        context = {
            "list": row_list,
            "agreement": agreement,
            "section": section,
            "sections": SECTIONS,
            "missing": doc.missing_by_section(),
            "can_edit": True,
        }
        if row_list.kind.key in ("streams", "sources"):
            context.update(
                _funnel_panel(doc),
                funnel_oob=True,
                kpi_list=RowList(agreement, "kpis", rows=doc.rows["kpis"]),
            )
        return render(request, "agreements/editor/_row_list_response.html", context)
    if ok:
        return redirect(
            reverse("agreement_edit", args=[agreement.pk, section.key])
            + f"#rows-{row_list.kind.key}"
        )
    context = _editor_context(
        request, agreement, membership, section, row_lists={row_list.kind.key: row_list}
    )
    return render(request, "agreements/editor/page.html", context, status=400)


def _get_row(agreement, kind, row_id):
    return get_object_or_404(kind.model.objects.filter(agreement=agreement), pk=row_id)


@login_required
def row_list(request, pk, section_key, kind_key):
    """The list on its own (htmx cancels an edit with it); the full page otherwise."""
    agreement, membership = get_agreement_for_user(request.user, pk)
    section = _section_or_404(section_key)
    _kind_or_404(section, kind_key)
    return _row_response(
        request, agreement, membership, section, RowList(agreement, kind_key), ok=True
    )


@login_required
@require_POST
def row_create(request, pk, section_key, kind_key):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    section = _section_or_404(section_key)
    kind = _kind_or_404(section, kind_key)
    form = kind.form_class(request.POST, agreement=agreement, prefix=f"add-{kind_key}")
    if not form.is_valid():
        row_list = RowList(agreement, kind_key, add_form=form)
        return _row_response(request, agreement, membership, section, row_list, ok=False)
    try:
        services.row_create(
            agreement=agreement,
            actor=request.user,
            kind_key=kind_key,
            values={name: form.cleaned_data[name] for name in form._meta.fields},
        )
    except DomainError as exc:
        return _refuse(request, agreement, section, str(exc))
    return _row_response(
        request, agreement, membership, section, RowList(agreement, kind_key), ok=True
    )


@login_required
def row_edit(request, pk, section_key, kind_key, row_id):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    section = _section_or_404(section_key)
    kind = _kind_or_404(section, kind_key)
    row = _get_row(agreement, kind, row_id)
    if request.method != "POST":
        if not request.htmx:
            url = reverse("agreement_edit", args=[agreement.pk, section.key])
            return redirect(f"{url}?edit={kind_key}-{row.pk}#rows-{kind_key}")
        form = kind.form_class(instance=row, agreement=agreement, prefix=f"edit-{kind_key}")
        return _row_response(
            request,
            agreement,
            membership,
            section,
            RowList(agreement, kind_key, edit_form=form),
            ok=True,
        )
    form = kind.form_class(
        request.POST, instance=row, agreement=agreement, prefix=f"edit-{kind_key}"
    )
    error = ""
    if form.is_valid():
        try:
            services.row_update(
                row=row,
                actor=request.user,
                kind_key=kind_key,
                values={name: form.cleaned_data[name] for name in form._meta.fields},
                expected_revision=form.cleaned_data.get("revision"),
            )
        except services.StaleEdit as exc:
            error = str(exc)
            fresh = _get_row(agreement, kind, row_id)
            data = request.POST.copy()
            data[form.add_prefix("revision")] = fresh.revision
            form = kind.form_class(
                data, instance=fresh, agreement=agreement, prefix=f"edit-{kind_key}"
            )
            form.is_valid()
        except DomainError as exc:
            return _refuse(request, agreement, section, str(exc))
        else:
            return _row_response(
                request, agreement, membership, section, RowList(agreement, kind_key), ok=True
            )
    rows = list(rows_of(agreement, kind_key))  # the saved rows, not the invalid instance
    form.instance = next((r for r in rows if r.pk == row.pk), row)
    row_list = RowList(agreement, kind_key, rows=rows, edit_form=form, error=error)
    return _row_response(request, agreement, membership, section, row_list, ok=False)


@login_required
@require_POST
def row_delete(request, pk, section_key, kind_key, row_id):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    section = _section_or_404(section_key)
    kind = _kind_or_404(section, kind_key)
    row = _get_row(agreement, kind, row_id)
    try:
        services.row_delete(row=row, actor=request.user, kind_key=kind_key)
    except DomainError as exc:
        return _refuse(request, agreement, section, str(exc))
    return _row_response(
        request, agreement, membership, section, RowList(agreement, kind_key), ok=True
    )


@login_required
@require_POST
def row_move(request, pk, section_key, kind_key, row_id, direction):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    section = _section_or_404(section_key)
    kind = _kind_or_404(section, kind_key)
    if direction not in ("up", "down"):
        raise Http404("Rows move up or down")
    row = _get_row(agreement, kind, row_id)
    try:
        services.row_move(row=row, actor=request.user, kind_key=kind_key, direction=direction)
    except DomainError as exc:
        return _refuse(request, agreement, section, str(exc))
    return _row_response(
        request, agreement, membership, section, RowList(agreement, kind_key), ok=True
    )


@login_required
@require_POST
def funnel_preview(request, pk, kind_key):
    """The targets with the stream or source being typed substituted, before it is saved."""
    agreement, _membership = get_agreement_for_user(request.user, pk, write=True)
    if kind_key not in ("streams", "sources"):
        raise Http404("Only the funnel plan previews")
    kind = ROW_KINDS[kind_key]
    doc = load_document(agreement)
    row_id = request.POST.get("preview_row", "")
    rows = doc.rows[kind_key]
    editing = next((r for r in rows if row_id.isdigit() and r.pk == int(row_id)), None)
    prefix = f"edit-{kind_key}" if editing else f"add-{kind_key}"
    form = kind.form_class(request.POST, instance=editing, agreement=agreement, prefix=prefix)
    context = {"preview": True, "funnel": None, "funnel_problems": []}
    if not form.is_valid():
        context["funnel_problems"] = [
            _("%(field)s: %(message)s") % {"field": form.fields[name].label, "message": message}
            for name, messages_ in form.errors.items()
            if name in form.fields
            for message in messages_
        ]
        return render(request, "agreements/editor/_funnel.html", context)
    candidate = form.instance
    doc.rows[kind_key] = [candidate if r is editing else r for r in rows] + (
        [] if editing else [candidate]
    )
    context.update(_funnel_panel(doc), preview=True)
    return render(request, "agreements/editor/_funnel.html", context)


@login_required
def agreement_preview(request, pk):
    agreement, membership = get_agreement_for_user(request.user, pk)
    doc = load_document(agreement)
    context = contract_context(doc)
    context.update(
        agreement=agreement,
        organization=agreement.organization,
        membership=membership,
        missing=doc.missing_by_section(),
    )
    return render(request, "agreements/preview.html", context)
