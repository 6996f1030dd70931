"""Reading a CRM's CSV export of actual results: bytes to table, cells to numbers and months."""

# ruff: noqa: RUF001 -- exports really contain typographic apostrophes, minus signs, dashes
# and the Turkish dotless i.

import codecs
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agreements.reviews.actuals_csv import (
    MAX_BYTES,
    MAX_ROWS,
    ActualValue,
    CellError,
    ColumnMapping,
    CsvImportError,
    RowError,
    guess_mapping,
    import_actuals,
    parse_month,
    parse_number,
    sniff,
)
from agreements.reviews.actuals_csv.values import column_language
from slaportal.l10n import format_number

METRICS = {
    "leads": "Leads",
    "mqls": "MQLs",
    "sqls": "SQLs",
    "opportunities": "Opportunities",
    "deals": "Deals",
    "kpi:12": "Response time to MQLs",
}
Q1 = {"period_start": date(2027, 1, 1), "period_end": date(2027, 3, 31)}
LONG = ColumnMapping.long("Month", "Metric", "Value")
NOT_CSV = "This is not a CSV file. Export the report as CSV (comma or semicolon separated)."
JAN, FEB, MAR = date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)


def preview(text, mapping=LONG, *, locale="en", metrics=METRICS, **period):
    table = sniff(text.encode())
    return import_actuals(table, mapping, metrics=metrics, locale=locale, **period)


def refusal(data: bytes) -> str:
    with pytest.raises(CsvImportError) as refused:
        sniff(data)
    return refused.value.message


def errors(result) -> list[tuple[int, str | None, str]]:
    return [(error.line, error.column, error.message) for error in result.errors]


# Encodings


def test_plain_utf8_is_read_as_utf8():
    table = sniff("Monat;Umsätze\n2027-01;5\n".encode())

    assert table.encoding == "utf-8"
    assert table.headers == ["Monat", "Umsätze"]


def test_a_utf8_bom_does_not_end_up_in_the_first_header():
    table = sniff(codecs.BOM_UTF8 + b"Month,Leads\n2027-01,5\n")

    assert table.encoding == "utf-8-sig"
    assert table.headers == ["Month", "Leads"]


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_utf16_with_a_bom_is_decoded_in_its_byte_order(bom, codec):
    table = sniff(bom + "Monat\tUmsätze\r\n2027-01\t5\r\n".encode(codec))

    assert table.encoding == codec
    assert table.separator == "\t"
    assert table.headers == ["Monat", "Umsätze"]
    assert table.rows == [["2027-01", "5"]]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised_by_its_nul_bytes(codec):
    table = sniff("Month,Leads\n2027-01,5\n".encode(codec))

    assert table.encoding == codec
    assert table.headers == ["Month", "Leads"]


def test_an_excel_export_in_cp1252_falls_back_to_cp1252():
    table = sniff("Monat;Umsätze\n2027-01;5\n".encode("cp1252"))

    assert table.encoding == "cp1252"
    assert table.headers == ["Monat", "Umsätze"]


def test_a_bom_before_cp1252_text_is_read_as_cp1252_without_its_remnant():
    table = sniff(codecs.BOM_UTF8 + "Monat;Umsätze\n2027-01;5\n".encode("cp1252"))

    assert table.encoding == "cp1252"
    assert table.headers == ["Monat", "Umsätze"]


# Separators, headers, line numbers


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_comma_semicolon_and_tab_are_recognised_as_separators(separator):
    text = separator.join(["Month", "Leads", "MQLs"]) + "\n" + separator.join(["2027-01", "5", "6"])

    table = sniff(text.encode())

    assert table.separator == separator
    assert table.rows == [["2027-01", "5", "6"]]


def test_numbers_with_commas_do_not_fool_the_separator_detection():
    table = sniff(b"Month;Leads;MQLs\n2027-01;1,087.5;2,000\n2027-02;1,100;2,100\n")

    assert table.separator == ";"
    assert table.rows[0] == ["2027-01", "1,087.5", "2,000"]


def test_quoted_fields_keep_the_separators_inside_them():
    table = sniff(b'Month,Metric,Value\n2027-01,"Leads, inbound","1,087"\n')

    assert table.rows == [["2027-01", "Leads, inbound", "1,087"]]


