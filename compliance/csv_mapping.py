"""Which columns of a CRM's CSV export hold which event field, and every row read as an event.

Pure functions, nothing stored:

    problem = table_problem(table)                     # a file the mapping cannot work with
    columns = guess_columns(table.headers, remembered) # {"lead_id": "Record ID", ...}
    problems = mapping_problems(table.headers, columns)  # {field: message}, next to its select
    check = check_rows(table, columns, zone=ZoneInfo("Europe/Berlin"), language="de")
    if check.is_clean: ...                             # store check.events once confirmed

A column's numbers are read in one convention (values.column_language): "2.500,00" in a German
export is 2500 whatever the reader's language.
"""

# ruff: noqa: RUF001 -- Turkish names are spelt with the dotless i (U+0131) on purpose.

from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from agreements.reviews.actuals_csv import CsvTable
from agreements.reviews.actuals_csv.mapping import normalized
from agreements.reviews.actuals_csv.values import column_language

from .events import FIELDS, REQUIRED, CleanEvent, check_event

MAX_COLUMNS = 200
MAX_HEADER_LENGTH = 200
MAX_PROBLEMS_LISTED = 200
MAX_MESSAGE_LENGTH = 300  # a message quoting a huge cell is cut, not the page
EVENTS_SHOWN = 20

FIELD_LABELS = {
    "lead_id": gettext_lazy("Lead ID"),
    "event": gettext_lazy("Event"),
    "occurred_at": gettext_lazy("Occurred at"),
    "source": gettext_lazy("Lead source"),
    "stream": gettext_lazy("Revenue stream"),
    "owner": pgettext_lazy("lead owner", "Owner"),
    "reason": gettext_lazy("Reason"),
    "amount": gettext_lazy("Amount"),
}


def _names(*languages: str) -> frozenset[str]:
    return frozenset(normalized(name) for names in languages for name in names.split(","))


# Header names CRM exports use, per language (en, de, it, tr); compared normalized.
HEADER_NAMES = {
    "lead_id": _names(
        "lead id, leadid, lead, record id, contact id, crm id, id, lead number, record, contact",
        "lead-nr, lead nummer, datensatz id, kontakt id, kontakt, datensatz",
        "id lead, id contatto, id record",
        "aday id, kayıt id, kişi id",
    ),
    "event": _names(
        "event, event type, stage, lifecycle stage, activity, activity type, action, status",
        "ereignis, ereignistyp, phase, stufe, aktivität, lebenszyklusphase",
        "evento, tipo evento, fase, attività, stato",
        "olay, olay türü, aşama, aktivite, durum",
    ),
    "occurred_at": _names(
        "occurred at, occurred, timestamp, date, time, datetime, date time, event date, "
        "event time, created at, when, activity date",
        "zeitpunkt, datum, zeit, zeitstempel, uhrzeit, datum uhrzeit, erstellt am",
        "data, data e ora, ora, momento, data evento",
        "tarih, zaman, saat, zaman damgası",
    ),
    "source": _names(
        "source, lead source, original source, channel, origin",
        "quelle, leadquelle, lead quelle, kanal, herkunft",
        "fonte, origine, canale, fonte lead",
        "kaynak, kanal",
    ),
    "stream": _names(
        "stream, revenue stream, segment, business line, pipeline, product line",
        "umsatzstrom, geschäftsbereich, sparte, geschäftsfeld",
        "flusso, linea di business, flusso di ricavi",
        "akış, gelir akışı, iş kolu",
    ),
    "owner": _names(
        "owner, lead owner, contact owner, record owner, rep, sales rep, assigned to, "
        "assignee, user, salesperson",
        "besitzer, inhaber, verantwortlich, verantwortlicher, zuständig, vertriebler, betreuer",
        "proprietario, responsabile, commerciale, assegnato a",
        "sahip, temsilci, satış temsilcisi, sorumlu",
    ),
    "reason": _names(
        "reason, rejection reason, lost reason, loss reason, recycle reason",
        "grund, ablehnungsgrund, verlustgrund",
        "motivo, motivo rifiuto, motivo perdita",
        "neden, sebep, red nedeni",
    ),
    "amount": _names(
        "amount, deal amount, value, deal value, revenue, won amount",
        "betrag, wert, umsatz, auftragswert, summe",
        "importo, valore, ricavo",
        "tutar, değer, gelir",
    ),
}
# Too general to be found inside a longer header ("Lead source" holds "lead", not a lead ID).
_ONLY_WHOLE = _names("id, lead, record, contact, kontakt, date, time, data, ora, status, value")


def usable_headers(headers: list[str]) -> list[str]:
    """The columns one may choose, each once, in file order (a nameless one cannot be)."""
    return list(dict.fromkeys(header for header in headers if header))


def table_problem(table: CsvTable) -> str | None:
    """Why the mapping cannot work with this file's header, or None."""
    if len(table.headers) > MAX_COLUMNS:
        return _(
            "The file has more than %(count)s columns. Export only the columns the lead events "
            "need."
        ) % {"count": MAX_COLUMNS}
    if any(len(header) > MAX_HEADER_LENGTH for header in table.headers):
        return _(
            "A column name is longer than %(count)s characters: is the first line the header?"
        ) % {"count": MAX_HEADER_LENGTH}
    return None


