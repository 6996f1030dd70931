"""From uploaded bytes to a table: encoding, separator, header and rows, within limits."""

import codecs
import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from slaportal.errors import DomainError
from slaportal.l10n import format_number

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
SEPARATORS = (",", ";", "\t")

# What people upload by mistake: PDF, ZIP (so XLSX, ODS, DOCX), old Excel (OLE2), gzip.
_BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0", b"\x1f\x8b")
_MARKUP = ("<!doctype", "<html", "<?xml", "{\\rtf")  # "Excel" exports that are HTML, XML or RTF
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_EXCEL_SEPARATOR_HINT = re.compile(r"sep=([,;\t])", re.IGNORECASE)  # Excel's optional first line
_QUOTED = re.compile(r'"[^"]*"')
_SAMPLE_LINES = 30


class CsvImportError(DomainError):
    """The file as a whole cannot be read; `message` says why, ready to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CsvTable:
    encoding: str  # the Python codec used: utf-8, utf-8-sig, utf-16-le, utf-16-be or cp1252
    separator: str  # ",", ";" or "\t"
    headers: list[str]
    rows: list[list[str]]  # cells as written; a row may be shorter or longer than the header
    line_numbers: list[int]  # line in the file of each row, the first line being 1


def sniff(data: bytes, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES) -> CsvTable:
    """Decode and split an uploaded CSV export, or raise CsvImportError with one clear message."""
    if len(data) > max_bytes:
        raise CsvImportError(
            _("The file is larger than %(size)s MB. Export a shorter period or fewer columns.")
            % {"size": max_bytes // (1024 * 1024)}
        )
    if data.startswith(_BINARY_SIGNATURES):
        raise _not_csv()
    text, encoding = _decode(data)
    text = text.rstrip("\x1a")  # the DOS end-of-file mark some old exporters still write
    if _CONTROL.search(text) or text.lstrip().lower().startswith(_MARKUP):
        raise _not_csv()
    hint, sample = _sample(text)
    if not sample:
        raise CsvImportError(_("The file is empty."))
    separator = hint or _detect_separator(sample)
    if separator is None:
        raise _not_csv()
    header, rows, line_numbers = _read_rows(
        text, separator, skip_first=hint is not None, max_rows=max_rows
    )
    if header is None:
        raise CsvImportError(_("The file is empty."))
    headers = [_clean_header(name) for name in header]
    while headers and not headers[-1]:  # "Month;Leads;" ends with a nameless column
        headers.pop()
    if len(headers) < 2:
        raise _not_csv()
    if not rows:
        raise CsvImportError(_("The file has a header but no rows."))
    return CsvTable(encoding, separator, headers, rows, line_numbers)


def _not_csv() -> CsvImportError:
    return CsvImportError(
        _("This is not a CSV file. Export the report as CSV (comma or semicolon separated).")
    )


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding), encoding
    if encoding := _utf16_by_nul_bytes(data):
        return _strict(data, encoding), encoding
    utf8 = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode(utf8), utf8
    except UnicodeDecodeError:
        # Excel on Windows; its "ï»¿" remnant of a UTF-8 BOM is removed from the first header.
        return _strict(data, "cp1252"), "cp1252"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise _not_csv() from None


def _utf16_by_nul_bytes(data: bytes) -> str | None:
    """UTF-16 without a BOM: the high byte of every ASCII character is NUL."""
    pairs = min(len(data), 4096) // 2
    if pairs < 2:
        return None
    even = data[0 : 2 * pairs : 2].count(0)
    odd = data[1 : 2 * pairs : 2].count(0)
    if 2 * odd > pairs and 10 * even < odd:
        return "utf-16-le"
    if 2 * even > pairs and 10 * odd < even:
        return "utf-16-be"
    return None


def _sample(text: str) -> tuple[str | None, list[str]]:
    """Excel's "sep=;" hint if the file starts with one, and the first non-blank lines."""
    hint, lines = None, []
    for number, line in enumerate(io.StringIO(text[:65536], newline="")):
        if number == 0 and (match := _EXCEL_SEPARATOR_HINT.fullmatch(line.strip(" \r\n"))):
            hint = match[1]
        elif line.strip().strip(",;\t"):
            lines.append(line)
            if len(lines) == _SAMPLE_LINES:
                break
    return hint, lines


def _detect_separator(lines: list[str]) -> str | None:
    """csv.Sniffer's choice if the header line has it, else the header's most frequent one."""
    header = _QUOTED.sub("", lines[0])
    counts = {separator: header.count(separator) for separator in SEPARATORS}
    try:
        sniffed = csv.Sniffer().sniff("".join(lines), delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        sniffed = None
    if counts.get(sniffed):
        return sniffed
    best = max(SEPARATORS, key=counts.__getitem__)
    return best if counts[best] else None


def _read_rows(text: str, separator: str, *, skip_first: bool, max_rows: int):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header, rows, line_numbers = None, [], []
    line = read = 0  # the last row's first line, and lines read so far (a row may span several)
    try:
        for cells in reader:
            line, read = read + 1, reader.line_num
            if (skip_first and line == 1) or not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = cells
                continue
            if len(rows) == max_rows:
                raise CsvImportError(
                    _("The file has more than %(rows)s rows. Export a shorter period.")
                    % {"rows": format_number(max_rows)}
                )
            rows.append(cells)
            line_numbers.append(line)
    except csv.Error:
        raise _unclosed_quote(read + 1) from None
    if read > line and text.count('"') % 2:  # the last row ran to the end inside a quote
        raise _unclosed_quote(line)
    return header, rows, line_numbers


def _unclosed_quote(line: int) -> CsvImportError:
    return CsvImportError(
        _("Line %(line)s cannot be read: is a closing quote missing?") % {"line": line}
    )


def _clean_header(name: str) -> str:
    return name.strip().removeprefix("ï»¿").strip("\ufeff\u200b\u00a0 \t")
