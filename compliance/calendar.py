"""Business time on an agreement's working calendar: its time zone, working days and hours.

"Within 4 business hours" of a hand-off on Friday at 16:00 in Berlin, working 09:00-17:00 Monday
to Friday, ends on Monday at 12:00. Pure functions; times are aware datetimes in any zone.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class WorkingCalendar:
    time_zone: str = "UTC"
    working_days: str = "12345"  # ISO weekdays, 1 = Monday
    day_start: time = time(9)
    day_end: time = time(17)

    @classmethod
    def of(cls, agreement) -> "WorkingCalendar":
        return cls(
            agreement.time_zone or "UTC",
            agreement.working_days or "12345",
            agreement.workday_start,
            agreement.workday_end,
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def hours_per_day(self) -> float:
        start = datetime.combine(date.min, self.day_start)
        return (datetime.combine(date.min, self.day_end) - start).total_seconds() / 3600

    def is_working_day(self, day: date) -> bool:
        return str(day.isoweekday()) in self.working_days

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def month_of(self, moment: datetime) -> date:
        """The first day of the month `moment` falls in, on the agreement's calendar."""
        return self.local(moment).date().replace(day=1)

    def _window(self, day: date) -> tuple[datetime, datetime]:
        """The working hours of `day` as aware datetimes (a day in a DST change keeps its
        wall-clock hours)."""
        zone = self.zone
        return (
            datetime.combine(day, self.day_start, zone),
            datetime.combine(day, self.day_end, zone),
        )

    def business_hours(self, start: datetime, end: datetime) -> float:
        """Working hours between two moments (0 when `end` is not after `start`)."""
        if end <= start:
            return 0.0
        first, last = self.local(start).date(), self.local(end).date()
        days = (last - first).days
        working_days_per_week = len(set(self.working_days))
        seconds = 0.0
        day = first
        # Whole weeks in the middle count at once: a lead waiting a quarter is not 90 loops.
        if days > 14 and working_days_per_week:
            weeks = (days - 7) // 7
            seconds += self._seconds_in(start, end, first) + self._seconds_in(start, end, last)
            middle_start = first + timedelta(days=1)
            middle_weeks_end = middle_start + timedelta(weeks=weeks)
            seconds += weeks * working_days_per_week * self.hours_per_day * SECONDS_PER_HOUR
            day = middle_weeks_end
            while day < last:
                seconds += self._seconds_in(start, end, day)
                day += timedelta(days=1)
            return seconds / SECONDS_PER_HOUR
        while day <= last:
            seconds += self._seconds_in(start, end, day)
            day += timedelta(days=1)
        return seconds / SECONDS_PER_HOUR

    def _seconds_in(self, start: datetime, end: datetime, day: date) -> float:
        if not self.is_working_day(day):
            return 0.0
        opens, closes = self._window(day)
        overlap = min(end, closes) - max(start, opens)
        return max(overlap.total_seconds(), 0.0)

    def threshold_hours(self, threshold, unit: str) -> float:
        """A commitment's threshold in business hours (business days count whole working
        days of this calendar)."""
        value = float(threshold)
        return value * self.hours_per_day if unit == "business_days" else value