def test_excels_sep_line_chooses_the_separator_and_is_not_a_header():
    table = sniff(b"sep=;\nMonth;Leads\n2027-01;5\n")

    assert table.separator == ";"
    assert table.headers == ["Month", "Leads"]
    assert table.line_numbers == [3]


def test_header_names_lose_whitespace_and_bom_remnants():
    table = sniff("  Month ;\ufeffLeads;ï»¿MQLs\u00a0;\n2027-01;5;6;\n".encode())

    assert table.headers == ["Month", "Leads", "MQLs"]


def test_line_numbers_count_the_header_and_skipped_blank_lines():
    table = sniff(b"Month;Leads\n\n2027-01;5\n;\n   \n2027-02;6\r\n\r\n2027-03;7")

    assert table.rows == [["2027-01", "5"], ["2027-02", "6"], ["2027-03", "7"]]
    assert table.line_numbers == [3, 6, 8]


def test_a_quoted_value_over_two_lines_keeps_later_line_numbers_right():
    table = sniff(b'Month,Metric,Value\n2027-01,"Leads\n(inbound)",5\n2027-02,Leads,6\n')

    assert table.line_numbers == [2, 4]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_unix_windows_and_old_mac_line_ends_all_count_as_lines(newline):
    table = sniff(newline.join(["Month;Leads", "", "2027-01;5", "2027-02;6"]).encode())

    assert table.line_numbers == [3, 4]


# Files that are refused


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", id="pdf"),
        pytest.param(
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml", id="zip"
        ),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), id="old-excel"),
        pytest.param(bytes(range(256)) * 4, id="binary"),
        pytest.param(b"<!DOCTYPE html><html><table><tr><td>Leads</td></tr></table>", id="html"),
        pytest.param(b"Dear team,\nplease find the numbers attached\n", id="prose"),
    ],
)
def test_a_file_that_is_not_tabular_text_gets_one_clear_message(data):
    assert refusal(data) == NOT_CSV


def test_a_quote_that_is_never_closed_names_its_line():
    data = b'Month,Metric,Value\n2027-01,Leads,5\n2027-02,"Leads,6\n2027-03,Leads,7\n'

    assert refusal(data) == "Line 3 cannot be read: is a closing quote missing?"


@pytest.mark.parametrize("data", [b"", b"\n\r\n  \n", codecs.BOM_UTF8, b";;\n;;\n"])
def test_an_empty_file_is_refused(data):
    assert refusal(data) == "The file is empty."


def test_a_file_with_only_a_header_is_refused():
    assert refusal(b"Month;Leads;MQLs\n\n\n") == "The file has a header but no rows."


