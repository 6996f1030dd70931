"""Actual results from a CRM's CSV export, for comparing with the agreement's targets.

Pure functions, nothing stored:

    table = sniff(uploaded_bytes)                      # or CsvImportError, one clear message
    mapping = guess_mapping(table, metrics)            # for the user to confirm or change
    preview = import_actuals(table, mapping, metrics=metrics, locale="de",
                             period_start=date(2027, 1, 1), period_end=date(2027, 3, 31))
    if preview.is_clean: ...                           # store preview.values once confirmed

`metrics` maps a metric key to its label: {"leads": "Leads", "kpi:12": "Response time to MQLs"}.
"""

from .importing import ActualValue, ImportPreview, RowError, import_actuals
from .mapping import ColumnMapping, guess_mapping
from .reading import MAX_BYTES, MAX_ROWS, CsvImportError, CsvTable, sniff
from .values import CellError, parse_month, parse_number

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ActualValue",
    "CellError",
    "ColumnMapping",
    "CsvImportError",
    "CsvTable",
    "ImportPreview",
    "RowError",
    "guess_mapping",
    "import_actuals",
    "parse_month",
    "parse_number",
    "sniff",
]
