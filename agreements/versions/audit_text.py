"""The audit trail in words, for the certificate of completion: each entry as a sentence in
the agreement's language, not the stored action code ("edited · parties")."""

import re
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..authoring.sections import ROW_KINDS, SECTIONS_BY_KEY
from ..typography import join_list

_VERSION = re.compile(r"^version (\d+)")
_REVIEW = re.compile(r"^review due (\d{4}-\d{2}-\d{2})$")


def _sentences():
    return {
        "created": _("Agreement created"),
        "edited": _("Section “%(section)s” edited"),
        "row_added": _("Row added to “%(rows)s”"),
        "row_edited": _("Row of “%(rows)s” edited"),
        "row_moved": _("Row of “%(rows)s” moved"),
        "row_removed": _("Row removed from “%(rows)s”"),
        "funnel_targets_updated": _("Funnel targets recomputed from the plan"),
        "actual_rates_applied": _("The review's actual conversion rates applied to the plan"),
        "submitted": _("Version %(version)s submitted for signature"),
        "rendered": _("PDF of version %(version)s rendered"),
        "render_failed": _("PDF of version %(version)s could not be rendered"),
        "render_retried": _("PDF of version %(version)s queued again"),
        "invited": _("Signatory invited to sign version %(version)s: %(signer)s"),
        "viewed": _("Version %(version)s opened for signing"),
        "consented": _("Consent to sign version %(version)s electronically given"),
        "signed": _("Version %(version)s signed"),
        "declined": _("Version %(version)s declined"),
        "completed": _("Version %(version)s signed by every signatory"),
        "sealed": _("Signed PDF of version %(version)s sealed"),
        "seal_failed": _("Signed PDF of version %(version)s could not be sealed"),
        "downloaded": _("Signed PDF of version %(version)s downloaded"),
        "verified": _("Signed PDF of version %(version)s verified"),
        "review_started": _("Review due %(due)s started"),
        "review_recorded": _("Review due %(due)s recorded"),
        "review_imported": _("Actual figures imported into the review due %(due)s"),
        "review_measured": _(
            "Actual figures measured from the lead events filled into the review due %(due)s"
        ),
        "review_closed": _("Review due %(due)s closed"),
        "revision_started": _("Revision started from the signed agreement"),
    }


def describe(entry) -> str:
    """An audit entry as a sentence; the stored code and target when the action is unknown."""
    sentence = _sentences().get(entry.action)
    if sentence is None:
        return f"{entry.action} · {entry.target}" if entry.target else entry.action
    target = entry.target or ""
    values = {"signer": (entry.detail or {}).get("signer", "")}
    if version := _VERSION.match(target):
        values["version"] = version.group(1)
    if review := _REVIEW.match(target):
        values["due"] = date_format(date.fromisoformat(review.group(1)), "DATE_FORMAT")
    if target in SECTIONS_BY_KEY:
        values["section"] = f"{SECTIONS_BY_KEY[target].number}. {SECTIONS_BY_KEY[target].title}"
    if target in ROW_KINDS:
        values["rows"] = str(ROW_KINDS[target].title)
    try:
        return sentence % values
    except KeyError:  # an entry whose target does not have the expected shape
        return f"{entry.action} · {target}" if target else entry.action


_AUTH = re.compile(r"^(?P<methods>[\w, ]+?) login(?: as (?P<email>\S+))?$")


def describe_auth_method(recorded: str) -> str:
    """ "password login as a@b.example" as "Password login as a@b.example", translated."""
    match = _AUTH.match(recorded)
    if not match:
        return recorded
    names = {"password": _("Password"), "code": _("Login code"), "mfa": _("Two-factor code")}
    methods = join_list(
        names.get(name.strip(), name.strip()) for name in match["methods"].split(",")
    )
    if match["email"]:
        return _("%(methods)s login as %(email)s") % {"methods": methods, "email": match["email"]}
    return _("%(methods)s login") % {"methods": methods}
