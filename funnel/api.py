"""Reading a plan out of an HTTP request for ``/api/funnel/calculate``.

JSON numbers are read exactly (``Decimal``, never a binary float), and every way a request can be
unusable becomes :class:`BadRequest` with a message for people, so the view never answers 500.
"""

import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .calculator import MAX_JSON_LENGTH, MAX_NUMBER_LENGTH

MAX_BODY_BYTES = 100 * 1024
#: ``Fraction(Decimal("1e999999999"))`` builds a billion-digit integer; farther exponents than
#: this stay text, which the engine refuses like any other unreadable number.
MAX_EXPONENT = 100
#: Fields that may hold a list, or the same list as JSON text (how a query string carries it).
LIST_FIELDS = ("streams", "sources")
#: Stands in for list text that is not JSON: the engine refuses it with its own "Enter the ... as
#: a list." message (handing it deeply nested text would overflow the engine's ``json.loads``).
NOT_JSON = "not JSON"


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _exact_int(literal: str) -> int | str:
    # Too long: left as text, so the engine says "This number is too long." as it does for text.
    return int(literal) if len(literal) <= MAX_NUMBER_LENGTH else literal


def _exact_decimal(literal: str) -> Decimal | str:
    if len(literal) > MAX_NUMBER_LENGTH:
        return literal
    number = Decimal(literal)
    if abs(number.as_tuple().exponent) > MAX_EXPONENT:
        return literal
    return number


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python accepts them, JSON does not


def loads_exact(text: str | bytes) -> Any:
    """``json.loads`` with exact numbers; raises ``ValueError`` or ``RecursionError``."""
    return json.loads(
        text, parse_int=_exact_int, parse_float=_exact_decimal, parse_constant=_refuse_constant
    )


def decode_lists(data: dict[str, Any]) -> dict[str, Any]:
    """Decode ``streams`` and ``sources`` given as JSON text, with exact numbers."""
    for name in LIST_FIELDS:
        raw = data.get(name)
        if not isinstance(raw, str) or not raw.strip():
            continue
        try:
            decoded = loads_exact(raw) if len(raw) <= MAX_JSON_LENGTH else NOT_JSON
        except (ValueError, RecursionError):
            decoded = NOT_JSON
        # Text inside the text would be decoded once more by the engine: refuse it here.
        data[name] = NOT_JSON if isinstance(decoded, str) else decoded
    return data


def plan_data_from_query(request: HttpRequest) -> dict[str, Any]:
    """The plan in a query string: one value per field (the last one when repeated)."""
    try:
        data = request.GET.dict()
    except TooManyFieldsSent:
        raise BadRequest(_("The query string has too many fields.")) from None
    return decode_lists(data)


def plan_data_from_body(request: HttpRequest) -> dict[str, Any]:
    """The plan in a JSON body: an object of fields."""
    too_large = _("The request body is too large: send at most %(size)s KB.") % {
        "size": MAX_BODY_BYTES // 1024
    }
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:  # refused before anything is read
        raise BadRequest(too_large, status=413)
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(too_large, status=413)
    try:
        data = loads_exact(body)
    except (ValueError, RecursionError):
        raise BadRequest(_("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise BadRequest(_("The request body must be a JSON object of fields and values."))
    return decode_lists(data)