def _contains(name: str, synonym: str) -> bool:
    return f" {synonym} " in f" {name} "


def guess_columns(headers: list[str], remembered: dict | None = None) -> dict[str, str]:
    """field -> header ("" when none fits): the remembered header of each field where this file
    has it, else the field's own name, a common CRM name, or a header holding one."""
    available = usable_headers(headers)
    names = {header: normalized(header) for header in available}
    columns = dict.fromkeys(FIELDS, "")
    taken: set[str] = set()

    def claim(name: str, header: str) -> None:
        columns[name] = header
        taken.add(header)

    if isinstance(remembered, dict):
        for name in FIELDS:
            header = remembered.get(name)
            if isinstance(header, str) and header in names and header not in taken:
                claim(name, header)
    passes = (
        lambda name, text: text == normalized(name),
        lambda name, text: text in HEADER_NAMES[name],
        lambda name, text: any(
            _contains(text, synonym) for synonym in HEADER_NAMES[name] if synonym not in _ONLY_WHOLE
        ),
    )
    for matches in passes:
        for name in FIELDS:
            if columns[name]:
                continue
            header = next((h for h in available if h not in taken and matches(name, names[h])), "")
            if header:
                claim(name, header)
    return columns


def clean_columns(posted) -> dict[str, str]:
    """A mapping as posted or remembered, every field present, values as text (not checked)."""
    columns = {}
    for name in FIELDS:
        value = posted.get(name, "") if hasattr(posted, "get") else ""
        columns[name] = value[: MAX_HEADER_LENGTH + 1] if isinstance(value, str) else ""
    return columns


def mapping_problems(headers: list[str], columns: dict[str, str]) -> dict[str, str]:
    """field -> why its choice cannot be used: required and not chosen, not a column of this
    file, or a column already chosen for another field."""
    available = set(usable_headers(headers))
    problems, chosen_for = {}, {}
    for name in FIELDS:
        header = columns.get(name) or ""
        if not header:
            if name in REQUIRED:
                problems[name] = _("Choose the column that holds this; it is required.")
        elif header not in available:
            problems[name] = _("“%(column)s” is not a column of this file.") % {
                "column": header[:MAX_HEADER_LENGTH]
            }
        elif header in chosen_for:
            problems[name] = _("“%(column)s” is already chosen for %(field)s.") % {
                "column": header,
                "field": FIELD_LABELS[chosen_for[header]],
            }
        else:
            chosen_for[header] = name
    return problems


def _indexes(headers: list[str], columns: dict[str, str]) -> dict[str, int]:
    """field -> index of its column (the first of that name), for the mapped fields."""
    first = {}
    for index, header in enumerate(headers):
        first.setdefault(header, index)
    return {name: first[header] for name, header in columns.items() if header in first}


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def raw_events(table: CsvTable, columns: dict[str, str]) -> Iterator[tuple[int, dict]]:
    """(line, {field: cell}) for every row; unmapped fields are left out, missing cells empty."""
    indexes = _indexes(table.headers, columns)
    for cells, line in zip(table.rows, table.line_numbers, strict=True):
        yield line, {name: _cell(cells, index) for name, index in indexes.items()}


def amount_language(table: CsvTable, columns: dict[str, str], language: str) -> str:
    """The number convention of the amount column (the reader's when it reads that way)."""
    index = _indexes(table.headers, columns).get("amount")
    if index is None:
        return language
    distinct = dict.fromkeys(_cell(cells, index) for cells in table.rows)  # each read once
    return column_language(distinct, language)


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str  # the header of the cell at fault
    message: str


@dataclass
class EventCheck:
    """Every row read: the events to store, and what is wrong with the others."""

    rows: int = 0
    events: list[CleanEvent] = field(default_factory=list)
    invalid: int = 0  # rows that cannot be stored
    problems: list[RowProblem] = field(default_factory=list)  # the first MAX_PROBLEMS_LISTED
    problem_count: int = 0

    @property
    def is_clean(self) -> bool:
        return self.rows > 0 and not self.invalid

    @property
    def valid(self) -> int:
        return len(self.events)

    @property
    def shown(self) -> list[CleanEvent]:
        return self.events[:EVENTS_SHOWN]

    @property
    def more_problems(self) -> int:
        return self.problem_count - len(self.problems)


def _short(message: str) -> str:
    if len(message) <= MAX_MESSAGE_LENGTH:
        return message
    return message[: MAX_MESSAGE_LENGTH - 1] + "…"


def check_rows(
    table: CsvTable, columns: dict[str, str], *, zone: ZoneInfo, language: str
) -> EventCheck:
    """Each row checked as an event (times without an offset read in `zone`, amounts in the
    column's convention); the mapping must have no problems (mapping_problems)."""
    locale = amount_language(table, columns, language)
    result = EventCheck()
    for line, raw in raw_events(table, columns):
        result.rows += 1
        event, errors = check_event(raw, locale=locale, default_zone=zone)
        if event is not None:
            result.events.append(event)
            continue
        result.invalid += 1
        for name in FIELDS:
            for message in errors.get(name, ()):
                result.problem_count += 1
                if len(result.problems) < MAX_PROBLEMS_LISTED:
                    column = columns.get(name) or str(FIELD_LABELS[name])
                    result.problems.append(RowProblem(line, column, _short(message)))
    return result