def test_a_file_over_10_mb_is_refused_politely():
    data = b"a,b\n" * (MAX_BYTES // 4 + 1)

    assert len(data) == MAX_BYTES + 4
    assert refusal(data[: MAX_BYTES + 1]) == (
        "The file is larger than 10 MB. Export a shorter period or fewer columns."
    )


def test_a_file_of_exactly_10_mb_is_judged_on_its_rows_not_its_size():
    assert refusal(b"a,b\n" * (MAX_BYTES // 4)) == (
        "The file has more than 10,000 rows. Export a shorter period."
    )


def test_10000_rows_are_accepted_and_one_more_is_refused():
    header = b"Month,Leads\n"

    assert len(sniff(header + b"2027-01,5\n" * MAX_ROWS).rows) == MAX_ROWS
    assert "more than 10,000 rows" in refusal(header + b"2027-01,5\n" * (MAX_ROWS + 1))


# Numbers


@pytest.mark.parametrize(
    ("shown", "locale", "value"),
    [
        ("1,087.5", "en", "1087.5"),
        ("1,000,000", "en", "1000000"),
        ("1.087,5", "de", "1087.5"),
        ("1.000.000", "it", "1000000"),
        ("1.087,5", "tr", "1087.5"),
        ("1,087.5", "zh-hans", "1087.5"),
        ("12", "de", "12"),
        ("0.1", "en", "0.1"),
        ("1 087", "en", "1087"),
        ("1 087,5", "de", "1087.5"),
        ("1\u202f087,5", "de", "1087.5"),
        ("1’087", "de", "1087"),
        ("1'087.5", "en", "1087.5"),
    ],
)
def test_thousands_separators_and_decimal_marks_follow_the_locale(shown, locale, value):
    assert parse_number(shown, locale) == (Decimal(value), False)


@pytest.mark.parametrize(
    ("column", "locale", "values"),
    [
        (["1.234,5", "1.180"], "en", ["1234.5", "1180"]),  # "1.180" is German like its column
        (["1,087.5", "1,180"], "de", ["1087.5", "1180"]),
        (["1,5", "2"], "en", ["1.5", "2"]),
        (["1.5"], "de", ["1.5"]),
        (["1.000.000"], "en", ["1000000"]),
        (["1.180", "2.500"], "de", ["1180", "2500"]),
        (["1.180", "2.500"], "en", ["1.18", "2.5"]),  # both fit: the reader's way, echoed back
        (["1 234,5", "%23"], "tr", ["1234.5", "23"]),
    ],
)
def test_a_column_is_read_the_one_way_all_its_cells_fit(column, locale, values):
    language = column_language(column, locale)

    assert [parse_number(cell, language)[0] for cell in column] == [Decimal(v) for v in values]


def test_a_column_that_mixes_formats_is_refused_cell_by_cell():
    table = sniff(b'Month,Leads\n2027-01,"1.234,5"\n2027-02,"1,180.5"\n2027-03,7\n')
    mapping = guess_mapping(table, METRICS)

    result = import_actuals(table, mapping, metrics=METRICS, locale="de")

    assert errors(result) == [
        (
            3,
            "Leads",
            "“1,180.5” is written differently from the rest of its column (like 1.234,5). "
            "Export the column in one format.",
        )
    ]


@pytest.mark.parametrize(
    ("shown", "locale", "value"),
    [("1,087", "en", "1087"), ("1,087", "de", "1.087"), ("1.087", "de", "1087")],
)
def test_a_number_that_reads_both_ways_takes_the_locales_reading(shown, locale, value):
    assert parse_number(shown, locale)[0] == Decimal(value)


@pytest.mark.parametrize(
    ("shown", "locale", "value"),
    [
        ("23%", "en", "23"),
        ("23,5 %", "de", "23.5"),
        ("%23", "tr", "23"),
        ("12.5%", "zh-hans", "12.5"),
    ],
)
def test_a_percentage_keeps_the_number_shown_and_is_flagged(shown, locale, value):
    assert parse_number(shown, locale) == (Decimal(value), True)


@pytest.mark.parametrize("shown", ["-5", "(5)", "( 5 )", "−5"])
def test_negative_numbers_are_written_with_a_minus_or_in_parentheses(shown):
    assert parse_number(shown)[0] == Decimal("-5")


@pytest.mark.parametrize("shown", ["5-", "(-5)", "--5", "abc", "1.2.3", "1e5", "12 leads", "NaN"])
def test_anything_else_is_not_a_number(shown):
    with pytest.raises(CellError) as refused:
        parse_number(shown)

    assert refused.value.message == f"“{shown}” is not a number written like 1,234.5."


def test_an_empty_value_is_reported_as_no_value():
    with pytest.raises(CellError, match=r"^No value\.$"):
        parse_number("   ")


LOCALES = ["en", "de", "it", "tr", "zh-hans"]
DECIMALS = st.integers(0, 4).flatmap(
    lambda places: st.decimals(
        min_value=-(10**12), max_value=10**12, places=places, allow_nan=False
    )
)


@given(value=DECIMALS, locale=st.sampled_from(LOCALES))
def test_any_decimal_in_the_locales_format_reads_back_as_itself(value, locale):
    shown = format_number(value, language=locale)

    assert parse_number(shown, locale) == (value, False)


# Months


@pytest.mark.parametrize(
    ("shown", "locale", "month"),
    [
        ("2027-01-31", "en", JAN),
        ("2027-01", "de", JAN),
        ("2027-02-28T00:00:00Z", "en", FEB),
        ("01/31/2027", "en", JAN),
        ("02/03/2027", "en", FEB),
        ("31/01/2027", "en", JAN),
        ("1/31/2027 12:00 AM", "en", JAN),
        ("31.01.2027", "de", JAN),
        ("02.03.2027", "de", MAR),
        ("31.01.27", "de", JAN),
        ("02/03/2027", "it", MAR),
        ("31/01/2027", "it", JAN),
        ("31.01.2027", "tr", JAN),
        ("2027年1月31日", "zh-hans", JAN),
        ("2027/1/31", "zh-hans", JAN),
        ("03/2027", "en", MAR),
    ],
)
def test_iso_and_the_locales_numeric_dates_become_their_month(shown, locale, month):
    assert parse_month(shown, locale) == month


@pytest.mark.parametrize(
    ("shown", "locale", "month"),
    [
        ("Jan 2027", "en", JAN),
        ("January 2027", "en", JAN),
        ("Jan-27", "en", JAN),
        ("31-Jan-27", "en", JAN),
        ("February 28, 2027", "en", FEB),
        ("Sept 2027", "en", date(2027, 9, 1)),
        ("Januar 2027", "de", JAN),
        ("31. März 2027", "de", MAR),
        ("Mrz 2027", "de", MAR),
        ("gennaio 2027", "it", JAN),
        ("Marzo 2027", "it", MAR),
        ("Ocak 2027", "tr", JAN),
        ("ŞUBAT 2027", "tr", FEB),
        ("Ekim 2027", "tr", date(2027, 10, 1)),
        ("EKİM 2027", "tr", date(2027, 10, 1)),
        ("Kasım 2027", "tr", date(2027, 11, 1)),
        ("2027年1月", "zh-hans", JAN),
        ("2027年 3月", "zh-hans", MAR),
    ],
)
def test_month_names_in_the_five_languages_become_their_month(shown, locale, month):
    assert parse_month(shown, locale) == month


@pytest.mark.parametrize(
    "shown", ["2027-13", "2027-02-30", "31/31/2027", "Smarch 2027", "Jan Feb 2027", "Q1 2027"]
)
def test_a_date_that_is_not_one_gets_a_hint_at_the_expected_form(shown):
    with pytest.raises(CellError) as refused:
        parse_month(shown)

    assert refused.value.message == (
        f"“{shown}” is not a date we can read. Write it as 2027-01 or 2027-01-31."
    )


# Importing: long and wide forms


def test_a_clean_long_export_becomes_monthly_values_with_their_lines():
    result = preview(
        "Month;Metric;Value\n2027-01;Leads;1,087\n\n2027-01;MQLs;300\n"
        "2027-02;Response time to MQLs;4.5\n",
        **Q1,
    )

    assert result.is_clean
    assert result.encoding == "utf-8"
    assert result.separator == ";"
    assert result.values == [
        ActualValue(JAN, "leads", Decimal("1087"), False, 2),
        ActualValue(JAN, "mqls", Decimal("300"), False, 4),
        ActualValue(FEB, "kpi:12", Decimal("4.5"), False, 5),
    ]


def test_metric_names_match_labels_keys_and_synonyms_in_any_case():
    result = preview(
        "Month;Metric;Value\n2027-01;LEADS;1\n2027-01;mqls;2\n2027-01;Sales Qualified Leads;3\n"
        "2027-01;Closed won;4\n2027-01;kpi:12;5\n"
    )

    assert [value.metric for value in result.values] == ["leads", "mqls", "sqls", "deals", "kpi:12"]


def test_a_clean_wide_export_gives_one_value_per_month_and_mapped_column():
    mapping = ColumnMapping.wide("Monat", {"leads": "Leads", "mqls": "MQLs"})

    result = preview(
        "Monat;Leads;MQLs;Notiz\n31.01.2027;1.087;300;x\n28.02.2027;1.100;310;\n",
        mapping,
        locale="de",
        **Q1,
    )

    assert result.is_clean
    assert [(v.month, v.metric, v.value, v.line) for v in result.values] == [
        (JAN, "leads", Decimal("1087"), 2),
        (JAN, "mqls", Decimal("300"), 2),
        (FEB, "leads", Decimal("1100"), 3),
        (FEB, "mqls", Decimal("310"), 3),
    ]


def test_a_kpi_in_percent_keeps_the_number_shown_and_the_flag():
    mapping = ColumnMapping.wide("Month", {"kpi:12": "Rate"})

    result = preview("Month,Rate\n2027-01,23%\n", mapping)

    assert result.values == [ActualValue(JAN, "kpi:12", Decimal("23"), True, 2)]


def test_parentheses_in_an_export_are_read_as_negative_and_refused_like_a_typed_one():
    assert parse_number("(5)", "en")[0] == Decimal("-5")

    result = preview("Month;Metric;Value\n2027-01;Deals;(5)\n")

    assert result.values == []  # the form refuses negatives; so does the import (issue 16)
    assert [(e.line, e.message) for e in result.errors] == [
        (2, "An actual figure cannot be negative.")
    ]


def test_a_utf16_german_export_reads_end_to_end():
    data = codecs.BOM_UTF16_LE + "Monat\tKennzahl\tWert\r\nJanuar 2027\tLeads\t1.087,5\r\n".encode(
        "utf-16-le"
    )
    table = sniff(data)

    result = import_actuals(table, guess_mapping(table, METRICS), metrics=METRICS, locale="de")

    assert result.encoding == "utf-16-le"
    assert result.values == [ActualValue(JAN, "leads", Decimal("1087.5"), False, 2)]


# Importing: every bad row, with its line and reason


def test_a_row_outside_the_review_period_is_an_error():
    result = preview(
        "Month;Metric;Value\n2026-12;Leads;5\n2027-04-01;Leads;5\n2027-03-31;Leads;5\n", **Q1
    )

    assert errors(result) == [
        (2, "Month", "2026-12 is outside the review period Jan 2027 – Mar 2027."),
        (3, "Month", "2027-04 is outside the review period Jan 2027 – Mar 2027."),
    ]
    assert [value.line for value in result.values] == [4]


def test_an_open_ended_period_says_which_end_was_crossed():
    text = "Month;Metric;Value\n2026-12;Leads;5\n2028-01;Leads;5\n"

    after_start = preview(text, period_start=date(2027, 1, 15))
    before_end = preview(text, period_end=date(2027, 12, 31))

    assert (
        errors(after_start)[0][2]
        == "2026-12 is before the review period, which starts in Jan 2027."
    )
    assert errors(before_end)[0][2] == "2028-01 is after the review period, which ends in Dec 2027."


def test_a_duplicate_month_and_metric_names_the_earlier_line():
    result = preview("Month;Metric;Value\n2027-01-05;Leads;5\n2027-02;Leads;6\nJan 2027;leads;7\n")

    assert errors(result) == [(4, "Metric", "“Leads” for 2027-01 already appears on line 2.")]
    assert [value.line for value in result.values] == [2, 3]


def test_a_duplicate_month_in_a_wide_export_names_the_earlier_line():
    mapping = ColumnMapping.wide("Month", {"leads": "Leads"})

    result = preview("Month,Leads\n2027-01,5\n2027-02,6\n2027-01,7\n", mapping)

    assert errors(result) == [(4, "Month", "2027-01 already appears on line 2.")]


def test_an_unknown_metric_is_named_with_a_short_list_of_accepted_ones():
    result = preview("Month;Metric;Value\n2027-01;Web visits;5\n")

    assert errors(result) == [
        (
            2,
            "Metric",
            "“Web visits” is not one of this agreement's KPIs. "
            "Use one of: Leads, MQLs, SQLs, Opportunities, Deals, ….",
        )
    ]


def test_an_empty_or_missing_value_cell_is_no_value():
    result = preview("Month;Metric;Value\n2027-01;Leads;\n2027-01;MQLs\n")

    assert errors(result) == [(2, "Value", "No value."), (3, "Value", "No value.")]


def test_every_bad_row_is_listed_and_good_rows_are_kept_for_the_preview():
    result = preview(
        "Month;Metric;Value\n2027-01;Leads;5\nsoon;Leads;x\n2027-02;;7\n\n2027-02;Deals;abc\n"
    )

    assert not result.is_clean
    assert errors(result) == [
        (3, "Month", "“soon” is not a date we can read. Write it as 2027-01 or 2027-01-31."),
        (3, "Value", "“x” is not a number written like 1,234.5."),
        (4, "Metric", "No metric."),
        (6, "Value", "“abc” is not a number written like 1,234.5."),
    ]
    assert result.values == [ActualValue(JAN, "leads", Decimal("5"), False, 2)]


def test_an_unquoted_number_with_the_separator_inside_is_caught_not_misread():
    result = preview("Month,Metric,Value\n2027-01,Leads,1,087\n")

    assert result.values == []
    assert result.errors == [
        RowError(
            2,
            None,
            "This line has 4 fields but the header has 3. "
            "Put numbers that contain the separator in quotes.",
        )
    ]


def test_a_mapping_naming_a_column_the_file_lacks_is_refused():
    with pytest.raises(CsvImportError, match=r"^The file has no column “Datum”\.$"):
        preview(
            "Month;Metric;Value\n2027-01;Leads;5\n", ColumnMapping.long("Datum", "Metric", "Value")
        )


def test_a_wide_mapping_to_a_metric_the_agreement_lacks_is_a_programming_error():
    with pytest.raises(ValueError, match="web_visits"):
        preview("Month,Visits\n2027-01,5\n", ColumnMapping.wide("Month", {"web_visits": "Visits"}))


def test_a_mapping_is_either_long_or_wide():
    with pytest.raises(ValueError):
        ColumnMapping("Month")
    with pytest.raises(ValueError):
        ColumnMapping("Month", "Metric", "Value", {"leads": "Leads"})
    with pytest.raises(ValueError):
        ColumnMapping("Month", metric_column="Metric")


# Guessing the mapping


def test_a_typical_english_wide_export_is_mapped_column_by_column():
    table = sniff(b"Month,Leads,MQLs,SQLs,Opportunities,Deals\n2027-01,1,2,3,4,5\n")

    assert guess_mapping(table, METRICS) == ColumnMapping.wide(
        "Month",
        {
            "leads": "Leads",
            "mqls": "MQLs",
            "sqls": "SQLs",
            "opportunities": "Opportunities",
            "deals": "Deals",
        },
    )


def test_common_english_synonyms_are_recognised():
    table = sniff(
        b"Report Month,New Leads,Marketing Qualified Leads,SQL,Deals created,Closed-Won,"
        b"Response time to MQLs\n2027-01,1,2,3,4,5,6\n"
    )

    assert guess_mapping(table, METRICS) == ColumnMapping.wide(
        "Report Month",
        {
            "leads": "New Leads",
            "mqls": "Marketing Qualified Leads",
            "sqls": "SQL",
            "opportunities": "Deals created",
            "deals": "Closed-Won",
            "kpi:12": "Response time to MQLs",
        },
    )


def test_a_typical_german_wide_export_is_mapped():
    table = sniff("Monat;Leads;MQLs;SQLs;Verkaufschancen;Abschlüsse\n01.2027;1;2;3;4;5\n".encode())

    mapping = guess_mapping(table, METRICS)

    assert mapping.date_column == "Monat"
    assert mapping.value_columns["opportunities"] == "Verkaufschancen"
    assert mapping.value_columns["deals"] == "Abschlüsse"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Month;Metric;Value", ColumnMapping.long("Month", "Metric", "Value")),
        ("Monat;Kennzahl;Wert", ColumnMapping.long("Monat", "Kennzahl", "Wert")),
        ("Date;Stage;Count;Owner", ColumnMapping.long("Date", "Stage", "Count")),
    ],
)
def test_a_long_export_is_recognised_by_its_metric_and_value_columns(header, expected):
    table = sniff(f"{header}\n2027-01;Leads;5;x\n".encode())

    assert guess_mapping(table, METRICS) == expected


@pytest.mark.parametrize("date_header", ["Date", "PERIOD", "Monat", "Mese", "Ay", "月份"])
def test_the_date_column_is_found_in_any_of_the_five_languages(date_header):
    table = sniff(f"{date_header};Leads\n2027-01;5\n".encode())

    assert guess_mapping(table, METRICS).date_column == date_header


def test_no_guess_without_a_date_column_or_any_known_metric():
    assert guess_mapping(sniff(b"Stage,Leads\nx,5\n"), METRICS) is None
    assert guess_mapping(sniff(b"Month,Web visits\n2027-01,5\n"), METRICS) is None
