"""A hand-built month and a half of lead events on a Berlin calendar (Mon-Fri 09:00-17:00), with
every figure the compliance page must show worked out by hand below each lead.

"Now" is Wednesday 10 February 2027, 12:00 in Berlin (11:00 UTC). 1 January 2027 is a Friday.
The recommended template's commitments, in order (their index is their key):
  0 MQLs against the plan's monthly target (band 10%)
  1 hand-off within 1 business hour, 100%
  2 rejected hand-offs at most 15%
  3 first contact within 24 business hours, 95%
  4 seven attempts in the cadence, 90%
  5 accept or reject within 48 business hours, 100%
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 2, 10, 12, 0, tzinfo=BERLIN)


def at(month, day, hour, minute=0):
    """An ISO 8601 time with Berlin's offset (+01:00 in winter), as a CRM exports it."""
    return datetime(2027, month, day, hour, minute, tzinfo=BERLIN).isoformat()


def utc(month, day, hour, minute=0):
    """The same moment written in UTC ("Z"): the CRM may mix both."""
    moment = datetime(2027, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def ev(lead, event, moment, **extra):
    return {"lead_id": lead, "event": event, "occurred_at": moment, **extra}


EVENTS = [
    # A: MQL Friday 16:30, handed off 16:45, first contact Monday 10:00, accepted 11:00, SQL
    # on the 20th. Hand-off 0.25 h; response 0.25 + 1 = 1.25 h; decision 0.25 + 2 = 2.25 h;
    # attempts: converted within the cadence (met).
    ev("A", "first_contact", at(1, 11, 10), owner="Ola", source="Webinar"),
    ev("A", "mql", at(1, 8, 16, 30), source="Webinar", stream="New business"),
    ev("A", "handed_off", at(1, 8, 16, 45), owner="Ola"),
    ev("A", "accepted", at(1, 11, 11)),
    ev("A", "sql", at(1, 20, 9)),
    # B: handed off on Saturday at 11:00 (no MQL event): the clock starts Monday 09:00. First
    # contact Thursday 12:00: 8 + 8 + 8 + 3 = 27 h (missed); accepted Tuesday 10:00: 9 h.
    # Seven contacts by 1 February: attempts met.
    ev("B", "handed_off", at(1, 9, 11), owner="Ben", source="Paid search", stream="New business"),
    ev("B", "accepted", utc(1, 12, 10)),
    ev("B", "first_contact", at(1, 14, 12)),
    *[ev("B", "contact_attempt", at(1, day, 15)) for day in (15, 18, 20, 22, 26, 28)],
    # C: MQL Wednesday 18:00 and handed off 19:30, after hours: 0 h. First contact Thursday
    # 09:30: 0.5 h. Rejected Thursday 12:00 (no budget): 3 h. Rejected: no attempts measured.
    ev("C", "mql", at(1, 13, 18), source="Webinar", stream="New business"),
    ev("C", "handed_off", at(1, 13, 19, 30), owner="Ola"),
    ev("C", "first_contact", at(1, 14, 9, 30)),
    ev("C", "rejected", at(1, 14, 12), reason="no_budget"),
    # D: handed off Monday 1 February 10:00, never contacted, no decision: by now
    # 7 + 32 + 16 + 3 = 58 h, past both 24 and 48 (missed, in February); attempts pending.
    ev("D", "handed_off", at(2, 1, 10), owner="Ben", source="Paid search", stream="New business"),
    # E: handed off today 09:00: 3 h so far, within both clocks (pending).
    ev("E", "handed_off", at(2, 10, 9), owner="Ola", source="Webinar", stream="New business"),
    # F: MQL Monday 25 January 10:00, never handed off nor contacted: the hand-off clock and
    # the response clock (which starts at the MQL without a hand-off) ran out: both missed in
    # January. Attempts: the cadence (53 days) is still open: pending.
    ev("F", "mql", at(1, 25, 10), source="Events", stream="New business"),
    # G: created 4 January, MQL Tuesday 5th 09:00, handed off 10:00 (1 h: met at exactly the
    # threshold), first contact 11:00 (1 h), accepted 12:00 (2 h), SQL the 6th, opportunity the
    # 7th, won on the 28th for 2,500.00.
    ev("G", "created", at(1, 4, 9), source="Webinar", stream="New business", owner="Ola"),
    ev("G", "mql", at(1, 5, 9)),
    ev("G", "handed_off", at(1, 5, 10)),
    ev("G", "first_contact", at(1, 5, 11)),
    ev("G", "accepted", at(1, 5, 12)),
    ev("G", "sql", at(1, 6, 9)),
    ev("G", "opportunity", at(1, 7, 9)),
    ev("G", "won", at(1, 28, 15), amount="2500.00"),
]
# Sent again (a retried call, a re-export): stored once. One written in UTC, one as it was.
DUPLICATES = [
    ev("A", "first_contact", utc(1, 11, 10), owner="Ola", source="Webinar"),
    ev("G", "won", at(1, 28, 15), amount="2500.00"),
]
REJECTED = [
    ev("H", "called", at(1, 5, 9)),  # not an event type
    ev("", "mql", at(1, 5, 9)),  # no lead
    ev("I", "mql", "2027-01-05 09:00"),  # no offset (the API needs one)
    ev("J", "won", at(1, 5, 9), amount="-5"),
]

# By hand. January (met, missed, pending) per commitment; February likewise.
JANUARY = {
    1: (3, 1, 0),  # hand-off: A, C, G met; F missed (MQL month January)
    2: (3, 1, 0),  # decided hand-offs: A, B, G accepted; C rejected -> 25.0% rejected
    3: (3, 2, 0),  # response: A, C, G met; B (27 h), F (waiting) missed -> 60.0%
    4: (3, 0, 1),  # attempts: A, G converted, B seven attempts; F pending -> 100.0%
    5: (4, 0, 0),  # decision: A, B, C, G within 48 h -> 100.0%
}
FEBRUARY = {
    1: (0, 0, 0),
    2: (0, 0, 0),
    3: (0, 1, 1),  # D missed (58 h), E pending -> 0.0%, at risk (the month is not over)
    4: (0, 0, 2),
    5: (0, 1, 1),
}
JANUARY_FIGURES = {1: "75.0", 2: "25.0", 3: "60.0", 4: "100.0", 5: "100.0"}
JANUARY_VERDICTS = {1: "missed", 2: "missed", 3: "missed", 4: "met", 5: "met"}
# Leads reaching each stage in January (by the month of that event).
JANUARY_STAGES = {
    "leads": 1,  # G
    "mqls": 4,  # A, C, F, G
    "handoffs": 4,  # A, B (the 9th), C, G
    "sals": 3,  # A, B, G accepted
    "sqls": 2,  # A, G
    "opportunities": 1,  # G
    "deals": 1,  # G
}
# Response times answered in January: C 0.5 h; A 1.25 h and G 1 h; B 27 h.
JANUARY_DISTRIBUTION = [1, 2, 0, 0, 1, 0]
