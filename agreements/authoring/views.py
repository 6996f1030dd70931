"""Starting an agreement, editing its sections, and previewing the funnel while typing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from organizations.selectors import get_membership_for_user
from slaportal.errors import DomainError

from . import services
from .document import load_document
from .editor import editor_context, funnel_panel, refuse, section_or_404
from .forms import ROW_FORMS, StartAgreementForm, section_form_class
from .sections import SECTIONS
from .selectors import copy_choices, get_agreement_for_user


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


@login_required
@require_GET
def agreement_copy_options(request, slug):
    """The start page's "agreement to copy" options matching a title search (htmx)."""
    membership = get_membership_for_user(request.user, slug, write=True)
    query = request.GET.get("copy_q", "").strip()[:100]
    return render(
        request,
        "agreements/_copy_options.html",
        {"agreements": copy_choices(membership.organization, query), "query": query},
    )


@login_required
def agreement_edit(request, pk, section_key):
    agreement, membership = get_agreement_for_user(request.user, pk)
    section = section_or_404(section_key)
    context = editor_context(request, agreement, membership, section)
    return render(request, "agreements/editor/page.html", context)


@login_required
@require_POST
def section_save(request, pk, section_key):
    agreement, membership = get_agreement_for_user(request.user, pk, write=True)
    section = section_or_404(section_key)
    form_class = section_form_class(section)
    if not form_class:
        raise Http404("This section has no fields of its own")
    form = form_class(request.POST, instance=agreement)
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
            form = form_class(data, instance=agreement)
            form.is_valid()
        except DomainError as exc:
            return refuse(request, agreement, section, str(exc))
        else:
            if request.htmx:
                agreement = get_agreement_for_user(request.user, pk, write=True)[0]
                context = editor_context(request, agreement, membership, section)
                context.update(saved=True, oob_sidebar=True)
                return render(request, "agreements/editor/_section.html", context)
            messages.success(request, _("%(section)s saved.") % {"section": section.title})
            return redirect("agreement_edit", pk=agreement.pk, section_key=section.key)
    else:
        # The instance now carries the invalid input; reload the saved state for everything else.
        agreement = get_agreement_for_user(request.user, pk, write=True)[0]
        form.instance = agreement
    context = editor_context(
        request, agreement, membership, section, section_form=form, stale=stale
    )
    template = "agreements/editor/_section.html" if request.htmx else "agreements/editor/page.html"
    return render(request, template, context, status=200 if request.htmx else 400)


@login_required
@require_POST
def funnel_preview(request, pk, kind_key):
    """The targets with the stream or source being typed substituted, before it is saved."""
    agreement, _membership = get_agreement_for_user(request.user, pk, write=True)
    if kind_key not in ("streams", "sources"):
        raise Http404("Only the funnel plan previews")
    doc = load_document(agreement)
    row_id = request.POST.get("preview_row", "")
    rows = doc.rows[kind_key]
    editing = next((r for r in rows if row_id.isdigit() and r.pk == int(row_id)), None)
    prefix = f"edit-{kind_key}" if editing else f"add-{kind_key}"
    form = ROW_FORMS[kind_key](request.POST, instance=editing, agreement=agreement, prefix=prefix)
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
    context.update(funnel_panel(doc), preview=True)
    return render(request, "agreements/editor/_funnel.html", context)
