"""Reading single fields: parse, check the range, record a message under the field's path.

Each reader returns the exact value, a default for a blank field, or ``INVALID`` once it has
recorded why the value cannot be used.
"""

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import messages
from .numbers import (
    InvalidNumber,
    format_plain,
    is_bare_number,
    is_blank,
)
from .plan import (
    MAX_COST_PER_LEAD,
    MAX_DEAL_SIZE,
    MAX_JSON_LENGTH,
    MAX_NAME_LENGTH,
    MAX_REVENUE_TARGET,
    MAX_SALES_CYCLE_DAYS,
    MAX_TERM_MONTHS,
)
from .stages import RATE_FIELDS

INVALID = object()  # the field had an error (already recorded)
Getter = Callable[[str], Any]
Check = Callable[[Any, Any], str | None]


class Errors(dict[str, list[str]]):
    def add(self, path: str, message: str) -> None:
        # str() shows a Message in the language active now, while the request is answered.
        self.setdefault(path, []).append(str(message))


def read(errors, path, raw, parse, check=None, *, required=False, default=None):
    """Parse and check one field. Blank gives ``default`` (``REQUIRED`` error if none)."""
    if is_blank(raw):
        if required and default is None:
            errors.add(path, messages.REQUIRED)
            return INVALID
        return default
    try:
        value = parse(raw)
    except InvalidNumber as error:
        errors.add(path, error.message)
        return INVALID
    problem = check(value, raw) if check else None
    if problem:
        errors.add(path, problem)
        return INVALID
    return value


def _fraction_check(out_of_range: str, looks_like_percent: str, label: str = "") -> Check:
    def check(value, raw):
        if 0 < value <= 1:
            return None
        if 1 < value <= 100 and is_bare_number(raw):
            return looks_like_percent.format(label=label, value=format_plain(value))
        return out_of_range.format(label=label)

    return check


RATE_CHECKS = {
    name: _fraction_check(
        messages.RATE_OUT_OF_RANGE, messages.RATE_LOOKS_LIKE_PERCENT, messages.FIELD_LABELS[name]
    )
    for name in RATE_FIELDS
}
SHARE_CHECK = _fraction_check(messages.SHARE_OUT_OF_RANGE, messages.SHARE_LOOKS_LIKE_PERCENT)


def _amount_check(field: str, limit: int, *, allow_zero: bool = False) -> Check:
    label = messages.FIELD_LABELS[field]

    def check(value, raw):
        if allow_zero and value < 0:
            return messages.AMOUNT_NEGATIVE.format(label=label)
        if not allow_zero and value <= 0:
            return messages.AMOUNT_NOT_POSITIVE.format(label=label)
        if value > limit:
            return messages.AMOUNT_TOO_LARGE.format(label=label, limit=messages.show_number(limit))
        return None

    return check


CHECK_REVENUE = _amount_check("revenue_target", MAX_REVENUE_TARGET)
CHECK_DEAL_SIZE = _amount_check("average_deal_size", MAX_DEAL_SIZE)
CHECK_COST = _amount_check("cost_per_lead", MAX_COST_PER_LEAD, allow_zero=True)


def check_term(value, raw):
    if value < 1:
        return messages.TERM_TOO_SHORT
    if value > MAX_TERM_MONTHS:
        return messages.TERM_TOO_LONG.format(limit=MAX_TERM_MONTHS)
    return None


def check_cycle(value, raw):
    if value < 0:
        return messages.CYCLE_NEGATIVE
    if value > MAX_SALES_CYCLE_DAYS:
        return messages.CYCLE_TOO_LONG.format(limit=messages.show_number(MAX_SALES_CYCLE_DAYS))
    return None


def check_tolerance(value, raw):
    return None if 0 <= value < 1 else messages.TOLERANCE_OUT_OF_RANGE


def read_name(errors, path, raw, fallback):
    if is_blank(raw):
        return fallback
    if not isinstance(raw, str):
        errors.add(path, messages.NOT_A_NAME)
        return INVALID
    name = raw.strip()
    if len(name) > MAX_NAME_LENGTH:
        errors.add(path, messages.NAME_TOO_LONG.format(limit=MAX_NAME_LENGTH))
        return INVALID
    return name


_START = re.compile(r"(\d{4})-(\d{1,2})")


def read_start(errors, raw):
    if is_blank(raw):
        return None
    if isinstance(raw, str) and (match := _START.fullmatch(raw.strip())):
        year, month = int(match[1]), int(match[2])
    elif (
        isinstance(raw, tuple | list)
        and len(raw) == 2
        and all(isinstance(part, int) and not isinstance(part, bool) for part in raw)
    ):
        year, month = raw
    elif all(isinstance(getattr(raw, part, None), int) for part in ("year", "month")):
        year, month = raw.year, raw.month
    else:
        errors.add("start", messages.NOT_A_START_MONTH)
        return INVALID
    if not 1 <= month <= 12:
        errors.add("start", messages.NOT_A_START_MONTH)
        return INVALID
    if not 1900 <= year <= 9999:
        errors.add("start", messages.START_OUT_OF_RANGE)
        return INVALID
    return (year, month)


def read_list(errors, path, raw, *, limit, not_a_list, too_many):
    """The items of a list field: ``[]`` when blank, ``None`` when unusable (error recorded).

    The length is checked before any item is looked at."""
    if is_blank(raw):
        return []
    if isinstance(raw, str):
        try:
            if len(raw) > MAX_JSON_LENGTH:
                raise ValueError(raw[:20])
            raw = json.loads(raw)
        except (ValueError, RecursionError):  # deeply nested JSON is not a list of rows either
            errors.add(path, not_a_list)
            return None
    if isinstance(raw, Mapping | str | bytes) or not isinstance(raw, Sequence):
        errors.add(path, not_a_list)
        return None
    if len(raw) > limit:
        errors.add(path, too_many.format(limit=limit, count=messages.show_number(len(raw))))
        return None
    return list(raw)


def item_getter(item, kind) -> Getter | None:
    if isinstance(item, Mapping):
        return item.get
    if isinstance(item, kind):
        return lambda name: getattr(item, name, None)
    return None
