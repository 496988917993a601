"""The working-day calendar: national holidays and 调休 from chinese-calendar, plus local days.

"Filed N working days ahead of D" holds when the working days in [filed, D) number at least N.
A date in a year that no source covers raises CalendarGap: never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

_CLERK_DATE = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*(?:日\s*)?")


def clerk_date(text: str) -> str:
    """A date as clerks type it — 2019-09-10, 2019/9/10, 2019.9.10, 2019年9月10日 — in ISO form
    (records themselves stay ISO). ValueError when it is not a date."""
    found = _CLERK_DATE.fullmatch(text)
    if found is None:
        raise ValueError(text)
    return date(int(found.group(1)), int(found.group(2)), int(found.group(3))).isoformat()


class CalendarGap(Exception):
    """No source covers this year."""

    def __init__(self, year: int) -> None:
        super().__init__(f"no working-day calendar for {year}")
        self.year = year


@dataclass
class LocalDay:
    day: date
    rest: bool
    confirmed: bool = True  # false: example or unchecked dates (policies/calendar.yaml), warned about once


@dataclass
class WorkCalendar:
    local: dict[date, LocalDay] = field(default_factory=dict)
    extra_years: dict[int, tuple[set[date], set[date]]] = field(default_factory=dict)  # year -> (rest, work)
    # chinese_calendar scans its whole table on every call; a day's answer never changes.
    _known: dict[date, bool] = field(default_factory=dict, repr=False)
    _added: dict[tuple[date, int], tuple[date, frozenset[int]]] = field(default_factory=dict, repr=False)
    # Years whose unconfirmed local days a computation has used: the engine warns once per year.
    unconfirmed_used: set[int] = field(default_factory=set, repr=False)
    # The same, since the judge last said whose evaluation it was (``attribute``), and each year's
    # users: the incremental full check (verdicts.py) keeps a year's warning while one of them stays.
    fresh: set[int] = field(default_factory=set, repr=False)
    witnessed: dict[int, set[str]] = field(default_factory=dict, repr=False)

    def forget_use(self) -> None:
        """A new check begins: no year used yet."""
        self.unconfirmed_used.clear()
        self.fresh.clear()
        self.witnessed.clear()

    def attribute(self, who: str) -> None:
        """The years used since the last call were used by ``who`` (a record's path, or a rule)."""
        for year in self.fresh:
            self.witnessed.setdefault(year, set()).add(who)
        self.fresh.clear()

    @classmethod
    def from_policy(cls, data: dict) -> WorkCalendar:
        local = {
            date.fromisoformat(d["date"]): LocalDay(date.fromisoformat(d["date"]), d["type"] == "rest", d.get("confirmed", True))
            for d in data.get("local_days", [])
        }
        extra = {
            y["year"]: ({date.fromisoformat(d) for d in y["rest_days"]}, {date.fromisoformat(d) for d in y["work_days"]})
            for y in data.get("extra_years", [])
        }
        return cls(local, extra)

    def covers(self, year: int) -> bool:
        if year in self.extra_years:
            return True
        import chinese_calendar  # imported on first use: most checks never count a working day

        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def is_workday(self, day: date) -> bool:
        local = self.local.get(day)
        if local is not None and not local.confirmed:
            self.unconfirmed_used.add(day.year)
            self.fresh.add(day.year)
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._is_workday(day)
        return known

    def _is_workday(self, day: date) -> bool:
        if day in self.local:
            return not self.local[day].rest
        if day.year in self.extra_years:
            rest, work = self.extra_years[day.year]
            return day in work or (day.weekday() < 5 and day not in rest)
        import chinese_calendar

        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            raise CalendarGap(day.year) from None

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in [start, end)."""
        count, day = 0, start
        while day < end:
            count += self.is_workday(day)
            day += timedelta(days=1)
        return count

    def workdays_bounds(self, start: date, end: date) -> tuple[int, int, int | None]:
        """(fewest, most, first uncovered year) of working days in [start, end): days in a year no
        source covers may or may not be working days. When the known days alone decide a question
        (fewest already enough, or most still too few), no calendar for the missing year is needed."""
        low = high = 0
        gap: int | None = None
        day = start
        while day < end:
            try:
                working = self.is_workday(day)
                low += working
                high += working
            except CalendarGap as missing:
                high += 1
                gap = gap or missing.year
            day += timedelta(days=1)
        return low, high, gap

    def latest_filing(self, start: date, workdays: int) -> date:
        """The latest date F with at least ``workdays`` working days in [F, start)."""
        day, count = start, 0
        while count < workdays:
            day -= timedelta(days=1)
            count += self.is_workday(day)
        return day

    def add_workdays(self, day: date, workdays: int) -> date:
        """The date that is ``workdays`` working days after ``day`` (``day`` itself not counted).
        Many records share a date and a limit: each answer is kept, with the unconfirmed years it used."""
        known = self._added.get((day, workdays))
        if known is None:
            count, end, years = 0, day, set()
            while count < workdays:
                end += timedelta(days=1)
                local = self.local.get(end)
                if local is not None and not local.confirmed:
                    years.add(end.year)
                count += self.is_workday(end)
            known = self._added[(day, workdays)] = (end, frozenset(years))
        if known[1]:
            self.unconfirmed_used.update(known[1])
            self.fresh.update(known[1])
        return known[0]
