"""Every sentence the funnel calculator shows to a person, in one place.

The strings are plain ``str.format`` templates with named placeholders so that they can be wrapped
for translation later (``gettext(RATE_OUT_OF_RANGE).format(label=...)``) without touching the
engine. Nothing here imports Django.
"""

# --- Rules shown next to the numbers -------------------------------------------------------------
ROUNDING_RULE = "Each stage is rounded up to a whole number."
MONTHLY_RULE = (
    "Each stage's term total is spread evenly over the months of the term and rounded up month by "
    "month on the running total, so the monthly targets add up exactly to the term total and, at "
    "the end of every month, the running total is never behind an even pace."
)
LEAD_LAG_RULE = (
    "Leads, MQLs and SQLs are needed one sales cycle before the deals they produce: they move "
    "earlier by the sales cycle in days divided by 30, rounded up, in months (0 days: no shift; "
    "1 to 30 days: one month; 31 to 60 days: two months). Deals and opportunities stay in the "
    "month the revenue is due."
)
TOLERANCE_RULE = (
    "A month counts as met when delivery lands within the band: low is the target minus the "
    "tolerance rounded down, high is the target plus the tolerance rounded up."
)
FORWARD_CHECK_RULE = (
    "The forward check walks the funnel back down: the leads times every conversion rate times "
    "the average deal size is the revenue the computed numbers deliver. It is never below the "
    "revenue target."
)
COST_RULE = (
    "Cost is leads times cost per lead; cost per deal is that cost divided by the deals. The "
    "plan's total cost is only shown when every lead source has a cost per lead."
)

# --- Default names -------------------------------------------------------------------------------
DEFAULT_SINGLE_STREAM_NAME = "All revenue"
DEFAULT_STREAM_NAME = "Stream {number}"
DEFAULT_SINGLE_SOURCE_NAME = "All sources"
DEFAULT_SOURCE_NAME = "Source {number}"
MONTH_LABEL = "Month {number}"
LEAD_IN_MONTH_LABEL = "Lead-in month {number}"

# --- Field labels used inside messages -----------------------------------------------------------
FIELD_LABELS = {
    "revenue_target": "Revenue target",
    "average_deal_size": "Average deal size",
    "win_rate": "Win rate",
    "sql_to_opportunity_rate": "SQL-to-opportunity rate",
    "mql_to_sql_rate": "MQL-to-SQL rate",
    "lead_to_mql_rate": "Lead-to-MQL rate",
    "cost_per_lead": "Cost per lead",
    "share": "Share",
}

# --- Input errors --------------------------------------------------------------------------------
REQUIRED = "This field is required."
NOT_A_NUMBER = "Enter a number."
NOT_A_WHOLE_NUMBER = "Enter a whole number."
NUMBER_TOO_LONG = "This number is too long."
DECIMAL_COMMA = "Use a point as the decimal separator (0.23, not 0,23)."
NOT_A_RATE = "Enter a rate as a percentage (23%), a fraction (0.23) or a ratio (1/3)."
RATIO_DIVIDES_BY_ZERO = "The second number of a ratio cannot be 0 (write one in three as 1/3)."
NOT_A_NAME = "Enter a name as text."
NAME_TOO_LONG = "Use at most {limit} characters."
DUPLICATE_STREAM_NAME = "Another revenue stream already uses this name."
DUPLICATE_SOURCE_NAME = "Another lead source already uses this name."
NOT_A_START_MONTH = "Enter the start month as YYYY-MM, for example 2025-01."
START_OUT_OF_RANGE = "The start month must be between 1900-01 and 9999-12."

RATE_OUT_OF_RANGE = "{label} must be greater than 0% and at most 100%."
RATE_LOOKS_LIKE_PERCENT = (
    "{label} must be greater than 0% and at most 100%. For {value} percent, enter {value}%."
)
SHARE_OUT_OF_RANGE = "A share must be greater than 0% and at most 100%."
SHARE_LOOKS_LIKE_PERCENT = (
    "A share must be greater than 0% and at most 100%. For {value} percent, enter {value}%."
)
TOLERANCE_OUT_OF_RANGE = "The tolerance must be at least 0% and less than 100%."
AMOUNT_NOT_POSITIVE = "{label} must be greater than 0."
AMOUNT_NEGATIVE = "{label} cannot be negative."
AMOUNT_TOO_LARGE = "{label} must be at most {limit}."
TERM_TOO_SHORT = "The term must be at least 1 month."
TERM_TOO_LONG = "The term can be at most {limit} months."
CYCLE_NEGATIVE = "The sales cycle cannot be negative."
CYCLE_TOO_LONG = "The sales cycle can be at most {limit} days."

NO_STREAMS = "Add at least one revenue stream."
NOT_A_LIST_OF_STREAMS = "Enter the revenue streams as a list."
NOT_A_LIST_OF_SOURCES = "Enter the lead sources as a list."
NOT_A_STREAM = "Enter this revenue stream as a set of named fields."
NOT_A_SOURCE = "Enter this lead source as a set of named fields."
TOO_MANY_STREAMS = "A plan can have at most {limit} revenue streams; this one has {count}."
TOO_MANY_SOURCES = "A plan can have at most {limit} lead sources; this one has {count}."
STREAM_SHARES_SUM = "The revenue stream shares add up to {total}; they must add up to 100%."
SOURCE_SHARES_SUM = "The source shares add up to {total}; they must add up to 100%."
TOO_MANY_LEADS = (
    "This plan needs more than {limit} leads, more than the calculator handles. "
    "Check the conversion rates and the average deal size."
)
