"""Rows in place: list, add, edit, remove and reorder the repeated items of a section
(htmx swaps the list; without JavaScript each action is a plain form post)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from slaportal.errors import DomainError

from . import services
from .document import load_document, rows_of
from .editor import RowList, editor_context, funnel_panel, kind_or_404, refuse, section_or_404
from .forms import ROW_FORMS
from .sections import SECTIONS
from .selectors import get_agreement_for_user


def row_response(request, agreement, membership, section, row_list, *, ok):
    """htmx: the list alone (plus the sidebar, out of band). Otherwise: the full page.

    A change to the funnel plan also refreshes the targets and the KPIs that follow them."""
    if request.htmx:
        doc = load_document(agreement)
        context = {
            "list": row_list,
            "agreement": agreement,
            "section": section,
            "sections": SECTIONS,
            "problems": doc.problems_by_section(),
            "doc": doc,
            "can_edit": True,
        }
        if row_list.kind.key in ("streams", "sources"):
            context.update(
                funnel_panel(doc),
                funnel_oob=True,
                kpi_list=RowList(agreement, "kpis", rows=doc.rows["kpis"]),
            )
        return render(request, "agreements/editor/_row_list_response.html", context)
    if ok:
        return redirect(
            reverse("agreement_edit", args=[agreement.pk, section.key])
            + f"#rows-{row_list.kind.key}"
        )
    context = editor_context(
        request, agreement, membership, section, row_lists={row_list.kind.key: row_list}
    )
    return render(request, "agreements/editor/page.html", context, status=400)


def _get_row(agreement, kind, row_id):
    return get_object_or_404(kind.model.objects.filter(agreement=agreement), pk=row_id)


@login_required
def row_list(request, pk, section_key, kind_key):
    """The list on its own (htmx cancels an edit with it); the full page otherwise."""
    agreement, membership = get_agreement_for_user(request.user, pk)
    section = section_or_404(section_key)
    kind_or_404(section, kind_key)
    return row_response(
        request, agreement, membership, section, RowList(agreement, kind_key), ok=True
    )


@login_required
@require_POST
def row_create(request, pk, section_key, kind_key):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    section = section_or_404(section_key)
    kind_or_404(section, kind_key)
    form = ROW_FORMS[kind_key](request.POST, agreement=agreement, prefix=f"add-{kind_key}")
    if not form.is_valid():
        row_list = RowList(agreement, kind_key, add_form=form)
        return row_response(request, agreement, membership, section, row_list, ok=False)
    try:
        services.row_create(
            agreement=agreement,
            actor=request.user,
            kind_key=kind_key,
            values={name: form.cleaned_data[name] for name in form._meta.fields},
        )
    except DomainError as exc:
        return refuse(request, agreement, section, str(exc))
    return row_response(
        request, agreement, membership, section, RowList(agreement, kind_key), ok=True
    )


@login_required
def row_edit(request, pk, section_key, kind_key, row_id):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    section = section_or_404(section_key)
    kind = kind_or_404(section, kind_key)
    row = _get_row(agreement, kind, row_id)
    if request.method != "POST":
        if not request.htmx:
            url = reverse("agreement_edit", args=[agreement.pk, section.key])
            return redirect(f"{url}?edit={kind_key}-{row.pk}#rows-{kind_key}")
        form = ROW_FORMS[kind_key](instance=row, agreement=agreement, prefix=f"edit-{kind_key}")
        return row_response(
            request,
            agreement,
            membership,
            section,
            RowList(agreement, kind_key, edit_form=form),
            ok=True,
        )
    form = ROW_FORMS[kind_key](
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
            form = ROW_FORMS[kind_key](
                data, instance=fresh, agreement=agreement, prefix=f"edit-{kind_key}"
            )
            form.is_valid()
        except DomainError as exc:
            return refuse(request, agreement, section, str(exc))
        else:
            return row_response(
                request, agreement, membership, section, RowList(agreement, kind_key), ok=True
            )
    rows = list(rows_of(agreement, kind_key))  # the saved rows, not the invalid instance
    form.instance = next((r for r in rows if r.pk == row.pk), row)
    row_list = RowList(agreement, kind_key, rows=rows, edit_form=form, error=error)
    return row_response(request, agreement, membership, section, row_list, ok=False)


@login_required
@require_POST
def row_delete(request, pk, section_key, kind_key, row_id):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    section = section_or_404(section_key)
    kind = kind_or_404(section, kind_key)
    row = _get_row(agreement, kind, row_id)
    try:
        services.row_delete(row=row, actor=request.user, kind_key=kind_key)
    except DomainError as exc:
        return refuse(request, agreement, section, str(exc))
    return row_response(
        request, agreement, membership, section, RowList(agreement, kind_key), ok=True
    )


@login_required
@require_POST
def row_move(request, pk, section_key, kind_key, row_id, direction):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    section = section_or_404(section_key)
    kind = kind_or_404(section, kind_key)
    if direction not in ("up", "down"):
        raise Http404("Rows move up or down")
    row = _get_row(agreement, kind, row_id)
    try:
        services.row_move(row=row, actor=request.user, kind_key=kind_key, direction=direction)
    except DomainError as exc:
        return refuse(request, agreement, section, str(exc))
    return row_response(
        request, agreement, membership, section, RowList(agreement, kind_key), ok=True
    )
