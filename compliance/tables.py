"""Every table of the compliance page as rows for a CSV download: the same figures the page
shows, numbers in machine form (a dot, no grouping) so a spreadsheet in any locale reads them,
and headers in the reader's language."""

import csv
from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

TABLES = ("commitments", "funnel", "response-times", "reasons", "owners")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value) -> str:
    """A cell a spreadsheet shows as text: CRM names starting with "=" are not run as formulas."""
    if value is None:
        return ""
    text = value.isoformat()[:7] if isinstance(value, date) else str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def bucket_label(bucket) -> str:
    low, high = bucket
    if high is None:
        return _("%(low)s h or more") % {"low": low}
    return _("%(low)s to under %(high)s h") % {"low": low, "high": high}


def rows(name: str, data: dict, owners: list[dict]) -> list[list]:
    if name == "commitments":
        header = [_("Commitment"), _("Measure"), _("Required (%)"), _("Month"), _("Figure (%)")]
        header += [
            _("Met"),
            _("Missed"),
            pgettext("lead outcome", "Pending"),
            _("Verdict"),
            _("Target"),
            _("Actual"),
        ]
        body = [
            [
                item.commitment.text,
                item.commitment.metric,
                item.required,
                month.month,
                month.figure,
                month.met,
                month.missed,
                month.pending,
                month.verdict,
                month.target,
                month.actual,
            ]
            for item in data["commitments"]
            for month in item.months
        ]
    elif name == "funnel":
        header = [_("Month"), _("Stage"), _("Actual"), _("Target"), _("Band from"), _("Band to")]
        body = [
            [row["month"], stage, s["actual"], s["target"], s["low"], s["high"]]
            for row in data["funnel"]
            for stage, s in row["stages"].items()
        ]
        body += [
            [row["month"], f"rate {pair} (%)", rate, "", "", ""]
            for row in data["funnel"]
            for pair, rate in row["rates"].items()
        ]
        body += [[row["month"], "revenue", row["revenue"], "", "", ""] for row in data["funnel"]]
    elif name == "response-times":
        header = [_("Business hours"), pgettext("hours range", "From"), _("Under"), _("Leads")]
        body = [
            [bucket_label(item["bucket"]), item["bucket"][0], item["bucket"][1], item["count"]]
            for item in data["distribution"]
        ]
    elif name == "reasons":
        header = [_("Rejection reason"), _("Leads"), _("Share (%)")]
        body = [[item["reason"], item["count"], item["share"]] for item in data["reasons"]]
    else:
        header = [
            pgettext("lead owner", "Owner"),
            _("Commitment"),
            _("Figure (%)"),
            _("Met"),
            _("Missed"),
        ]
        body = [
            [row["owner"], f["commitment"].text, f["figure"], f["met"], f["missed"]]
            for row in owners
            for f in row["figures"]
        ]
    return [header, *body]


def csv_response(filename: str, table: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the BOM
    writer = csv.writer(response)
    for row in table:
        writer.writerow([safe(cell) for cell in row])
    return response
