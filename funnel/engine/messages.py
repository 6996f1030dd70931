"""Every sentence the funnel calculator shows to a person, in one place.

The strings are plain ``str.format`` templates with named placeholders so that they can be wrapped
for translation later (``gettext(RATE_OUT_OF_RANGE).format(label=...)``) without touching the
engine. Nothing here imports Django.
"""

# The host application may install a translator (Django installs gettext in FunnelConfig.ready);
# until then every message reads as the English written here.
translate = str


def show_number(value) -> str:
    """A number inside a message. The host installs its locale's formatter (FunnelConfig.ready);
    this default writes English: 10,000,000."""
    return f"{value:,}"


def show_percent(percent) -> str:
    """A percentage (given in points, 23 for 23%) inside a message; replaced like show_number."""
    return f"{percent:,}%"


class Message(str):
    """An English template that passes through `translate` whenever it is shown or formatted,
    so the same engine speaks the language active at that moment."""

    def __str__(self) -> str:
        return translate(str.__str__(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def format(self, *args, **kwargs) -> str:
        return str(self).format(*args, **kwargs)


def gettext_noop(text: str) -> Message:
    """Mark `text` for the translation catalogues (xgettext knows the name); no Django import."""
    return Message(text)


ABOUT = gettext_noop("about {value}")  # a percentage rounded for display: "about 66.6667%"

# --- Rules shown next to the numbers -------------------------------------------------------------
ROUNDING_RULE = gettext_noop("Each stage is rounded up to a whole number.")
MONTHLY_RULE = gettext_noop(
    "The term's deals are spread over the months so that they add up exactly (each month gets the "
    "same number, or one more). Every other stage of a month is then rounded up from that month's "
    "deals, so each month obeys the rounding rule on its own and a stage's term total is the sum "
    "of its months."
)
LEAD_LAG_RULE = gettext_noop(
    "Leads, MQLs and SQLs are needed one sales cycle before the deals they produce: they move "
    "earlier by the sales cycle in days divided by 30, rounded up, in months (0 days: no shift; "
    "1 to 30 days: one month; 31 to 60 days: two months). Deals and opportunities stay in the "
    "month the revenue is due."
)
TOLERANCE_RULE = gettext_noop(
    "A month counts as met when delivery lands within the band: low is the target minus the "
    "tolerance rounded down, high is the target plus the tolerance rounded up."
)
FORWARD_CHECK_RULE = gettext_noop(
    "The forward check walks the funnel back down: the leads times every conversion rate times "
    "the average deal size is the revenue the computed numbers deliver. It is never below the "
    "revenue target."
)
COST_RULE = gettext_noop(
    "Cost is leads times cost per lead; cost per deal is that cost divided by the deals. The "
    "plan's total cost is only shown when every lead source has a cost per lead."
)

# --- Default names -------------------------------------------------------------------------------
DEFAULT_SINGLE_STREAM_NAME = gettext_noop("All revenue")
DEFAULT_STREAM_NAME = gettext_noop("Stream {number}")
DEFAULT_SINGLE_SOURCE_NAME = gettext_noop("All sources")
DEFAULT_SOURCE_NAME = gettext_noop("Source {number}")
MONTH_LABEL = gettext_noop("Month {number}")
LEAD_IN_MONTH_LABEL = gettext_noop("Lead-in month {number}")

# --- Field labels used inside messages -----------------------------------------------------------
FIELD_LABELS = {
    "revenue_target": gettext_noop("Revenue target"),
    "average_deal_size": gettext_noop("Average deal size"),
    "win_rate": gettext_noop("Win rate"),
    "sql_to_opportunity_rate": gettext_noop("SQL-to-opportunity rate"),
    "mql_to_sql_rate": gettext_noop("MQL-to-SQL rate"),
    "lead_to_mql_rate": gettext_noop("Lead-to-MQL rate"),
    "cost_per_lead": gettext_noop("Cost per lead"),
    "share": gettext_noop("Share"),
}

# --- Input errors --------------------------------------------------------------------------------
REQUIRED = gettext_noop("This field is required.")
NOT_A_NUMBER = gettext_noop("Enter a number.")
NOT_A_WHOLE_NUMBER = gettext_noop("Enter a whole number.")
NUMBER_TOO_LONG = gettext_noop("This number is too long.")
NOT_A_RATE = gettext_noop(
    "Enter a rate as a percentage ({percent}), a fraction ({fraction}) or a ratio (1/3)."
)
RATIO_DIVIDES_BY_ZERO = gettext_noop(
    "The second number of a ratio cannot be 0 (write one in three as 1/3)."
)
NOT_A_NAME = gettext_noop("Enter a name as text.")
NAME_TOO_LONG = gettext_noop("Use at most {limit} characters.")
DUPLICATE_STREAM_NAME = gettext_noop("Another revenue stream already uses this name.")
DUPLICATE_SOURCE_NAME = gettext_noop("Another lead source already uses this name.")
NOT_A_START_MONTH = gettext_noop("Enter the start month as YYYY-MM, for example 2025-01.")
START_OUT_OF_RANGE = gettext_noop("The start month must be between 1900-01 and 9999-12.")

RATE_OUT_OF_RANGE = gettext_noop("{label} must be greater than 0% and at most 100%.")
RATE_LOOKS_LIKE_PERCENT = gettext_noop(
    "{label} must be greater than 0% and at most 100%. For {value} percent, enter {value}%."
)
SHARE_OUT_OF_RANGE = gettext_noop("A share must be greater than 0% and at most 100%.")
SHARE_LOOKS_LIKE_PERCENT = gettext_noop(
    "A share must be greater than 0% and at most 100%. For {value} percent, enter {value}%."
)
TOLERANCE_OUT_OF_RANGE = gettext_noop("The tolerance must be at least 0% and less than 100%.")
AMOUNT_NOT_POSITIVE = gettext_noop("{label} must be greater than 0.")
AMOUNT_NEGATIVE = gettext_noop("{label} cannot be negative.")
AMOUNT_TOO_LARGE = gettext_noop("{label} must be at most {limit}.")
TERM_TOO_SHORT = gettext_noop("The term must be at least 1 month.")
TERM_TOO_LONG = gettext_noop("The term can be at most {limit} months.")
CYCLE_NEGATIVE = gettext_noop("The sales cycle cannot be negative.")
CYCLE_TOO_LONG = gettext_noop("The sales cycle can be at most {limit} days.")

NO_STREAMS = gettext_noop("Add at least one revenue stream.")
NOT_A_LIST_OF_STREAMS = gettext_noop("Enter the revenue streams as a list.")
NOT_A_LIST_OF_SOURCES = gettext_noop("Enter the lead sources as a list.")
NOT_A_STREAM = gettext_noop("Enter this revenue stream as a set of named fields.")
NOT_A_SOURCE = gettext_noop("Enter this lead source as a set of named fields.")
TOO_MANY_STREAMS = gettext_noop(
    "A plan can have at most {limit} revenue streams; this one has {count}."
)
TOO_MANY_SOURCES = gettext_noop(
    "A plan can have at most {limit} lead sources; this one has {count}."
)
STREAM_SHARES_SUM = gettext_noop(
    "The revenue stream shares add up to {total}; they must add up to 100%."
)
SOURCE_SHARES_SUM = gettext_noop("The source shares add up to {total}; they must add up to 100%.")
PLAN_TOO_LARGE = gettext_noop(
    "A plan can have at most {limit} combinations of revenue stream, lead source and month; "
    "this one has {streams} × {sources} × {months} = {count}. "  # noqa: RUF001 (a product)
    "Merge small streams or sources, or shorten the term."
)
TOO_MANY_LEADS = gettext_noop(
    "This plan needs more than {limit} leads, more than the calculator handles. "
    "Check the conversion rates and the average deal size."
)
