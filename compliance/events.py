"""One incoming lead event checked field by field: from the API's JSON or a CSV row's cells.

`check_event(raw, ...)` returns a CleanEvent or the reasons it cannot be stored, each naming its
field, so the API answers `{"index": 3, "errors": {"occurred_at": [...]}}` and the CSV preview
shows the line and the column.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from agreements.reviews.actuals_csv import CellError, parse_number

from .models import LeadEventType

FIELDS = ("lead_id", "event", "occurred_at", "source", "stream", "owner", "reason", "amount")
REQUIRED = ("lead_id", "event", "occurred_at")
TEXT_LIMITS = {"lead_id": 100, "source": 120, "stream": 120, "owner": 120, "reason": 120}
EARLIEST, LATEST = 2000, 2100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SEPARATORS = re.compile(r"[\s\-]+")
_MAX_AMOUNT = Decimal("9999999999999.99")
_EVENT_TYPES = frozenset(LeadEventType.values)  # .values builds a list on every call


@dataclass(frozen=True)
class CleanEvent:
    lead_id: str
    event: str
    occurred_at: datetime  # aware, UTC
    source: str = ""
    stream: str = ""
    owner: str = ""
    reason: str = ""
    amount: Decimal | None = None

    @property
    def key(self) -> tuple:
        return (self.lead_id, self.event, self.occurred_at)


def event_type(text: str) -> str | None:
    """ "Handed off", "handed-off", "HANDED_OFF" -> "handed_off"; None if not an event type."""
    key = _SEPARATORS.sub("_", text.strip().lower())
    return key if key in _EVENT_TYPES else None


def parse_moment(text: str, default_zone: ZoneInfo | None) -> datetime:
    """ISO 8601 ("2027-01-04T09:15:00+01:00", "2027-01-04 09:15Z"). Without an offset the time
    is read in `default_zone` (the CSV upload's choice); the API requires the offset."""
    shown = text.strip()
    try:
        moment = datetime.fromisoformat(shown)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a date and time like 2027-01-04T09:15:00+01:00.")
            % {"value": shown}
        ) from None
    if moment.tzinfo is None:
        if default_zone is None:
            raise CellError(
                _("“%(value)s” has no time zone offset: add one, like +01:00 or Z.")
                % {"value": shown}
            )
        moment = moment.replace(tzinfo=default_zone)
    if not EARLIEST <= moment.year < LATEST:
        raise CellError(_("The date must be between 2000 and 2099."))
    return moment.astimezone(UTC)


def _amount(value, locale: str | None) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("Not a number."))
    if isinstance(value, int | float):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise CellError(_("Not a number.")) from None
    elif locale is None:  # JSON: a number, or a string in machine format
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise CellError(
                _("“%(value)s” is not a number like 1234.5.") % {"value": value}
            ) from None
    else:
        amount, is_percent = parse_number(str(value), locale)
        if is_percent:
            raise CellError(_("An amount cannot be a percentage."))
    if not amount.is_finite() or amount < 0:
        raise CellError(_("The amount cannot be negative."))
    if amount > _MAX_AMOUNT:
        raise CellError(_("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


def check_event(
    raw: dict, *, locale: str | None = None, default_zone: ZoneInfo | None = None
) -> tuple[CleanEvent | None, dict[str, list[str]]]:
    """The event, or the reasons per field it cannot be stored. `locale` reads CSV numbers as
    the uploader writes them; None reads JSON's."""
    errors: dict[str, list[str]] = {}
    values = {}
    for name in FIELDS:
        value = raw.get(name)
        if name != "amount":
            if value is None:
                value = ""
            if not isinstance(value, str):
                errors.setdefault(name, []).append(_("Must be text."))
                continue
            value = value.strip()
            if _CONTROL.search(value):
                errors.setdefault(name, []).append(_("Contains control characters."))
                continue
        if name in REQUIRED and not value:
            errors.setdefault(name, []).append(_("This field is required."))
            continue
        limit = TEXT_LIMITS.get(name)
        if limit and len(value) > limit:
            errors.setdefault(name, []).append(
                _("At most %(limit)s characters (this has %(length)s).")
                % {"limit": limit, "length": len(value)}
            )
            continue
        try:
            if name == "event":
                kind = event_type(value)
                if kind is None:
                    raise CellError(
                        _("“%(value)s” is not an event; use one of: %(events)s.")
                        % {"value": value, "events": ", ".join(LeadEventType.values)}
                    )
                value = kind
            elif name == "occurred_at":
                value = parse_moment(value, default_zone)
            elif name == "amount":
                value = _amount(value, locale)
        except CellError as error:
            errors.setdefault(name, []).append(error.message)
            continue
        values[name] = value
    if errors:
        return None, errors
    return CleanEvent(**values), {}
