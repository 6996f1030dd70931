"""Hostile values, and how they travel: a form body built by hand (so lone surrogates and
invalid UTF-8 reach the server as a browser or a script could send them), or a multipart body
with files."""

from urllib.parse import quote_plus

from hypothesis import strategies as st

#: What people paste, scripts send and attackers try; each has answered 500 somewhere before.
NASTY = [
    "",
    " ",
    "\t\n",
    "0",
    "-0",
    "-1",
    "1",
    "3",
    "0.5",
    "1,5",
    "1.000,5",
    "1 000",
    "1_000",
    "١٢٣",  # Arabic-Indic digits
    "½",
    "23 %",
    "%",
    "1/3",
    "1/0",
    "0/0",
    "-1/3",
    "NaN",
    "nan",
    "sNaN",
    "-NaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e308",
    "-1e308",
    "1e-308",
    "1e999999999",
    "1E+1000000",
    "9" * 400,
    "0." + "0" * 400 + "1",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "0x10",
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "10000-01-01",
    "2027-02-30",
    "2027-13-01",
    "1899-12-31",
    "2027-01",
    "9999-12",
    "0001-01",
    "00:00",
    "24:00",
    "25:61",
    "23:59:59.999999",
    "true",
    "on",
    "null",
    "None",
    "[]",
    "{}",
    '{"a": [[[[[[[[[[]]]]]]]]]]}',
    "[" * 5000,
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate
    "\udfff\ud800",
    "\u202eevil\u202c",  # right-to-left override
    "مرحبا بالعالم",
    "שלום",
    "😀" * 50,
    "👩‍👩‍👧‍👦",
    "e\u0301" * 20,
    "\ufeff",
    "\u2028\u2029",
    "\r\n" * 10,
    "<script>alert(1)</script>",
    "{{ 7*7 }}{% debug %}",
    "%(name)s %s {0}",
    "' OR 1=1 --",
    "../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    "a@b",
    "x" * 10_001,
    "é" * 20_000,
    "1" * 10_001,
]

scalar = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cs", "Cc", "Zs", "Nd", "Mn"]), max_size=8),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
    st.datetimes().map(str),
)


def field_value(baseline):
    """A field's value: mostly something hostile, sometimes the valid value (so the other
    fields reach the deeper checks), sometimes repeated, sometimes missing (None)."""
    return st.one_of(
        scalar,
        scalar,
        st.just(baseline),
        st.lists(scalar, min_size=2, max_size=3),
        st.none(),
    )


def post_data(fields: dict):
    """A dict of the endpoint's fields (name -> valid value) with hostile values mixed in,
    plus now and then a stray field."""
    return st.fixed_dictionaries(
        {name: field_value(value) for name, value in fields.items()},
        optional={st_key: scalar for st_key in ("extra", "csrfmiddlewaretoken", "_method")},
    ).map(lambda data: {k: v for k, v in data.items() if v is not None})


def _bytes(value) -> bytes:
    return str(value).encode("utf-8", "surrogatepass")


def form_body(data: dict) -> str:
    """application/x-www-form-urlencoded, lone surrogates and all (as CESU-8 bytes)."""
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{quote_plus(_bytes(key))}={quote_plus(_bytes(item))}")
    return "&".join(pairs)


def clean_text(value):
    """For multipart bodies, which Django's test client encodes strictly as UTF-8."""
    if isinstance(value, list):
        return [clean_text(item) for item in value]
    if not isinstance(value, str):
        return value
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


file_contents = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from(
        [
            b"",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
            b"%PDF-" + b"\x00" * 100,
            b"Month,Leads\n2027-01,12\n2027-02,NaN\n2027-03,1e999999\n",
            b"\xef\xbb\xbfMonth;Leads\r\n9999-12;-1\r\n0001-01;1,5\r\n",
            b"Month,Leads\n" + b"2027-01," + b"9" * 5000 + b"\n",
            b'"' * 3000,
            b"a,b\n" * 2000,
            b"\xff\xfe" + "Month,Leads\n2027-01,5\n".encode("utf-16-le"),
            b"0\x82\x01\x00" + b"\x00" * 64,  # the start of a DER structure
        ]
    ),
    st.text(max_size=500).map(lambda text: text.encode("utf-8", "surrogatepass")),
)
